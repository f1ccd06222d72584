/*
 * test_color_set.c — rounding linear values to 8-bit sRGB codes, and the
 * set of distinct colors: filled from several threads, its numbering in
 * key order, and the ranges of keys handed out for work.
 */
#include <stdlib.h>
#include <string.h>

#include "fsk_color_set.h"
#include "fsk_parallel.h"
#include "tkit.h"

static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return *seed;
}

/* Each code's cell holds the linear values whose sRGB value lies within
 * half a step of it: on random values, around every edge, and at the
 * ends; the color of a key decodes its codes exactly. */
static void test_codes_round_to_nearest(void)
{
    static fsk_srgb_cells codes;
    fsk_srgb8_cells_init(&codes);
    TKIT_EQ_INT(codes.count, 256);
    uint32_t seed = 1;
    long off = 0, tried = 0;
    for (int i = 0; i < 200000; i++) {
        float v = (float)(next_random(&seed) >> 8) / 16777216.0f;
        if (i % 4 == 0) { /* near an edge: within a few floats of it */
            int k = 1 + (int)(next_random(&seed) % 255);
            v = codes.edges[k];
            for (int s = (int)(next_random(&seed) % 9); s > 0; s--)
                v = nextafterf(v, i % 8 ? 2.0f : -1.0f);
        }
        int code = fsk_srgb_cell(&codes, v);
        double srgb = fsk_linear_to_srgb(v) * 255.0;
        off += !(srgb >= code - 0.5 - 1e-4 && srgb <= code + 0.5 + 1e-4);
        tried++;
    }
    TKIT_EQ_INT(off, 0);
    TKIT_EQ_INT(tried, 200000);
    TKIT_EQ_INT(fsk_srgb_cell(&codes, 0.0f), 0);
    TKIT_EQ_INT(fsk_srgb_cell(&codes, -3.0f), 0);
    TKIT_EQ_INT(fsk_srgb_cell(&codes, 1.0f), 255);
    TKIT_EQ_INT(fsk_srgb_cell(&codes, 9.0f), 255);
    const float *decode = fsk_srgb8_to_linear_table();
    int exact = 0;
    for (int c = 0; c < 256; c++) {
        float rgb[3] = {decode[c], decode[255 - c], decode[c / 2]};
        uint32_t key = fsk_color_key(&codes, rgb);
        float back[3];
        fsk_color_of_key(key, back);
        exact += key == ((uint32_t)c << 16 | (uint32_t)(255 - c) << 8 | (uint32_t)(c / 2)) &&
                 memcmp(back, rgb, sizeof back) == 0;
    }
    TKIT_EQ_INT(exact, 256);
}

enum { KEYS = 300000, TASKS = 12 };

typedef struct fill_job {
    fsk_color_set *set;
    const uint32_t *keys;
} fill_job;

static void fill_part(void *ctx, int k)
{
    const fill_job *job = ctx;
    for (int i = k; i < KEYS; i += TASKS)
        fsk_color_set_add(job->set, job->keys[i]);
}

static int compare_keys(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Keys added by four threads (many repeated, some at the ends of the key
 * range) are numbered 0 .. n - 1 in ascending order, as a sorted copy
 * says; ranges of keys come out in that order, also across word ends. */
static void test_set_numbers_keys_in_order(void)
{
    uint32_t *keys = malloc(KEYS * sizeof *keys), *sorted = malloc(KEYS * sizeof *sorted);
    TKIT_TRUE(keys && sorted);
    uint32_t seed = 7;
    for (int i = 0; i < KEYS; i++) {
        uint32_t r = next_random(&seed);
        keys[i] = i % 3 ? (r >> 8) & 0xFFFFFF : (r >> 8) & 0x3FF; /* repeats */
    }
    keys[0] = 0;
    keys[1] = FSK_COLOR_KEYS - 1;
    keys[2] = 63;
    keys[3] = 64;
    memcpy(sorted, keys, KEYS * sizeof *keys);
    qsort(sorted, KEYS, sizeof *sorted, compare_keys);
    size_t distinct = 0;
    for (int i = 0; i < KEYS; i++)
        if (i == 0 || sorted[i] != sorted[i - 1])
            sorted[distinct++] = sorted[i];

    fsk_color_set *set = fsk_color_set_create();
    TKIT_TRUE(set != NULL);
    fill_job job = {set, keys};
    fsk_parallel_for(4, TASKS, fill_part, &job);
    TKIT_EQ_INT(fsk_color_set_seal(set), distinct);
    long misnumbered = 0;
    for (size_t n = 0; n < distinct; n++)
        misnumbered += fsk_color_set_rank(set, sorted[n]) != n;
    TKIT_EQ_INT(misnumbered, 0);
    uint32_t got[1000];
    long misplaced = 0;
    const size_t starts[] = {0, 1, 63, 64, 65, distinct / 2, distinct - 5};
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        size_t n = fsk_color_set_keys(set, starts[s], got, 1000);
        size_t want = distinct - starts[s] < 1000 ? distinct - starts[s] : 1000;
        TKIT_EQ_INT(n, want);
        for (size_t i = 0; i < n; i++)
            misplaced += got[i] != sorted[starts[s] + i];
    }
    TKIT_EQ_INT(misplaced, 0);
    TKIT_EQ_INT(fsk_color_set_keys(set, distinct, got, 1000), 0);
    fsk_color_set_free(set);
    fsk_color_set_free(NULL);
    free(keys);
    free(sorted);
}

int main(void)
{
    TKIT_RUN(test_codes_round_to_nearest);
    TKIT_RUN(test_set_numbers_keys_in_order);
    return TKIT_DONE();
}
