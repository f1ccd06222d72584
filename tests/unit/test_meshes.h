/*
 * test_meshes.h — hand-made meshes and voxel grids for writer tests, built
 * without the mesher: axis-aligned boxes on the lattice, wound
 * counter-clockwise seen from outside, and a grid that has only the
 * millimetre scale (pixel size, layer heights) and the parts table.
 */
#ifndef TEST_MESHES_H
#define TEST_MESHES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_mesh.h"
#include "fsk_voxels.h"

/*
 * Appends the box [x0,x1] x [y0,y1] x [z0,z1] (lattice units) as 8 new
 * vertices and 12 triangles. Returns 0 or -1 when out of memory.
 */
static inline int test_add_box(fsk_mesh *m, int x0, int y0, int z0, int x1, int y1, int z1)
{
    /* Corner i has x1 when bit 0 is set, y1 for bit 1, z1 for bit 2. */
    static const uint32_t faces[12][3] = {
        {0, 2, 3}, {0, 3, 1}, /* z0, facing -z */
        {4, 5, 7}, {4, 7, 6}, /* z1, +z */
        {0, 1, 5}, {0, 5, 4}, /* y0, -y */
        {2, 6, 7}, {2, 7, 3}, /* y1, +y */
        {0, 4, 6}, {0, 6, 2}, /* x0, -x */
        {1, 3, 7}, {1, 7, 5}, /* x1, +x */
    };
    uint32_t base = (uint32_t)m->vertex_count;
    for (int i = 0; i < 8; i++) {
        fsk_mesh_vertex v = {(i & 1) ? x1 : x0, (i & 2) ? y1 : y0, (i & 4) ? z1 : z0, {0, 0, 0}};
        if (fsk_mesh_add_vertex(m, v) < 0)
            return -1;
    }
    for (int f = 0; f < 12; f++)
        if (fsk_mesh_add_triangle(m, base + faces[f][0], base + faces[f][1],
                                  base + faces[f][2]) != 0)
            return -1;
    return 0;
}

/*
 * A grid of width x height x layers voxels of pixel_mm, the first layer
 * first_mm thick and the others layer_mm, with part_count parts whose
 * names, filaments and colors the caller fills in. The voxel array is left
 * NULL: the writers only need the scale. Free with test_grid_free.
 */
static inline int test_grid_init(fsk_voxels *g, int width, int height, int layers,
                                 double pixel_mm, double first_mm, double layer_mm,
                                 int part_count)
{
    memset(g, 0, sizeof *g);
    g->width = width;
    g->height = height;
    g->layers = layers;
    g->pixel_mm = pixel_mm;
    g->part_count = part_count;
    g->layer_top_mm = malloc(((size_t)layers + 1) * sizeof *g->layer_top_mm);
    if (!g->layer_top_mm)
        return -1;
    g->layer_top_mm[0] = 0;
    for (int k = 1; k <= layers; k++)
        g->layer_top_mm[k] = first_mm + (k - 1) * layer_mm;
    return 0;
}

static inline void test_grid_free(fsk_voxels *g)
{
    free(g->layer_top_mm);
    free(g->parts);
    g->layer_top_mm = NULL;
    g->parts = NULL;
}

static inline void test_set_part(fsk_voxels *g, int p, const char *name, int filament,
                                 unsigned r, unsigned gr, unsigned b)
{
    snprintf(g->part[p].name, sizeof g->part[p].name, "%s", name);
    g->part[p].filament = filament;
    g->part[p].rgb[0] = (unsigned char)r;
    g->part[p].rgb[1] = (unsigned char)gr;
    g->part[p].rgb[2] = (unsigned char)b;
    g->part[p].density_g_cm3 = 1.24;
}

#endif
