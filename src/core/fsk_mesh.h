/*
 * fsk_mesh.h — triangle meshes on the integer voxel lattice, and the mesher
 * that builds one closed surface per part of a voxel grid.
 *
 * Vertices are lattice points: x and y count print pixels, z counts layer
 * boundaries (z = k is the bottom of layer k). Writers convert to
 * millimetres once, with fsk_mesh_vertex_mm. Triangles are wound
 * counter-clockwise seen from outside, so the right-hand normal points out.
 *
 * Where voxels of one part touch only along an edge or at a corner, the
 * mesher gives each sheet of surface its own copy of the shared vertices,
 * so every edge is used by exactly two triangles in opposite directions.
 * Such copies carry a nudge direction: formats that match vertices by
 * coordinates (STL) move each copy by a negligible distance (FSK_NUDGE_MM)
 * toward its own solid, so the copies stay distinct.
 */
#ifndef FSK_MESH_H
#define FSK_MESH_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"
#include "fsk_voxels.h"

/* How far a split vertex copy moves, in mm, along each nudged axis. */
#define FSK_NUDGE_MM 0.0005

typedef struct fsk_mesh_vertex {
    int32_t x, y, z;   /* lattice point */
    int8_t nudge[3];   /* -1, 0 or +1 per axis; all 0 for ordinary vertices */
} fsk_mesh_vertex;

typedef struct fsk_mesh {
    fsk_mesh_vertex *vertices;
    size_t vertex_count, vertex_cap;
    uint32_t (*triangles)[3];  /* vertex indices, counter-clockwise from outside */
    size_t triangle_count, triangle_cap;
} fsk_mesh;

/* An empty mesh; fsk_mesh_free releases what it holds (not the struct). */
void fsk_mesh_init(fsk_mesh *mesh);
void fsk_mesh_free(fsk_mesh *mesh);
/* Empties the mesh, keeping its storage for reuse. */
void fsk_mesh_clear(fsk_mesh *mesh);
/*
 * Makes room for at least vertices vertices and triangles triangles in all
 * (not in addition), so appends up to those counts cannot fail; 0 or
 * FSK_ENOMEM (the contents are unchanged then).
 */
int fsk_mesh_reserve(fsk_mesh *mesh, size_t vertices, size_t triangles);

/* Appends a vertex and returns its index, or -1 when out of memory or the
 * mesh already holds 2^32 vertices. */
int64_t fsk_mesh_add_vertex(fsk_mesh *mesh, fsk_mesh_vertex v);
/* Appends a triangle; 0 or FSK_ENOMEM. */
int fsk_mesh_add_triangle(fsk_mesh *mesh, uint32_t a, uint32_t b, uint32_t c);

/*
 * Millimetre position of vertex i: x*pixel_mm, y*pixel_mm, layer_top_mm[z],
 * each plus nudge*FSK_NUDGE_MM when apply_nudge is set. Inline: writers
 * call it for every corner of every triangle.
 */
static inline void fsk_mesh_vertex_mm(const fsk_mesh *mesh, size_t i, const fsk_voxels *grid,
                                      int apply_nudge, double out[3])
{
    const fsk_mesh_vertex *v = &mesh->vertices[i];
    out[0] = v->x * grid->pixel_mm;
    out[1] = v->y * grid->pixel_mm;
    out[2] = grid->layer_top_mm[v->z];
    if (apply_nudge)
        for (int a = 0; a < 3; a++)
            out[a] += v->nudge[a] * FSK_NUDGE_MM;
}

/*
 * Builds the surface of part (1..grid->part_count) into out (which must be
 * initialised; it is emptied first): one closed, consistently oriented
 * 2-manifold around all voxels of that part, with no faces inside it,
 * coplanar faces merged, no T-junctions and no zero-area triangles. Voxels
 * touching by a face, within a layer or across layers, are one solid.
 * Solids touching only along an edge or at a corner stay apart there
 * (split vertex copies), except that an edge whose two solids also meet
 * beyond both of its ends is closed up, which an indexed mesh needs.
 * A part with no voxels gives an empty mesh. Vertices come in lattice
 * order (z, then y, then x); output is deterministic. Returns 0; FSK_EINVAL
 * for a part outside 1..part_count or an empty grid; FSK_ELIMIT for a grid
 * over 2^20 x 2^20 x 2^16 or 10^12 voxels, or a mesh over 2^32 vertices;
 * FSK_ENOMEM. On failure out is left empty. Uses memory of about 6 bits
 * per voxel plus the mesh.
 */
int fsk_mesh_build(const fsk_voxels *grid, int part, fsk_mesh *out, fsk_err *err);

/*
 * Volume enclosed by the mesh in voxel units (pixel*pixel*layer when layers
 * are uniform); exact for a closed mesh. Computed in integers, ignoring
 * nudges.
 */
int64_t fsk_mesh_volume_voxels6(const fsk_mesh *mesh); /* 6x the volume */

#endif
