/*
 * mesh_shapes.h — hand-built test meshes on the voxel lattice: a unit
 * cube, and two cubes touching along one vertical edge with split,
 * nudged vertex copies (what the mesher makes there). Header-only, for
 * the unit tests and the e2e STL writer.
 */
#ifndef MESH_SHAPES_H
#define MESH_SHAPES_H

#include <stdint.h>

#include "fsk_mesh.h"
#include "fsk_voxels.h"

/* The 12 triangles of a cube over corners 0..7 (bit 0 x, bit 1 y, bit 2 z),
 * counter-clockwise from outside. */
static const uint32_t shape_cube_tris[12][3] = {
    {0, 2, 3}, {0, 3, 1}, {4, 5, 7}, {4, 7, 6}, {0, 1, 5}, {0, 5, 4},
    {1, 3, 7}, {1, 7, 5}, {3, 2, 6}, {3, 6, 7}, {2, 0, 4}, {2, 4, 6},
};

/* Adds the voxel cube at lattice (x, y, z); corners at the lattice point
 * (sx, sy) (the edge shared with a neighbour) get nudge (nx, ny, 0). */
static inline int shape_add_cube(fsk_mesh *m, int x, int y, int z, int sx, int sy, int nx, int ny)
{
    int64_t base = -1;
    for (int c = 0; c < 8; c++) {
        fsk_mesh_vertex v = {x + (c & 1), y + ((c >> 1) & 1), z + ((c >> 2) & 1), {0, 0, 0}};
        if (v.x == sx && v.y == sy) {
            v.nudge[0] = (int8_t)nx;
            v.nudge[1] = (int8_t)ny;
        }
        int64_t i = fsk_mesh_add_vertex(m, v);
        if (i < 0)
            return -1;
        if (c == 0)
            base = i;
    }
    for (int t = 0; t < 12; t++)
        if (fsk_mesh_add_triangle(m, (uint32_t)base + shape_cube_tris[t][0],
                                  (uint32_t)base + shape_cube_tris[t][1],
                                  (uint32_t)base + shape_cube_tris[t][2]))
            return -1;
    return 0;
}

/* Voxel (0,0,0) and voxel (1,1,0): they touch along the edge x = y = 1. */
static inline int shape_two_cubes(fsk_mesh *m)
{
    if (shape_add_cube(m, 0, 0, 0, 1, 1, -1, -1))
        return -1;
    return shape_add_cube(m, 1, 1, 0, 1, 1, 1, 1);
}

/* A grid of 0.4 mm pixels and layers=2 with tops 0, 0.2, 0.28 mm; no voxels. */
static inline void shape_grid(fsk_voxels *g, double layer_top_mm[3])
{
    layer_top_mm[0] = 0.0;
    layer_top_mm[1] = 0.2;
    layer_top_mm[2] = 0.28;
    *g = (fsk_voxels){.width = 2, .height = 2, .layers = 2, .pixel_mm = 0.4,
                      .layer_top_mm = layer_top_mm};
}

#endif
