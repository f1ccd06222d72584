/*
 * fsk_mesh_sweep.h — triangulating the face regions of one plane of the
 * mesher in a single sweep (internal to fsk_mesh_build.c, not public API).
 *
 * A face region is a union of unit cells of one axis plane with the same
 * outward normal: a rectilinear polygon, possibly with holes, whose
 * boundary may touch itself at a lattice point where two of its cells meet
 * only diagonally (a pinch). The caller sweeps the plane's lattice lines
 * v = 0, 1, ... (cell row v-1 below the line, row v above it) and reports,
 * from left to right, every lattice point P = (u, v) whose four cells
 *
 *     c d      c = (u-1, v), d = (u, v)        above the line
 *     a b      a = (u-1, v-1), b = (u, v-1)    below it
 *
 * include some but not all, except where the region boundary runs straight
 * along the line through P and P is not a mesh vertex. The sweep triangulates
 * the regions over exactly the reported mesh vertices: it splits them into
 * monotone pieces along diagonals between boundary vertices, ordering points
 * by (v, u), and triangulates each piece with the stack algorithm for
 * monotone polygons as the sweep goes, so a region with n boundary vertices
 * and k holes gets n + 2k - 2 triangles and no new vertices. Orientation
 * tests are exact in integers and only strictly convex corners are cut off,
 * so no triangle has zero area, also where boundary vertices are collinear.
 */
#ifndef FSK_MESH_SWEEP_H
#define FSK_MESH_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_mesh.h"

typedef struct fsk_sweep_node {
    uint32_t vertex;
    uint32_t next; /* the node below on the piece's stack */
    int32_t u, v;
} fsk_sweep_node;

/* The part of the region crossing the sweep line between two boundary
 * edges: one monotone piece in progress, or two that meet at the last
 * vertex (a merge vertex still waiting for its diagonal). Each piece is a
 * stack of nodes; side says which chain its top is on (0 left, 1 right). */
typedef struct fsk_sweep_span {
    uint32_t top[2];
    uint8_t side[2];
    uint8_t pieces;
} fsk_sweep_span;

typedef struct fsk_sweep {
    fsk_sweep_node *node;
    uint32_t node_count, node_cap, free_node;
    fsk_sweep_span *below, *above; /* spans of cell row v-1, of row v */
    size_t below_count, below_next, above_count, span_cap;
    fsk_sweep_span cur; /* the span the sweep is in, right after P */
    int in_span;
    fsk_mesh *out;
    int flip; /* clockwise in (u, v) is counter-clockwise from outside */
} fsk_sweep;

void fsk_sweep_init(fsk_sweep *s);
void fsk_sweep_free(fsk_sweep *s);

/*
 * Starts a plane whose rows hold at most cells cells; triangles go to out,
 * wound counter-clockwise in (u, v) unless flip. 0 or FSK_ENOMEM.
 */
int fsk_sweep_begin(fsk_sweep *s, int cells, fsk_mesh *out, int flip);

/*
 * Reports point (u, v) with cells = a | b << 1 | c << 2 | d << 3. vertex[0]
 * is the mesh vertex at P seen from the cells a and c, vertex[1] from b
 * and d (they differ only at a pinch, where the copies may differ), or
 * UINT32_MAX when P is not a mesh vertex (only where the boundary runs
 * straight through P). 0 or FSK_ENOMEM.
 */
int fsk_sweep_point(fsk_sweep *s, unsigned cells, int32_t u, int32_t v,
                    const uint32_t vertex[2]);

/* Ends line v: the spans of row v become those below the next line. A
 * line with no points to report (the rows on both sides are equal and no
 * vertex lies on it) may be skipped without calling anything. */
void fsk_sweep_next_line(fsk_sweep *s);

#endif
