/*
 * fsk_color_collect.h — an image's distinct colors gathered on a thread of
 * their own while the image is still being decoded, each announced to the
 * matcher as it first appears: the first steps of matching without
 * dithering (fsk_quantize_distinct.c), done on the core that the decoder,
 * working alone, leaves idle. The set and the announcements are the same
 * as when they are made after decoding: keys are rounded as there, and
 * announcements only add up counts. When it has no rows to gather, the
 * thread builds ahead the matcher's table for the colors announced so far
 * (fsk_matcher_build_ahead), which changes nothing but when it is built,
 * and matches the colors whose cells are built (fsk_matcher_nearest_built),
 * which gives the answers and counts the matching would.
 */
#ifndef FSK_COLOR_COLLECT_H
#define FSK_COLOR_COLLECT_H

#include "fsk_color_answers.h"
#include "fsk_color_set.h"
#include "fsk_error.h"
#include "fsk_match.h"
#include "fsk_resample.h"

typedef struct fsk_color_collector fsk_color_collector;

/* What the collector's thread makes its matcher from, as
 * fsk_matcher_create takes it (borrowed until finish). */
typedef struct fsk_matcher_spec {
    const fsk_calibration *cal;
    const uint16_t *allowed;
    size_t allowed_count;
    fsk_metric metric;
} fsk_matcher_spec;

/* Starts the thread, which first makes the color set and the matcher
 * (while the caller starts decoding), then announces to the matcher and,
 * when relay is not NULL, resamples the rows the loader pushes into it
 * (the relay must outlive the collector). NULL with err set when memory
 * or a thread is short: the caller then matches the usual way. */
fsk_color_collector *fsk_color_collector_start(const fsk_matcher_spec *spec,
                                               fsk_row_relay *relay, fsk_err *err);

/* The watch to give the image loader (fsk_print_image_load_watched), with
 * the relay; the load must ask for the grid as keys (FSK_GRID_KEYS). */
fsk_grid_watch fsk_color_collector_watch(fsk_color_collector *c);

/*
 * Waits for the rows told so far to be gathered and announced, stops the
 * thread and frees c. *matcher, when matcher is not NULL, receives the
 * matcher (the caller frees it), or NULL when the thread could not make
 * it; the colors are handed out only with it. *set, when set is not NULL,
 * receives the colors
 * gathered, unsealed: all of the image's once the load has told every
 * row. The caller frees it (after lending it to fsk_quantize_opts.collected).
 * *answers, when both pointers are given, receives the colors matched
 * meanwhile (fsk_quantize_opts.answered; the caller frees them with
 * fsk_color_answers_free).
 */
void fsk_color_collector_finish(fsk_color_collector *c, fsk_matcher **matcher,
                                fsk_color_set **set, fsk_color_answers *answers);

#endif
