/*
 * fsk_meshcheck.c — the mesh checker's core: edge incidence by counting
 * sort (edges bucketed by their lower vertex), shells by union-find over
 * triangles, signed volume and bounding box; and the file entry points
 * that pick a reader.
 */
#include "fsk_meshcheck_internal.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_union_find.h"

/* One edge use, stored in the bucket of its lower vertex. */
typedef struct edge_use {
    uint32_t other;    /* the higher vertex */
    uint32_t tri_dir;  /* triangle * 2 + 1 when it runs from high to low */
} edge_use;

static int cmp_use(const void *pa, const void *pb)
{
    const edge_use *a = pa, *b = pb;
    if (a->other != b->other)
        return a->other < b->other ? -1 : 1;
    return (a->tri_dir > b->tri_dir) - (a->tri_dir < b->tri_dir);
}

static void sort_bucket(edge_use *u, size_t n)
{
    /* Buckets are a vertex's few edges; a hostile fan gets qsort. */
    if (n > 16) {
        qsort(u, n, sizeof *u, cmp_use);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        edge_use x = u[i];
        size_t j = i;
        while (j > 0 && cmp_use(&u[j - 1], &x) > 0) {
            u[j] = u[j - 1];
            j--;
        }
        u[j] = x;
    }
}

static int repeated_corner(const uint32_t t[3])
{
    return t[0] == t[1] || t[1] == t[2] || t[2] == t[0];
}

/* Degenerate counts, bounding box and signed volume. */
static void measure(const double (*v)[3], const uint32_t (*t)[3], size_t nt,
                    fsk_meshcheck_mesh *out)
{
    if (nt == 0)
        return;
    const double *r = v[t[0][0]];
    double ref[3] = {r[0], r[1], r[2]};
    for (int k = 0; k < 3; k++)
        out->bbox_min_mm[k] = out->bbox_max_mm[k] = ref[k];
    double six_volume = 0;
    for (size_t i = 0; i < nt; i++) {
        double p[3][3];
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < 3; k++) {
                double x = v[t[i][c]][k];
                if (x < out->bbox_min_mm[k])
                    out->bbox_min_mm[k] = x;
                if (x > out->bbox_max_mm[k])
                    out->bbox_max_mm[k] = x;
                /* Relative to one vertex of the mesh, so the volume sum
                 * does not cancel large numbers far from the origin. */
                p[c][k] = x - ref[k];
            }
        double e1[3] = {p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]};
        double e2[3] = {p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2]};
        double n[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                       e1[0] * e2[1] - e1[1] * e2[0]};
        if (repeated_corner(t[i]) || (n[0] == 0 && n[1] == 0 && n[2] == 0))
            out->degenerate_triangles++;
        six_volume += p[0][0] * n[0] + p[0][1] * n[1] + p[0][2] * n[2];
    }
    out->volume_mm3 = six_volume / 6.0;
}

int fsk_meshcheck_analyze(const double (*vertices)[3], size_t vertex_count,
                          const uint32_t (*triangles)[3], size_t triangle_count,
                          fsk_meshcheck_mesh *out, fsk_err *err)
{
    char name[FSK_MESHCHECK_NAME_MAX];
    memcpy(name, out->name, sizeof name);
    memset(out, 0, sizeof *out);
    memcpy(out->name, name, sizeof name);
    if (triangle_count >= ((size_t)1 << 31))
        return fsk_err_set(err, FSK_ELIMIT, "mesh has too many triangles (%zu)",
                           triangle_count);
    for (size_t i = 0; i < triangle_count; i++)
        for (int c = 0; c < 3; c++)
            if (triangles[i][c] >= vertex_count)
                return fsk_err_set(err, FSK_EINVAL,
                                   "triangle %zu refers to vertex %u of %zu", i,
                                   triangles[i][c], vertex_count);
    out->triangles = triangle_count;
    out->vertices = vertex_count;
    measure(vertices, triangles, triangle_count, out);

    size_t *start = calloc(vertex_count + 1, sizeof *start);
    edge_use *uses = malloc((triangle_count ? triangle_count : 1) * 3 * sizeof *uses);
    uint32_t *parent = malloc((triangle_count ? triangle_count : 1) * sizeof *parent);
    if (!start || !uses || !parent) {
        free(start);
        free(uses);
        free(parent);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory checking a mesh of %zu triangles",
                           triangle_count);
    }
    /* Counting sort of the edge uses by lower vertex: start[v] ends up as
     * the first slot of v's bucket. */
    for (size_t i = 0; i < triangle_count; i++) {
        if (repeated_corner(triangles[i]))
            continue;
        for (int c = 0; c < 3; c++) {
            uint32_t a = triangles[i][c], b = triangles[i][(c + 1) % 3];
            start[(a < b ? a : b) + 1]++;
        }
    }
    for (size_t k = 0; k < vertex_count; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < triangle_count; i++) {
        parent[i] = (uint32_t)i;
        if (repeated_corner(triangles[i]))
            continue;
        for (int c = 0; c < 3; c++) {
            uint32_t a = triangles[i][c], b = triangles[i][(c + 1) % 3];
            uint32_t lo = a < b ? a : b;
            uses[start[lo]++] = (edge_use){a < b ? b : a, (uint32_t)(i * 2 + (a > b))};
        }
    }
    /* The fill advanced each start to the next bucket's start. */
    for (size_t k = vertex_count; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;

    for (size_t k = 0; k < vertex_count; k++) {
        edge_use *u = uses + start[k];
        size_t n = start[k + 1] - start[k];
        sort_bucket(u, n);
        for (size_t i = 0; i < n;) {
            size_t j = i, backward = 0;
            for (; j < n && u[j].other == u[i].other; j++) {
                backward += u[j].tri_dir & 1;
                fsk_uf_join(parent, u[i].tri_dir >> 1, u[j].tri_dir >> 1);
            }
            size_t uses_here = j - i;
            if (uses_here == 1)
                out->open_edges++;
            else if (uses_here > 2)
                out->nonmanifold_edges++;
            else if (backward != 1)
                out->reversed_edges++;
            i = j;
        }
    }
    for (size_t i = 0; i < triangle_count; i++)
        if (!repeated_corner(triangles[i]) && fsk_uf_root(parent, (uint32_t)i) == i)
            out->shells++;
    free(start);
    free(uses);
    free(parent);
    return 0;
}

int fsk_meshcheck_is_sound(const fsk_meshcheck_mesh *m)
{
    return m->triangles > 0 && m->open_edges == 0 && m->nonmanifold_edges == 0 &&
           m->reversed_edges == 0 && m->degenerate_triangles == 0 && m->volume_mm3 > 0;
}

const char *fsk_mesh_format_name(fsk_mesh_format format)
{
    switch (format) {
    case FSK_MESH_STL_BINARY:
        return "binary STL";
    case FSK_MESH_STL_ASCII:
        return "ASCII STL";
    case FSK_MESH_3MF:
        return "3MF";
    }
    return "?";
}

void fsk_meshcheck_report_free(fsk_meshcheck_report *report)
{
    if (!report)
        return;
    free(report->meshes);
    report->meshes = NULL;
    report->mesh_count = 0;
}

int fsk_mc_push_vertex(fsk_mc_builder *b, double x, double y, double z, fsk_err *err)
{
    if (b->total_vertices >= FSK_MESHCHECK_MAX_VERTICES)
        return fsk_err_set(err, FSK_ELIMIT, "more than %zu vertices",
                           FSK_MESHCHECK_MAX_VERTICES);
    if (b->nv == b->cap_v) {
        size_t cap = b->cap_v ? b->cap_v * 2 : 1024;
        void *p = realloc(b->v, cap * sizeof *b->v);
        if (!p)
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        b->v = p;
        b->cap_v = cap;
    }
    b->v[b->nv][0] = x;
    b->v[b->nv][1] = y;
    b->v[b->nv][2] = z;
    b->nv++;
    b->total_vertices++;
    return 0;
}

int fsk_mc_push_triangle(fsk_mc_builder *b, uint32_t a, uint32_t c1, uint32_t c2,
                         fsk_err *err)
{
    if (b->total_triangles >= FSK_MESHCHECK_MAX_TRIANGLES)
        return fsk_err_set(err, FSK_ELIMIT, "more than %zu triangles",
                           FSK_MESHCHECK_MAX_TRIANGLES);
    if (b->nt == b->cap_t) {
        size_t cap = b->cap_t ? b->cap_t * 2 : 1024;
        void *p = realloc(b->t, cap * sizeof *b->t);
        if (!p)
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        b->t = p;
        b->cap_t = cap;
    }
    b->t[b->nt][0] = a;
    b->t[b->nt][1] = c1;
    b->t[b->nt][2] = c2;
    b->nt++;
    b->total_triangles++;
    return 0;
}

int fsk_mc_finish(fsk_mc_builder *b, const char *name, fsk_meshcheck_report *report,
                  fsk_err *err)
{
    void *p = realloc(report->meshes, (report->mesh_count + 1) * sizeof *report->meshes);
    if (!p)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    report->meshes = p;
    fsk_meshcheck_mesh *m = &report->meshes[report->mesh_count];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name ? name : "");
    int rc = fsk_meshcheck_analyze((const double (*)[3])b->v, b->nv,
                                   (const uint32_t (*)[3])b->t, b->nt, m, err);
    b->nv = b->nt = 0;
    if (rc)
        return rc;
    report->mesh_count++;
    return 0;
}

void fsk_mc_builder_free(fsk_mc_builder *b)
{
    free(b->v);
    free(b->t);
    memset(b, 0, sizeof *b);
}

int fsk_meshcheck_memory(const unsigned char *data, size_t size,
                         fsk_meshcheck_report *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    int rc;
    if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        out->format = FSK_MESH_3MF;
        rc = fsk_meshcheck_read_3mf(data, size, out, err);
    } else {
        rc = fsk_meshcheck_read_stl(data, size, out, err);
    }
    if (rc)
        fsk_meshcheck_report_free(out);
    return rc;
}

int fsk_meshcheck_file(const char *path, fsk_meshcheck_report *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    unsigned char *data;
    size_t size;
    int rc = fsk_file_read(path, FSK_MESHCHECK_MAX_FILE_BYTES, &data, &size, err);
    if (rc)
        return rc;
    rc = fsk_meshcheck_memory(data, size, out, err);
    free(data);
    if (rc)
        fsk_err_prefix(err, "cannot read '%s'", path);
    return rc;
}
