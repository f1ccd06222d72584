/*
 * test_meshcheck.c — the mesh checker on hand-made meshes (a cube, and
 * the cube with one triangle missing, one flipped, a degenerate one, two
 * cubes sharing an edge), on STL and 3MF fixtures, on hostile bytes
 * (every truncation and single-byte change of a file must give a result
 * or an error, never a crash), and on a large closed torus whose counts
 * are known in closed form.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_meshcheck.h"
#include "mesh_shapes.h"
#include "tkit.h"

#define MESH_DIR FSK_TEST_DATA_DIR "/mesh/"

/* A cube of side s at (ox, oy, oz): corners as in shape_cube_tris. */
static void cube_vertices(double v[8][3], double ox, double oy, double oz, double s)
{
    for (int c = 0; c < 8; c++) {
        v[c][0] = ox + s * (c & 1);
        v[c][1] = oy + s * ((c >> 1) & 1);
        v[c][2] = oz + s * ((c >> 2) & 1);
    }
}

static fsk_meshcheck_mesh check(const double (*v)[3], size_t nv, const uint32_t (*t)[3],
                                size_t nt)
{
    fsk_meshcheck_mesh m;
    memset(&m, 0, sizeof m);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_meshcheck_analyze(v, nv, t, nt, &m, &err), 0);
    return m;
}

static void test_cube(void)
{
    double v[8][3];
    cube_vertices(v, 1, 2, 3, 10);
    fsk_meshcheck_mesh m = check((const double (*)[3])v, 8, shape_cube_tris, 12);
    TKIT_EQ_INT(m.triangles, 12);
    TKIT_EQ_INT(m.vertices, 8);
    TKIT_EQ_INT(m.open_edges, 0);
    TKIT_EQ_INT(m.nonmanifold_edges, 0);
    TKIT_EQ_INT(m.reversed_edges, 0);
    TKIT_EQ_INT(m.degenerate_triangles, 0);
    TKIT_EQ_INT(m.shells, 1);
    TKIT_NEAR(m.volume_mm3, 1000.0, 1e-9);
    TKIT_NEAR(m.bbox_min_mm[0], 1, 0);
    TKIT_NEAR(m.bbox_min_mm[2], 3, 0);
    TKIT_NEAR(m.bbox_max_mm[1], 12, 0);
    TKIT_NEAR(m.bbox_max_mm[2], 13, 0);
    TKIT_TRUE(fsk_meshcheck_is_sound(&m));
}

static void test_cube_missing_triangle(void)
{
    double v[8][3];
    cube_vertices(v, 0, 0, 0, 1);
    fsk_meshcheck_mesh m = check((const double (*)[3])v, 8, shape_cube_tris + 1, 11);
    TKIT_EQ_INT(m.open_edges, 3);
    TKIT_EQ_INT(m.nonmanifold_edges, 0);
    TKIT_EQ_INT(m.reversed_edges, 0);
    TKIT_EQ_INT(m.shells, 1);
    TKIT_TRUE(!fsk_meshcheck_is_sound(&m));
}

static void test_cube_flipped_triangle(void)
{
    double v[8][3];
    cube_vertices(v, 0, 0, 0, 1);
    uint32_t t[12][3];
    memcpy(t, shape_cube_tris, sizeof t);
    uint32_t x = t[5][1];
    t[5][1] = t[5][2];
    t[5][2] = x;
    fsk_meshcheck_mesh m = check((const double (*)[3])v, 8, (const uint32_t (*)[3])t, 12);
    TKIT_EQ_INT(m.open_edges, 0);
    TKIT_EQ_INT(m.reversed_edges, 3);
    TKIT_TRUE(!fsk_meshcheck_is_sound(&m));

    /* All flipped: closed and consistent, but inside out. */
    for (int i = 0; i < 12; i++) {
        t[i][0] = shape_cube_tris[i][0];
        t[i][1] = shape_cube_tris[i][2];
        t[i][2] = shape_cube_tris[i][1];
    }
    m = check((const double (*)[3])v, 8, (const uint32_t (*)[3])t, 12);
    TKIT_EQ_INT(m.reversed_edges, 0);
    TKIT_NEAR(m.volume_mm3, -1.0, 1e-12);
    TKIT_TRUE(!fsk_meshcheck_is_sound(&m));
}

static void test_two_cubes_sharing_an_edge(void)
{
    /* Welded: cube 2's corners (1,1,0) and (1,1,1) are cube 1's 3 and 7. */
    double v[16][3];
    cube_vertices(v, 0, 0, 0, 1);
    cube_vertices(v + 8, 1, 1, 0, 1);
    uint32_t t[24][3];
    for (int i = 0; i < 12; i++)
        for (int c = 0; c < 3; c++) {
            t[i][c] = shape_cube_tris[i][c];
            uint32_t k = shape_cube_tris[i][c];
            t[12 + i][c] = k == 0 ? 3 : k == 4 ? 7 : 8 + k;
        }
    fsk_meshcheck_mesh m = check((const double (*)[3])v, 16, (const uint32_t (*)[3])t, 24);
    TKIT_EQ_INT(m.nonmanifold_edges, 1);
    TKIT_EQ_INT(m.open_edges, 0);
    TKIT_EQ_INT(m.shells, 1);
    TKIT_NEAR(m.volume_mm3, 2.0, 1e-12);
    TKIT_TRUE(!fsk_meshcheck_is_sound(&m));

    /* Split copies: two closed shells. */
    for (int i = 0; i < 12; i++)
        for (int c = 0; c < 3; c++)
            t[12 + i][c] = 8 + shape_cube_tris[i][c];
    m = check((const double (*)[3])v, 16, (const uint32_t (*)[3])t, 24);
    TKIT_EQ_INT(m.nonmanifold_edges, 0);
    TKIT_EQ_INT(m.shells, 2);
    TKIT_TRUE(fsk_meshcheck_is_sound(&m));
}

static void test_degenerate(void)
{
    double v[9][3];
    cube_vertices(v, 0, 0, 0, 2);
    v[8][0] = 1; /* midpoint of edge 0-1 */
    v[8][1] = v[8][2] = 0;
    uint32_t t[14][3];
    memcpy(t, shape_cube_tris, sizeof shape_cube_tris);
    /* A repeated corner: left out of the edges, so the rest stays closed. */
    t[12][0] = 0, t[12][1] = 0, t[12][2] = 5;
    /* Three collinear corners. */
    t[13][0] = 0, t[13][1] = 8, t[13][2] = 1;
    fsk_meshcheck_mesh m = check((const double (*)[3])v, 9, (const uint32_t (*)[3])t, 13);
    TKIT_EQ_INT(m.degenerate_triangles, 1);
    TKIT_EQ_INT(m.open_edges, 0);
    TKIT_EQ_INT(m.shells, 1);
    TKIT_NEAR(m.volume_mm3, 8.0, 1e-12);
    TKIT_TRUE(!fsk_meshcheck_is_sound(&m));
    m = check((const double (*)[3])v, 9, (const uint32_t (*)[3])t, 14);
    TKIT_EQ_INT(m.degenerate_triangles, 2);
    TKIT_EQ_INT(m.open_edges, 2);      /* 0-8 and 8-1 */
    TKIT_EQ_INT(m.nonmanifold_edges, 1); /* 0-1 is now used three times */

    fsk_err err = {0};
    t[0][1] = 9;
    TKIT_EQ_INT(fsk_meshcheck_analyze((const double (*)[3])v, 9, (const uint32_t (*)[3])t,
                                      14, &m, &err),
                FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "triangle 0 refers to vertex 9 of 9");
}

static fsk_meshcheck_report read_ok(const char *path)
{
    fsk_meshcheck_report r;
    fsk_err err = {0};
    int rc = fsk_meshcheck_file(path, &r, &err);
    TKIT_EQ_INT(rc, 0);
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    return r;
}

static void test_stl_files(void)
{
    fsk_meshcheck_report r = read_ok(MESH_DIR "cube.stl");
    TKIT_EQ_INT(r.format, FSK_MESH_STL_BINARY);
    TKIT_EQ_INT(r.mesh_count, 1);
    if (r.mesh_count == 1) {
        TKIT_EQ_INT(r.meshes[0].vertices, 8); /* welded from 36 corners */
        TKIT_TRUE(fsk_meshcheck_is_sound(&r.meshes[0]));
        TKIT_NEAR(r.meshes[0].volume_mm3, 1000.0, 1e-9);
    }
    fsk_meshcheck_report_free(&r);

    /* Binary despite a header beginning with "solid": the size fits. */
    r = read_ok(MESH_DIR "cube_solid_header.stl");
    TKIT_EQ_INT(r.format, FSK_MESH_STL_BINARY);
    TKIT_EQ_INT(r.mesh_count, 1);
    fsk_meshcheck_report_free(&r);

    r = read_ok(MESH_DIR "cube_ascii.stl");
    TKIT_EQ_INT(r.format, FSK_MESH_STL_ASCII);
    TKIT_EQ_INT(r.mesh_count, 2);
    if (r.mesh_count == 2) {
        TKIT_EQ_STR(r.meshes[0].name, "cyan");
        TKIT_TRUE(fsk_meshcheck_is_sound(&r.meshes[0]));
        TKIT_EQ_STR(r.meshes[1].name, "open");
        TKIT_EQ_INT(r.meshes[1].open_edges, 3);
        TKIT_EQ_INT(r.meshes[1].vertices, 8);
    }
    fsk_meshcheck_report_free(&r);

    r = read_ok(MESH_DIR "flipped_cube.stl");
    TKIT_EQ_INT(r.meshes[0].reversed_edges, 3);
    fsk_meshcheck_report_free(&r);

    fsk_err err = {0};
    TKIT_EQ_INT(fsk_meshcheck_file(MESH_DIR "truncated.stl", &r, &err), FSK_EFORMAT);
    TKIT_EQ_STR(err.msg, "cannot read '" MESH_DIR "truncated.stl': truncated binary STL: "
                         "the header says 12 triangles (684 bytes), the file has 674 bytes");
    TKIT_EQ_INT(fsk_meshcheck_file(MESH_DIR "garbage.stl", &r, &err), FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "garbage.stl': not an STL or 3MF file");
    TKIT_EQ_INT(fsk_meshcheck_file(MESH_DIR "no-such.stl", &r, &err), FSK_EIO);
    TKIT_CONTAINS(err.msg, "cannot read '" MESH_DIR "no-such.stl': No such file");
}

static void test_ascii_errors(void)
{
    static const struct { const char *text; const char *msg; } cases[] = {
        {"solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0\n",
         "ASCII STL: line 6: unexpected end of file, expected a number"},
        {"solid x\n facet normal 0 0 1\n outer loop\n vertex 0 0 0\n vertex 1 0 nan\n",
         "ASCII STL: line 5: 'nan' is not a finite number"},
        {"solid x\n facet normal 0 0 1\n outer loop\n vertex 0 0 0\n vertex 1 0 0\n vertex 1 1 0\n"
         " endloop\n endfacet\n",
         "ASCII STL: line 9: unexpected end of file in solid 'x'"},
        {"solid x\n facet normal 0 0 1\n outer loops\n",
         "ASCII STL: line 3: expected 'loop', got 'loops'"},
        {"solid x\nendsolid x\nsolids\n", "ASCII STL: line 3: expected 'solid', got 'solids'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fsk_meshcheck_report r;
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_meshcheck_memory((const unsigned char *)cases[i].text,
                                         strlen(cases[i].text), &r, &err),
                    FSK_EFORMAT);
        TKIT_EQ_STR(err.msg, cases[i].msg);
    }
    /* Keywords in capitals, as some exporters write them. */
    const char *caps = "SOLID Block\n FACET NORMAL 0 0 1\n OUTER LOOP\n VERTEX 0 0 0\n"
                       " VERTEX 1 0 0\n VERTEX 0 1 0\n ENDLOOP\n ENDFACET\nENDSOLID Block\n";
    fsk_meshcheck_report c;
    fsk_err e = {0};
    TKIT_EQ_INT(fsk_meshcheck_memory((const unsigned char *)caps, strlen(caps), &c, &e), 0);
    TKIT_EQ_INT(c.format, FSK_MESH_STL_ASCII);
    TKIT_TRUE(c.mesh_count == 1 && strcmp(c.meshes[0].name, "Block") == 0 &&
              c.meshes[0].open_edges == 3);
    fsk_meshcheck_report_free(&c);
    /* An empty solid is a mesh with no triangles: read, but not sound. */
    fsk_meshcheck_report r;
    fsk_err err = {0};
    const char *empty = "solid nothing\nendsolid nothing\n";
    TKIT_EQ_INT(fsk_meshcheck_memory((const unsigned char *)empty, strlen(empty), &r, &err), 0);
    TKIT_EQ_INT(r.mesh_count, 1);
    TKIT_TRUE(r.mesh_count == 1 && !fsk_meshcheck_is_sound(&r.meshes[0]));
    fsk_meshcheck_report_free(&r);
}

static void test_3mf_files(void)
{
    fsk_meshcheck_report r = read_ok(MESH_DIR "cubes.3mf");
    TKIT_EQ_INT(r.format, FSK_MESH_3MF);
    TKIT_EQ_INT(r.mesh_count, 2);
    if (r.mesh_count == 2) {
        TKIT_EQ_STR(r.meshes[0].name, "Cyan PLA");
        TKIT_TRUE(fsk_meshcheck_is_sound(&r.meshes[0]));
        TKIT_NEAR(r.meshes[0].volume_mm3, 1000.0, 1e-9);
        TKIT_EQ_STR(r.meshes[1].name, "object 2");
        TKIT_EQ_INT(r.meshes[1].open_edges, 3);
        TKIT_NEAR(r.meshes[1].bbox_min_mm[0], 20.0, 0);
    }
    fsk_meshcheck_report_free(&r);

    /* The mesh lives in another part, in centimetres; the name comes from
     * the root object whose component it is. */
    r = read_ok(MESH_DIR "components.3mf");
    TKIT_EQ_INT(r.mesh_count, 1);
    if (r.mesh_count == 1) {
        TKIT_EQ_STR(r.meshes[0].name, "Magenta PLA");
        TKIT_NEAR(r.meshes[0].volume_mm3, 1e6, 1e-6);
        TKIT_NEAR(r.meshes[0].bbox_max_mm[2], 100.0, 0);
    }
    fsk_meshcheck_report_free(&r);

    static const struct { const char *file; int code; const char *msg; } bad[] = {
        {"bad_index.3mf", FSK_EFORMAT, "3MF part '3D/3dmodel.model': line 21: triangle refers to vertex 8 of 8"},
        {"malformed.3mf", FSK_EFORMAT, "3MF part '3D/3dmodel.model': line 6: "},
        {"missing_part.3mf", FSK_EFORMAT, "3MF part '3D/Objects/object_1.model' is missing"},
        {"laughs.3mf", FSK_EFORMAT, "3MF part '3D/3dmodel.model': a DOCTYPE is not allowed"},
        {"truncated.zip", FSK_EFORMAT, "not a ZIP archive"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, MESH_DIR "%s", bad[i].file);
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_meshcheck_file(path, &r, &err), bad[i].code);
        TKIT_CONTAINS(err.msg, bad[i].msg);
        TKIT_CONTAINS(err.msg, bad[i].file);
    }
}

/* Every prefix and every single-byte change of a good file gives a report or
 * an error (ASan and UBSan builds check there is no bad access). */
static void test_hostile_bytes(const char *file)
{
    unsigned char *data;
    size_t size;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_file_read(file, 1 << 20, &data, &size, &err), 0);
    unsigned char *copy = malloc(size ? size : 1);
    size_t failures = 0, runs = 0;
    for (size_t n = 0; n < size; n++) {
        fsk_meshcheck_report r;
        memcpy(copy, data, n);
        if (fsk_meshcheck_memory(copy, n, &r, &err) != 0)
            failures++;
        fsk_meshcheck_report_free(&r);
        runs++;
    }
    static const unsigned char flips[] = {0x01, 0x80, 0xFF};
    for (size_t at = 0; at < size; at++)
        for (size_t f = 0; f < sizeof flips; f++) {
            fsk_meshcheck_report r;
            memcpy(copy, data, size);
            copy[at] ^= flips[f];
            if (fsk_meshcheck_memory(copy, size, &r, &err) != 0)
                TKIT_TRUE(err.code < 0 && err.msg[0] != '\0');
            fsk_meshcheck_report_free(&r);
            runs++;
        }
    /* Nearly every truncation is an error (an ASCII STL cut at a solid's
     * end or an empty file are the exceptions). */
    TKIT_TRUE(failures + 2 >= size);
    TKIT_TRUE(runs == 4 * size);
    free(copy);
    free(data);
}

static void test_hostile_inputs(void)
{
    test_hostile_bytes(MESH_DIR "cube.stl");
    test_hostile_bytes(MESH_DIR "cubes.3mf");
    test_hostile_bytes(MESH_DIR "components.3mf");
}

/* A torus of n x n quads split in two: 2n^2 triangles, n^2 vertices, closed,
 * one shell; its volume tends to 2 pi^2 R r^2 (R = 20, r = 5). */
static void test_large_torus(void)
{
    const size_t n = 600;
    double (*v)[3] = malloc(n * n * sizeof *v);
    uint32_t (*t)[3] = malloc(2 * n * n * sizeof *t);
    TKIT_TRUE(v && t);
    if (!v || !t) {
        free(v);
        free(t);
        return;
    }
    const double R = 20, r = 5, pi = 3.14159265358979323846;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double a = 2 * pi * (double)i / (double)n, b = 2 * pi * (double)j / (double)n;
            double *p = v[i * n + j];
            p[0] = (R + r * cos(b)) * cos(a);
            p[1] = (R + r * cos(b)) * sin(a);
            p[2] = r * sin(b);
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            uint32_t a = (uint32_t)(i * n + j), b = (uint32_t)(((i + 1) % n) * n + j);
            uint32_t c = (uint32_t)(((i + 1) % n) * n + (j + 1) % n);
            uint32_t d = (uint32_t)(i * n + (j + 1) % n);
            uint32_t *q = t[2 * (i * n + j)];
            q[0] = a, q[1] = b, q[2] = c;
            q[3] = a, q[4] = c, q[5] = d;
        }
    fsk_meshcheck_mesh m = check((const double (*)[3])v, n * n, (const uint32_t (*)[3])t,
                                 2 * n * n);
    TKIT_EQ_INT(m.triangles, 2 * n * n);
    TKIT_EQ_INT(m.open_edges, 0);
    TKIT_EQ_INT(m.nonmanifold_edges, 0);
    TKIT_EQ_INT(m.reversed_edges, 0);
    TKIT_EQ_INT(m.shells, 1);
    TKIT_NEAR(m.volume_mm3, 2 * pi * pi * R * r * r, 0.5);
    TKIT_TRUE(fsk_meshcheck_is_sound(&m));
    free(v);
    free(t);
}

int main(void)
{
    TKIT_RUN(test_cube);
    TKIT_RUN(test_cube_missing_triangle);
    TKIT_RUN(test_cube_flipped_triangle);
    TKIT_RUN(test_two_cubes_sharing_an_edge);
    TKIT_RUN(test_degenerate);
    TKIT_RUN(test_stl_files);
    TKIT_RUN(test_ascii_errors);
    TKIT_RUN(test_3mf_files);
    TKIT_RUN(test_hostile_inputs);
    TKIT_RUN(test_large_torus);
    return TKIT_DONE();
}
