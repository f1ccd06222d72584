/*
 * fsk_quantize_distinct.h — fsk_quantize without dithering: each pixel's
 * color rounded to 8-bit sRGB and each distinct rounded color matched
 * once (see fsk_quantize.h for the contract). Internal to the quantizer.
 */
#ifndef FSK_QUANTIZE_DISTINCT_H
#define FSK_QUANTIZE_DISTINCT_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_color_answers.h"
#include "fsk_color_set.h"
#include "fsk_error.h"
#include "fsk_match.h"

/* Labels count pixels given as keys (fsk_pixel_key): the nearest entry of
 * each opaque pixel's color, `empty` for the clear ones; adds to *stats
 * (may be NULL). collected: the colors already gathered and announced
 * (borrowed, sealed here), or NULL; answered: some of those colors
 * already matched, or NULL. Errors: out of memory. */
int fsk_quantize_distinct(const uint32_t *keys, size_t count, const fsk_matcher *m,
                          uint16_t empty, uint16_t *labels, int threads,
                          fsk_color_set *collected, const fsk_color_answers *answered,
                          fsk_match_stats *stats, fsk_err *err);

#endif
