/*
 * fsk_quantize.h — turning a print image into a label map of calibration
 * entries, with optional Floyd–Steinberg error diffusion, and choosing a
 * reduced palette of calibrated entries for an image.
 *
 * Images here are float linear RGBA, width * height * 4 samples, rows top
 * to bottom, straight (not premultiplied) alpha, RGB nominally 0..1.
 */
#ifndef FSK_QUANTIZE_H
#define FSK_QUANTIZE_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_color_answers.h"
#include "fsk_color_set.h"
#include "fsk_error.h"
#include "fsk_labels.h"
#include "fsk_match.h"


typedef enum fsk_dither {
    FSK_DITHER_NONE,
    FSK_DITHER_FLOYD_STEINBERG
} fsk_dither;

/* "none", "floyd-steinberg"; parse returns 0 or FSK_EINVAL. */
const char *fsk_dither_name(fsk_dither dither);
int fsk_dither_parse(const char *name, fsk_dither *out);

typedef struct fsk_quantize_opts {
    fsk_dither dither;
    /* Label of pixels with alpha < 0.5: FSK_LABEL_EMPTY or FSK_LABEL_BACKING. */
    uint16_t transparent_label;
    /* Threads for matching without dithering (fsk_parallel_for; 0 or 1:
     * the caller's only). Dithering is sequential by nature. The labels
     * and the stats do not depend on it. */
    int threads;
    /* Without dithering: the image's colors already gathered and announced
     * to the matcher while it was decoded (fsk_color_collect.h), or NULL.
     * Borrowed (sealed here; the caller frees it); the labels and stats
     * are the same as without it. */
    fsk_color_set *collected;
    /* With collected: colors of it already matched by the collector, or
     * NULL. Borrowed; taken as they are (the labels and stats are the same
     * as when they are matched here). */
    const fsk_color_answers *answered;
    /* Every pixel's key (fsk_pixel_key), or NULL to compute them from
     * rgba. Borrowed. Without dithering the keys are all that is read:
     * rgba may then be NULL. */
    const uint32_t *keys;
} fsk_quantize_opts;

/*
 * Maps every pixel of rgba (width x height, see above) to the index of its
 * nearest entry under m, writing labels[y * width + x]. Pixels with alpha
 * below 0.5 get opts->transparent_label.
 *
 * With FSK_DITHER_FLOYD_STEINBERG the error is diffused in linear light,
 * serpentine (even rows left to right, odd rows right to left) with the
 * weights 7/16, 3/16, 5/16, 1/16: the color looked up is the pixel plus
 * the error it received, clamped to 0..1; the error passed on is that sum
 * (unclamped) minus the chosen entry's color, clamped to -1..1 per channel.
 * Transparent pixels neither receive nor pass on error. The color looked
 * up is rounded to 8-bit sRGB first, as below; the error is that of the
 * unrounded sum. The result is deterministic.
 *
 * Without dithering, each pixel's color is first rounded to 8-bit sRGB
 * (fsk_color_set.h), the precision of the artwork files: pixels of one
 * rounded color take the entry nearest to it, found once (stats->colors
 * counts them; every pixel counts in the other stats as the lookup it
 * stands for). Rounding moves a color by at most half an 8-bit step.
 *
 * stats, when not NULL, receives the matcher's lookup counts. Errors: bad
 * size or options (FSK_EINVAL), out of memory.
 */
int fsk_quantize(const float *rgba, int width, int height,
                 const fsk_matcher *m, const fsk_quantize_opts *opts,
                 uint16_t *labels, fsk_match_stats *stats, fsk_err *err);

/*
 * Chooses at most max_colors (>= 1) entries of cal that reproduce the
 * opaque pixels of rgba best: the total CIEDE2000 between each pixel and
 * its nearest chosen entry is minimised over the allowed entries (all
 * when allowed is NULL and allowed_count 0) after dropping near-duplicates
 * as fsk_matcher_create does. Pixels are first gathered into a 32^3
 * histogram of sRGB cells (each cell at its mean color); entries are then
 * added greedily, each time the one that lowers the total most, and
 * improved by swapping a chosen entry for another while that lowers the
 * total. Deterministic.
 *
 * Writes the chosen entry indices in increasing order to out (room for
 * max_colors) and their number to *out_count; pass them to
 * fsk_matcher_create as the allowed list. Errors: no opaque pixel, bad
 * arguments (FSK_EINVAL), out of memory.
 */
int fsk_palette_reduce(const float *rgba, int width, int height,
                       const fsk_calibration *cal, const uint16_t *allowed,
                       size_t allowed_count, int max_colors, uint16_t *out,
                       size_t *out_count, fsk_err *err);

#endif
