/*
 * fsk_color_set.c — the distinct 8-bit sRGB colors of an image
 * (fsk_color_set.h): a bit per key, set with atomic ORs, and once sealed
 * the number of keys before each 64-bit word, so a key's number is that
 * count plus a population count within its word.
 */
#include "fsk_color_set.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "fsk_bits.h"
#include "fsk_memory.h"
#include "fsk_parallel.h"

#define WORDS (FSK_COLOR_KEYS / 64)

struct fsk_color_set {
    _Atomic uint64_t *bits; /* WORDS */
    uint32_t *before;       /* WORDS + 1: keys in the words before */
    fsk_srgb_cells codes;
};

fsk_color_set *fsk_color_set_create(void)
{
    fsk_color_set *set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    set->bits = calloc(WORDS, sizeof *set->bits);
    set->before = malloc((WORDS + 1) * sizeof *set->before);
    if (!set->bits || !set->before) {
        fsk_color_set_free(set);
        return NULL;
    }
    fsk_srgb8_cells_init(&set->codes);
    return set;
}

void fsk_color_set_free(fsk_color_set *set)
{
    if (!set)
        return;
    free(set->bits);
    free(set->before);
    free(set);
}

const fsk_srgb_cells *fsk_color_set_codes(const fsk_color_set *set)
{
    return &set->codes;
}

void fsk_color_keys(const fsk_srgb_cells *codes, const float *rgba, size_t count,
                    uint32_t *keys)
{
    for (size_t i = 0; i < count; i++)
        keys[i] = fsk_pixel_key(codes, rgba + 4 * i);
}

/* Pixels per task of fsk_pixel_keys. */
#define KEY_CHUNK (64 * 1024)

typedef struct key_job {
    const float *rgba;
    size_t count;
    uint32_t *keys;
    fsk_srgb_cells codes;
} key_job;

static void keys_chunk(void *ctx, int k)
{
    key_job *kj = ctx;
    size_t start = (size_t)k * KEY_CHUNK;
    size_t end = start + KEY_CHUNK < kj->count ? start + KEY_CHUNK : kj->count;
    fsk_color_keys(&kj->codes, kj->rgba + 4 * start, end - start, kj->keys + start);
}

uint32_t *fsk_pixel_keys(const float *rgba, size_t count, int threads)
{
    key_job *kj = malloc(sizeof *kj);
    uint32_t *keys = fsk_alloc_large((count ? count : 1) * sizeof *keys);
    if (kj && keys) {
        *kj = (key_job){.rgba = rgba, .count = count, .keys = keys};
        fsk_srgb8_cells_init(&kj->codes);
        fsk_parallel_for(threads, (int)((count + KEY_CHUNK - 1) / KEY_CHUNK), keys_chunk, kj);
    } else {
        free(keys);
        keys = NULL;
    }
    free(kj);
    return keys;
}

void fsk_color_of_key(uint32_t key, float rgb[3])
{
    const float *decode = fsk_srgb8_to_linear_table();
    rgb[0] = decode[key >> 16 & 0xFF];
    rgb[1] = decode[key >> 8 & 0xFF];
    rgb[2] = decode[key & 0xFF];
}

bool fsk_color_set_add_new(fsk_color_set *set, uint32_t key)
{
    uint64_t bit = (uint64_t)1 << (key & 63);
    _Atomic uint64_t *word = &set->bits[key >> 6 & (WORDS - 1)];
    /* Most keys repeat: a plain load spares the write. */
    if (atomic_load_explicit(word, memory_order_relaxed) & bit)
        return false;
    return !(atomic_fetch_or_explicit(word, bit, memory_order_relaxed) & bit);
}

void fsk_color_set_add(fsk_color_set *set, uint32_t key)
{
    (void)fsk_color_set_add_new(set, key);
}

size_t fsk_color_set_seal(fsk_color_set *set)
{
    uint32_t total = 0;
    for (size_t w = 0; w < WORDS; w++) {
        set->before[w] = total;
        total += (uint32_t)fsk_popcount64(
            atomic_load_explicit(&set->bits[w], memory_order_relaxed));
    }
    set->before[WORDS] = total;
    return total;
}

size_t fsk_color_set_rank(const fsk_color_set *set, uint32_t key)
{
    size_t w = key >> 6 & (WORDS - 1);
    uint64_t below = ((uint64_t)1 << (key & 63)) - 1;
    return set->before[w] + (size_t)fsk_popcount64(
                                atomic_load_explicit(&set->bits[w], memory_order_relaxed) &
                                below);
}

size_t fsk_color_set_keys(const fsk_color_set *set, size_t first, uint32_t *keys, size_t max)
{
    /* The word holding number first: the last word with before <= first. */
    size_t lo = 0, hi = WORDS - 1;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (set->before[mid] <= first)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t n = 0, number = set->before[lo];
    for (size_t w = lo; w < WORDS && n < max; w++) {
        uint64_t bits = atomic_load_explicit(&set->bits[w], memory_order_relaxed);
        while (bits && n < max) {
            int b = __builtin_ctzll(bits);
            bits &= bits - 1;
            if (number++ >= first)
                keys[n++] = (uint32_t)(w << 6 | (size_t)b);
        }
    }
    return n;
}
