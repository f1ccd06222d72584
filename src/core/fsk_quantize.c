/*
 * fsk_quantize.c — image to label map: nearest calibrated entry per pixel,
 * optionally with serpentine Floyd–Steinberg error diffusion in linear
 * light.
 */
#include "fsk_quantize.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color_set.h"
#include "fsk_parallel.h"

/* Largest error a pixel passes on, per channel (linear light). */
#define ERROR_LIMIT 1.0f
/* Pixels per task of plain matching, and colors per task of matching the
 * distinct colors. */
#define CHUNK_PIXELS (32 * 1024)
#define CHUNK_COLORS 2048

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

/*
 * Without dithering, each pixel's color is rounded to 8-bit sRGB, the
 * precision of the artwork files, and each distinct color is matched once:
 * the keys are gathered into a set (in chunks of pixels, side by side),
 * the set's colors announced to the matcher and matched (in ranges of
 * colors), then every pixel takes its color's answer.
 */
typedef struct color_span {
    uint32_t start, end;
} color_span;

typedef struct plain_job {
    const float *rgba;
    size_t count;
    const fsk_matcher *m;
    uint16_t empty;
    uint16_t *labels;
    fsk_color_set *set;
    const fsk_srgb_cells *codes;
    size_t colors;
    uint32_t *keys;         /* by color number */
    uint32_t *order;        /* color numbers, grouped by eighth of the cube */
    color_span *spans;      /* tasks of matching colors: ranges of order */
    uint16_t *color_label;  /* by color number */
    uint8_t *color_single;  /* by color number: answered by a one-candidate cell */
    fsk_match_stats *stats; /* per task */
} plain_job;

static size_t chunk_end(size_t k, size_t size, size_t count)
{
    return (k + 1) * size < count ? (k + 1) * size : count;
}

static void collect_chunk(void *ctx, int k)
{
    const plain_job *job = ctx;
    size_t end = chunk_end((size_t)k, CHUNK_PIXELS, job->count);
    for (size_t i = (size_t)k * CHUNK_PIXELS; i < end; i++)
        if (opaque(job->rgba, i))
            fsk_color_set_add(job->set, fsk_color_key(job->codes, job->rgba + i * 4));
}

static void match_colors(void *ctx, int k)
{
    const plain_job *job = ctx;
    fsk_match_stats *st = &job->stats[k];
    for (uint32_t i = job->spans[k].start; i < job->spans[k].end; i++) {
        uint32_t number = job->order[i];
        float rgb[3];
        fsk_color_of_key(job->keys[number], rgb);
        uint64_t single = st->single;
        job->color_label[number] = fsk_matcher_nearest_counted(job->m, rgb, st);
        job->color_single[number] = st->single != single;
    }
}

/* The eighth of the color cube a key lies in: the top bits of its codes,
 * as the matcher's table divides the cube. */
static unsigned eighth_of(uint32_t key)
{
    return (key >> 23 & 1) << 2 | (key >> 15 & 1) << 1 | (key >> 7 & 1);
}

/* Groups the color numbers by eighth and cuts each group into spans of up
 * to CHUNK_COLORS, the eighths taken in turn: spans matched side by side
 * then build the matcher's table in different eighths, each under its own
 * lock, instead of waiting for one. Returns the number of spans. */
static int plan_spans(plain_job *job)
{
    uint32_t start[9] = {0}, fill[8];
    for (size_t n = 0; n < job->colors; n++)
        start[eighth_of(job->keys[n]) + 1]++;
    for (int e = 0; e < 8; e++) {
        start[e + 1] += start[e];
        fill[e] = start[e];
    }
    for (size_t n = 0; n < job->colors; n++)
        job->order[fill[eighth_of(job->keys[n])]++] = (uint32_t)n;
    int spans = 0;
    for (uint32_t from = 0;; from += CHUNK_COLORS) {
        bool any = false;
        for (int e = 0; e < 8; e++)
            if (start[e] + from < start[e + 1]) {
                uint32_t end = start[e] + from + CHUNK_COLORS;
                job->spans[spans++] = (color_span){start[e] + from,
                                                   end < start[e + 1] ? end : start[e + 1]};
                any = true;
            }
        if (!any)
            return spans;
    }
}

static void label_chunk(void *ctx, int k)
{
    const plain_job *job = ctx;
    fsk_match_stats *st = &job->stats[k];
    size_t end = chunk_end((size_t)k, CHUNK_PIXELS, job->count);
    for (size_t i = (size_t)k * CHUNK_PIXELS; i < end; i++) {
        if (!opaque(job->rgba, i)) {
            job->labels[i] = job->empty;
            continue;
        }
        size_t c = fsk_color_set_rank(job->set, fsk_color_key(job->codes, job->rgba + i * 4));
        job->labels[i] = job->color_label[c];
        st->lookups++;
        if (job->color_single[c])
            st->single++;
        else
            st->listed++;
    }
}

/* Announces the set's colors to the matcher, a block at a time. */
static void announce_colors(const plain_job *job)
{
    enum { BLOCK = 4096 };
    float rgb[BLOCK * 3];
    for (size_t first = 0; first < job->colors; first += BLOCK) {
        size_t n = job->colors - first < BLOCK ? job->colors - first : BLOCK;
        for (size_t i = 0; i < n; i++)
            fsk_color_of_key(job->keys[first + i], rgb + i * 3);
        fsk_matcher_expect(job->m, rgb, n, 3, true);
    }
}

/* Adds the tasks' stats (all fields but colors) to *stats. */
static void add_stats(const fsk_match_stats *tasks, int count, fsk_match_stats *stats)
{
    for (int k = 0; k < count; k++) {
        stats->lookups += tasks[k].lookups;
        stats->single += tasks[k].single;
        stats->listed += tasks[k].listed;
        stats->evaluated += tasks[k].evaluated;
    }
}

static int plain(const float *rgba, size_t count, const fsk_matcher *m, uint16_t empty,
                 uint16_t *labels, int threads, fsk_match_stats *stats, fsk_err *err)
{
    int pixel_chunks = (int)((count + CHUNK_PIXELS - 1) / CHUNK_PIXELS);
    plain_job job = {.rgba = rgba, .count = count, .m = m, .empty = empty, .labels = labels,
                     .set = fsk_color_set_create()};
    if (!job.set)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    job.codes = fsk_color_set_codes(job.set);
    fsk_parallel_for(threads, pixel_chunks, collect_chunk, &job);
    job.colors = fsk_color_set_seal(job.set);
    size_t most_spans = job.colors / CHUNK_COLORS + 8;
    int tasks = pixel_chunks > (int)most_spans ? pixel_chunks : (int)most_spans;
    size_t colors = job.colors ? job.colors : 1;
    job.keys = malloc(colors * sizeof *job.keys);
    job.order = malloc(colors * sizeof *job.order);
    job.spans = malloc(most_spans * sizeof *job.spans);
    job.color_label = malloc(colors * sizeof *job.color_label);
    job.color_single = malloc(colors);
    job.stats = calloc((size_t)tasks, sizeof *job.stats);
    int rc = 0;
    if (!job.keys || !job.order || !job.spans || !job.color_label || !job.color_single ||
        !job.stats) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    } else {
        fsk_color_set_keys(job.set, 0, job.keys, job.colors);
        announce_colors(&job);
        int spans = plan_spans(&job);
        fsk_parallel_for(threads, spans, match_colors, &job);
        fsk_match_stats found = {0};
        add_stats(job.stats, spans, &found);
        memset(job.stats, 0, (size_t)tasks * sizeof *job.stats);
        fsk_parallel_for(threads, pixel_chunks, label_chunk, &job);
        if (stats) {
            add_stats(job.stats, pixel_chunks, stats);
            stats->evaluated += found.evaluated;
            stats->colors += job.colors;
        }
    }
    free(job.keys);
    free(job.order);
    free(job.spans);
    free(job.color_label);
    free(job.color_single);
    free(job.stats);
    fsk_color_set_free(job.set);
    return rc;
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
        fsk_matcher_expect(m, rgba, (size_t)width * (size_t)height, 4, false);
        return diffuse(rgba, width, height, m, opts->transparent_label, labels,
                       stats, err);
    }
    return plain(rgba, (size_t)width * (size_t)height, m, opts->transparent_label, labels,
                 opts->threads, stats, err);
}
