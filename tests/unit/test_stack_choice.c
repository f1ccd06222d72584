/*
 * test_stack_choice.c — corner counts of hand-made maps (a voxel, an
 * L-shape), random maps against a literal voxel-by-voxel count, and the
 * choice itself: it picks the twin that shares a layer with a neighbour,
 * never leaves a color's twins, never makes the count worse, and leaves
 * transparent pixels and colors without twins alone; a map too detailed
 * for a bounded table is left unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_cal.h"
#include "fixture_map.h"
#include "fsk_labels.h"
#include "fsk_match.h"
#include "fsk_stack_choice.h"
#include "tkit.h"

static uint32_t rng_state = 12345;

/* Whether filament f fills voxel (x, y, layer l); outside is empty. */
static int filled(const uint16_t *map, int w, int h, const fsk_calibration *cal, int x, int y,
                  int l, int f)
{
    if (x < 0 || y < 0 || x >= w || y >= h || l < 0 || l >= cal->construction.color_layers)
        return 0;
    uint16_t label = map[y * w + x];
    return !fsk_label_is_transparent(label) && cal->entries[label].sequence[l] == f;
}

/* The definition, literally: a lattice point is a corner of f's surface
 * when its eight voxels are not all alike and not constant along x, y or z. */
static uint64_t literal_corners(const uint16_t *map, int w, int h, const fsk_calibration *cal)
{
    uint64_t n = 0;
    for (int f = 1; f <= cal->filament_count; f++)
        for (int z = 0; z <= cal->construction.color_layers; z++)
            for (int y = 0; y <= h; y++)
                for (int x = 0; x <= w; x++) {
                    int v[2][2][2];
                    for (int i = 0; i < 2; i++)
                        for (int j = 0; j < 2; j++)
                            for (int k = 0; k < 2; k++)
                                v[i][j][k] = filled(map, w, h, cal, x - 1 + i, y - 1 + j,
                                                    z - 1 + k, f);
                    int flat_x = 1, flat_y = 1, flat_z = 1;
                    for (int a = 0; a < 2; a++)
                        for (int b = 0; b < 2; b++) {
                            flat_x &= v[0][a][b] == v[1][a][b];
                            flat_y &= v[a][0][b] == v[a][1][b];
                            flat_z &= v[a][b][0] == v[a][b][1];
                        }
                    n += !(flat_x || flat_y || flat_z);
                }
    return n;
}

static void test_voxel_and_l_shape(void)
{
    const uint8_t seqs[][4] = {{1, 0}, {1, 1}};
    const double rgbs[][3] = {{200, 0, 0}, {100, 0, 0}};
    fsk_calibration *cal = fixture_simple(1, 2, 2, seqs, rgbs);
    uint16_t one[1] = {0};
    TKIT_EQ_INT(fixture_corners(one, 1, 1, cal), 8); /* a cube */
    uint16_t tall[1] = {1};
    TKIT_EQ_INT(fixture_corners(tall, 1, 1, cal), 8); /* a 1x1x2 box */
    uint16_t l_shape[2] = {1, 0};
    TKIT_EQ_INT(fixture_corners(l_shape, 2, 1, cal), 12); /* an L extruded */
    uint16_t same[2] = {1, 1};
    TKIT_EQ_INT(fixture_corners(same, 2, 1, cal), 8);
    uint16_t none[2] = {FSK_LABEL_EMPTY, FSK_LABEL_BACKING};
    TKIT_EQ_INT(fixture_corners(none, 2, 1, cal), 0);
    fsk_calibration_free(cal);
}

static void test_random_maps_match_literal_count(void)
{
    fsk_calibration *cal = fixture_averaging(3, 3, NULL);
    for (int round = 0; round < 40; round++) {
        int w = 1 + (int)(fixture_rng(&rng_state) % 9), h = 1 + (int)(fixture_rng(&rng_state) % 9);
        uint16_t map[81];
        for (int i = 0; i < w * h; i++) {
            uint32_t r = fixture_rng(&rng_state) % 20;
            map[i] = r == 0 ? FSK_LABEL_EMPTY : (uint16_t)(fixture_rng(&rng_state) % cal->entry_count);
        }
        TKIT_EQ_INT(fixture_corners(map, w, h, cal), literal_corners(map, w, h, cal));
    }
    fsk_calibration_free(cal);
}

static void test_picks_the_twin_that_shares_a_layer(void)
{
    /* [1, 2] and [2, 1] look alike; the matcher keeps [1, 2] (lower index).
     * Beside [2, 3], [2, 1] shares the bottom layer of filament 2. */
    const uint8_t seqs[][4] = {{1, 2}, {2, 1}, {2, 3}};
    const double rgbs[][3] = {{120, 60, 200}, {120, 60, 200}, {10, 220, 40}};
    fsk_calibration *cal = fixture_simple(3, 2, 3, seqs, rgbs);
    fsk_err err = {0};
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    size_t count = 0;
    const uint16_t *twins = fsk_matcher_twins(m, 0, &count);
    TKIT_EQ_INT(count, 2);
    TKIT_EQ_INT(twins[0], 0);
    TKIT_EQ_INT(twins[1], 1);
    TKIT_TRUE(fsk_matcher_twins(m, 1, &count) == NULL && count == 0);
    fsk_matcher_twins(m, 2, &count);
    TKIT_EQ_INT(count, 1);

    uint16_t map[2] = {0, 2};
    uint64_t before = fixture_corners(map, 2, 1, cal);
    fsk_stack_choice_stats st;
    TKIT_EQ_INT(fsk_stack_choice_apply(map, 2, 1, cal, m, &st, &err), 0);
    TKIT_EQ_INT(map[0], 1);
    TKIT_EQ_INT(map[1], 2);
    TKIT_EQ_INT(st.colors_with_twins, 1);
    TKIT_EQ_INT(st.colors_changed, 1);
    TKIT_EQ_INT(st.corners_before, before);
    TKIT_EQ_INT(st.corners_after, fixture_corners(map, 2, 1, cal));
    TKIT_EQ_INT(st.corners_after, literal_corners(map, 2, 1, cal));
    TKIT_TRUE(st.corners_after < st.corners_before);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

static void test_random_choices_stay_twins_and_never_worse(void)
{
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_err err = {0};
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_RGB, &err);
    size_t ncand;
    const uint16_t *cand = fsk_matcher_candidates(m, &ncand);
    for (int round = 0; round < 20; round++) {
        enum { W = 24, H = 17 };
        uint16_t map[W * H], before[W * H];
        /* Blobs: a few colors in runs, some transparency. */
        for (int i = 0; i < W * H; i++) {
            uint32_t r = fixture_rng(&rng_state) % 8;
            map[i] = r == 0 ? FSK_LABEL_BACKING
                     : r < 4 && i ? map[i - 1]
                                  : cand[fixture_rng(&rng_state) % (ncand < 12 ? ncand : 12)];
        }
        memcpy(before, map, sizeof map);
        fsk_stack_choice_stats st;
        TKIT_EQ_INT(fsk_stack_choice_apply(map, W, H, cal, m, &st, &err), 0);
        TKIT_TRUE(st.corners_after <= st.corners_before);
        TKIT_EQ_INT(st.corners_before, literal_corners(before, W, H, cal));
        TKIT_EQ_INT(st.corners_after, literal_corners(map, W, H, cal));
        int bad = 0;
        for (int i = 0; i < W * H; i++) {
            if (fsk_label_is_transparent(before[i])) {
                bad += map[i] != before[i];
                continue;
            }
            /* The same color: a twin of what was matched, and every pixel
             * of one color gets the same stack. */
            size_t count;
            const uint16_t *twins = fsk_matcher_twins(m, before[i], &count);
            int found = 0;
            for (size_t t = 0; t < count; t++)
                found |= twins[t] == map[i];
            bad += !found;
            for (int k = 0; k < i; k++)
                bad += before[k] == before[i] && map[k] != map[i];
        }
        TKIT_EQ_INT(bad, 0);
    }
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

static void test_no_twins_changes_nothing(void)
{
    const uint8_t seqs[][4] = {{1, 0}, {2, 0}, {1, 2}};
    const double rgbs[][3] = {{250, 0, 0}, {0, 0, 250}, {120, 0, 120}};
    fsk_calibration *cal = fixture_simple(2, 2, 3, seqs, rgbs);
    fsk_err err = {0};
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    uint16_t map[6] = {0, 1, 2, FSK_LABEL_EMPTY, 2, 0}, copy[6];
    memcpy(copy, map, sizeof map);
    fsk_stack_choice_stats st;
    TKIT_EQ_INT(fsk_stack_choice_apply(map, 3, 2, cal, m, &st, &err), 0);
    TKIT_TRUE(memcmp(map, copy, sizeof map) == 0);
    TKIT_EQ_INT(st.colors_with_twins, 0);
    TKIT_EQ_INT(st.colors_changed, 0);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

/* Random noise of 51 colors on 1800 x 1800 pixels has about 2.5 million
 * distinct 2x2 neighbourhoods: the choice is left out, the map unchanged. */
static void test_too_detailed_is_skipped(void)
{
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_err err = {0};
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_RGB, &err);
    size_t ncand;
    const uint16_t *cand = fsk_matcher_candidates(m, &ncand);
    enum { W = 1800, H = 1800 };
    uint16_t *map = malloc(sizeof *map * W * H), *copy = malloc(sizeof *map * W * H);
    for (int i = 0; i < W * H; i++)
        map[i] = cand[fixture_rng(&rng_state) % ncand];
    memcpy(copy, map, sizeof *map * W * H);
    fsk_stack_choice_stats st;
    TKIT_EQ_INT(fsk_stack_choice_apply(map, W, H, cal, m, &st, &err), 0);
    TKIT_TRUE(st.skipped);
    TKIT_TRUE(st.colors_with_twins > 0);
    TKIT_TRUE(memcmp(map, copy, sizeof *map * W * H) == 0);
    uint64_t n;
    TKIT_EQ_INT(fsk_stack_corners(map, W, H, cal, &n, &err), FSK_ELIMIT);
    free(map);
    free(copy);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

int main(void)
{
    TKIT_RUN(test_voxel_and_l_shape);
    TKIT_RUN(test_random_maps_match_literal_count);
    TKIT_RUN(test_picks_the_twin_that_shares_a_layer);
    TKIT_RUN(test_random_choices_stay_twins_and_never_worse);
    TKIT_RUN(test_no_twins_changes_nothing);
    TKIT_RUN(test_too_detailed_is_skipped);
    return TKIT_DONE();
}
