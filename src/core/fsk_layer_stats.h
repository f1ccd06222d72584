/*
 * fsk_layer_stats.h — figures for the conversion report from a voxel grid:
 * material per part, and per layer the filaments printed and the tool
 * changes they imply.
 *
 * Tool-change model: the printer prints the layers in order; within a
 * layer it prints each filament of that layer once, in any order it likes
 * (a slicer orders them to save changes). Each switch from one filament to
 * another is one tool change; loading the very first filament of the print
 * is not. A layer with filaments S, entered with filament a loaded and left
 * with filament b in S, costs |S|-1 changes, plus one unless it can start
 * with a (a in S, and a != b when |S| > 1). An empty layer costs nothing
 * and keeps a loaded. The figures are the minimum total over all orders
 * (a dynamic program over the filament loaded between layers, so a layer
 * ends with a filament the next layer needs when that pays); ties go to
 * the lowest filament number, which makes the per-layer split
 * deterministic. Backing and color parts of one filament are one filament.
 */
#ifndef FSK_LAYER_STATS_H
#define FSK_LAYER_STATS_H

#include <stdint.h>

#include "fsk_error.h"
#include "fsk_voxels.h"

typedef struct fsk_part_stats {
    uint64_t voxels;
    double volume_mm3;   /* voxels * pixel_mm^2 * their layer's thickness */
    double grams;        /* volume_mm3 * density_g_cm3 / 1000 */
} fsk_part_stats;

typedef struct fsk_layer_use {
    uint32_t filaments;  /* bit f-1 set when filament f prints in the layer */
    int filament_count;  /* bits set */
    int tool_changes;    /* changes this layer costs in the cheapest plan */
    int first_filament;  /* in that plan; 0 for an empty layer */
    int last_filament;   /* loaded when the layer ends; 0 before any */
} fsk_layer_use;

typedef struct fsk_layer_stats {
    int part_count;
    fsk_part_stats part[FSK_MAX_PARTS + 1]; /* part[0] unused */
    int layers;
    fsk_layer_use *layer;                   /* layers entries, owned */
    uint64_t total_voxels;
    double total_volume_mm3, total_grams;
    int64_t tool_changes;                   /* sum over the layers */
} fsk_layer_stats;

/*
 * Computes the figures of grid v into *out (overwritten), counting the
 * layers side by side on `threads` (fsk_parallel_for). Part filament
 * numbers must be 1..32 and part ids in the grid 0..part_count; otherwise
 * FSK_EINVAL. FSK_ENOMEM on allocation failure. On success the caller
 * releases out with fsk_layer_stats_free; on failure *out is empty.
 */
int fsk_layer_stats_compute(const fsk_voxels *v, int threads, fsk_layer_stats *out,
                            fsk_err *err);

/* Frees what out holds and empties it (not the struct); NULL is a no-op. */
void fsk_layer_stats_free(fsk_layer_stats *out);

#endif
