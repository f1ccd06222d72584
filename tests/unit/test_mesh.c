/*
 * test_mesh.c — the voxel mesher and the mesh container.
 *
 * Shapes with hand-counted vertices and triangles, exhaustive small grids
 * and random grids, all run through an independent checker written here
 * (it uses nothing of the mesher but the public mesh arrays): it welds
 * vertices by position and nudge, requires every edge to be used exactly
 * twice in opposite directions and every vertex link to be one cycle,
 * rejects zero-area triangles and T-junctions, samples every unit face cell
 * of the grid to see that the triangles cover exactly the faces between the
 * part and the rest, with outward normals, and compares the volume with the
 * voxel count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_mesh.h"
#include "tkit.h"

/* ---- grids ---------------------------------------------------------------- */

static fsk_voxels *grid_new(int w, int h, int layers, int parts)
{
    fsk_voxels *g = calloc(1, sizeof *g);
    g->width = w;
    g->height = h;
    g->layers = layers;
    g->parts = calloc((size_t)w * h * layers, 1);
    g->pixel_mm = 0.5;
    g->layer_top_mm = calloc((size_t)layers + 1, sizeof *g->layer_top_mm);
    for (int k = 0; k <= layers; k++)
        g->layer_top_mm[k] = k == 0 ? 0.0 : 0.2 + 0.08 * (k - 1);
    g->part_count = parts;
    return g;
}

static void grid_free(fsk_voxels *g)
{
    free(g->parts);
    free(g->layer_top_mm);
    free(g);
}

static void set(fsk_voxels *g, int x, int y, int z, int part)
{
    g->parts[fsk_voxel_index(g, x, y, z)] = (uint8_t)part;
}

static int at(const fsk_voxels *g, int x, int y, int z)
{
    if (x < 0 || y < 0 || z < 0 || x >= g->width || y >= g->height || z >= g->layers)
        return 0;
    return g->parts[fsk_voxel_index(g, x, y, z)];
}

/* Fills a layer from rows of '.' (empty) and digits (part), row 0 = y 0. */
static void paint(fsk_voxels *g, int z, const char *const *rows)
{
    for (int y = 0; y < g->height; y++)
        for (int x = 0; x < g->width; x++)
            set(g, x, y, z, rows[y][x] == '.' ? 0 : rows[y][x] - '0');
}

static uint32_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* ---- the independent checker ---------------------------------------------- */

typedef struct stats {
    long vertices;  /* after welding by position and nudge */
    long triangles;
    long chi;       /* V - E + F */
    long shells;    /* connected components */
    long problems;
} stats;

typedef struct key {
    int32_t c[6];
    uint32_t index;
} key;

static int key_cmp(const void *pa, const void *pb)
{
    const key *a = pa, *b = pb;
    for (int i = 0; i < 6; i++)
        if (a->c[i] != b->c[i])
            return a->c[i] < b->c[i] ? -1 : 1;
    return 0;
}

typedef struct edge {
    uint32_t lo, hi;
    int forward; /* 1 when the triangle runs lo -> hi */
} edge;

static int edge_cmp(const void *pa, const void *pb)
{
    const edge *a = pa, *b = pb;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    if (a->hi != b->hi)
        return a->hi < b->hi ? -1 : 1;
    return a->forward - b->forward;
}

static uint32_t uf_find(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

#define PROBLEM(st, label, ...)                                                \
    do {                                                                       \
        if ((st)->problems++ < 5) {                                            \
            fprintf(stderr, "  %s: ", label);                                  \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        }                                                                      \
    } while (0)

static void pos(const fsk_mesh *m, uint32_t i, int64_t p[3])
{
    p[0] = m->vertices[i].x;
    p[1] = m->vertices[i].y;
    p[2] = m->vertices[i].z;
}

static void cross(const int64_t a[3], const int64_t b[3], int64_t out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

/* Welds vertices; weld[i] is the id of vertex i, returns the id count. */
static uint32_t weld(const fsk_mesh *m, uint32_t *weld_id, stats *st, const char *label)
{
    key *keys = malloc((m->vertex_count + 1) * sizeof *keys);
    for (size_t i = 0; i < m->vertex_count; i++) {
        const fsk_mesh_vertex *v = &m->vertices[i];
        keys[i] = (key){{v->x, v->y, v->z, v->nudge[0], v->nudge[1], v->nudge[2]},
                        (uint32_t)i};
    }
    qsort(keys, m->vertex_count, sizeof *keys, key_cmp);
    uint32_t ids = 0;
    for (size_t i = 0; i < m->vertex_count; i++) {
        if (i > 0 && key_cmp(&keys[i - 1], &keys[i]) == 0)
            PROBLEM(st, label, "vertices %u and %u are the same point", keys[i - 1].index,
                    keys[i].index);
        else
            ids++;
        weld_id[keys[i].index] = ids - 1;
    }
    free(keys);
    return ids;
}

/* Nudges are 0 exactly where a lattice point has a single vertex. */
static void check_nudges(const fsk_mesh *m, const fsk_voxels *g, stats *st,
                         const char *label)
{
    size_t lattice = (size_t)(g->width + 1) * (g->height + 1) * (g->layers + 1);
    int *copies = calloc(lattice, sizeof *copies);
    for (size_t i = 0; i < m->vertex_count; i++) {
        const fsk_mesh_vertex *v = &m->vertices[i];
        if (v->x < 0 || v->y < 0 || v->z < 0 || v->x > g->width || v->y > g->height ||
            v->z > g->layers) {
            PROBLEM(st, label, "vertex %zu outside the grid", i);
            free(copies);
            return;
        }
        copies[((size_t)v->z * (g->height + 1) + v->y) * (g->width + 1) + v->x]++;
    }
    for (size_t i = 0; i < m->vertex_count; i++) {
        const fsk_mesh_vertex *v = &m->vertices[i];
        int n = copies[((size_t)v->z * (g->height + 1) + v->y) * (g->width + 1) + v->x];
        int zero = !v->nudge[0] && !v->nudge[1] && !v->nudge[2];
        for (int a = 0; a < 3; a++)
            if (v->nudge[a] < -1 || v->nudge[a] > 1)
                PROBLEM(st, label, "vertex %zu has nudge %d", i, v->nudge[a]);
        if (zero != (n == 1))
            PROBLEM(st, label, "vertex %zu (%d,%d,%d): %d copies, nudge %s", i, v->x, v->y,
                    v->z, n, zero ? "zero" : "set");
    }
    free(copies);
}

/* Every edge used twice in opposite directions; returns the edge count. */
static long check_edges(const fsk_mesh *m, const uint32_t *id, uint32_t *parent, stats *st,
                        const char *label)
{
    size_t n = m->triangle_count * 3;
    edge *e = malloc((n + 1) * sizeof *e);
    for (size_t t = 0; t < m->triangle_count; t++) {
        for (int k = 0; k < 3; k++) {
            uint32_t a = id[m->triangles[t][k]], b = id[m->triangles[t][(k + 1) % 3]];
            e[3 * t + (size_t)k] = (edge){a < b ? a : b, a < b ? b : a, a < b};
            parent[uf_find(parent, a)] = uf_find(parent, b);
        }
    }
    qsort(e, n, sizeof *e, edge_cmp);
    long edges = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && e[j].lo == e[i].lo && e[j].hi == e[i].hi)
            j++;
        if (j - i != 2 || e[i].forward == e[i + 1].forward)
            PROBLEM(st, label, "edge %u-%u used %zu times", e[i].lo, e[i].hi, j - i);
        edges++;
        i = j;
    }
    free(e);
    return edges;
}

/* The triangles around each vertex form one cycle (no pinched vertex). */
static void check_links(const fsk_mesh *m, const uint32_t *id, uint32_t ids, stats *st,
                        const char *label)
{
    size_t *first = calloc((size_t)ids + 1, sizeof *first);
    for (size_t t = 0; t < m->triangle_count; t++)
        for (int k = 0; k < 3; k++)
            first[id[m->triangles[t][k]] + 1]++;
    for (uint32_t v = 0; v < ids; v++)
        first[v + 1] += first[v];
    uint32_t(*link)[2] = malloc((m->triangle_count * 3 + 1) * sizeof *link);
    size_t *fill = calloc((size_t)ids, sizeof *fill);
    for (size_t t = 0; t < m->triangle_count; t++)
        for (int k = 0; k < 3; k++) {
            uint32_t v = id[m->triangles[t][k]];
            uint32_t *l = link[first[v] + fill[v]++];
            l[0] = id[m->triangles[t][(k + 1) % 3]];
            l[1] = id[m->triangles[t][(k + 2) % 3]];
        }
    for (uint32_t v = 0; v < ids; v++) {
        size_t n = first[v + 1] - first[v], steps = 0;
        if (n == 0) {
            PROBLEM(st, label, "vertex id %u is used by no triangle", v);
            continue;
        }
        uint32_t(*l)[2] = link + first[v];
        uint32_t start = l[0][0], cur = l[0][1];
        while (cur != start && steps < n) {
            size_t k = 0;
            while (k < n && l[k][0] != cur)
                k++;
            if (k == n)
                break;
            cur = l[k][1];
            steps++;
        }
        if (cur != start || steps + 1 != n)
            PROBLEM(st, label, "the triangles around vertex id %u are not one fan", v);
    }
    free(first);
    free(link);
    free(fill);
}

/* No vertex strictly inside any triangle edge (lattice positions). */
static void check_t_junctions(const fsk_mesh *m, stats *st, const char *label)
{
    for (size_t t = 0; t < m->triangle_count; t++) {
        for (int k = 0; k < 3; k++) {
            int64_t p[3], q[3], d[3];
            pos(m, m->triangles[t][k], p);
            pos(m, m->triangles[t][(k + 1) % 3], q);
            for (int a = 0; a < 3; a++)
                d[a] = q[a] - p[a];
            for (size_t i = 0; i < m->vertex_count; i++) {
                int64_t v[3], r[3], c[3];
                pos(m, (uint32_t)i, v);
                for (int a = 0; a < 3; a++)
                    r[a] = v[a] - p[a];
                cross(d, r, c);
                if (c[0] || c[1] || c[2])
                    continue;
                int64_t dot = d[0] * r[0] + d[1] * r[1] + d[2] * r[2];
                int64_t len = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if (dot > 0 && dot < len)
                    PROBLEM(st, label, "vertex %zu lies inside an edge of triangle %zu", i, t);
            }
        }
    }
}

/*
 * Sample points (1/61, 1/67) and two more inside each unit cell of each
 * axis plane never lie on a line through two lattice points of a grid
 * smaller than 61, so each is strictly inside or outside every triangle.
 * Each must be covered by exactly one triangle of each normal direction
 * when the cell is a face of the part with that outward normal, else none.
 */
#define SCALE (61 * 67)
static const int sample_off[3][2] = {{67, 61}, {60 * 67, 66 * 61}, {30 * 67, 13 * 61}};

static void check_cover(const fsk_mesh *m, const fsk_voxels *g, int part, stats *st,
                        const char *label)
{
    int n[3] = {g->width, g->height, g->layers};
    for (int a = 0; a < 3; a++) {
        int b = a == 0 ? 1 : 0, c = a == 2 ? 1 : 2;
        size_t cells = (size_t)(n[a] + 1) * n[b] * n[c];
        /* cover[(s * (n[a]+1) + plane) * n[b]*n[c] + j * n[b] + i][sample] */
        int *cover = calloc(2 * cells * 3, sizeof *cover);
        int64_t area2[2] = {0, 0};
        long faces[2] = {0, 0};
        for (size_t t = 0; t < m->triangle_count; t++) {
            int64_t p[3][3], e1[3], e2[3], nrm[3];
            for (int k = 0; k < 3; k++)
                pos(m, m->triangles[t][k], p[k]);
            for (int k = 0; k < 3; k++) {
                e1[k] = p[1][k] - p[0][k];
                e2[k] = p[2][k] - p[0][k];
            }
            cross(e1, e2, nrm);
            if (!nrm[0] && !nrm[1] && !nrm[2]) {
                if (a == 0)
                    PROBLEM(st, label, "triangle %zu has zero area", t);
                continue;
            }
            if (nrm[b] || nrm[c]) {
                if (a == 0 && (nrm[0] ? 1 : 0) + (nrm[1] ? 1 : 0) + (nrm[2] ? 1 : 0) > 1)
                    PROBLEM(st, label, "triangle %zu is not in an axis plane", t);
                continue;
            }
            int s = nrm[a] > 0, plane = (int)p[0][a];
            area2[s] += nrm[a] > 0 ? nrm[a] : -nrm[a];
            int64_t lo_b = p[0][b], hi_b = p[0][b], lo_c = p[0][c], hi_c = p[0][c];
            for (int k = 1; k < 3; k++) {
                lo_b = p[k][b] < lo_b ? p[k][b] : lo_b;
                hi_b = p[k][b] > hi_b ? p[k][b] : hi_b;
                lo_c = p[k][c] < lo_c ? p[k][c] : lo_c;
                hi_c = p[k][c] > hi_c ? p[k][c] : hi_c;
            }
            for (int64_t j = lo_c; j < hi_c; j++) {
                for (int64_t i = lo_b; i < hi_b; i++) {
                    for (int k = 0; k < 3; k++) {
                        int64_t qb = i * SCALE + sample_off[k][0];
                        int64_t qc = j * SCALE + sample_off[k][1];
                        int neg = 0, posi = 0;
                        for (int e = 0; e < 3; e++) {
                            const int64_t *u = p[e], *v = p[(e + 1) % 3];
                            int64_t side = (v[b] - u[b]) * (qc - u[c] * SCALE) -
                                           (v[c] - u[c]) * (qb - u[b] * SCALE);
                            neg += side < 0;
                            posi += side > 0;
                        }
                        if (neg == 3 || posi == 3) {
                            size_t cell = ((size_t)s * (n[a] + 1) + (size_t)plane) * n[b] * n[c] +
                                          (size_t)j * n[b] + (size_t)i;
                            cover[cell * 3 + (size_t)k]++;
                        }
                    }
                }
            }
        }
        for (int plane = 0; plane <= n[a]; plane++) {
            for (int j = 0; j < n[c]; j++) {
                for (int i = 0; i < n[b]; i++) {
                    int lo[3], hi[3];
                    lo[a] = plane - 1;
                    hi[a] = plane;
                    lo[b] = hi[b] = i;
                    lo[c] = hi[c] = j;
                    int below = at(g, lo[0], lo[1], lo[2]) == part;
                    int above = at(g, hi[0], hi[1], hi[2]) == part;
                    for (int s = 0; s < 2; s++) {
                        int want = s ? below && !above : above && !below;
                        faces[s] += want;
                        size_t cell = ((size_t)s * (n[a] + 1) + (size_t)plane) * n[b] * n[c] +
                                      (size_t)j * n[b] + (size_t)i;
                        for (int k = 0; k < 3; k++)
                            if (cover[cell * 3 + (size_t)k] != want)
                                PROBLEM(st, label,
                                        "axis %d plane %d cell (%d,%d) normal %c: covered %d "
                                        "times, want %d",
                                        a, plane, i, j, s ? '+' : '-',
                                        cover[cell * 3 + (size_t)k], want);
                    }
                }
            }
        }
        for (int s = 0; s < 2; s++)
            if (area2[s] != 2 * faces[s])
                PROBLEM(st, label, "axis %d normal %c: area %g, want %ld", a, s ? '+' : '-',
                        area2[s] / 2.0, faces[s]);
        free(cover);
    }
}

static int64_t own_volume6(const fsk_mesh *m)
{
    int64_t sum = 0;
    for (size_t t = 0; t < m->triangle_count; t++) {
        int64_t a[3], b[3], c[3], bc[3];
        pos(m, m->triangles[t][0], a);
        pos(m, m->triangles[t][1], b);
        pos(m, m->triangles[t][2], c);
        cross(b, c, bc);
        sum += a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2];
    }
    return sum;
}

/* Runs every check on the mesh of part; problems are printed with label. */
static stats check_mesh(const fsk_voxels *g, int part, const fsk_mesh *m, const char *label)
{
    stats st = {0, (long)m->triangle_count, 0, 0, 0};
    for (size_t t = 0; t < m->triangle_count; t++)
        for (int k = 0; k < 3; k++)
            if (m->triangles[t][k] >= m->vertex_count) {
                PROBLEM(&st, label, "triangle %zu has a bad index", t);
                return st;
            }
    uint32_t *id = malloc((m->vertex_count + 1) * sizeof *id);
    uint32_t ids = weld(m, id, &st, label);
    uint32_t *parent = malloc(((size_t)ids + 1) * sizeof *parent);
    for (uint32_t i = 0; i < ids; i++)
        parent[i] = i;
    check_nudges(m, g, &st, label);
    long edges = check_edges(m, id, parent, &st, label);
    check_links(m, id, ids, &st, label);
    check_t_junctions(m, &st, label);
    check_cover(m, g, part, &st, label);
    for (uint32_t i = 0; i < ids; i++)
        st.shells += uf_find(parent, i) == i;
    st.vertices = (long)ids;
    st.chi = st.vertices - edges + st.triangles;

    long voxels = 0;
    for (size_t i = 0; i < (size_t)g->width * g->height * g->layers; i++)
        voxels += g->parts[i] == part;
    if (own_volume6(m) != 6 * voxels)
        PROBLEM(&st, label, "volume %lld/6, want %ld voxels", (long long)own_volume6(m), voxels);
    if (fsk_mesh_volume_voxels6(m) != own_volume6(m))
        PROBLEM(&st, label, "fsk_mesh_volume_voxels6 gives %lld, want %lld",
                (long long)fsk_mesh_volume_voxels6(m), (long long)own_volume6(m));
    free(id);
    free(parent);
    return st;
}

/* Meshes part and checks it; the mesh stays in *m for more checks. */
static stats mesh_and_check(const fsk_voxels *g, int part, fsk_mesh *m, const char *label)
{
    fsk_err err = {0};
    int rc = fsk_mesh_build(g, part, m, &err);
    TKIT_EQ_INT(rc, 0);
    if (rc)
        fprintf(stderr, "  %s: %s\n", label, err.msg);
    stats st = check_mesh(g, part, m, label);
    TKIT_EQ_INT(st.problems, 0);
    return st;
}

static long count_nudged(const fsk_mesh *m)
{
    long n = 0;
    for (size_t i = 0; i < m->vertex_count; i++)
        n += m->vertices[i].nudge[0] || m->vertices[i].nudge[1] || m->vertices[i].nudge[2];
    return n;
}

static int has_vertex(const fsk_mesh *m, int x, int y, int z, int nx, int ny, int nz)
{
    for (size_t i = 0; i < m->vertex_count; i++) {
        const fsk_mesh_vertex *v = &m->vertices[i];
        if (v->x == x && v->y == y && v->z == z && v->nudge[0] == nx && v->nudge[1] == ny &&
            v->nudge[2] == nz)
            return 1;
    }
    return 0;
}

/* ---- shapes with known answers ------------------------------------------- */

static void test_single_voxel(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(1, 1, 1, 1);
    set(g, 0, 0, 0, 1);
    stats st = mesh_and_check(g, 1, &m, "single voxel");
    TKIT_EQ_INT(m.vertex_count, 8);
    TKIT_EQ_INT(m.triangle_count, 12);
    TKIT_EQ_INT(st.chi, 2);
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 6);
    TKIT_EQ_INT(count_nudged(&m), 0);
    grid_free(g);

    /* The same voxel in the middle of a larger grid. */
    g = grid_new(3, 3, 3, 1);
    set(g, 1, 1, 1, 1);
    st = mesh_and_check(g, 1, &m, "voxel in 3x3x3");
    TKIT_EQ_INT(m.vertex_count, 8);
    TKIT_EQ_INT(m.triangle_count, 12);
    TKIT_TRUE(has_vertex(&m, 1, 1, 1, 0, 0, 0) && has_vertex(&m, 2, 2, 2, 0, 0, 0));
    grid_free(g);
    fsk_mesh_free(&m);
}

static void test_bar_merges(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(2, 1, 1, 1);
    set(g, 0, 0, 0, 1);
    set(g, 1, 0, 0, 1);
    stats st = mesh_and_check(g, 1, &m, "2x1 bar");
    TKIT_EQ_INT(m.vertex_count, 8);
    TKIT_EQ_INT(m.triangle_count, 12);
    TKIT_EQ_INT(st.chi, 2);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 12);
    TKIT_TRUE(!has_vertex(&m, 1, 0, 0, 0, 0, 0)); /* the inner lattice point */
    grid_free(g);
    fsk_mesh_free(&m);
}

/*
 * L of three voxels (0,0), (1,0), (0,1). Top and bottom are one L-shaped
 * polygon each, through its 6 corners (4 triangles); the six walls are
 * rectangles through their 4 corners (2 each). V = 6 points per level = 12,
 * T = 4 + 4 + 6 * 2 = 20.
 */
static void test_l_shape(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(2, 2, 1, 1);
    paint(g, 0, (const char *const[]){"11", "1."});
    stats st = mesh_and_check(g, 1, &m, "L shape");
    TKIT_EQ_INT(m.vertex_count, 12);
    TKIT_EQ_INT(m.triangle_count, 20);
    TKIT_EQ_INT(st.chi, 2);
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 18);
    grid_free(g);
    fsk_mesh_free(&m);
}

/*
 * 3x3 checkerboard in one layer: five cubes; the middle one touches each
 * corner one along a vertical edge, whose two end points get one copy per
 * cube. 32 lattice points, 8 of them doubled: V = 40, T = 5 * 12.
 */
static void test_checkerboard(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(3, 3, 1, 1);
    paint(g, 0, (const char *const[]){"1.1", ".1.", "1.1"});
    stats st = mesh_and_check(g, 1, &m, "checkerboard");
    TKIT_EQ_INT(m.vertex_count, 40);
    TKIT_EQ_INT(m.triangle_count, 60);
    TKIT_EQ_INT(st.shells, 5);
    TKIT_EQ_INT(st.chi, 10);
    TKIT_EQ_INT(count_nudged(&m), 16);
    /* At (1,1,0) one copy leans to the voxel at (0,0), one to (1,1). */
    TKIT_TRUE(has_vertex(&m, 1, 1, 0, -1, -1, 1));
    TKIT_TRUE(has_vertex(&m, 1, 1, 0, 1, 1, 1));
    TKIT_TRUE(has_vertex(&m, 2, 1, 1, 1, -1, -1));
    TKIT_TRUE(has_vertex(&m, 2, 1, 1, -1, 1, -1));
    grid_free(g);
    fsk_mesh_free(&m);
}

static void test_corner_contact(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(2, 2, 2, 1);
    set(g, 0, 0, 0, 1);
    set(g, 1, 1, 1, 1);
    stats st = mesh_and_check(g, 1, &m, "corner contact");
    TKIT_EQ_INT(m.vertex_count, 16);
    TKIT_EQ_INT(m.triangle_count, 24);
    TKIT_EQ_INT(st.shells, 2);
    TKIT_EQ_INT(st.chi, 4);
    TKIT_EQ_INT(count_nudged(&m), 2);
    TKIT_TRUE(has_vertex(&m, 1, 1, 1, -1, -1, -1));
    TKIT_TRUE(has_vertex(&m, 1, 1, 1, 1, 1, 1));
    grid_free(g);
    fsk_mesh_free(&m);
}

/*
 * Two bars along x that touch along an edge and are joined by solid end
 * caps. Touching for one voxel, the bars' solids meet again beyond both
 * ends of the edge, so the edge is resolved as solid (no tunnel): genus 0.
 * Touching for two voxels, the edge is split (a tunnel through the edge):
 * genus 1, and the point inside the line gets one vertex per bar (at
 * the ends of the line the caps join the bars into one umbrella).
 */
static void test_edge_contact_between_caps(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(3, 2, 2, 1);
    paint(g, 0, (const char *const[]){"111", "1.1"});
    paint(g, 1, (const char *const[]){"1.1", "111"});
    stats st = mesh_and_check(g, 1, &m, "one-voxel edge contact");
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(st.chi, 2);
    TKIT_EQ_INT(count_nudged(&m), 4);
    grid_free(g);

    g = grid_new(4, 2, 2, 1);
    paint(g, 0, (const char *const[]){"1111", "1..1"});
    paint(g, 1, (const char *const[]){"1..1", "1111"});
    st = mesh_and_check(g, 1, &m, "two-voxel edge contact");
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(st.chi, 0);
    TKIT_EQ_INT(count_nudged(&m), 2); /* the line's ends have one umbrella */
    TKIT_TRUE(has_vertex(&m, 2, 1, 1, 0, -1, -1));
    TKIT_TRUE(has_vertex(&m, 2, 1, 1, 0, 1, 1));
    grid_free(g);
    fsk_mesh_free(&m);
}

/* Four layers of one filament over a 3x2 area: one box, no inner faces. */
static void test_stacked_layers(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(3, 2, 4, 2);
    for (int z = 0; z < 4; z++)
        paint(g, z, (const char *const[]){"222", "222"});
    stats st = mesh_and_check(g, 2, &m, "stacked layers");
    TKIT_EQ_INT(m.vertex_count, 8);
    TKIT_EQ_INT(m.triangle_count, 12);
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 6 * 24);
    for (size_t i = 0; i < m.vertex_count; i++)
        TKIT_TRUE(m.vertices[i].z == 0 || m.vertices[i].z == 4);

    /*
     * A pyramid: 3x3, then the middle column twice. The top of the base is
     * the ring of test_ring_genus_one (8 points around one hole: 8
     * triangles); bottom 2, base walls 4*2, column walls 4*2, column top 2.
     * V = 4 (bottom) + 8 (z = 1) + 4 (top), T = 28.
     */
    fsk_voxels *p = grid_new(3, 3, 3, 1);
    paint(p, 0, (const char *const[]){"111", "111", "111"});
    paint(p, 1, (const char *const[]){"...", ".1.", "..."});
    paint(p, 2, (const char *const[]){"...", ".1.", "..."});
    st = mesh_and_check(p, 1, &m, "pyramid");
    TKIT_EQ_INT(m.vertex_count, 16);
    TKIT_EQ_INT(m.triangle_count, 28);
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(st.chi, 2);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 6 * 11);
    grid_free(p);
    grid_free(g);
    fsk_mesh_free(&m);
}

/*
 * 3x3 ring around an empty middle, one layer. Top and bottom: a square
 * with a square hole, 8 points, n + 2 * holes - 2 = 8 triangles each;
 * eight walls of 2. 8 points per level: V = 16, T = 2*8 + 16 = 32,
 * V-E+F = 16 - 48 + 32 = 0.
 */
static void test_ring_genus_one(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(3, 3, 1, 1);
    paint(g, 0, (const char *const[]){"111", "1.1", "111"});
    stats st = mesh_and_check(g, 1, &m, "ring");
    TKIT_EQ_INT(m.vertex_count, 16);
    TKIT_EQ_INT(m.triangle_count, 32);
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(st.chi, 0);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 48);
    grid_free(g);
    fsk_mesh_free(&m);
}

/* Twice the area of the triangles in plane x = at whose normal has the
 * given sign; box gets their y and z extent. */
static long wall_area2(const fsk_mesh *m, int at, int sign, int64_t box[4])
{
    long area2 = 0;
    box[0] = box[2] = INT64_MAX;
    box[1] = box[3] = INT64_MIN;
    for (size_t t = 0; t < m->triangle_count; t++) {
        int64_t p[3][3], e1[3], e2[3], n[3];
        for (int k = 0; k < 3; k++)
            pos(m, m->triangles[t][k], p[k]);
        for (int k = 0; k < 3; k++) {
            e1[k] = p[1][k] - p[0][k];
            e2[k] = p[2][k] - p[0][k];
        }
        cross(e1, e2, n);
        if (p[0][0] != at || n[1] || n[2] || n[0] * sign <= 0)
            continue;
        area2 += (long)(n[0] * sign);
        for (int k = 0; k < 3; k++) {
            box[0] = p[k][1] < box[0] ? p[k][1] : box[0];
            box[1] = p[k][1] > box[1] ? p[k][1] : box[1];
            box[2] = p[k][2] < box[2] ? p[k][2] : box[2];
            box[3] = p[k][2] > box[3] ? p[k][2] : box[3];
        }
    }
    return area2;
}

static void test_two_parts_side_by_side(void)
{
    fsk_mesh a, b;
    fsk_mesh_init(&a);
    fsk_mesh_init(&b);
    fsk_voxels *g = grid_new(3, 2, 2, 2);
    for (int z = 0; z < 2; z++)
        paint(g, z, (const char *const[]){"122", "122"});
    stats sa = mesh_and_check(g, 1, &a, "left part");
    stats sb = mesh_and_check(g, 2, &b, "right part");
    TKIT_EQ_INT(a.vertex_count, 8);
    TKIT_EQ_INT(a.triangle_count, 12);
    TKIT_EQ_INT(b.vertex_count, 8);
    TKIT_EQ_INT(b.triangle_count, 12);
    TKIT_EQ_INT(sa.shells + sb.shells, 2);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&a) + fsk_mesh_volume_voxels6(&b), 6 * 12);
    /* The shared wall x=1: part 1 faces +x, part 2 faces -x, same square. */
    int64_t box_a[4], box_b[4];
    TKIT_EQ_INT(wall_area2(&a, 1, +1, box_a), 2 * 4);
    TKIT_EQ_INT(wall_area2(&b, 1, -1, box_b), 2 * 4);
    TKIT_TRUE(memcmp(box_a, box_b, sizeof box_a) == 0);
    TKIT_EQ_INT(box_a[0], 0);
    TKIT_EQ_INT(box_a[1], 2);
    TKIT_EQ_INT(box_a[3], 2);
    TKIT_EQ_INT(wall_area2(&a, 1, -1, box_a), 0);
    grid_free(g);
    fsk_mesh_free(&a);
    fsk_mesh_free(&b);
}

/*
 * An L of three voxels (0,0), (0,1), (1,1) at layer 0 and a voxel on top of
 * (0,0). The top of layer 0 is the rectangle [0,2]x[1,2] at z = 1; its side
 * y = 1 runs straight through (1,1,1), where the back face of the upper
 * voxel and the front face of the voxel at (1,1) have corners. So that
 * point must be a vertex of the rectangle (5 points, 3 triangles), and of
 * the wall x = 1 (y in [0,1], z in [0,2]: 5 points, 3 triangles), or the
 * surface would crack there. Kept points: 6 at z = 0 (the bottom L), 5 at
 * z = 1, 4 at z = 2: V = 15. T = 4 (bottom) + 3 + 2 (top) + 4 (wall x = 0,
 * an L) + 3 + 2 (x = 2) + 2 (y = 0) + 2 + 2 (y = 1) + 2 (y = 2) = 26.
 */
static int triangles_through(const fsk_mesh *m, int axis, int at, int x, int y, int z,
                             int *total)
{
    int uses = 0;
    *total = 0;
    for (size_t t = 0; t < m->triangle_count; t++) {
        int in_plane = 1, has = 0;
        for (int k = 0; k < 3; k++) {
            const fsk_mesh_vertex *v = &m->vertices[m->triangles[t][k]];
            int c[3] = {v->x, v->y, v->z};
            in_plane &= c[axis] == at;
            has |= v->x == x && v->y == y && v->z == z;
        }
        *total += in_plane;
        uses += in_plane && has;
    }
    return uses;
}

static void test_no_t_junction(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(2, 2, 2, 1);
    paint(g, 0, (const char *const[]){"1.", "11"});
    paint(g, 1, (const char *const[]){"1.", ".."});
    stats st = mesh_and_check(g, 1, &m, "L with a tower");
    TKIT_EQ_INT(m.vertex_count, 15);
    TKIT_EQ_INT(m.triangle_count, 26);
    TKIT_EQ_INT(st.chi, 2);
    int total;
    /* The plane z = 1 holds only that rectangle, x = 1 only that wall. */
    TKIT_TRUE(triangles_through(&m, 2, 1, 1, 1, 1, &total) > 0);
    TKIT_EQ_INT(total, 3);
    TKIT_TRUE(triangles_through(&m, 0, 1, 1, 1, 1, &total) > 0);
    TKIT_EQ_INT(total, 3);
    grid_free(g);
    fsk_mesh_free(&m);
}

/*
 * A 4x4 slab with two holes that touch at the corner (2,2), one way and
 * the other. The top is one polygon whose inner boundary runs around both
 * holes and through (2,2) twice, once per corner of the slab there: 4 + 8
 * boundary points on one hole, 4 + 8 + 2 - 2 = 12 triangles. The hole
 * walls touch along the edge above (2,2), so both its ends get two copies,
 * and each corner of the top uses its own.
 */
static void test_pinched_holes(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    static const char *const layouts[2][4] = {{"1111", "1.11", "11.1", "1111"},
                                              {"1111", "11.1", "1.11", "1111"}};
    for (int k = 0; k < 2; k++) {
        fsk_voxels *g = grid_new(4, 4, 1, 1);
        paint(g, 0, layouts[k]);
        stats st = mesh_and_check(g, 1, &m, k ? "pinched holes /" : "pinched holes \\");
        TKIT_EQ_INT(st.shells, 1);
        TKIT_EQ_INT(st.chi, 0); /* split there, the holes are one tunnel */
        TKIT_EQ_INT(count_nudged(&m), 4);
        int total, copies = 0, used = 0;
        triangles_through(&m, 2, 1, 0, 0, 1, &total);
        TKIT_EQ_INT(total, 12);
        for (size_t i = 0; i < m.vertex_count; i++) {
            const fsk_mesh_vertex *v = &m.vertices[i];
            if (v->x != 2 || v->y != 2 || v->z != 1)
                continue;
            copies++;
            for (size_t t = 0; t < m.triangle_count && v->nudge[2] != 0; t++) {
                const uint32_t *tri = m.triangles[t];
                int top = 1, has = 0;
                for (int c = 0; c < 3; c++) {
                    top &= m.vertices[tri[c]].z == 1;
                    has |= tri[c] == i;
                }
                if (top && has) {
                    used++;
                    break;
                }
            }
        }
        TKIT_EQ_INT(copies, 2);
        TKIT_EQ_INT(used, 2);
        grid_free(g);
    }
    fsk_mesh_free(&m);
}

/* ---- exhaustive and random grids ------------------------------------------ */

/* Every occupancy of a small grid of n voxels (n <= 12) as part 1. */
static void exhaust(int w, int h, int layers)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(w, h, layers, 1);
    int n = w * h * layers;
    long bad = 0;
    char label[64];
    for (unsigned bits = 0; bits < 1u << n; bits++) {
        for (int i = 0; i < n; i++)
            g->parts[i] = (uint8_t)(bits >> i & 1);
        snprintf(label, sizeof label, "%dx%dx%d pattern %u", w, h, layers, bits);
        fsk_err err = {0};
        if (fsk_mesh_build(g, 1, &m, &err) != 0) {
            bad++;
            continue;
        }
        stats st = check_mesh(g, 1, &m, label);
        bad += st.problems > 0;
        if (bits == 0)
            bad += m.vertex_count != 0 || m.triangle_count != 0;
    }
    TKIT_EQ_INT(bad, 0);
    grid_free(g);
    fsk_mesh_free(&m);
}

static void test_all_small_patterns(void)
{
    exhaust(2, 2, 2);
    exhaust(2, 2, 3);
    exhaust(2, 3, 2);
    exhaust(3, 2, 2);
}

static void random_grid(fsk_voxels *g, int parts, int empty_weight)
{
    for (size_t i = 0; i < (size_t)g->width * g->height * g->layers; i++) {
        uint32_t r = rng() % (uint32_t)(parts + empty_weight);
        g->parts[i] = (uint8_t)(r < (uint32_t)parts ? r + 1 : 0);
    }
}

static void test_random_grids(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(12, 9, 4, 3);
    char label[64];
    for (uint32_t seed = 1; seed <= 12; seed++) {
        rng_state = seed;
        random_grid(g, 3, (int)(seed % 4));
        int64_t volume6 = 0;
        long filled = 0;
        for (size_t i = 0; i < 12 * 9 * 4; i++)
            filled += g->parts[i] != 0;
        for (int part = 1; part <= 3; part++) {
            snprintf(label, sizeof label, "random seed %u part %d", seed, part);
            mesh_and_check(g, part, &m, label);
            volume6 += fsk_mesh_volume_voxels6(&m);
        }
        TKIT_EQ_INT(volume6, 6 * filled);
    }
    grid_free(g);

    /* Blobs: layered with few colors, so large merged faces meet many small
     * ones (long rectangle sides with many kept points). */
    g = grid_new(20, 16, 5, 2);
    for (uint32_t seed = 1; seed <= 6; seed++) {
        rng_state = seed * 7919u;
        for (int z = 0; z < 5; z++)
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 20; x++) {
                    int cx = (int)(rng() % 20), noise = (int)(rng() % 8) == 0;
                    int v = ((x - 10) * (x - 10) + (y - 8) * (y - 8) < 30 + z * 8) ^ noise;
                    set(g, x, y, z, z == 0 ? 2 : v ? 1 : cx < 3 ? 2 : 0);
                }
        for (int part = 1; part <= 2; part++) {
            snprintf(label, sizeof label, "blob seed %u part %d", seed, part);
            mesh_and_check(g, part, &m, label);
        }
    }
    grid_free(g);
    fsk_mesh_free(&m);
}

/* ---- API behaviour --------------------------------------------------------- */

static void test_absent_and_invalid_parts(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(4, 3, 2, 3);
    paint(g, 0, (const char *const[]){"1133", "1133", "..33"});
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_mesh_build(g, 1, &m, &err), 0);
    TKIT_TRUE(m.triangle_count > 0);
    /* Part 2 exists in the part table but has no voxels: emptied mesh. */
    TKIT_EQ_INT(fsk_mesh_build(g, 2, &m, &err), 0);
    TKIT_EQ_INT(m.vertex_count, 0);
    TKIT_EQ_INT(m.triangle_count, 0);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 0);
    TKIT_EQ_INT(fsk_mesh_build(g, 0, &m, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "cannot mesh part 0: the grid has parts 1 to 3");
    TKIT_EQ_INT(fsk_mesh_build(g, 4, &m, &err), FSK_EINVAL);
    g->width = (1 << 20) + 1; /* only the size is looked at */
    TKIT_EQ_INT(fsk_mesh_build(g, 1, &m, &err), FSK_ELIMIT);
    TKIT_EQ_STR(err.msg, "voxel grid 1048577x3x2 is too large to mesh");
    g->layers = 0;
    TKIT_EQ_INT(fsk_mesh_build(g, 1, &m, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "cannot mesh an empty voxel grid");
    grid_free(g);
    fsk_mesh_free(&m);
}

static void test_deterministic(void)
{
    fsk_mesh a, b;
    fsk_mesh_init(&a);
    fsk_mesh_init(&b);
    fsk_voxels *g = grid_new(70, 9, 3, 2); /* wider than one 64-bit word */
    rng_state = 99;
    random_grid(g, 2, 1);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_mesh_build(g, 1, &a, &err), 0);
    TKIT_EQ_INT(fsk_mesh_build(g, 2, &b, &err), 0); /* reuse b, then rebuild */
    TKIT_EQ_INT(fsk_mesh_build(g, 1, &b, &err), 0);
    TKIT_EQ_INT(a.vertex_count, b.vertex_count);
    TKIT_EQ_INT(a.triangle_count, b.triangle_count);
    TKIT_TRUE(memcmp(a.vertices, b.vertices, a.vertex_count * sizeof *a.vertices) == 0);
    TKIT_TRUE(memcmp(a.triangles, b.triangles, a.triangle_count * sizeof *a.triangles) == 0);
    stats st = check_mesh(g, 1, &a, "70 wide");
    TKIT_EQ_INT(st.problems, 0);
    grid_free(g);
    fsk_mesh_free(&a);
    fsk_mesh_free(&b);
}

/* A run longer than 64 voxels crossing word boundaries in x and in y. */
static void test_long_runs(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_voxels *g = grid_new(130, 70, 2, 1);
    for (int y = 0; y < 70; y++)
        for (int x = 0; x < 130; x++)
            set(g, x, y, 0, 1);
    set(g, 129, 69, 1, 1);
    stats st = mesh_and_check(g, 1, &m, "long runs");
    TKIT_EQ_INT(st.shells, 1);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 6 * (130 * 70 + 1));
    grid_free(g);
    fsk_mesh_free(&m);
}

static void test_container_and_volume(void)
{
    fsk_mesh m;
    fsk_mesh_init(&m);
    TKIT_EQ_INT(fsk_mesh_add_vertex(&m, (fsk_mesh_vertex){0, 0, 0, {0, 0, 0}}), 0);
    TKIT_EQ_INT(fsk_mesh_add_vertex(&m, (fsk_mesh_vertex){2, 0, 0, {0, 0, 0}}), 1);
    TKIT_EQ_INT(fsk_mesh_add_vertex(&m, (fsk_mesh_vertex){0, 2, 0, {0, 0, 0}}), 2);
    TKIT_EQ_INT(fsk_mesh_add_vertex(&m, (fsk_mesh_vertex){0, 0, 3, {1, -1, 0}}), 3);
    /* Tetrahedron with outward normals: volume 2*2*3/6 = 2, so 6V = 12. */
    TKIT_EQ_INT(fsk_mesh_add_triangle(&m, 0, 2, 1), 0);
    TKIT_EQ_INT(fsk_mesh_add_triangle(&m, 0, 1, 3), 0);
    TKIT_EQ_INT(fsk_mesh_add_triangle(&m, 1, 2, 3), 0);
    TKIT_EQ_INT(fsk_mesh_add_triangle(&m, 2, 0, 3), 0);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&m), 12);
    TKIT_EQ_INT(m.triangles[1][2], 3);

    fsk_voxels *g = grid_new(2, 2, 3, 1);
    double mm[3];
    fsk_mesh_vertex_mm(&m, 3, g, 0, mm);
    TKIT_NEAR(mm[0], 0.0, 1e-12);
    TKIT_NEAR(mm[2], 0.2 + 2 * 0.08, 1e-12);
    fsk_mesh_vertex_mm(&m, 3, g, 1, mm);
    TKIT_NEAR(mm[0], FSK_NUDGE_MM, 1e-12);
    TKIT_NEAR(mm[1], -FSK_NUDGE_MM, 1e-12);
    TKIT_NEAR(mm[2], 0.36, 1e-12);
    fsk_mesh_vertex_mm(&m, 1, g, 1, mm);
    TKIT_NEAR(mm[0], 1.0, 1e-12);

    /* Coordinates at the mesher's limits: 6V = 2^20 * 2^20 * 2^16. */
    fsk_mesh big;
    fsk_mesh_init(&big);
    fsk_mesh_add_vertex(&big, (fsk_mesh_vertex){0, 0, 0, {0, 0, 0}});
    fsk_mesh_add_vertex(&big, (fsk_mesh_vertex){1 << 20, 0, 0, {0, 0, 0}});
    fsk_mesh_add_vertex(&big, (fsk_mesh_vertex){0, 1 << 20, 0, {0, 0, 0}});
    fsk_mesh_add_vertex(&big, (fsk_mesh_vertex){0, 0, 1 << 16, {0, 0, 0}});
    for (size_t t = 0; t < 4; t++)
        fsk_mesh_add_triangle(&big, m.triangles[t][0], m.triangles[t][1], m.triangles[t][2]);
    TKIT_EQ_INT(fsk_mesh_volume_voxels6(&big), (int64_t)1 << 56);
    fsk_mesh_free(&big);

    TKIT_EQ_INT(fsk_mesh_reserve(&m, 1000, 2000), 0);
    TKIT_TRUE(m.vertex_cap >= 1000 && m.triangle_cap >= 2000);
    TKIT_EQ_INT(m.vertex_count, 4);
    fsk_mesh_clear(&m);
    TKIT_EQ_INT(m.triangle_count, 0);
    TKIT_TRUE(m.vertex_cap >= 1000);
    fsk_mesh_free(&m);
    TKIT_TRUE(m.vertices == NULL && m.vertex_cap == 0);
    fsk_mesh_free(NULL);
    grid_free(g);
}

int main(void)
{
    TKIT_RUN(test_single_voxel);
    TKIT_RUN(test_bar_merges);
    TKIT_RUN(test_l_shape);
    TKIT_RUN(test_checkerboard);
    TKIT_RUN(test_corner_contact);
    TKIT_RUN(test_edge_contact_between_caps);
    TKIT_RUN(test_stacked_layers);
    TKIT_RUN(test_ring_genus_one);
    TKIT_RUN(test_two_parts_side_by_side);
    TKIT_RUN(test_no_t_junction);
    TKIT_RUN(test_pinched_holes);
    TKIT_RUN(test_all_small_patterns);
    TKIT_RUN(test_random_grids);
    TKIT_RUN(test_absent_and_invalid_parts);
    TKIT_RUN(test_deterministic);
    TKIT_RUN(test_long_runs);
    TKIT_RUN(test_container_and_volume);
    return TKIT_DONE();
}
