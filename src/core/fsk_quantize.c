/*
 * fsk_quantize.c — image to label map: nearest calibrated entry per pixel,
 * optionally with serpentine Floyd–Steinberg error diffusion in linear
 * light.
 */
#include "fsk_quantize.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_parallel.h"

/* Largest error a pixel passes on, per channel (linear light). */
#define ERROR_LIMIT 1.0f
/* Pixels per chunk of plain matching, and its memory of answers. */
#define CHUNK_PIXELS (32 * 1024)
#define MEMO_SLOTS 8192

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

/* An answer remembered for an exact color (direct-mapped). */
typedef struct memo_slot {
    float rgb[3];
    uint16_t label;
    uint8_t single; /* the lookup was answered by a one-candidate cell */
    uint8_t used;
} memo_slot;

typedef struct plain_job {
    const float *rgba;
    size_t count;
    const fsk_matcher *m;
    uint16_t empty;
    uint16_t *labels;
    fsk_match_stats *stats; /* per chunk */
} plain_job;

static uint32_t hash_rgb(const float *px)
{
    uint32_t bits[3];
    memcpy(bits, px, sizeof bits);
    uint32_t h = (bits[0] * 0x9E3779B1u) ^ (bits[1] * 0x85EBCA77u) ^ (bits[2] * 0xC2B2AE3Du);
    return (h ^ (h >> 16)) & (MEMO_SLOTS - 1);
}

static void plain_chunk(void *ctx, int k)
{
    const plain_job *job = ctx;
    fsk_match_stats *st = &job->stats[k];
    memo_slot *memo = calloc(MEMO_SLOTS, sizeof *memo); /* NULL: no memory */
    size_t end = (size_t)(k + 1) * CHUNK_PIXELS < job->count ? (size_t)(k + 1) * CHUNK_PIXELS
                                                             : job->count;
    for (size_t i = (size_t)k * CHUNK_PIXELS; i < end; i++) {
        const float *px = job->rgba + i * 4;
        if (!opaque(job->rgba, i)) {
            job->labels[i] = job->empty;
            continue;
        }
        memo_slot *slot = memo ? &memo[hash_rgb(px)] : NULL;
        if (slot && slot->used && memcmp(slot->rgb, px, sizeof slot->rgb) == 0) {
            job->labels[i] = slot->label;
            st->lookups++;
            if (slot->single)
                st->single++;
            else
                st->listed++;
            continue;
        }
        uint64_t single = st->single;
        uint16_t label = fsk_matcher_nearest_counted(job->m, px, st);
        job->labels[i] = label;
        if (slot) {
            memcpy(slot->rgb, px, sizeof slot->rgb);
            slot->label = label;
            slot->single = st->single != single;
            slot->used = 1;
        }
    }
    free(memo);
}

static int plain(const float *rgba, size_t count, const fsk_matcher *m, uint16_t empty,
                 uint16_t *labels, int threads, fsk_match_stats *stats, fsk_err *err)
{
    int chunks = (int)((count + CHUNK_PIXELS - 1) / CHUNK_PIXELS);
    plain_job job = {rgba, count, m, empty, labels, calloc((size_t)chunks, sizeof *job.stats)};
    if (!job.stats)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    fsk_parallel_for(threads, chunks, plain_chunk, &job);
    for (int k = 0; k < chunks && stats; k++) {
        stats->lookups += job.stats[k].lookups;
        stats->single += job.stats[k].single;
        stats->listed += job.stats[k].listed;
        stats->evaluated += job.stats[k].evaluated;
    }
    free(job.stats);
    return 0;
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
    /* Dithering moves the colors looked up away from the image's, but not
     * far: the image's colors still say where most lookups will be, not
     * exactly which. */
    const bool dither = opts->dither == FSK_DITHER_FLOYD_STEINBERG;
    fsk_matcher_expect(m, rgba, (size_t)width * (size_t)height, 4, !dither);
    if (dither)
        return diffuse(rgba, width, height, m, opts->transparent_label, labels,
                       stats, err);
    return plain(rgba, (size_t)width * (size_t)height, m, opts->transparent_label, labels,
                 opts->threads, stats, err);
}
