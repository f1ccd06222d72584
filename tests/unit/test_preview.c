/*
 * test_preview.c — the preview's color error: against CIEDE2000 pixel by
 * pixel, and the same to the bit with or without a guess made ahead from
 * labels that then change (however far the guess got).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture_cal.h"
#include "fsk_color_set.h"
#include "fsk_labels.h"
#include "fsk_preview.h"
#include "tkit.h"

/* More pixels than one chunk holds, so several chunks run. */
enum { W = 331, H = 307, N = W * H };

static uint32_t rng_state;

static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* Keys of a noisy gradient (colors repeat, as in artwork) and labels: one
 * entry per band of keys, an eighth of the pixels transparent. */
static void make_map(size_t entries, uint32_t *keys, uint16_t *labels)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            size_t i = (size_t)y * W + (size_t)x;
            uint32_t r = (uint32_t)(x * 255 / W), g = (uint32_t)(y * 255 / H);
            uint32_t b = (r + g) / 2 + (rng() & 7);
            keys[i] = r << 16 | g << 8 | (b > 255 ? 255 : b);
            uint32_t pick = rng() % 64;
            labels[i] = pick < 4   ? FSK_LABEL_EMPTY
                        : pick < 8 ? FSK_LABEL_BACKING
                                   : (uint16_t)((r / 16 + g / 32 + pick % 3) % entries);
        }
}

/* Changes about a tenth of the labels, some to or from transparent. */
static void change_some(size_t entries, uint16_t *labels)
{
    for (size_t i = 0; i < N; i++) {
        uint32_t pick = rng() % 100;
        if (pick < 8)
            labels[i] = (uint16_t)((labels[i] + 1 + pick) % entries);
        else if (pick < 9)
            labels[i] = FSK_LABEL_EMPTY;
    }
}

/* A calibration, the keys and the labels of a map made by make_map. */
typedef struct map {
    fsk_calibration *cal;
    uint32_t *keys;
    uint16_t *labels;
} map;

static void map_free(map *m)
{
    free(m->keys);
    free(m->labels);
    fsk_calibration_free(m->cal);
}

/* false (nothing to free) when memory is short. */
static bool map_make(map *m, uint32_t seed)
{
    m->cal = fixture_averaging(4, 4, NULL);
    m->keys = malloc(N * sizeof *m->keys);
    m->labels = malloc(N * sizeof *m->labels);
    TKIT_TRUE(m->cal && m->keys && m->labels);
    if (!m->cal || !m->keys || !m->labels) {
        map_free(m);
        return false;
    }
    rng_state = seed;
    make_map(m->cal->entry_count, m->keys, m->labels);
    return true;
}

typedef enum guess_plan { NO_GUESS, GUESS_STOPPED_AT_ONCE, GUESS_GIVEN_TIME } guess_plan;

/* The error and image of the map, made as `how` says; the guess starts
 * from `before` and the labels change to `after` while it runs. */
static int run_preview(const fsk_calibration *cal, const uint32_t *keys, const uint16_t *before,
                       const uint16_t *after, guess_plan how, fsk_color_error *out, uint8_t *rgba)
{
    uint16_t *labels = malloc(N * sizeof *labels);
    if (!labels)
        return -1;
    memcpy(labels, before, N * sizeof *labels);
    fsk_err err = {0};
    fsk_preview_job *job = fsk_preview_begin(N, keys, labels, cal, rgba, &err);
    if (!job) {
        free(labels);
        return -1;
    }
    if (how != NO_GUESS) {
        fsk_preview_guess_start(job);
        if (how == GUESS_GIVEN_TIME)
            nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
    }
    memcpy(labels, after, N * sizeof *labels);
    fsk_preview_guess_stop(job);
    for (int k = fsk_preview_chunk_count(job) - 1; k >= 0; k--)
        fsk_preview_run_chunk(job, k);
    int rc = fsk_preview_finish(job, out, &err);
    free(labels);
    return rc;
}

static void test_error_per_pixel(void)
{
    map m;
    if (!map_make(&m, 7))
        return;
    fsk_color_error e;
    TKIT_EQ_INT(run_preview(m.cal, m.keys, m.labels, m.labels, NO_GUESS, &e, NULL), 0);
    double sum = 0, max = 0;
    uint64_t count = 0;
    for (size_t i = 0; i < N; i++) {
        if (fsk_label_is_transparent(m.labels[i]))
            continue;
        float rgb[3];
        fsk_color_of_key(m.keys[i], rgb);
        double lin[3] = {rgb[0], rgb[1], rgb[2]}, lab[3];
        fsk_linear_to_lab(lin, lab);
        double d = fsk_de2000(lab, m.cal->entries[m.labels[i]].lab);
        sum += d;
        max = fmax(max, d);
        count++;
    }
    TKIT_TRUE(count > N / 2 && count < N);
    TKIT_EQ_INT((long long)e.pixels, (long long)count);
    /* Each pixel's error is kept to float precision. */
    TKIT_NEAR(e.mean, sum / (double)count, 1e-5);
    TKIT_NEAR(e.max, max, 1e-5);
    TKIT_TRUE(e.p95 > 0 && e.p95 <= e.max);
    map_free(&m);
}

static void test_guess_changes_nothing(void)
{
    map m;
    if (!map_make(&m, 11))
        return;
    uint16_t *after = malloc(N * sizeof *after);
    uint8_t *rgba[3] = {malloc(4 * N), malloc(4 * N), malloc(4 * N)};
    TKIT_TRUE(after && rgba[0] && rgba[1] && rgba[2]);
    if (after && rgba[0] && rgba[1] && rgba[2]) {
        memcpy(after, m.labels, N * sizeof *after);
        change_some(m.cal->entry_count, after);
        fsk_color_error e[3];
        const guess_plan hows[3] = {NO_GUESS, GUESS_STOPPED_AT_ONCE, GUESS_GIVEN_TIME};
        for (int h = 0; h < 3; h++)
            TKIT_EQ_INT(run_preview(m.cal, m.keys, m.labels, after, hows[h], &e[h], rgba[h]), 0);
        for (int h = 1; h < 3; h++) {
            TKIT_TRUE(e[h].mean == e[0].mean && e[h].max == e[0].max && e[h].p95 == e[0].p95);
            TKIT_EQ_INT((long long)e[h].pixels, (long long)e[0].pixels);
            TKIT_EQ_INT(e[h].colors_used, e[0].colors_used);
            TKIT_EQ_INT(memcmp(rgba[h], rgba[0], 4 * N), 0);
        }
        /* The change mattered: the error of the labels before differs. */
        fsk_color_error old;
        TKIT_EQ_INT(run_preview(m.cal, m.keys, m.labels, m.labels, NO_GUESS, &old, NULL), 0);
        TKIT_TRUE(old.mean != e[0].mean);
    }
    for (int h = 0; h < 3; h++)
        free(rgba[h]);
    free(after);
    map_free(&m);
}

/* A job given up with its guess still running stops the guess first. */
static void test_abandon_while_guessing(void)
{
    map m;
    if (!map_make(&m, 13))
        return;
    fsk_err err = {0};
    fsk_preview_job *job = fsk_preview_begin(N, m.keys, m.labels, m.cal, NULL, &err);
    TKIT_TRUE(job != NULL);
    if (job) {
        fsk_preview_guess_start(job);
        fsk_preview_abandon(job);
    }
    map_free(&m);
}

int main(void)
{
    TKIT_RUN(test_error_per_pixel);
    TKIT_RUN(test_guess_changes_nothing);
    TKIT_RUN(test_abandon_while_guessing);
    return TKIT_DONE();
}
