/*
 * test_cleanup.c — minimum-feature cleanup: hand-computed small maps, the
 * tie rules, transparency, and random maps checked against a slow,
 * independent reference that recomputes every region after each step.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_cleanup.h"
#include "fsk_labels.h"
#include "tkit.h"

#define E FSK_LABEL_EMPTY
#define B FSK_LABEL_BACKING

static uint32_t rng_state;

static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* Regions by flood fill, ids in row-major order of the first pixel. */
static int regions(const uint16_t *lab, int w, int h, int *comp, int *size)
{
    int n = w * h, count = 0;
    int *stack = malloc((size_t)n * sizeof *stack);
    for (int i = 0; i < n; i++)
        comp[i] = -1;
    for (int s = 0; s < n; s++) {
        if (comp[s] >= 0)
            continue;
        int top = 0;
        size[count] = 0;
        stack[top++] = s;
        comp[s] = count;
        while (top) {
            int p = stack[--top], x = p % w, y = p / w;
            size[count]++;
            int q[4] = {x > 0 ? p - 1 : -1, x + 1 < w ? p + 1 : -1,
                        y > 0 ? p - w : -1, y + 1 < h ? p + w : -1};
            for (int j = 0; j < 4; j++)
                if (q[j] >= 0 && comp[q[j]] < 0 && lab[q[j]] == lab[p]) {
                    comp[q[j]] = count;
                    stack[top++] = q[j];
                }
        }
        count++;
    }
    free(stack);
    return count;
}

/* The documented rule, applied literally: O(n) per absorbed island. */
static void reference(uint16_t *lab, int w, int h, int min)
{
    int n = w * h;
    int *comp = malloc((size_t)n * sizeof *comp);
    int *size = malloc((size_t)n * sizeof *size);
    int *border = malloc((size_t)n * sizeof *border);
    uint16_t *rlab = malloc((size_t)n * sizeof *rlab);
    for (;;) {
        int count = regions(lab, w, h, comp, size);
        for (int p = 0; p < n; p++)
            rlab[comp[p]] = lab[p];
        /* A region has a neighbour unless it is the whole map. */
        int island = -1;
        for (int r = 0; r < count && count > 1; r++)
            if (!fsk_label_is_transparent(rlab[r]) && size[r] < min &&
                (island < 0 || size[r] < size[island]))
                island = r;
        if (island < 0)
            break;
        memset(border, 0, (size_t)count * sizeof *border);
        int colored = 0;
        for (int p = 0; p < n; p++) {
            if (comp[p] != island)
                continue;
            int x = p % w, y = p / w;
            int q[4] = {x > 0 ? p - 1 : -1, x + 1 < w ? p + 1 : -1,
                        y > 0 ? p - w : -1, y + 1 < h ? p + w : -1};
            for (int j = 0; j < 4; j++)
                if (q[j] >= 0 && comp[q[j]] != island) {
                    border[comp[q[j]]]++;
                    colored |= !fsk_label_is_transparent(lab[q[j]]);
                }
        }
        int best = -1;
        for (int s = 0; s < count; s++) {
            if (!border[s] || (colored && fsk_label_is_transparent(rlab[s])))
                continue;
            if (best < 0 || border[s] > border[best] ||
                (border[s] == border[best] &&
                 (size[s] > size[best] ||
                  (size[s] == size[best] && rlab[s] < rlab[best]))))
                best = s;
        }
        for (int p = 0; p < n; p++)
            if (comp[p] == island)
                lab[p] = rlab[best];
    }
    free(comp);
    free(size);
    free(border);
    free(rlab);
}

static int run(uint16_t *lab, int w, int h, int min, fsk_cleanup_stats *st)
{
    fsk_err err = {0};
    int rc = fsk_cleanup_min_feature(lab, w, h, min, st, &err);
    if (rc != 0)
        fprintf(stderr, "cleanup failed: %s\n", err.msg);
    return rc;
}

static void test_speck(void)
{
    uint16_t m[25];
    for (int i = 0; i < 25; i++)
        m[i] = 3;
    m[12] = 7;
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 5, 5, 4, &st), 0);
    for (int i = 0; i < 25; i++)
        TKIT_EQ_INT(m[i], 3);
    TKIT_EQ_INT(st.pixels_changed, 1);
    TKIT_EQ_INT(st.islands_removed, 1);
}

/* A 2x2 island at columns 2-3 of a 10x4 map: it shares 6 edges with the
 * smaller region 0 (columns 0-3) and 2 with the larger region 1. */
static void make_island(uint16_t *m)
{
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 10; x++)
            m[y * 10 + x] = x < 4 ? 0 : 1;
    m[1 * 10 + 2] = m[1 * 10 + 3] = m[2 * 10 + 2] = m[2 * 10 + 3] = 2;
}

static void test_island_min4_stays(void)
{
    uint16_t m[40], orig[40];
    make_island(m);
    memcpy(orig, m, sizeof m);
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 10, 4, 4, &st), 0);
    TKIT_TRUE(memcmp(m, orig, sizeof m) == 0);
    TKIT_EQ_INT(st.pixels_changed, 0);
    TKIT_EQ_INT(st.islands_removed, 0);
}

static void test_island_min5_most_border(void)
{
    uint16_t m[40];
    make_island(m);
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 10, 4, 5, &st), 0);
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 10; x++)
            TKIT_EQ_INT(m[y * 10 + x], x < 4 ? 0 : 1);
    TKIT_EQ_INT(st.pixels_changed, 4);
    TKIT_EQ_INT(st.islands_removed, 1);
}

static void test_ties(void)
{
    /* Equal border (2 each): the larger region (label 5, 12 pixels) wins
     * over the smaller (label 1, 8 pixels). */
    uint16_t m[30] = {1, 1, 1, 1, 1, 5, 5, 5, 5, 5,
                      1, 1, 1, 1, 9, 5, 5, 5, 5, 5,
                      1, 1, 1, 1, 5, 5, 5, 5, 5, 5};
    /* The 9 touches 1 on the left and above, 5 on the right and below;
     * the 1s are 13 pixels, the 5s 16. */
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 10, 3, 3, &st), 0);
    TKIT_EQ_INT(m[14], 5);
    /* Equal border and size: the lower label wins. */
    uint16_t t[9] = {4, 4, 4,
                     4, 9, 2,
                     2, 2, 2};
    /* 9 touches 4 on top and left (2 edges), 2 right and below (2 edges),
     * both regions 4 pixels. */
    TKIT_EQ_INT(run(t, 3, 3, 2, &st), 0);
    TKIT_EQ_INT(t[4], 2);
    TKIT_EQ_INT(st.islands_removed, 1);
}

static void test_diagonal_not_connected(void)
{
    uint16_t m[16] = {0, 0, 0, 0,
                      0, 1, 0, 0,
                      0, 0, 1, 0,
                      0, 0, 0, 0};
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 4, 4, 2, &st), 0);
    for (int i = 0; i < 16; i++)
        TKIT_EQ_INT(m[i], 0);
    TKIT_EQ_INT(st.islands_removed, 2);
    /* Joined by an edge, the same two pixels are one region of 2. */
    uint16_t k[16] = {0, 0, 0, 0,
                      0, 1, 1, 0,
                      0, 0, 0, 0,
                      0, 0, 0, 0};
    TKIT_EQ_INT(run(k, 4, 4, 2, &st), 0);
    TKIT_EQ_INT(k[5], 1);
    TKIT_EQ_INT(k[6], 1);
    TKIT_EQ_INT(st.pixels_changed, 0);
}

/* 3x3 checkerboard, min 2, traced by hand: (0,0) joins its right neighbour
 * (equal border and size, same label, lower first pixel), which also connects (0,1);
 * that region of 1s (3 pixels) then absorbs every remaining 0. */
static void test_checkerboard_small(void)
{
    uint16_t m[9];
    for (int i = 0; i < 9; i++)
        m[i] = (uint16_t)((i % 3 + i / 3) % 2);
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 3, 3, 2, &st), 0);
    for (int i = 0; i < 9; i++)
        TKIT_EQ_INT(m[i], 1);
    TKIT_EQ_INT(st.pixels_changed, 5);
    TKIT_EQ_INT(st.islands_removed, 5);
}

/* Checks the post-condition: every colored region has >= min pixels or has
 * no neighbour; transparent pixels are unchanged and none were created. */
static void check_post(const uint16_t *before, const uint16_t *after, int w,
                       int h, int min)
{
    int n = w * h;
    int *comp = malloc((size_t)n * sizeof *comp);
    int *size = malloc((size_t)n * sizeof *size);
    int count = regions(after, w, h, comp, size);
    int bad = 0, transparency = 0;
    for (int p = 0; p < n; p++) {
        if (!fsk_label_is_transparent(after[p]) && size[comp[p]] < min && count > 1)
            bad++;
        if (fsk_label_is_transparent(before[p]) != fsk_label_is_transparent(after[p]) &&
            fsk_label_is_transparent(before[p]))
            transparency++;
        if (fsk_label_is_transparent(before[p]) && before[p] != after[p])
            transparency++;
    }
    TKIT_EQ_INT(bad, 0);
    TKIT_EQ_INT(transparency, 0);
    free(comp);
    free(size);
}

static void test_checkerboard_matches_reference(void)
{
    enum { W = 12, H = 9 };
    uint16_t m[W * H], r[W * H], orig[W * H];
    for (int i = 0; i < W * H; i++)
        m[i] = (uint16_t)((i % W + i / W) % 2 ? 3 : 8);
    memcpy(orig, m, sizeof m);
    memcpy(r, m, sizeof m);
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, W, H, 4, &st), 0);
    reference(r, W, H, 4);
    TKIT_TRUE(memcmp(m, r, sizeof m) == 0);
    check_post(orig, m, W, H, 4);
    TKIT_TRUE(st.islands_removed > 0);
}

/* Blobby random maps with transparent areas: blocks of random size and
 * label, then speckle noise. */
static void random_map(uint16_t *m, int w, int h, int labels)
{
    for (int i = 0; i < w * h; i++)
        m[i] = 0;
    for (int k = 0; k < w * h / 12; k++) {
        int bw = 1 + (int)(rng() % 5), bh = 1 + (int)(rng() % 4);
        int x0 = (int)(rng() % (uint32_t)w), y0 = (int)(rng() % (uint32_t)h);
        uint32_t v = rng() % (uint32_t)(labels + 2);
        uint16_t lab = v == (uint32_t)labels ? E : v == (uint32_t)labels + 1 ? B : (uint16_t)v;
        for (int y = y0; y < y0 + bh && y < h; y++)
            for (int x = x0; x < x0 + bw && x < w; x++)
                m[y * w + x] = lab;
    }
    for (int k = 0; k < w * h / 10; k++)
        m[rng() % (uint32_t)(w * h)] = (uint16_t)(rng() % (uint32_t)labels);
}

static void test_random_matches_reference(void)
{
    enum { W = 37, H = 29 };
    uint16_t m[W * H], r[W * H], orig[W * H];
    rng_state = 12345;
    int mismatches = 0;
    for (int round = 0; round < 40; round++) {
        int min = 2 + round % 7;
        random_map(m, W, H, 2 + round % 4);
        memcpy(orig, m, sizeof m);
        memcpy(r, m, sizeof m);
        fsk_cleanup_stats st;
        TKIT_EQ_INT(run(m, W, H, min, &st), 0);
        reference(r, W, H, min);
        if (memcmp(m, r, sizeof m) != 0)
            mismatches++;
        check_post(orig, m, W, H, min);
        uint64_t changed = 0;
        for (int i = 0; i < W * H; i++)
            changed += m[i] != orig[i];
        TKIT_EQ_INT(st.pixels_changed, changed);
    }
    TKIT_EQ_INT(mismatches, 0);
}

static void test_large_random_properties(void)
{
    int w = 400, h = 300, n = w * h;
    uint16_t *m = malloc((size_t)n * sizeof *m);
    uint16_t *orig = malloc((size_t)n * sizeof *m);
    uint16_t *again = malloc((size_t)n * sizeof *m);
    rng_state = 777;
    random_map(m, w, h, 5);
    memcpy(orig, m, (size_t)n * sizeof *m);
    fsk_cleanup_stats st, st2;
    TKIT_EQ_INT(run(m, w, h, 9, &st), 0);
    check_post(orig, m, w, h, 9);
    TKIT_TRUE(st.islands_removed > 1000);
    /* Deterministic, and a second pass has nothing left to do. */
    memcpy(again, orig, (size_t)n * sizeof *m);
    TKIT_EQ_INT(run(again, w, h, 9, &st2), 0);
    TKIT_TRUE(memcmp(m, again, (size_t)n * sizeof *m) == 0);
    TKIT_EQ_INT(st2.islands_removed, st.islands_removed);
    TKIT_EQ_INT(run(again, w, h, 9, &st2), 0);
    TKIT_EQ_INT(st2.pixels_changed, 0);
    free(m);
    free(orig);
    free(again);
}

static void test_transparency(void)
{
    /* A lone colored speck inside EMPTY goes to EMPTY; a small EMPTY hole
     * and a small BACKING area inside color stay; a colored speck touching
     * both color and EMPTY joins the color even with less border. */
    uint16_t a[9] = {E, E, E,
                     E, 4, E,
                     E, E, E};
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(a, 3, 3, 4, &st), 0);
    TKIT_EQ_INT(a[4], E);
    uint16_t b[12] = {1, 1, 1, 1,
                      1, E, B, 1,
                      1, 1, 1, 1};
    TKIT_EQ_INT(run(b, 4, 3, 4, &st), 0);
    TKIT_EQ_INT(b[5], E);
    TKIT_EQ_INT(b[6], B);
    TKIT_EQ_INT(st.pixels_changed, 0);
    uint16_t c[8] = {E, E, E, E,
                     E, 6, 2, 2};
    /* 6 shares 2 edges with EMPTY, 1 with the 2s. */
    TKIT_EQ_INT(run(c, 4, 2, 2, &st), 0);
    TKIT_EQ_INT(c[5], 2);
    /* Only BACKING around: the speck becomes backing. */
    uint16_t d[9] = {B, B, B, B, 4, B, B, B, B};
    TKIT_EQ_INT(run(d, 3, 3, 4, &st), 0);
    TKIT_EQ_INT(d[4], B);
}

static void test_isolated_and_args(void)
{
    uint16_t m[4] = {2, 2, 2, 2};
    fsk_cleanup_stats st;
    TKIT_EQ_INT(run(m, 2, 2, 100, &st), 0);
    TKIT_EQ_INT(m[0], 2);
    TKIT_EQ_INT(st.islands_removed, 0);
    uint16_t one[1] = {0};
    TKIT_EQ_INT(run(one, 1, 1, 4, &st), 0);
    TKIT_EQ_INT(one[0], 0);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_cleanup_min_feature(m, 0, 2, 4, &st, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "invalid label map 0x2");
    TKIT_EQ_INT(fsk_cleanup_min_feature(m, 70000, 70000, 4, &st, &err), FSK_ELIMIT);
    /* min_pixels of 1 or less: nothing to do. */
    uint16_t s[4] = {1, 2, 3, 4};
    TKIT_EQ_INT(run(s, 2, 2, 1, &st), 0);
    TKIT_EQ_INT(s[3], 4);
}

int main(void)
{
    TKIT_RUN(test_speck);
    TKIT_RUN(test_island_min4_stays);
    TKIT_RUN(test_island_min5_most_border);
    TKIT_RUN(test_ties);
    TKIT_RUN(test_diagonal_not_connected);
    TKIT_RUN(test_checkerboard_small);
    TKIT_RUN(test_checkerboard_matches_reference);
    TKIT_RUN(test_random_matches_reference);
    TKIT_RUN(test_large_random_properties);
    TKIT_RUN(test_transparency);
    TKIT_RUN(test_isolated_and_args);
    return TKIT_DONE();
}
