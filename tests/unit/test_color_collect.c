/*
 * test_color_collect.c — colors gathered while an image is decoded: the
 * loader tells finished rows early for upright images and once at the end
 * for turned ones, and matching with the gathered set gives the same
 * labels and stats as gathering after decoding.
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

static void count_rows(void *ctx, const float *rgba, int width, int rows_final)
{
    tally *t = ctx;
    (void)rgba;
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

/* Labels and stats from the gathered set equal the usual ones. */
static void test_same_labels_and_stats(void)
{
    fsk_calibration *cal = bundled_calibration();
    fsk_err err = {0};
    if (!cal)
        return;
    fsk_grid_request req = {.width_mm = 60, .pixel_mm = 0.25};
    static const char *const names[] = {"exif_orientation1.jpg", "exif_orientation6.jpg",
                                        "png_adam7.png", "../../../samples/sunset.png"};
    for (int k = 0; k < 4; k++) {
        fsk_matcher *plain_m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
        fsk_matcher *early_m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
        fsk_color_collector *c = fsk_color_collector_start(early_m, &err);
        TKIT_TRUE(plain_m && early_m && c);
        if (!plain_m || !early_m || !c)
            break;
        fsk_grid_watch w = fsk_color_collector_watch(c);
        fsk_print_image img;
        TKIT_EQ_INT(fsk_print_image_load_watched(image_path(names[k]), &req, &img, NULL, &w,
                                                 &err),
                    0);
        fsk_color_set *set = NULL;
        fsk_color_collector_finish(c, &set);
        TKIT_TRUE(set != NULL);
        size_t n = (size_t)img.width * (size_t)img.height;
        uint16_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        fsk_quantize_opts plain = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 2, NULL};
        fsk_quantize_opts early = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 2, set};
        fsk_match_stats sa = {0}, sb = {0};
        TKIT_EQ_INT(fsk_quantize(img.rgba, img.width, img.height, plain_m, &plain, a, &sa,
                                 &err),
                    0);
        TKIT_EQ_INT(fsk_quantize(img.rgba, img.width, img.height, early_m, &early, b, &sb,
                                 &err),
                    0);
        TKIT_TRUE(memcmp(a, b, n * sizeof *a) == 0);
        TKIT_TRUE(memcmp(&sa, &sb, sizeof sa) == 0);
        TKIT_TRUE(sa.colors > 1);
        fsk_color_set_free(set);
        free(a);
        free(b);
        fsk_print_image_free(&img);
        fsk_matcher_free(plain_m);
        fsk_matcher_free(early_m);
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
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    fsk_color_collector *c = fsk_color_collector_start(m, &err);
    TKIT_TRUE(c != NULL);
    if (c) {
        fsk_color_set *set = NULL;
        fsk_color_collector_finish(c, &set);
        TKIT_EQ_INT((int)fsk_color_set_seal(set), 0);
        fsk_color_set_free(set);
    }
    c = fsk_color_collector_start(m, &err);
    if (c)
        fsk_color_collector_finish(c, NULL);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

int main(void)
{
    TKIT_RUN(test_watch_tells_rows);
    TKIT_RUN(test_same_labels_and_stats);
    TKIT_RUN(test_finish_early);
    return TKIT_DONE();
}
