/*
 * test_simplify.c — boundary simplification within a color tolerance: an
 * odd pixel is absorbed exactly when its neighbours' color is within the
 * tolerance; a bump two pixels wide is flattened; on random maps every
 * change keeps the pixel within its budget, never touches transparent
 * pixels, and the corners removed are exactly the difference of the
 * counts before and after; maps taller than a band give the same result
 * on 1, 2 or 4 threads; a tolerance of 0 changes nothing.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_cal.h"
#include "fixture_map.h"
#include "fsk_color.h"
#include "fsk_color_set.h"
#include "fsk_labels.h"
#include "fsk_simplify.h"
#include "fsk_stack_choice.h"
#include "tkit.h"

static uint32_t rng_state = 777;

/* Pixel i's key set from sRGB 0..255 (rounded to 8 bits). */
static void put_srgb(uint32_t *keys, size_t i, const double srgb[3])
{
    uint32_t key = 0;
    for (int k = 0; k < 3; k++)
        key = key << 8 | (uint32_t)lround(fmin(255, fmax(0, srgb[k])));
    keys[i] = key;
}

static double de_of(const uint32_t *keys, size_t i, const fsk_calibration *cal,
                    uint16_t entry)
{
    float px[3];
    fsk_color_of_key(keys[i], px);
    double rgb[3] = {px[0], px[1], px[2]}, lab[3];
    fsk_linear_to_lab(rgb, lab);
    return fsk_de2000(lab, cal->entries[entry].lab);
}

/* Two colors about 2 ΔE00 apart, printed with different filaments. */
static fsk_calibration *two_close_colors(void)
{
    const uint8_t seqs[][4] = {{1, 1}, {2, 2}};
    const double rgbs[][3] = {{120, 130, 140}, {124, 130, 136}};
    return fixture_simple(2, 2, 2, seqs, rgbs);
}

static void test_odd_pixel_absorbed_within_tolerance(void)
{
    fsk_calibration *cal = two_close_colors();
    enum { W = 5, H = 5 };
    uint32_t keys[W * H];
    uint16_t map[W * H];
    for (size_t i = 0; i < W * H; i++) {
        map[i] = i == 12 ? 1 : 0;
        put_srgb(keys, i, cal->entries[map[i]].rgb);
    }
    const double d = de_of(keys, 12, cal, 0); /* the odd pixel's cost of taking 0 */
    TKIT_TRUE(d > 1.0 && d < 4.0);
    fsk_err err = {0};
    fsk_simplify_stats st;
    uint16_t kept[W * H];
    memcpy(kept, map, sizeof map);
    TKIT_EQ_INT(fsk_simplify_boundaries(kept, W, H, keys, cal, d - 0.01, 2, &st, &err), 0);
    TKIT_EQ_INT(kept[12], 1);
    TKIT_EQ_INT(st.pixels_changed, 0);
    TKIT_EQ_INT(fsk_simplify_boundaries(map, W, H, keys, cal, d + 0.01, 2, &st, &err), 0);
    TKIT_EQ_INT(map[12], 0);
    TKIT_EQ_INT(st.pixels_changed, 1);
    TKIT_EQ_INT(st.corners_removed, 16); /* two 1x1x2 boxes of 8 corners each */
    TKIT_EQ_INT(fixture_corners(map, W, H, cal), 8);
    fsk_calibration_free(cal);
}

static void test_two_pixel_bump_flattened(void)
{
    fsk_calibration *cal = two_close_colors();
    /* Two halves of 84 pixels, too big to change as a whole. */
    enum { W = 12, H = 14 };
    uint32_t keys[W * H];
    uint16_t map[W * H], straight[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            size_t i = (size_t)(y * W + x);
            straight[i] = y < 7 ? 0 : 1;
            map[i] = y < 7 || (y == 7 && (x == 5 || x == 6)) ? 0 : 1;
            put_srgb(keys, i, cal->entries[map[i]].rgb);
        }
    fsk_err err = {0};
    fsk_simplify_stats st;
    TKIT_EQ_INT(fsk_simplify_boundaries(map, W, H, keys, cal, 10, 1, &st, &err), 0);
    TKIT_TRUE(memcmp(map, straight, sizeof map) == 0);
    TKIT_EQ_INT(st.pixels_changed, 2);
    /* 4 points, each a corner at the bottom and the top, for 2 filaments */
    TKIT_EQ_INT(st.corners_removed, 16);
    fsk_calibration_free(cal);
}

/* Blobs of a few colors with noise on the pixels' colors; a sprinkle of
 * transparent pixels. */
static void random_case(const fsk_calibration *cal, int w, int h, uint16_t *map, uint32_t *keys)
{
    for (int i = 0; i < w * h; i++) {
        uint32_t r = fixture_rng(&rng_state) % 16;
        if (r == 0)
            map[i] = FSK_LABEL_EMPTY;
        else if (r == 1)
            map[i] = FSK_LABEL_BACKING;
        else if (r < 10 && i >= w && !fsk_label_is_transparent(map[i - w]))
            map[i] = map[i - w]; /* runs down */
        else if (r < 14 && i && !fsk_label_is_transparent(map[i - 1]))
            map[i] = map[i - 1]; /* runs across */
        else
            map[i] = (uint16_t)(fixture_rng(&rng_state) % 12);
        double c[3] = {128, 128, 128};
        if (!fsk_label_is_transparent(map[i]))
            for (int k = 0; k < 3; k++)
                c[k] = fmin(255, fmax(0, cal->entries[map[i]].rgb[k] + (double)(fixture_rng(&rng_state) % 41) - 20));
        put_srgb(keys, (size_t)i, c);
    }
}

static void test_random_maps_keep_budget_and_count_exactly(void)
{
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_err err = {0};
    for (int round = 0; round < 30; round++) {
        enum { W = 40, H = 30 };
        static uint16_t map[W * H], before[W * H];
        static uint32_t keys[W * H];
        random_case(cal, W, H, map, keys);
        memcpy(before, map, sizeof map);
        const double tol = 1.0 + (double)(round % 5) * 2.0;
        fsk_simplify_stats st;
        TKIT_EQ_INT(fsk_simplify_boundaries(map, W, H, keys, cal, tol, 2, &st, &err), 0);
        uint64_t c0 = fixture_corners(before, W, H, cal), c1 = fixture_corners(map, W, H, cal);
        TKIT_EQ_INT(c0 - c1, st.corners_removed);
        int bad = 0, changed = 0;
        for (size_t i = 0; i < W * H; i++) {
            if (map[i] == before[i])
                continue;
            changed++;
            bad += fsk_label_is_transparent(before[i]) || fsk_label_is_transparent(map[i]);
            if (!fsk_label_is_transparent(map[i]))
                bad += de_of(keys, i, cal, map[i]) > de_of(keys, i, cal, before[i]) + tol;
        }
        TKIT_EQ_INT(bad, 0);
        TKIT_EQ_INT(changed, st.pixels_changed);
        if (round == 0)
            TKIT_TRUE(st.pixels_changed > 0 && st.corners_removed > 0);
    }
    fsk_calibration_free(cal);
}

/* The same map on 1, 2 and 4 threads: four bands (the last one row high),
 * and ten, whose odd bands the threads take as their neighbours finish,
 * in an order that depends on timing (so each count runs a few times). */
static void test_bands_do_not_depend_on_threads(void)
{
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_err err = {0};
    enum { W = 50, H_MAX = 64 * 9 + 5 };
    static uint16_t map[W * H_MAX], a[W * H_MAX], b[W * H_MAX];
    static uint32_t keys[W * H_MAX];
    const int heights[] = {201, H_MAX};
    for (int h = 0; h < 2; h++) {
        const int H = heights[h];
        const size_t bytes = (size_t)W * (size_t)H * sizeof *map;
        random_case(cal, W, H, map, keys);
        fsk_simplify_stats sa, sb;
        memcpy(a, map, bytes);
        TKIT_EQ_INT(fsk_simplify_boundaries(a, W, H, keys, cal, 3, 1, &sa, &err), 0);
        TKIT_TRUE(sa.pixels_changed > 0);
        const int threads[] = {2, 4};
        for (int t = 0; t < 2; t++)
            for (int run = 0; run < 3; run++) {
                memcpy(b, map, bytes);
                TKIT_EQ_INT(fsk_simplify_boundaries(b, W, H, keys, cal, 3, threads[t], &sb,
                                                    &err),
                            0);
                TKIT_TRUE(memcmp(a, b, bytes) == 0);
                TKIT_EQ_INT(sa.corners_removed, sb.corners_removed);
            }
        TKIT_EQ_INT(fixture_corners(map, W, H, cal) - fixture_corners(a, W, H, cal),
                    sa.corners_removed);
    }
    fsk_calibration_free(cal);
}

static void test_zero_tolerance_changes_nothing(void)
{
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    enum { W = 20, H = 20 };
    uint16_t map[W * H], copy[W * H];
    uint32_t keys[W * H];
    random_case(cal, W, H, map, keys);
    memcpy(copy, map, sizeof map);
    fsk_err err = {0};
    fsk_simplify_stats st = {.passes = -1};
    TKIT_EQ_INT(fsk_simplify_boundaries(map, W, H, keys, cal, 0, 2, &st, &err), 0);
    TKIT_TRUE(memcmp(map, copy, sizeof map) == 0);
    TKIT_EQ_INT(st.pixels_changed, 0);
    TKIT_EQ_INT(st.passes, 0);
    fsk_calibration_free(cal);
}

int main(void)
{
    TKIT_RUN(test_odd_pixel_absorbed_within_tolerance);
    TKIT_RUN(test_two_pixel_bump_flattened);
    TKIT_RUN(test_random_maps_keep_budget_and_count_exactly);
    TKIT_RUN(test_bands_do_not_depend_on_threads);
    TKIT_RUN(test_zero_tolerance_changes_nothing);
    return TKIT_DONE();
}
