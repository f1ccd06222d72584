/*
 * fsk_mesh_corner.h — the mesher's table of what the surface looks like
 * around one lattice point (internal to fsk_mesh_build.c, not public API).
 *
 * The 2x2x2 voxels around a lattice point P form an 8-bit pattern: bit
 * dx + 2*dy + 4*dz is set when the voxel at P + (dx-1, dy-1, dz-1) (lower
 * corner) belongs to the part. The 12 unit faces inside that block all
 * touch P. Face f = 4*a + db + 2*dc has normal axis a and separates the
 * voxels with d[a] = 0 and d[a] = 1, where (b, c) are the other two axes
 * in increasing order and d[b] = db, d[c] = dc.
 *
 * The surface faces at P fall into "umbrellas": cycles of faces joined
 * across the six lattice edges leaving P. Where two solids touch only along
 * an edge or at P itself there are several umbrellas, and each needs its
 * own copy of the vertex P for the mesh to be a 2-manifold.
 *
 * A lattice edge with four surface faces around it (two solid voxels
 * diagonally opposite, two empty ones) can be resolved two ways: its faces
 * pair up around each solid voxel ("split", the default: the solids stay
 * apart along the edge) or around each empty voxel ("joined"). Splitting
 * fails when the two solids meet again beyond both ends of the edge: the
 * umbrellas at both ends then run through the edge twice, and the edge
 * would have four triangles. Such an edge is joined instead. The six
 * lattice edges leaving P are numbered 2*axis + (1 if towards +axis).
 */
#ifndef FSK_MESH_CORNER_H
#define FSK_MESH_CORNER_H

#include <stdint.h>

#define FSK_CORNER_NONE 0xFF /* not a surface face */

typedef struct fsk_corner_table {
    uint8_t umbrella[256][12]; /* umbrella of face f, or FSK_CORNER_NONE */
    uint8_t count[256];        /* umbrellas at P: 0..4 */
    int8_t nudge[256][4][3];   /* per umbrella: fsk_corner_umbrellas */
    uint8_t bridged[256];      /* edges with four faces whose two solid
                                  voxels are face-connected inside the block */
} fsk_corner_table;

/* Fills the table for no joined edges (a few microseconds). */
void fsk_corner_table_init(fsk_corner_table *table);

/*
 * Umbrellas at a point with the given pattern when the edges in the bit set
 * joined (a subset of bridged[pattern]) are joined: writes the umbrella of
 * each face (or FSK_CORNER_NONE) and, per umbrella, the sign of the sum of
 * its faces' inward normals (the direction from P into its own solid, which
 * parts the copies of P); returns the number of umbrellas, 0..4.
 */
int fsk_corner_umbrellas(unsigned pattern, unsigned joined, uint8_t umbrella[12],
                         int8_t nudge[4][3]);

/* Face id of the face with normal axis a whose voxels have d[b], d[c]. */
static inline int fsk_corner_face(int a, const int d[3])
{
    int b = a == 0 ? 1 : 0, c = a == 2 ? 1 : 2;
    return 4 * a + d[b] + 2 * d[c];
}

#endif
