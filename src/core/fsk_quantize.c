/*
 * fsk_quantize.c — image to label map: nearest calibrated entry per pixel,
 * either of each distinct color once (fsk_quantize_distinct.c) or with
 * serpentine Floyd–Steinberg error diffusion in linear light (here).
 */
#include "fsk_quantize.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color_set.h"
#include "fsk_quantize_distinct.h"

/* Largest error a pixel passes on, per channel (linear light). */
#define ERROR_LIMIT 1.0f

const char *fsk_dither_name(fsk_dither dither)
{
    return dither == FSK_DITHER_FLOYD_STEINBERG ? "floyd-steinberg" : "none";
}

int fsk_dither_parse(const char *name, fsk_dither *out)
{
    if (strcmp(name, "none") == 0)
        *out = FSK_DITHER_NONE;
    else if (strcmp(name, "floyd-steinberg") == 0)
        *out = FSK_DITHER_FLOYD_STEINBERG;
    else
        return FSK_EINVAL;
    return 0;
}

static bool opaque(const float *rgba, size_t i)
{
    return rgba[i * 4 + 3] >= 0.5f;
}

static float clamp01(float v)
{
    return !(v > 0) ? 0.0f : v > 1 ? 1.0f : v;
}

static float clamp_error(float v)
{
    return !(v > -ERROR_LIMIT) ? -ERROR_LIMIT : v > ERROR_LIMIT ? ERROR_LIMIT : v;
}

/* With dithering, the color looked up is rounded to 8-bit sRGB as well,
 * and the answers for the last colors seen are remembered (direct-mapped
 * by key): error diffusion keeps returning to nearby colors. */
#define DITHER_MEMO_LOG2 16
typedef struct dither_memo {
    uint32_t tag;   /* key + 1; 0: empty */
    uint16_t label;
    uint8_t single; /* answered by a one-candidate cell */
} dither_memo;

/* The entry for the clamped color c, through the memo; counts the lookup
 * it stands for in *stats (may be NULL). */
static uint16_t remembered_nearest(const fsk_matcher *m, const fsk_srgb_cells *codes,
                                   dither_memo *memo, const float c[3],
                                   fsk_match_stats *stats)
{
    uint32_t key = fsk_color_key(codes, c);
    dither_memo *slot = &memo[(key * 0x9E3779B1u) >> (32 - DITHER_MEMO_LOG2)];
    if (slot->tag != key + 1) {
        fsk_match_stats found = {0};
        float rounded[3];
        fsk_color_of_key(key, rounded);
        slot->tag = key + 1;
        slot->label = fsk_matcher_nearest_counted(m, rounded, &found);
        slot->single = found.single != 0;
        if (stats)
            stats->evaluated += found.evaluated;
    }
    if (stats) {
        stats->lookups++;
        if (slot->single)
            stats->single++;
        else
            stats->listed++;
    }
    return slot->label;
}

static int diffuse(const float *rgba, int w, int h, const fsk_matcher *m,
                   uint16_t empty, uint16_t *labels, fsk_match_stats *stats,
                   fsk_err *err)
{
    /* Error rows with one pixel of margin on either side: index x + 1. */
    size_t row = (size_t)w + 2;
    float *cur = calloc(row * 3, sizeof *cur);
    float *next = calloc(row * 3, sizeof *next);
    dither_memo *memo = calloc((size_t)1 << DITHER_MEMO_LOG2, sizeof *memo);
    fsk_srgb_cells *codes = malloc(sizeof *codes);
    if (!cur || !next || !memo || !codes) {
        free(cur);
        free(next);
        free(memo);
        free(codes);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    fsk_srgb8_cells_init(codes);
    for (int y = 0; y < h; y++) {
        int dir = y % 2 ? -1 : 1;
        int x = dir > 0 ? 0 : w - 1;
        for (int n = 0; n < w; n++, x += dir) {
            size_t i = (size_t)y * (size_t)w + (size_t)x;
            if (!opaque(rgba, i)) {
                labels[i] = empty;
                continue;
            }
            float v[3], c[3], e[3];
            for (int k = 0; k < 3; k++) {
                v[k] = rgba[i * 4 + k] + cur[(size_t)(x + 1) * 3 + k];
                c[k] = clamp01(v[k]);
            }
            uint16_t label = remembered_nearest(m, codes, memo, c, stats);
            labels[i] = label;
            fsk_matcher_entry_linear(m, label, e);
            /* The error of the unclamped value, so that error pushed past
             * 0 or 1 is paid back, bounded so that colors the calibration
             * cannot reach do not pile it up. */
            for (int k = 0; k < 3; k++)
                e[k] = clamp_error(v[k] - e[k]);
            /* Targets: ahead in this row, then behind, below, ahead in the
             * next; transparent or outside targets drop their share. */
            const int dx[4] = {dir, -dir, 0, dir}, dy[4] = {0, 1, 1, 1};
            const float wt[4] = {7.0f / 16, 3.0f / 16, 5.0f / 16, 1.0f / 16};
            for (int t = 0; t < 4; t++) {
                int tx = x + dx[t], ty = y + dy[t];
                if (tx < 0 || tx >= w || ty >= h ||
                    !opaque(rgba, (size_t)ty * (size_t)w + (size_t)tx))
                    continue;
                float *dst = (dy[t] ? next : cur) + (size_t)(tx + 1) * 3;
                for (int k = 0; k < 3; k++)
                    dst[k] += e[k] * wt[t];
            }
        }
        float *t = cur;
        cur = next;
        next = t;
        memset(next, 0, row * 3 * sizeof *next);
    }
    free(cur);
    free(next);
    free(memo);
    free(codes);
    return 0;
}

int fsk_quantize(const float *rgba, int width, int height,
                 const fsk_matcher *m, const fsk_quantize_opts *opts,
                 uint16_t *labels, fsk_match_stats *stats, fsk_err *err)
{
    if (width < 1 || height < 1 || (uint64_t)width * (uint64_t)height > SIZE_MAX / 16)
        return fsk_err_set(err, FSK_EINVAL, "bad image size %dx%d", width, height);
    if (opts->transparent_label != FSK_LABEL_EMPTY &&
        opts->transparent_label != FSK_LABEL_BACKING)
        return fsk_err_set(err, FSK_EINVAL, "bad label for transparent pixels");
    /* Dithering moves the colors looked up away from the image's, but not
     * far: the image's colors still say where most lookups will be, not
     * exactly which. */
    if (opts->dither == FSK_DITHER_FLOYD_STEINBERG) {
        if (!rgba)
            return fsk_err_set(err, FSK_EINVAL, "dithering needs the image's colors");
        fsk_matcher_expect(m, rgba, (size_t)width * (size_t)height, 4, false);
        return diffuse(rgba, width, height, m, opts->transparent_label, labels,
                       stats, err);
    }
    size_t n = (size_t)width * (size_t)height;
    uint32_t *own = opts->keys ? NULL : fsk_pixel_keys(rgba, n, opts->threads);
    if (!opts->keys && !own)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    int rc = fsk_quantize_distinct(opts->keys ? opts->keys : own, n, m,
                                   opts->transparent_label, labels, opts->threads,
                                   opts->collected, opts->answered, stats, err);
    free(own);
    return rc;
}
