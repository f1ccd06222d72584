/*
 * fsk_cleanup.h — minimum-feature cleanup of a label map (fsk_labels.h).
 *
 * A region is a 4-connected set of pixels with the same label (pixels that
 * touch only at a corner are not connected). Regions smaller than the
 * smallest printable feature become part of a neighbouring region.
 *
 * Transparent labels (FSK_LABEL_EMPTY, FSK_LABEL_BACKING) form regions like
 * any other label and count as neighbours, but they are the user's intent:
 * their pixels are never changed, however small the region. Only colored
 * regions (calibration entries) are absorbed.
 */
#ifndef FSK_CLEANUP_H
#define FSK_CLEANUP_H

#include <stdint.h>

#include "fsk_error.h"

typedef struct fsk_cleanup_stats {
    uint64_t pixels_changed;  /* pixels whose label differs afterwards */
    uint64_t islands_removed; /* small regions that took a neighbour's label */
} fsk_cleanup_stats;

/*
 * Absorbs every colored region of fewer than min_pixels pixels (the caller
 * passes ceil(D/P)^2 for a feature of D mm on pixels of P mm) into a
 * neighbouring region, in place:
 *  - the target is the neighbouring region that shares the most pixel edges
 *    with the island; colored neighbours are preferred, a transparent one
 *    is taken only when the island has no colored neighbour; ties go to the
 *    larger region, then the lower label, then the region whose first pixel
 *    (in row-major order) comes first;
 *  - islands are absorbed one at a time, smallest first (ties: the first
 *    pixel in row-major order), and regions are recomputed after each step,
 *    so an island absorbed into another small island cascades, and regions
 *    of one label that come to touch are one region.
 * Afterwards every colored region has at least min_pixels pixels, unless it
 * has no neighbour at all (it is the whole map). The result is
 * deterministic. Time O(n log n + n*min_pixels) in the worst case (near
 * linear in practice), memory about 40 bytes per pixel.
 *
 * labels holds width*height values (width, height >= 1); min_pixels <= 1
 * changes nothing. stats may be NULL. Returns 0, FSK_EINVAL on bad
 * arguments, FSK_ELIMIT above 2^28 pixels, or FSK_ENOMEM (labels are then
 * unchanged).
 */
int fsk_cleanup_min_feature(uint16_t *labels, int width, int height,
                            int min_pixels, fsk_cleanup_stats *stats,
                            fsk_err *err);

#endif
