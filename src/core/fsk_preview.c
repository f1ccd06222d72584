/*
 * fsk_preview.c — preview image and CIEDE2000 error of a matched label map,
 * worked through in chunks of pixels (each with its own color cache), which
 * convert runs on its threads beside the meshes of the parts; the error is
 * added up in pixel order at the end.
 */
#include "fsk_preview.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_labels.h"
#include "fsk_memory.h"

/* The error histogram: bins of 0.01 ΔE00; larger errors share the last. */
#define BIN_WIDTH 0.01
#define BINS 20000
/* Pixels per chunk. */
#define CHUNK (64 * 1024)

/*
 * Artwork colors repeat a lot (flat areas, 8-bit sources), so the Lab of a
 * pixel and its ΔE00 to the chosen entry are cached by the pixel's exact
 * float color and label in a small direct-mapped table, one per chunk.
 */
typedef struct de_cache_slot {
    float rgb[3];
    uint16_t label;
    uint16_t used;
    double de;
} de_cache_slot;

#define CACHE_SLOTS 4096

struct fsk_preview_job {
    const fsk_print_image *img;
    const uint16_t *labels;
    const fsk_calibration *cal;
    uint8_t *rgba;              /* may be NULL */
    size_t n;
    int chunks;
    double *de;                 /* per pixel; negative where nothing is compared */
    uint8_t *seen;              /* chunks x entries: labels used */
    int failed;                 /* a chunk ran out of memory */
};

static uint32_t hash_color(const float rgb[3], uint16_t label)
{
    uint32_t h = 2166136261u;
    uint32_t bits[3];
    memcpy(bits, rgb, sizeof bits);
    for (int i = 0; i < 3; i++)
        h = (h ^ bits[i]) * 16777619u;
    h = (h ^ label) * 16777619u;
    return h ^ (h >> 15);
}

static de_cache_slot *slot_of(de_cache_slot *cache, const float *px, uint16_t label)
{
    return &cache[hash_color(px, label) % CACHE_SLOTS];
}

/* Pixels whose error is not in the cache, computed four at a time. */
typedef struct pending {
    size_t count;
    size_t pixel[4];
    uint16_t label[4];
    double lab[4][3];
} pending;

/* Computes the pending pixels' errors into de[] and the cache. */
static void flush(pending *p, const fsk_print_image *img, const fsk_calibration *cal,
                  de_cache_slot *cache, double *de)
{
    if (!p->count)
        return;
    const double *a[4], *b[4];
    for (size_t j = 0; j < 4; j++) {
        size_t k = j < p->count ? j : 0;
        a[j] = p->lab[k];
        b[j] = cal->entries[p->label[k]].lab;
    }
    double d[4];
    fsk_de2000_four(a, b, d);
    for (size_t j = 0; j < p->count; j++) {
        const float *px = img->rgba + 4 * p->pixel[j];
        de_cache_slot *slot = slot_of(cache, px, p->label[j]);
        memcpy(slot->rgb, px, sizeof slot->rgb);
        slot->label = p->label[j];
        slot->used = 1;
        slot->de = d[j];
        de[p->pixel[j]] = d[j];
    }
    p->count = 0;
}

/* The error of pixel i from the cache, or queued (and -1 until flushed). */
static void pixel_error(pending *p, de_cache_slot *cache, const fsk_print_image *img,
                        const fsk_calibration *cal, size_t i, uint16_t label, double *de)
{
    const float *px = img->rgba + 4 * i;
    const de_cache_slot *slot = slot_of(cache, px, label);
    if (slot->used && slot->label == label && memcmp(slot->rgb, px, sizeof slot->rgb) == 0) {
        de[i] = slot->de;
        return;
    }
    double lin[3] = {px[0], px[1], px[2]};
    fsk_linear_to_lab(lin, p->lab[p->count]);
    p->pixel[p->count] = i;
    p->label[p->count] = label;
    if (++p->count == 4)
        flush(p, img, cal, cache, de);
}

static void paint(uint8_t *dst, const double rgb255[3], uint8_t alpha)
{
    for (int c = 0; c < 3; c++)
        dst[c] = (uint8_t)fmin(255.0, fmax(0.0, floor(rgb255[c] + 0.5)));
    dst[3] = alpha;
}

void fsk_preview_paint(const uint16_t *labels, size_t count, const fsk_calibration *cal,
                       const double backing_rgb255[3], uint8_t *rgba)
{
    double backing_rgb[3] = {0, 0, 0};
    for (int c = 0; c < 3; c++)
        if (backing_rgb255)
            backing_rgb[c] = backing_rgb255[c];
        else if (cal->construction.backing_filament > 0)
            backing_rgb[c] = cal->filaments[cal->construction.backing_filament - 1].rgb[c];
    for (size_t i = 0; i < count; i++) {
        uint16_t label = labels[i];
        if (label == FSK_LABEL_EMPTY)
            memset(rgba + 4 * i, 0, 4);
        else if (label == FSK_LABEL_BACKING)
            paint(rgba + 4 * i, backing_rgb, 255);
        else
            paint(rgba + 4 * i, cal->entries[label].rgb, 255);
    }
}

static void preview_free(fsk_preview_job *job)
{
    if (!job)
        return;
    free(job->de);
    free(job->seen);
    free(job);
}

fsk_preview_job *fsk_preview_begin(const fsk_print_image *img, const uint16_t *labels,
                                   const fsk_calibration *cal, uint8_t *rgba,
                                   fsk_err *err)
{
    fsk_preview_job *job = calloc(1, sizeof *job);
    size_t n = (size_t)img->width * (size_t)img->height;
    size_t chunks = (n + CHUNK - 1) / CHUNK, entries = cal->entry_count ? cal->entry_count : 1;
    if (job) {
        job->de = fsk_alloc_large((n ? n : 1) * sizeof *job->de);
        job->seen = calloc(chunks ? chunks * entries : 1, 1);
    }
    if (!job || !job->de || !job->seen) {
        preview_free(job);
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    job->img = img;
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
        fsk_preview_paint(job->labels + start, end - start, cal, NULL, job->rgba + 4 * start);
    pending p = {0};
    for (size_t i = start; i < end; i++) {
        uint16_t label = job->labels[i];
        job->de[i] = -1;
        if (fsk_label_is_transparent(label))
            continue;
        seen[label] = 1;
        pixel_error(&p, cache, job->img, cal, i, label, job->de);
    }
    flush(&p, job->img, cal, cache, job->de);
    free(cache);
}

int fsk_preview_finish(fsk_preview_job *job, fsk_color_error *error, fsk_err *err)
{
    uint32_t *hist = calloc(BINS, sizeof *hist);
    if (!hist || job->failed) {
        free(hist);
        preview_free(job);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    double sum = 0, max = 0;
    uint64_t count = 0;
    for (size_t i = 0; i < job->n; i++) {
        double de = job->de[i];
        if (de < 0)
            continue;
        sum += de;
        if (de > max)
            max = de;
        size_t bin = (size_t)(de / BIN_WIDTH);
        hist[bin < BINS ? bin : BINS - 1]++;
        count++;
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
    preview_free(job);
    return 0;
}

int fsk_preview_build(const fsk_print_image *img, const uint16_t *labels,
                      const fsk_calibration *cal, uint8_t *rgba,
                      fsk_color_error *error, fsk_err *err)
{
    fsk_preview_job *job = fsk_preview_begin(img, labels, cal, rgba, err);
    if (!job)
        return FSK_ENOMEM;
    for (int k = 0; k < job->chunks; k++)
        fsk_preview_run_chunk(job, k);
    return fsk_preview_finish(job, error, err);
}
