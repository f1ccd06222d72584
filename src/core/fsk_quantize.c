/*
 * fsk_quantize.c — image to label map: nearest calibrated entry per pixel,
 * optionally with serpentine Floyd–Steinberg error diffusion in linear
 * light.
 */
#include "fsk_quantize.h"

#include <stdlib.h>
#include <string.h>

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

static void plain(const float *rgba, size_t count, const fsk_matcher *m,
                  uint16_t empty, uint16_t *labels, fsk_match_stats *stats)
{
    for (size_t i = 0; i < count; i++)
        labels[i] = opaque(rgba, i)
                        ? fsk_matcher_nearest_counted(m, rgba + i * 4, stats)
                        : empty;
}

static int diffuse(const float *rgba, int w, int h, const fsk_matcher *m,
                   uint16_t empty, uint16_t *labels, fsk_match_stats *stats,
                   fsk_err *err)
{
    /* Error rows with one pixel of margin on either side: index x + 1. */
    size_t row = (size_t)w + 2;
    float *cur = calloc(row * 3, sizeof *cur);
    float *next = calloc(row * 3, sizeof *next);
    if (!cur || !next) {
        free(cur);
        free(next);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
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
            uint16_t label = fsk_matcher_nearest_counted(m, c, stats);
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
    if (opts->dither == FSK_DITHER_FLOYD_STEINBERG)
        return diffuse(rgba, width, height, m, opts->transparent_label, labels,
                       stats, err);
    plain(rgba, (size_t)width * (size_t)height, m, opts->transparent_label, labels,
          stats);
    return 0;
}
