/*
 * fsk_mesh_corner.c — umbrellas at a lattice point (see fsk_mesh_corner.h).
 *
 * For a pattern, a face is on the surface when its two voxels differ.
 * Along each of the six lattice edges leaving P, 0, 2 or 4 of the four
 * faces around the edge are on the surface. Two are joined; four (two solid
 * voxels diagonally opposite, two empty ones) are joined in the pairs that
 * bound the same solid voxel, or the same empty voxel for a joined edge.
 * The connected groups of faces are the umbrellas, numbered in the order
 * of their lowest face id.
 */
#include "fsk_mesh_corner.h"

#include <string.h>

static int voxel_bit(const int d[3])
{
    return d[0] + 2 * d[1] + 4 * d[2];
}

static int solid(unsigned pattern, const int d[3])
{
    return (int)(pattern >> voxel_bit(d)) & 1;
}

/* The two voxels of face f, as bit numbers; *lo has d[a] = 0. */
static void face_voxels(int f, int *lo, int *hi)
{
    int a = f / 4, d[3];
    d[a == 0 ? 1 : 0] = f & 1;
    d[a == 2 ? 1 : 2] = (f >> 1) & 1;
    d[a] = 0;
    *lo = voxel_bit(d);
    d[a] = 1;
    *hi = voxel_bit(d);
}

static int find(uint8_t *parent, int f)
{
    while (parent[f] != f)
        f = parent[f] = parent[parent[f]];
    return f;
}

static void unite(uint8_t *parent, int f, int g)
{
    f = find(parent, f);
    g = find(parent, g);
    if (f < g)
        parent[g] = (uint8_t)f;
    else
        parent[f] = (uint8_t)g;
}

/* The four voxels around lattice edge slot (2*e + s), in cyclic order, as
 * coordinates d[]; returns whether they alternate (four surface faces). */
static int edge_voxels(unsigned pattern, int slot, int d[4][3])
{
    int e = slot / 2, a0 = e == 0 ? 1 : 0, a1 = 3 - e - a0;
    static const int ring[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (int i = 0; i < 4; i++) {
        d[i][e] = slot & 1;
        d[i][a0] = ring[i][0];
        d[i][a1] = ring[i][1];
    }
    int s0 = solid(pattern, d[0]), s1 = solid(pattern, d[1]);
    return s0 == solid(pattern, d[2]) && s1 == solid(pattern, d[3]) && s0 != s1;
}

/* Whether the edge has four faces and its two solid voxels are joined by
 * solid voxels of the block on the far side of P. */
static int edge_bridged(unsigned pattern, int slot)
{
    int d[4][3];
    if (!edge_voxels(pattern, slot, d))
        return 0;
    int e = slot / 2, first = solid(pattern, d[0]) ? 0 : 1, other = first ^ 1;
    for (int i = 0; i < 4; i++)
        d[i][e] ^= 1;
    /* The voxels beyond the solid ones must be solid, and one of the two
     * beyond the empty ones, to join them by faces. */
    return solid(pattern, d[first]) && solid(pattern, d[first + 2]) &&
           (solid(pattern, d[other]) || solid(pattern, d[other + 2]));
}

/* Joins the surface faces around the lattice edge in slot: two faces
 * together; four in the pairs bounding the same solid voxel, or the same
 * empty voxel when the edge is joined. */
static void join_around_edge(unsigned pattern, const int *surface, int slot, int joined,
                             uint8_t *parent)
{
    int e = slot / 2, faces[4], n = 0;
    for (int a = 0; a < 3; a++) {
        if (a == e)
            continue;
        int t = 3 - a - e;
        for (int dt = 0; dt < 2; dt++) {
            int d[3];
            d[e] = slot & 1;
            d[t] = dt;
            d[a] = 0;
            int f = fsk_corner_face(a, d);
            if (surface[f])
                faces[n++] = f;
        }
    }
    if (n == 2) {
        unite(parent, faces[0], faces[1]);
    } else if (n == 4) {
        /* Each voxel around the edge has one face towards each of its two
         * neighbours around it. */
        int d[4][3], a0 = e == 0 ? 1 : 0, a1 = 3 - e - a0;
        edge_voxels(pattern, slot, d);
        for (int i = 0; i < 4; i++)
            if (solid(pattern, d[i]) != joined)
                unite(parent, fsk_corner_face(a0, d[i]), fsk_corner_face(a1, d[i]));
    }
}

int fsk_corner_umbrellas(unsigned pattern, unsigned joined, uint8_t umbrella[12],
                         int8_t nudge[4][3])
{
    int surface[12];
    uint8_t parent[12];
    for (int f = 0; f < 12; f++) {
        int lo, hi;
        face_voxels(f, &lo, &hi);
        surface[f] = (int)(((pattern >> lo) ^ (pattern >> hi)) & 1);
        parent[f] = (uint8_t)f;
    }
    for (int slot = 0; slot < 6; slot++)
        join_around_edge(pattern, surface, slot, (int)(joined >> slot & 1), parent);

    uint8_t id_of_root[12];
    memset(id_of_root, FSK_CORNER_NONE, sizeof id_of_root);
    int inward[4][3] = {{0}};
    int count = 0;
    for (int f = 0; f < 12; f++) {
        umbrella[f] = FSK_CORNER_NONE;
        if (!surface[f])
            continue;
        int r = find(parent, f);
        if (id_of_root[r] == FSK_CORNER_NONE)
            id_of_root[r] = (uint8_t)count++;
        int u = id_of_root[r], lo, hi;
        umbrella[f] = (uint8_t)u;
        face_voxels(f, &lo, &hi);
        inward[u][f / 4] += (pattern >> hi) & 1 ? 1 : -1;
    }
    for (int u = 0; u < 4; u++)
        for (int a = 0; a < 3; a++)
            nudge[u][a] = (int8_t)((inward[u][a] > 0) - (inward[u][a] < 0));
    return count;
}

void fsk_corner_table_init(fsk_corner_table *table)
{
    for (unsigned p = 0; p < 256; p++) {
        table->count[p] = (uint8_t)fsk_corner_umbrellas(p, 0, table->umbrella[p],
                                                        table->nudge[p]);
        table->bridged[p] = 0;
        for (int slot = 0; slot < 6; slot++)
            if (edge_bridged(p, slot))
                table->bridged[p] |= (uint8_t)(1u << slot);
    }
}
