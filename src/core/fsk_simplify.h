/*
 * fsk_simplify.h — simpler part boundaries within a color tolerance.
 *
 * Photographs put noise on every boundary between two matched colors: a
 * pixel here and there that falls on the other side of the line, each one
 * adding corners to every filament whose layers change there, and corners
 * are what meshes are made of (fsk_corner_count.h). This stage lets a
 * pixel print with a neighbour's color instead of its own best match when
 * that color is within a tolerance of the best match's error, and when it
 * lowers the parts' corner count:
 *
 *     ΔE00(pixel, new) <= ΔE00(pixel, matched) + tolerance.
 *
 * So no pixel's color error grows by more than the tolerance, in CIEDE2000
 * whatever metric matched it. Iterated conditional modes, in raster order,
 * over three kinds of change: a pixel, a pair of pixels of one color (a
 * bump two pixels wide, which no single change flattens) and a small
 * region (4-connected, at most 64 pixels) takes the neighbouring color
 * that lowers the corner count around it most (ties: the smaller color
 * error); passes repeat until nothing changes. Every change lowers the
 * total, so it ends. The map is worked on in bands of 64 rows that run side
 * by side; the result is deterministic and the same on any number of
 * threads.
 */
#ifndef FSK_SIMPLIFY_H
#define FSK_SIMPLIFY_H

#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"

typedef struct fsk_simplify_stats {
    uint64_t pixels_changed;  /* pixels now printing another color */
    uint64_t corners_removed; /* corner points of the parts' surfaces saved */
    int passes;
} fsk_simplify_stats;

/*
 * Simplifies the width x height label map (fsk_labels.h) of the image
 * whose pixels' keys (fsk_pixel_key, fsk_color_set.h) are keys, matched
 * against cal, in place, with the tolerance in ΔE00 (0 changes nothing):
 * a pixel's color is its key's, the 8-bit sRGB color the matching looked
 * up. Transparent labels are never changed nor spread. Runs on up to
 * threads threads (fsk_parallel.h); the result does not depend on their
 * number. stats may be NULL. Errors: out of memory (the map is then
 * unchanged).
 */
int fsk_simplify_boundaries(uint16_t *labels, int width, int height, const uint32_t *keys,
                            const fsk_calibration *cal, double tolerance, int threads,
                            fsk_simplify_stats *stats, fsk_err *err);

#endif
