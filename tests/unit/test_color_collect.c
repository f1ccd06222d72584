/*
 * test_color_collect.c — colors gathered while an image is decoded: the
 * loader tells finished rows early for upright images and once at the end
 * for turned ones, and matching with the gathered set gives the same
 * labels and stats as gathering after decoding, with the decoded rows
 * resampled on the decoding thread or relayed to the collector's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_calibration.h"
#include "fsk_color_collect.h"
#include "fsk_quantize.h"
#include "fsk_resample.h"
#include "tkit.h"

typedef struct tally {
    int calls, last, width, falls;
} tally;

static void count_rows(void *ctx, const fsk_print_image *grid, int rows_final)
{
    tally *t = ctx;
    int width = grid->width, height = grid->height;
    t->falls += rows_final > height;
    t->falls += rows_final <= t->last;
    t->last = rows_final;
    t->width = width;
    t->calls++;
}

static char *image_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/images/%s", FSK_TEST_DATA_DIR, name);
    return path;
}

static void test_watch_tells_rows(void)
{
    fsk_grid_request req = {.width_mm = 40, .pixel_mm = 0.5};
    static const char *const names[] = {"exif_orientation1.jpg", "exif_orientation6.jpg",
                                        "../../../samples/sunset.png"};
    static const int early[] = {1, 0, 1};
    for (int k = 0; k < 3; k++) {
        tally t = {0};
        fsk_grid_watch w = {.rows = count_rows, .ctx = &t};
        fsk_print_image img;
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_print_image_load_watched(image_path(names[k]), &req, &img, NULL, &w,
                                                 &err),
                    0);
        TKIT_EQ_INT(t.falls, 0);
        TKIT_EQ_INT(t.last, img.height);
        TKIT_EQ_INT(t.width, img.width);
        TKIT_EQ_INT(t.calls > 1, early[k]);
        fsk_print_image_free(&img);
    }
    /* A failed load tells nothing of the end. */
    tally t = {0};
    fsk_grid_watch w = {.rows = count_rows, .ctx = &t};
    fsk_print_image img;
    fsk_err err = {0};
    TKIT_TRUE(fsk_print_image_load_watched(image_path("bad_jpeg_truncated.jpg"), &req, &img,
                                           NULL, &w, &err) != 0);
    TKIT_TRUE(img.rgba == NULL);
}

/* The calibration bundled in profiles/. */
static fsk_calibration *bundled_calibration(void)
{
    fsk_calibration *cal = NULL;
    fsk_err err = {0};
    char path[1024];
    snprintf(path, sizeof path, "%s/calibrations/cmyw-pla.json", FSK_TEST_PROFILES_DIR);
    TKIT_EQ_INT(fsk_calibration_load(path, &cal, &err), 0);
    return cal;
}

/* The colors of set announced to m a batch at a time, each batch then
 * matched as far as the table built ahead allows (what the collector does
 * when it has time): all answers, final and provisional, into *out. */
static void answer_while_announcing(const fsk_matcher *m, fsk_color_set *set,
                                    fsk_color_answers *out)
{
    enum { BATCH = 64 };
    size_t count = fsk_color_set_seal(set);
    uint32_t keys[BATCH];
    float rgb[BATCH * 3];
    uint32_t cursor = FSK_MATCH_CELLS;
    for (size_t first = 0; first < count; first += BATCH) {
        size_t n = fsk_color_set_keys(set, first, keys, BATCH);
        for (size_t i = 0; i < n; i++)
            fsk_color_of_key(keys[i], rgb + 3 * i);
        fsk_matcher_expect(m, rgb, n, 3, true);
        if (cursor == FSK_MATCH_CELLS)
            cursor = 0;
        for (int k = 0; k < 4 && fsk_matcher_build_ahead(m, &cursor); k++)
            ;
        for (size_t i = 0; i < n; i++) {
            fsk_match_stats st = {0};
            fsk_color_answer a = {.key = keys[i]};
            fsk_built_answer how =
                fsk_matcher_nearest_built(m, rgb + 3 * i, &st, &a.entry, &a.list);
            TKIT_TRUE(how != FSK_BUILT_NONE);
            a.evaluated = (uint32_t)st.evaluated;
            a.single = st.single != 0;
            a.provisional = how == FSK_BUILT_PROVISIONAL;
            TKIT_TRUE(fsk_color_answers_add(out, &a));
        }
    }
}

/* Labels and stats from the gathered set, and from the answers found
 * meanwhile, equal the usual ones: the collector's own answers (as many
 * as it had time for) and all colors answered batch by batch. */
static void test_same_labels_and_stats(void)
{
    fsk_calibration *cal = bundled_calibration();
    fsk_err err = {0};
    if (!cal)
        return;
    fsk_grid_request req = {.width_mm = 60, .pixel_mm = 0.25, .form = FSK_GRID_KEYS};
    fsk_grid_request float_req = req;
    float_req.form = FSK_GRID_RGBA;
    static const char *const names[] = {"exif_orientation1.jpg", "exif_orientation6.jpg",
                                        "png_adam7.png", "../../../samples/sunset.png"};
    /* Each image twice: resampled by the decoding thread, and through a
     * relay by the collector's thread as well. */
    for (int run = 0; run < 8; run++) {
        int k = run / 2;
        fsk_row_relay *relay = run % 2 ? fsk_row_relay_create() : NULL;
        fsk_matcher *plain_m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
        fsk_matcher *early_m = NULL;
        fsk_matcher_spec spec = {cal, NULL, 0, FSK_METRIC_DE2000};
        fsk_color_collector *c = fsk_color_collector_start(&spec, relay, &err);
        TKIT_TRUE(plain_m && c && (relay || run % 2 == 0));
        if (!plain_m || !c)
            break;
        fsk_grid_watch w = fsk_color_collector_watch(c);
        fsk_print_image img, floats, unwatched;
        TKIT_EQ_INT(fsk_print_image_load_watched(image_path(names[k]), &req, &img, NULL, &w,
                                                 &err),
                    0);
        fsk_color_set *set = NULL;
        fsk_color_answers found = {0};
        fsk_color_collector_finish(c, &early_m, &set, &found);
        fsk_row_relay_free(relay);
        TKIT_TRUE(early_m != NULL && set != NULL && img.keys != NULL && img.rgba == NULL);
        if (!early_m || !set || !img.keys)
            break;
        size_t n = (size_t)img.width * (size_t)img.height;
        /* The keys are those of the plain load's keys, and of its floats. */
        TKIT_EQ_INT(fsk_print_image_load(image_path(names[k]), &req, &unwatched, NULL, &err), 0);
        TKIT_TRUE(unwatched.width == img.width && unwatched.height == img.height &&
                  memcmp(unwatched.keys, img.keys, n * sizeof *img.keys) == 0);
        fsk_print_image_free(&unwatched);
        TKIT_EQ_INT(fsk_print_image_load(image_path(names[k]), &float_req, &floats, NULL, &err),
                    0);
        uint32_t *want = malloc(n * sizeof *want);
        fsk_color_keys(fsk_color_set_codes(set), floats.rgba, n, want);
        TKIT_TRUE(memcmp(img.keys, want, n * sizeof *want) == 0);
        free(want);
        /* Matching the floats, and matching the keys with what the
         * collector gathered and answered. */
        uint16_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        fsk_quantize_opts plain = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 2, NULL, NULL, NULL};
        fsk_quantize_opts early = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 2, set, &found, img.keys};
        fsk_match_stats sa = {0}, sb = {0}, sc = {0};
        TKIT_EQ_INT(fsk_quantize(floats.rgba, img.width, img.height, plain_m, &plain, a, &sa,
                                 &err),
                    0);
        TKIT_EQ_INT(fsk_quantize(NULL, img.width, img.height, early_m, &early, b, &sb, &err),
                    0);
        TKIT_TRUE(memcmp(a, b, n * sizeof *a) == 0);
        TKIT_TRUE(memcmp(&sa, &sb, sizeof sa) == 0);
        TKIT_TRUE(sa.colors > 1);
        fsk_color_answers all = {0};
        fsk_matcher *answered_m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
        answer_while_announcing(answered_m, set, &all);
        TKIT_EQ_INT(all.count, sa.colors);
        fsk_quantize_opts answered = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 2, set, &all, NULL};
        memset(b, 0, n * sizeof *b);
        TKIT_EQ_INT(fsk_quantize(floats.rgba, img.width, img.height, answered_m, &answered, b,
                                 &sc, &err),
                    0);
        TKIT_TRUE(memcmp(a, b, n * sizeof *a) == 0);
        TKIT_TRUE(memcmp(&sa, &sc, sizeof sa) == 0);
        fsk_print_image_free(&floats);
        fsk_color_answers_free(&found);
        fsk_color_answers_free(&all);
        fsk_color_set_free(set);
        free(a);
        free(b);
        fsk_print_image_free(&img);
        fsk_matcher_free(plain_m);
        fsk_matcher_free(early_m);
        fsk_matcher_free(answered_m);
    }
    fsk_calibration_free(cal);
}

/* Stopped before anything is told: no colors, nothing leaked. */
static void test_finish_early(void)
{
    fsk_calibration *cal = bundled_calibration();
    fsk_err err = {0};
    if (!cal)
        return;
    fsk_matcher_spec spec = {cal, NULL, 0, FSK_METRIC_DE2000};
    fsk_color_collector *c = fsk_color_collector_start(&spec, NULL, &err);
    TKIT_TRUE(c != NULL);
    if (c) {
        fsk_color_set *set = NULL;
        fsk_matcher *m = NULL;
        fsk_color_collector_finish(c, &m, &set, NULL);
        TKIT_TRUE(m != NULL && set != NULL);
        if (set)
            TKIT_EQ_INT((int)fsk_color_set_seal(set), 0);
        fsk_color_set_free(set);
        fsk_matcher_free(m);
    }
    c = fsk_color_collector_start(&spec, NULL, &err);
    if (c)
        fsk_color_collector_finish(c, NULL, NULL, NULL);
    /* A matcher the thread cannot make (an entry out of range): no
     * matcher and no colors come back, and nothing leaks. */
    static const uint16_t bad[1] = {60000};
    fsk_matcher_spec wrong = {cal, bad, 1, FSK_METRIC_DE2000};
    c = fsk_color_collector_start(&wrong, NULL, &err);
    TKIT_TRUE(c != NULL);
    if (c) {
        fsk_color_set *set = NULL;
        fsk_matcher *m = NULL;
        fsk_color_collector_finish(c, &m, &set, NULL);
        TKIT_TRUE(m == NULL && set == NULL);
    }
    fsk_calibration_free(cal);
}

/* A load that fails with a relay fails as one without: the same message,
 * no grid, and the collector still finishes. */
static void test_failed_load_with_relay(void)
{
    fsk_calibration *cal = bundled_calibration();
    if (!cal)
        return;
    fsk_grid_request req = {.width_mm = 40, .pixel_mm = 0.5, .form = FSK_GRID_KEYS};
    fsk_err plain_err = {0}, err = {0};
    fsk_print_image img;
    TKIT_TRUE(fsk_print_image_load(image_path("bad_jpeg_truncated.jpg"), &req, &img, NULL,
                                   &plain_err) != 0);
    fsk_matcher_spec spec = {cal, NULL, 0, FSK_METRIC_DE2000};
    fsk_row_relay *relay = fsk_row_relay_create();
    fsk_color_collector *c = relay ? fsk_color_collector_start(&spec, relay, &err) : NULL;
    TKIT_TRUE(c != NULL);
    if (c) {
        fsk_grid_watch w = fsk_color_collector_watch(c);
        TKIT_EQ_INT(fsk_print_image_load_watched(image_path("bad_jpeg_truncated.jpg"), &req,
                                                 &img, NULL, &w, &err),
                    plain_err.code);
        TKIT_EQ_STR(err.msg, plain_err.msg);
        TKIT_TRUE(img.rgba == NULL && img.keys == NULL);
        fsk_color_collector_finish(c, NULL, NULL, NULL);
    }
    fsk_row_relay_free(relay);
    fsk_calibration_free(cal);
}

int main(void)
{
    TKIT_RUN(test_watch_tells_rows);
    TKIT_RUN(test_same_labels_and_stats);
    TKIT_RUN(test_finish_early);
    TKIT_RUN(test_failed_load_with_relay);
    return TKIT_DONE();
}
