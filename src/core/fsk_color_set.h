/*
 * fsk_color_set.h — the distinct 8-bit sRGB colors of an image, so that
 * each is matched once: a set over the 2^24 colors, filled by several
 * threads at once, then numbered in key order.
 *
 * A color's key is its sRGB codes r << 16 | g << 8 | b, each the linear
 * value rounded to the nearest 8-bit sRGB code (fsk_srgb8_cells_init).
 * A pixel's key is its color's, with FSK_KEY_CLEAR added when its alpha
 * is below one half (it prints as transparent).
 */
#ifndef FSK_COLOR_SET_H
#define FSK_COLOR_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_color.h"

#define FSK_COLOR_KEYS (1u << 24)
#define FSK_KEY_CLEAR FSK_COLOR_KEYS
#define FSK_KEY_COLOR (FSK_COLOR_KEYS - 1)

typedef struct fsk_color_set fsk_color_set;

/* An empty set; NULL when out of memory (about 3 MiB). Free with
 * fsk_color_set_free (NULL is a no-op). */
fsk_color_set *fsk_color_set_create(void);
void fsk_color_set_free(fsk_color_set *set);

/* The rounding of linear values to codes the set uses (borrowed for the
 * life of the set). */
const fsk_srgb_cells *fsk_color_set_codes(const fsk_color_set *set);

/* The key of a linear RGB color (each channel clamped to 0..1). */
static inline uint32_t fsk_color_key(const fsk_srgb_cells *codes, const float rgb[3])
{
    return (uint32_t)fsk_srgb_cell(codes, rgb[0]) << 16 |
           (uint32_t)fsk_srgb_cell(codes, rgb[1]) << 8 | (uint32_t)fsk_srgb_cell(codes, rgb[2]);
}

/* The key of a pixel of float linear RGBA. */
static inline uint32_t fsk_pixel_key(const fsk_srgb_cells *codes, const float rgba[4])
{
    return fsk_color_key(codes, rgba) | (rgba[3] >= 0.5f ? 0 : FSK_KEY_CLEAR);
}

/* The keys of count pixels of float linear RGBA (fsk_pixel_key). */
void fsk_color_keys(const fsk_srgb_cells *codes, const float *rgba, size_t count,
                    uint32_t *keys);

/* The same into a new array (4 bytes a pixel, freed with free), made in
 * chunks on up to threads threads (fsk_parallel.h); NULL when memory is
 * short. */
uint32_t *fsk_pixel_keys(const float *rgba, size_t count, int threads);

/* The linear color of a key (exactly the decoded 8-bit sRGB codes; a
 * pixel's FSK_KEY_CLEAR is not read). */
void fsk_color_of_key(uint32_t key, float rgb[3]);

/* Adds a key. Safe from several threads at once, before fsk_color_set_seal. */
void fsk_color_set_add(fsk_color_set *set, uint32_t key);

/* The same, and whether the key is new to the set (true for exactly one
 * of several threads adding it at once). */
bool fsk_color_set_add_new(fsk_color_set *set, uint32_t key);

/* Numbers the keys in ascending order, 0 .. count - 1; returns count.
 * Call once, after every fsk_color_set_add. */
size_t fsk_color_set_seal(fsk_color_set *set);

/* The number of a key in the sealed set (the key must be in it). */
size_t fsk_color_set_rank(const fsk_color_set *set, uint32_t key);

/* For work split into ranges: fills keys[] with the keys numbered first,
 * first + 1, ... in order (at most max, fewer at the end of the set) and
 * returns how many. */
size_t fsk_color_set_keys(const fsk_color_set *set, size_t first, uint32_t *keys, size_t max);

#endif
