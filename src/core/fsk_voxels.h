/*
 * fsk_voxels.h — the print as a dense grid of voxels, and its parts.
 *
 * A voxel is one print pixel by one layer. The grid is in the bed frame:
 * x to the right and y to the back of the bed (so image row 0, the top of
 * the artwork, is the largest y when viewed from the top), z up from the
 * bed, layer 0 first. Each voxel holds a part id: 0 is empty, 1..part_count
 * are the parts (one per filament that has geometry, plus the backing).
 * The ids lie in planes of width * height, row y at y * width: layer z's
 * in plane z, or in plane plane_of[z] when the grid says so (layers that
 * hold one id throughout, like a backing's, then share a plane). Index of
 * (x, y, z): fsk_voxel_index.
 */
#ifndef FSK_VOXELS_H
#define FSK_VOXELS_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_profile.h"

#define FSK_MAX_PARTS 32

/* Density for the weight estimate when a filament has none (typical PLA). */
#define FSK_DEFAULT_DENSITY_G_CM3 1.24

typedef struct fsk_part {
    char name[FSK_NAME_MAX];  /* "Cyan PLA" or "backing (White PLA)" */
    int filament;             /* 1-based filament number = extruder / slot */
    unsigned char rgb[3];     /* display color, the filament's nominal color */
    double density_g_cm3;     /* for the weight estimate; the filament's, or
                                 FSK_DEFAULT_DENSITY_G_CM3 when it has none */
    int is_backing;           /* 1 for the backing part */
} fsk_part;

typedef struct fsk_voxels {
    int width, height, layers;
    uint8_t *parts;                /* the planes of part ids, owned */
    int *plane_of;                 /* layer -> plane, owned; NULL: plane z */
    double pixel_mm;               /* x and y size of a voxel */
    double *layer_top_mm;          /* layers+1 heights: z of layer k spans
                                      [layer_top_mm[k], layer_top_mm[k+1]] */
    int part_count;                /* parts are 1..part_count */
    fsk_part part[FSK_MAX_PARTS + 1]; /* part[0] unused */
} fsk_voxels;

/* The first layer whose ids lie in layer z's plane, given a grid's
 * plane_of (NULL: z itself): the layer that stands for a plane filled or
 * counted once for all the layers in it. */
static inline int fsk_voxel_plane_layer(const int *plane_of, int z)
{
    for (int e = 0; plane_of && e < z; e++)
        if (plane_of[e] == plane_of[z])
            return e;
    return z;
}

static inline size_t fsk_voxel_index(const fsk_voxels *v, int x, int y, int z)
{
    size_t plane = v->plane_of ? (size_t)v->plane_of[z] : (size_t)z;
    return (plane * (size_t)v->height + (size_t)y) * (size_t)v->width + (size_t)x;
}

#endif
