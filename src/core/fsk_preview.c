/*
 * fsk_preview.c — preview image and CIEDE2000 error of a matched label map,
 * worked through in chunks of pixels (each with its own color cache), which
 * convert runs on its threads beside the meshes of the parts; optionally
 * guessed ahead on a thread of its own from the labels of an earlier
 * stage, so the chunks redo only the pixels whose label changed since.
 * Each pixel's error is kept (as a float), and they are added up in pixel
 * order at the end, so the result does not depend on how far the guess
 * got.
 */
#include "fsk_preview.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_color_set.h"
#include "fsk_labels.h"
#include "fsk_memory.h"
#include "fsk_threads.h"

/* The error histogram: bins of 0.01 ΔE00; larger errors share the last. */
#define BIN_WIDTH 0.01
#define BINS 20000
/* Pixels per chunk. */
#define CHUNK (64 * 1024)
/* Pixels the guess works through between looks at whether to stop. */
#define GUESS_BLOCK 4096

/*
 * The artwork is compared as the matcher saw it: each pixel's color
 * rounded to 8-bit sRGB (its key). Keys repeat a lot (flat areas,
 * gradients, noise within a code), so the ΔE00 of a key and label is
 * cached in a direct-mapped table, one per chunk; a slot's tag is
 * key | label << 24 | 1 << 40, 0 when empty.
 */
typedef struct de_cache_slot {
    uint64_t tag;
    float de;
} de_cache_slot;

#define CACHE_BITS 14
#define CACHE_SLOTS (1u << CACHE_BITS)

typedef struct chunk_error {
    double sum, max;
    uint64_t count;
} chunk_error;

/* The error worked out ahead for the labels of an earlier stage. */
typedef struct guess {
    uint16_t *labels;        /* those labels (a copy), NULL when none */
    de_cache_slot *cache;    /* the guess's own, made before it starts: it
                              * then waits for no allocation (the thread
                              * going on meanwhile may hold malloc's lock,
                              * mapping in fresh pages, for milliseconds) */
    fsk_thread *thread;      /* while it runs */
    atomic_bool stop;
    atomic_size_t progress;  /* pixels 0..progress-1 are done */
    size_t done;             /* progress when stopped */
} guess;

struct fsk_preview_job {
    const uint32_t *keys;
    const uint16_t *labels;
    const fsk_calibration *cal;
    uint8_t *rgba;              /* may be NULL */
    size_t n;
    int chunks;
    float *de;                  /* per printed pixel: its ΔE00, to float precision
                                 * (ample for a report to 0.001) */
    chunk_error *chunk;         /* per chunk */
    uint8_t *seen;              /* chunks x entries: labels used */
    uint8_t (*paint)[4];        /* paint_table, when rgba is not NULL */
    int failed;                 /* a chunk ran out of memory */
    guess guess;
};

static uint64_t tag_of(uint32_t key, uint16_t label)
{
    return (uint64_t)key | (uint64_t)label << 24 | (uint64_t)1 << 40;
}

static uint16_t label_of(uint64_t tag)
{
    return (uint16_t)(tag >> 24);
}

static de_cache_slot *slot_of(de_cache_slot *cache, uint64_t tag)
{
    return &cache[(tag * 0x9E3779B97F4A7C15u) >> (64 - CACHE_BITS)];
}

/* Pixels whose error is not in the cache, computed eight at a time. */
#define PENDING 8
typedef struct pending {
    size_t count;
    size_t pixel[PENDING];
    uint64_t tag[PENDING];
    float lin[3 * PENDING]; /* the pixels' colors, linear, three by three */
} pending;

static size_t bin_of(float de)
{
    size_t b = (size_t)(de / BIN_WIDTH);
    return b < BINS ? b : BINS - 1;
}

/* Computes the pending pixels' errors into job->de and the cache, in
 * floats (within 1e-4 of fsk_de2000: the precision the error is kept to). */
static void flush(pending *p, fsk_preview_job *job, de_cache_slot *cache)
{
    if (!p->count)
        return;
    /* Lanes past the count repeat the first pixel; their results are
     * not used. */
    for (size_t j = p->count; j < PENDING; j++) {
        memcpy(p->lin + 3 * j, p->lin, 3 * sizeof *p->lin);
        p->tag[j] = p->tag[0];
    }
    const double *lab[PENDING];
    for (size_t j = 0; j < PENDING; j++)
        lab[j] = job->cal->entries[label_of(p->tag[j])].lab;
    float d[PENDING];
    fsk_de2000_eight_linear(p->lin, lab, d);
    for (size_t j = 0; j < p->count; j++) {
        de_cache_slot *slot = slot_of(cache, p->tag[j]);
        slot->tag = p->tag[j];
        slot->de = d[j];
        job->de[p->pixel[j]] = d[j];
    }
    p->count = 0;
}

/* The error of pixel i printed with label into job->de, from the cache,
 * or queued until flushed. */
static void pixel_error(pending *p, fsk_preview_job *job, de_cache_slot *cache, size_t i,
                        uint16_t label)
{
    uint32_t key = job->keys[i] & FSK_KEY_COLOR;
    uint64_t tag = tag_of(key, label);
    const de_cache_slot *slot = slot_of(cache, tag);
    if (slot->tag == tag) {
        job->de[i] = slot->de;
        return;
    }
    fsk_color_of_key(key, p->lin + 3 * p->count);
    p->pixel[p->count] = i;
    p->tag[p->count] = tag;
    if (++p->count == PENDING)
        flush(p, job, cache);
}

static void paint(uint8_t *dst, const double rgb255[3], uint8_t alpha)
{
    for (int c = 0; c < 3; c++)
        dst[c] = (uint8_t)fmin(255.0, fmax(0.0, floor(rgb255[c] + 0.5)));
    dst[3] = alpha;
}

/* The paint of each entry, and at index entry_count that of the backing
 * (backing_rgb255, or NULL for the backing filament's nominal color);
 * NULL when out of memory. Caller frees. */
static uint8_t (*paint_table(const fsk_calibration *cal, const double backing_rgb255[3]))[4]
{
    uint8_t(*table)[4] = malloc((cal->entry_count + 1) * sizeof *table);
    if (!table)
        return NULL;
    for (size_t e = 0; e < cal->entry_count; e++)
        paint(table[e], cal->entries[e].rgb, 255);
    double backing_rgb[3] = {0, 0, 0};
    for (int c = 0; c < 3; c++)
        if (backing_rgb255)
            backing_rgb[c] = backing_rgb255[c];
        else if (cal->construction.backing_filament > 0)
            backing_rgb[c] = cal->filaments[cal->construction.backing_filament - 1].rgb[c];
    paint(table[cal->entry_count], backing_rgb, 255);
    return table;
}

/* Paints count labels from a paint table of entries entries. */
static void paint_labels(const uint16_t *labels, size_t count, const uint8_t (*table)[4],
                         size_t entries, uint8_t *rgba)
{
    static const uint8_t clear[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < count; i++) {
        uint16_t label = labels[i];
        const uint8_t *color = label == FSK_LABEL_EMPTY     ? clear
                               : label == FSK_LABEL_BACKING ? table[entries]
                                                            : table[label];
        memcpy(rgba + 4 * i, color, 4);
    }
}

int fsk_preview_paint(const uint16_t *labels, size_t count, const fsk_calibration *cal,
                      const double backing_rgb255[3], uint8_t *rgba, fsk_err *err)
{
    uint8_t(*table)[4] = paint_table(cal, backing_rgb255);
    if (!table)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    paint_labels(labels, count, (const uint8_t(*)[4])table, cal->entry_count, rgba);
    free(table);
    return 0;
}

/* Works out the errors of the guessed labels from the first pixel on, a
 * block at a time, until told to stop or done. */
static void *guess_main(void *arg)
{
    fsk_preview_job *job = arg;
    guess *g = &job->guess;
    de_cache_slot *cache = g->cache;
    pending p = {0};
    for (size_t start = 0; start < job->n; start += GUESS_BLOCK) {
        if (atomic_load_explicit(&g->stop, memory_order_relaxed))
            break;
        size_t end = start + GUESS_BLOCK < job->n ? start + GUESS_BLOCK : job->n;
        for (size_t i = start; i < end; i++)
            if (!fsk_label_is_transparent(g->labels[i]))
                pixel_error(&p, job, cache, i, g->labels[i]);
        flush(&p, job, cache);
        atomic_store_explicit(&g->progress, end, memory_order_relaxed);
    }
    return NULL;
}

void fsk_preview_guess_start(fsk_preview_job *job)
{
    guess *g = &job->guess;
    if (g->labels || !job->n)
        return;
    g->labels = malloc(job->n * sizeof *g->labels);
    g->cache = calloc(CACHE_SLOTS, sizeof *g->cache);
    if (!g->labels || !g->cache)
        return; /* nothing guessed (done stays 0): the chunks do it all */
    memcpy(g->labels, job->labels, job->n * sizeof *g->labels);
    atomic_init(&g->stop, false);
    atomic_init(&g->progress, 0);
    g->thread = fsk_thread_start(guess_main, job);
}

void fsk_preview_guess_stop(fsk_preview_job *job)
{
    guess *g = &job->guess;
    if (!g->thread)
        return;
    atomic_store_explicit(&g->stop, true, memory_order_relaxed);
    fsk_thread_join(g->thread);
    g->thread = NULL;
    g->done = atomic_load_explicit(&g->progress, memory_order_relaxed);
}

void fsk_preview_abandon(fsk_preview_job *job)
{
    if (!job)
        return;
    fsk_preview_guess_stop(job);
    free(job->guess.labels);
    free(job->guess.cache);
    free(job->de);
    free(job->chunk);
    free(job->seen);
    free(job->paint);
    free(job);
}

fsk_preview_job *fsk_preview_begin(size_t n, const uint32_t *keys, const uint16_t *labels,
                                   const fsk_calibration *cal, uint8_t *rgba,
                                   fsk_err *err)
{
    fsk_preview_job *job = calloc(1, sizeof *job);
    size_t chunks = (n + CHUNK - 1) / CHUNK, entries = cal->entry_count ? cal->entry_count : 1;
    if (job) {
        job->de = fsk_alloc_large((n ? n : 1) * sizeof *job->de);
        job->chunk = calloc(chunks ? chunks : 1, sizeof *job->chunk);
        job->seen = calloc(chunks ? chunks * entries : 1, 1);
    }
    if (job && rgba)
        job->paint = paint_table(cal, NULL);
    if (!job || !job->de || !job->chunk || !job->seen || (rgba && !job->paint)) {
        fsk_preview_abandon(job);
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    job->keys = keys;
    job->labels = labels;
    job->cal = cal;
    job->rgba = rgba;
    job->n = n;
    job->chunks = (int)chunks;
    return job;
}

int fsk_preview_chunk_count(const fsk_preview_job *job)
{
    return job->chunks;
}

void fsk_preview_run_chunk(fsk_preview_job *job, int k)
{
    de_cache_slot *cache = calloc(CACHE_SLOTS, sizeof *cache);
    if (!cache) {
        job->failed = 1;
        return;
    }
    const fsk_calibration *cal = job->cal;
    uint8_t *seen = job->seen + (size_t)k * (cal->entry_count ? cal->entry_count : 1);
    size_t start = (size_t)k * CHUNK;
    size_t end = start + CHUNK < job->n ? start + CHUNK : job->n;
    if (job->rgba)
        paint_labels(job->labels + start, end - start, (const uint8_t(*)[4])job->paint,
                     cal->entry_count, job->rgba + 4 * start);
    /* Pixels the guess did with the label they still have keep its error. */
    const uint16_t *guessed = job->guess.labels;
    size_t guessed_end = job->guess.done;
    pending p = {0};
    for (size_t i = start; i < end; i++) {
        uint16_t label = job->labels[i];
        if (fsk_label_is_transparent(label))
            continue;
        seen[label] = 1;
        if (i < guessed_end && guessed[i] == label)
            continue;
        pixel_error(&p, job, cache, i, label);
    }
    flush(&p, job, cache);
    free(cache);
    /* Counted locally and stored once: neighbouring chunks' results share
     * cache lines. */
    chunk_error e = {0};
    for (size_t i = start; i < end; i++) {
        if (fsk_label_is_transparent(job->labels[i]))
            continue;
        double de = (double)job->de[i];
        e.sum += de;
        e.max = de > e.max ? de : e.max;
        e.count++;
    }
    job->chunk[k] = e;
}

int fsk_preview_finish(fsk_preview_job *job, fsk_color_error *error, fsk_err *err)
{
    uint32_t *hist = calloc(BINS, sizeof *hist);
    if (!hist || job->failed) {
        free(hist);
        fsk_preview_abandon(job);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < job->n; i++)
        if (!fsk_label_is_transparent(job->labels[i]))
            hist[bin_of(job->de[i])]++;
    double sum = 0, max = 0;
    uint64_t count = 0;
    for (int k = 0; k < job->chunks; k++) {
        sum += job->chunk[k].sum;
        max = fmax(max, job->chunk[k].max);
        count += job->chunk[k].count;
    }
    int colors = 0;
    size_t entries = job->cal->entry_count;
    for (size_t e = 0; e < entries; e++) {
        int used = 0;
        for (int k = 0; k < job->chunks && !used; k++)
            used = job->seen[(size_t)k * entries + e];
        colors += used;
    }
    error->pixels = count;
    error->mean = count ? sum / (double)count : 0;
    error->max = max;
    error->colors_used = colors;
    error->p95 = 0;
    /* The smallest bin edge below which at least 95 % of the pixels lie. */
    uint64_t want = (uint64_t)ceil(0.95 * (double)count), acc = 0;
    for (size_t b = 0; b < BINS && count; b++) {
        acc += hist[b];
        if (acc >= want) {
            error->p95 = fmin((double)(b + 1) * BIN_WIDTH, max);
            break;
        }
    }
    free(hist);
    fsk_preview_abandon(job);
    return 0;
}
