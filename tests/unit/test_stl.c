/*
 * test_stl.c — the binary STL writer (layout, header, normals, nudged
 * split vertices, determinism, atomic failure) read back byte by byte and
 * through the mesh checker; and file-name slugs.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsk_file.h"
#include "fsk_meshcheck.h"
#include "fsk_slug.h"
#include "fsk_stl.h"
#include "mesh_shapes.h"
#include "tkit.h"

static float f32_at(const unsigned char *p)
{
    uint32_t bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static char tmp_dir[] = "/tmp/fsk_test_stl_XXXXXX";

static void test_cube_layout(void)
{
    fsk_voxels g;
    double tops[3];
    shape_grid(&g, tops);
    fsk_mesh m;
    fsk_mesh_init(&m);
    TKIT_EQ_INT(shape_add_cube(&m, 1, 0, 1, -9, -9, 0, 0), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/cube.stl", tmp_dir);
    fsk_stl_stats st = {0};
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_stl_write(path, &m, &g, "Cyan PLA", &st, &err), 0);
    TKIT_EQ_INT(st.triangles, 12);
    TKIT_EQ_INT(st.bytes, 84 + 12 * 50);

    unsigned char *d;
    size_t n;
    TKIT_EQ_INT(fsk_file_read(path, 1 << 20, &d, &n, &err), 0);
    TKIT_EQ_INT(n, 684);
    if (n != 684) {
        free(d);
        fsk_mesh_free(&m);
        return;
    }
    const char head[] = "filastack binary STL: Cyan PLA";
    TKIT_TRUE(memcmp(d, head, sizeof head - 1) == 0);
    size_t zeros = 0;
    for (size_t i = sizeof head - 1; i < 80; i++)
        zeros += d[i] == 0;
    TKIT_EQ_INT(zeros, 80 - (sizeof head - 1));
    TKIT_EQ_INT(d[80] | d[81] << 8 | d[82] << 16 | d[83] << 24, 12);
    /* Triangle 0 is the bottom face (0, 2, 3): normal -z, corners in mm. */
    const unsigned char *r = d + 84;
    TKIT_NEAR(f32_at(r + 0), 0, 0);
    TKIT_NEAR(f32_at(r + 4), 0, 0);
    TKIT_NEAR(f32_at(r + 8), -1, 0);
    TKIT_NEAR(f32_at(r + 12), 0.4f, 0);  /* corner 0: x = 1 pixel */
    TKIT_NEAR(f32_at(r + 16), 0, 0);
    TKIT_NEAR(f32_at(r + 20), 0.2f, 0);  /* z = top of layer 0 */
    TKIT_NEAR(f32_at(r + 24 + 4), 0.4f, 0); /* corner 2: y = 1 pixel */
    TKIT_NEAR(f32_at(r + 36), 0.8f, 0);  /* corner 3: x = 2 pixels */
    TKIT_EQ_INT(r[48] | r[49], 0);
    /* Triangle 4 is the front face: normal -y. */
    TKIT_NEAR(f32_at(d + 84 + 4 * 50 + 4), -1, 0);
    free(d);

    fsk_meshcheck_report rep;
    TKIT_EQ_INT(fsk_meshcheck_file(path, &rep, &err), 0);
    TKIT_EQ_INT(rep.mesh_count, 1);
    if (rep.mesh_count == 1) {
        TKIT_TRUE(fsk_meshcheck_is_sound(&rep.meshes[0]));
        TKIT_NEAR(rep.meshes[0].volume_mm3, 0.4 * 0.4 * 0.08, 1e-7);
    }
    fsk_meshcheck_report_free(&rep);
    fsk_mesh_free(&m);
    unlink(path);
}

static void test_two_cubes_nudged(void)
{
    fsk_voxels g;
    double tops[3];
    shape_grid(&g, tops);
    fsk_mesh m;
    fsk_mesh_init(&m);
    TKIT_EQ_INT(shape_two_cubes(&m), 0);
    char path[256], again[256];
    snprintf(path, sizeof path, "%s/two.stl", tmp_dir);
    snprintf(again, sizeof again, "%s/two-again.stl", tmp_dir);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_stl_write(path, &m, &g, NULL, NULL, &err), 0);
    TKIT_EQ_INT(fsk_stl_write(again, &m, &g, NULL, NULL, &err), 0);

    unsigned char *a, *b;
    size_t na, nb;
    TKIT_EQ_INT(fsk_file_read(path, 1 << 20, &a, &na, &err), 0);
    TKIT_EQ_INT(fsk_file_read(again, 1 << 20, &b, &nb, &err), 0);
    TKIT_TRUE(na == nb && memcmp(a, b, na) == 0);
    TKIT_TRUE(memcmp(a, "filastack binary STL\0", 21) == 0);
    free(a);
    free(b);

    /* Welded by exact coordinates, the nudged copies stay apart: two
     * closed shells, where the un-nudged lattice has a 4-way edge. */
    fsk_meshcheck_report rep;
    TKIT_EQ_INT(fsk_meshcheck_file(path, &rep, &err), 0);
    if (rep.mesh_count == 1) {
        const fsk_meshcheck_mesh *c = &rep.meshes[0];
        TKIT_EQ_INT(c->vertices, 16);
        TKIT_EQ_INT(c->shells, 2);
        TKIT_EQ_INT(c->nonmanifold_edges, 0);
        TKIT_TRUE(fsk_meshcheck_is_sound(c));
        /* Moving the shared corner inward by the nudge along x and y cuts
         * two triangles of 0.4 mm x 0.0005 mm / 2 off each cube's square. */
        TKIT_NEAR(c->volume_mm3, 2 * (0.4 * 0.4 - 0.4 * FSK_NUDGE_MM) * 0.2, 1e-7);
    }
    fsk_meshcheck_report_free(&rep);
    double (*v)[3] = malloc(m.vertex_count * sizeof *v);
    for (size_t i = 0; v && i < m.vertex_count; i++)
        fsk_mesh_vertex_mm(&m, i, &g, 0, v[i]);
    /* Weld by hand the two copies of the shared edge, as STL would without nudges. */
    for (size_t t = 0; t < m.triangle_count; t++)
        for (int k = 0; k < 3; k++) {
            uint32_t *x = &m.triangles[t][k];
            for (uint32_t j = 8; j < 16 && *x >= 8; j++)
                if (*x == j && m.vertices[j].nudge[0])
                    *x = j == 8 ? 3 : 7; /* copies of corners 3 and 7 of cube 1 */
        }
    fsk_meshcheck_mesh w;
    memset(&w, 0, sizeof w);
    TKIT_EQ_INT(fsk_meshcheck_analyze((const double (*)[3])v, m.vertex_count,
                                      (const uint32_t (*)[3])m.triangles, m.triangle_count,
                                      &w, &err),
                0);
    TKIT_EQ_INT(w.nonmanifold_edges, 1);
    free(v);
    fsk_mesh_free(&m);
    unlink(path);
    unlink(again);
}

static void test_nudge_values(void)
{
    fsk_voxels g;
    double tops[3];
    shape_grid(&g, tops);
    fsk_mesh m;
    fsk_mesh_init(&m);
    TKIT_EQ_INT(fsk_mesh_add_vertex(&m, (fsk_mesh_vertex){2, 1, 2, {-1, 1, 0}}), 0);
    double p[3];
    fsk_mesh_vertex_mm(&m, 0, &g, 0, p);
    TKIT_NEAR(p[0], 0.8, 1e-12);
    TKIT_NEAR(p[1], 0.4, 1e-12);
    TKIT_NEAR(p[2], 0.28, 1e-12);
    fsk_mesh_vertex_mm(&m, 0, &g, 1, p);
    TKIT_NEAR(p[0], 0.8 - FSK_NUDGE_MM, 1e-12);
    TKIT_NEAR(p[1], 0.4 + FSK_NUDGE_MM, 1e-12);
    TKIT_NEAR(p[2], 0.28, 1e-12);
    fsk_mesh_free(&m);
}

static void test_write_failure(void)
{
    fsk_voxels g;
    double tops[3];
    shape_grid(&g, tops);
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_stl_write("/nonexistent-dir/x.stl", &m, &g, "x", NULL, &err), FSK_EIO);
    TKIT_CONTAINS(err.msg, "cannot write '/nonexistent-dir/x.stl'");
    /* An empty mesh is a valid, 84-byte file. */
    char path[256];
    snprintf(path, sizeof path, "%s/empty.stl", tmp_dir);
    fsk_stl_stats st;
    TKIT_EQ_INT(fsk_stl_write(path, &m, &g, "", &st, &err), 0);
    TKIT_EQ_INT(st.bytes, 84);
    unlink(path);
}

static void test_slug(void)
{
    char out[64];
    TKIT_EQ_STR(fsk_slug("Cyan PLA", out, sizeof out), "cyan-pla");
    TKIT_EQ_STR(fsk_slug("  Bambu  PLA+ (Matte) ", out, sizeof out), "bambu-pla-matte");
    TKIT_EQ_STR(fsk_slug("backing (White PLA)", out, sizeof out), "backing-white-pla");
    TKIT_EQ_STR(fsk_slug("Grün/Blau__2", out, sizeof out), "gr-n-blau-2");
    TKIT_EQ_STR(fsk_slug("---", out, sizeof out), "filament");
    TKIT_EQ_STR(fsk_slug("", out, sizeof out), "filament");
    TKIT_EQ_STR(fsk_slug(NULL, out, sizeof out), "filament");
    char small[6];
    TKIT_EQ_STR(fsk_slug("ab cd ef", small, sizeof small), "ab-cd");
    TKIT_EQ_STR(fsk_slug("abcd efgh", small, sizeof small), "abcd"); /* no trailing '-' */
    TKIT_EQ_STR(fsk_slug("x", small, 2), "x");
}

int main(void)
{
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    TKIT_RUN(test_cube_layout);
    TKIT_RUN(test_two_cubes_nudged);
    TKIT_RUN(test_nudge_values);
    TKIT_RUN(test_write_failure);
    TKIT_RUN(test_slug);
    rmdir(tmp_dir);
    return TKIT_DONE();
}
