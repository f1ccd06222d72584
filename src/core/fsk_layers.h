/*
 * fsk_layers.h — layer expansion: a label map (fsk_labels.h) and its
 * calibration's construction become the voxel grid of the print
 * (fsk_voxels.h), one part per filament plus the backing.
 *
 * The calibration grid is built with the same function, so a calibration
 * and every conversion that uses it stack their layers the same way.
 *
 * Stacking rules, with B backing layers (below) and a pixel's sequence
 * having k filled slots (slot 0 first; empty slots are skipped):
 *  - view top: z = 0..B-1 backing under every printed pixel, then the k
 *    filled slots from z = B up; nothing above, so short sequences make
 *    shorter columns. The grid has B + (the largest k used) layers.
 *  - view bottom: the print lies face down and is seen through layer 0.
 *    Slot 0 at z = 0, the filled slots up to z = k-1; then the backing
 *    filament fills z = k..M-1 (M = color_layers) and the backing proper
 *    takes z = M..M+B-1. Every printed column is therefore M+B layers, so
 *    the back is flat, the backing is one continuous solid and what lies
 *    behind the color layers is the same for every sequence, in the grid
 *    and in conversions alike. The filler voxels belong to the backing
 *    part. Without a backing there is no filler and the grid has the
 *    largest k used layers. The image is mirrored in x so that it reads
 *    right when the print is turned over (about the y axis).
 *  - FSK_LABEL_BACKING pixels print only the backing: z = 0..B-1 (top) or
 *    the whole column of M+B layers (bottom, so the flat back stays
 *    supported). FSK_LABEL_EMPTY pixels print nothing.
 * B = round(backing_mm / layer_height_mm), at least 1 when the construction
 * has a backing filament, 0 without.
 *
 * Frame: bed x = column (view top) or width-1-column (view bottom), bed
 * y = height-1-row (image row 0 at the back), z = layer; every layer is
 * layer_height_mm thick, layer_top_mm[k] = k * layer_height_mm.
 *
 * Parts: one per filament that a sequence used by the map fills a slot
 * with, in filament number order, then the backing part ("backing (<name>)",
 * same filament number, is_backing = 1) when the construction has one.
 * Names, colors and densities come from cal->filaments.
 */
#ifndef FSK_LAYERS_H
#define FSK_LAYERS_H

#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_voxels.h"

/* Most backing layers accepted (a guard against absurd thickness). */
#define FSK_MAX_BACKING_LAYERS 1000

/* B for a construction (see above); 0 without backing. */
int fsk_layers_backing_count(const fsk_construction *c);

/*
 * Expands labels (width*height values, width, height >= 1) into *out with
 * the rules above; pixel_mm (> 0) is the x and y size of a pixel. Time and
 * extra memory are linear; the grid takes width*height*layers bytes, its
 * layers filled side by side on `threads` (fsk_parallel_for; 0 or 1: the
 * caller's only).
 *
 * Errors (FSK_EINVAL unless noted): a label that is neither an entry index
 * of cal nor FSK_LABEL_EMPTY/FSK_LABEL_BACKING; FSK_LABEL_BACKING without a
 * backing in the construction; a used sequence naming a filament above
 * cal->filament_count; an invalid construction; a map where every pixel is
 * FSK_LABEL_EMPTY (nothing to print); FSK_ENOMEM. On success *out owns its
 * arrays and the caller releases them with fsk_voxels_free; on failure
 * *out is left empty (safe to free).
 */
int fsk_layers_expand(const uint16_t *labels, int width, int height,
                      const fsk_calibration *cal, double pixel_mm, int threads,
                      fsk_voxels *out, fsk_err *err);

/* Frees the arrays of v and empties it (not the struct itself); NULL is a
 * no-op. */
void fsk_voxels_free(fsk_voxels *v);

#endif
