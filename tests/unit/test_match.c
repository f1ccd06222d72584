/*
 * test_match.c — the matcher: the lookup table's answers equal the exact
 * full search on random, grid and cell-boundary colors for every metric;
 * the exact answer is the true minimum (checked by brute force with the
 * color functions); near-duplicate entries resolve by the preference rule;
 * allowed subsets; the lazily built table answers the same in any order
 * and from several threads.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_cal.h"
#include "fsk_color_set.h"
#include "fsk_match.h"
#include "tkit.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static float rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (float)((double)(rng >> 11) / 9007199254740992.0);
}

typedef struct compare {
    long tried, differ;
    fsk_match_stats stats;
} compare;

static void check_color(const fsk_matcher *m, const float c[3], compare *cmp)
{
    uint16_t fast = fsk_matcher_nearest_counted(m, c, &cmp->stats);
    uint16_t exact = fsk_matcher_nearest_exact(m, c);
    cmp->tried++;
    if (fast != exact) {
        if (cmp->differ < 5)
            fprintf(stderr, "differs at %.9g %.9g %.9g: fast %u exact %u\n", c[0],
                    c[1], c[2], fast, exact);
        cmp->differ++;
    }
}

/* check_color on `count` packed colors, which must all agree, and the
 * matcher's table figures, which must account for every cell once. */
static void check_colors(const fsk_matcher *m, const float *colors, long count, compare *cmp,
                         fsk_matcher_info *info)
{
    for (long i = 0; i < count; i++)
        check_color(m, colors + i * 3, cmp);
    fsk_matcher_get_info(m, info);
    TKIT_EQ_INT(cmp->differ, 0);
    TKIT_EQ_INT(info->single_cells + info->list_cells + info->split_cells, 32 * 32 * 32);
}

/* Random colors, a grid of sRGB codes, and the exact cell boundaries
 * (sRGB k/32 decoded to float, and the float just below). */
static void compare_all(const fsk_matcher *m, long random_count, int grid,
                        compare *cmp)
{
    for (long i = 0; i < random_count; i++) {
        float c[3] = {rnd(), rnd(), rnd()};
        /* Some colors very dark or out of range: clamping is shared. */
        if (i % 16 == 0)
            c[i % 3] *= 0.01f;
        if (i % 97 == 0)
            c[1] = 1.5f;
        check_color(m, c, cmp);
    }
    for (int r = 0; r < grid; r++)
        for (int g = 0; g < grid; g++)
            for (int b = 0; b < grid; b++) {
                float c[3] = {(float)fsk_srgb_to_linear(r / (grid - 1.0)),
                              (float)fsk_srgb_to_linear(g / (grid - 1.0)),
                              (float)fsk_srgb_to_linear(b / (grid - 1.0))};
                check_color(m, c, cmp);
            }
    for (int k = 0; k < 33 * 33 * 33; k++) {
        int idx[3] = {k % 33, k / 33 % 33, k / (33 * 33)};
        float c[3];
        for (int i = 0; i < 3; i++) {
            c[i] = (float)fsk_srgb_to_linear(idx[i] / 32.0);
            if (k & 1)
                c[i] = nextafterf(c[i], 0);
        }
        check_color(m, c, cmp);
    }
}

static void test_fast_equals_exact_de2000(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    TKIT_EQ_INT(cal->entry_count, 340);
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(m != NULL);
    compare cmp = {0};
    compare_all(m, 150000, 48, &cmp);
    printf("de2000: fast path differs from exact on %ld of %ld colors; "
           "%llu single-cell, %llu listed (%llu distances)\n",
           cmp.differ, cmp.tried, (unsigned long long)cmp.stats.single,
           (unsigned long long)cmp.stats.listed,
           (unsigned long long)cmp.stats.evaluated);
    TKIT_EQ_INT(cmp.differ, 0);
    TKIT_EQ_INT(cmp.tried, 150000 + 48 * 48 * 48 + 33 * 33 * 33);
    TKIT_EQ_INT(cmp.stats.lookups, cmp.tried);
    TKIT_EQ_INT(cmp.stats.single + cmp.stats.listed, cmp.tried);
    TKIT_TRUE(cmp.stats.single > 0);
    fsk_matcher_info info;
    fsk_matcher_get_info(m, &info);
    /* The averaging model gives 340 sequences 51 distinct colors. */
    TKIT_EQ_INT(info.entries, 340);
    TKIT_EQ_INT(info.allowed, 340);
    TKIT_EQ_INT(info.candidates, 51);
    TKIT_EQ_INT(info.grid, 32);
    TKIT_EQ_INT(info.single_cells + info.list_cells, 32 * 32 * 32);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

/* With the colors announced (fsk_matcher_expect), crowded cells with long
 * lists are divided in eight: answers still equal the exact search, for
 * random colors in the crowded region and on the edges of the halves
 * (sRGB k/64 decoded to float, and the float just below). */
static void test_divided_cells_equal_exact(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(m != NULL);
    enum { RANDOM = 120000, EDGES = 2 * 17 * 17 * 17 };
    float *colors = malloc((RANDOM + EDGES) * 3 * sizeof *colors);
    TKIT_TRUE(colors != NULL);
    for (long i = 0; i < RANDOM; i++)
        for (int c = 0; c < 3; c++)
            colors[i * 3 + c] = 0.25f * rnd();
    for (int k = 0; k < EDGES; k++) {
        int idx[3] = {k / 2 % 17, k / 2 / 17 % 17, k / 2 / (17 * 17)};
        for (int c = 0; c < 3; c++) {
            float v = (float)fsk_srgb_to_linear(idx[c] / 64.0);
            colors[(RANDOM + k) * 3 + c] = k & 1 ? nextafterf(v, 0) : v;
        }
    }
    fsk_matcher_expect(m, colors, RANDOM + EDGES, 3, false);
    compare cmp = {0};
    fsk_matcher_info info;
    check_colors(m, colors, RANDOM + EDGES, &cmp, &info);
    printf("divided: %zu cells in eight; fast path differs on %ld of %ld colors\n",
           info.split_cells, cmp.differ, cmp.tried);
    TKIT_TRUE(info.split_cells > 0);
    free(colors);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

/* Where the announced colors are few, boxes are left unbuilt and their
 * cells search the list of a box above: answers still equal the exact
 * search, for the few announced colors spread over the cube beside a
 * crowded patch, and for colors never announced. */
static void test_sparse_boxes_equal_exact(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(m != NULL);
    enum { CROWD = 40000, SPREAD = 3000, UNANNOUNCED = 30000 };
    float *colors = malloc((CROWD + SPREAD + UNANNOUNCED) * 3 * sizeof *colors);
    TKIT_TRUE(colors != NULL);
    for (long i = 0; i < CROWD + SPREAD + UNANNOUNCED; i++)
        for (int c = 0; c < 3; c++)
            colors[i * 3 + c] = i < CROWD ? 0.4f + 0.05f * rnd() : rnd();
    fsk_matcher_expect(m, colors, CROWD + SPREAD, 3, true);
    compare cmp = {0};
    fsk_matcher_info info;
    check_colors(m, colors, CROWD + SPREAD + UNANNOUNCED, &cmp, &info);
    printf("sparse: %zu of %zu list cells search a box above; fast path differs on %ld of "
           "%ld colors\n", info.sparse_cells, info.list_cells, cmp.differ, cmp.tried);
    TKIT_TRUE(info.sparse_cells > 1000);
    free(colors);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

/* Lookups of colors[0 .. count) with stats; labels into out. */
static void look_up_all(const fsk_matcher *m, const float *colors, long count, uint16_t *out,
                        fsk_match_stats *st)
{
    for (long i = 0; i < count; i++)
        out[i] = fsk_matcher_nearest_counted(m, colors + i * 3, st);
}

/* A matcher told colors in batches; after each, `steps` calls of
 * fsk_matcher_build_ahead (-1: until the pass ends), the cursor carried
 * over and a new pass started once the last ended. Returns the builds. */
static long announce_in_batches(fsk_matcher *m, const float *colors, long count, long batch,
                                int steps)
{
    long built = 0;
    uint32_t cursor = FSK_MATCH_CELLS;
    for (long first = 0; first < count; first += batch) {
        long n = count - first < batch ? count - first : batch;
        fsk_matcher_expect(m, colors + first * 3, (size_t)n, 3, true);
        if (cursor == FSK_MATCH_CELLS)
            cursor = 0;
        for (int k = 0; steps < 0 || k < steps; k++) {
            if (!fsk_matcher_build_ahead(m, &cursor))
                break;
            built++;
        }
    }
    return built;
}

/* count colors, five in six crowded in one patch, the rest anywhere. */
static void crowded_colors(float *colors, long count)
{
    for (long i = 0; i < count; i++) {
        bool crowd = i % 6 != 0;
        for (int c = 0; c < 3; c++)
            colors[i * 3 + c] = crowd ? 0.3f + 0.08f * rnd() : rnd();
    }
}

static void check_same_table(const fsk_matcher_info *a, const fsk_matcher_info *b)
{
    TKIT_EQ_INT(a->single_cells, b->single_cells);
    TKIT_EQ_INT(a->list_cells, b->list_cells);
    TKIT_EQ_INT(a->list_total, b->list_total);
    TKIT_EQ_INT(a->list_max, b->list_max);
    TKIT_EQ_INT(a->split_cells, b->split_cells);
    TKIT_EQ_INT(a->sparse_cells, b->sparse_cells);
}

/* Colors announced as 8-bit keys (fsk_matcher_expect_keys) make the same
 * table, answers and stats as the same colors announced decoded. */
static void test_expect_keys_as_colors(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_matcher *by_color = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    fsk_matcher *by_key = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(by_color != NULL && by_key != NULL);
    enum { COUNT = 30000 };
    uint32_t *keys = malloc(COUNT * sizeof *keys);
    float *colors = malloc(COUNT * 3 * sizeof *colors);
    TKIT_TRUE(keys && colors);
    for (long i = 0; i < COUNT; i++) {
        /* Five in six in a patch, so cells divide; the rest anywhere. */
        uint32_t key = 0;
        for (int c = 0; c < 3; c++) {
            uint32_t code = i % 6 ? 90u + (uint32_t)(30 * rnd()) : (uint32_t)(255 * rnd());
            key = key << 8 | code;
        }
        keys[i] = key;
        fsk_color_of_key(key, colors + i * 3);
    }
    fsk_matcher_expect(by_color, colors, COUNT, 3, true);
    fsk_matcher_expect_keys(by_key, keys, COUNT);
    fsk_match_stats sa = {0}, sb = {0};
    long differ = 0;
    for (long i = 0; i < COUNT; i++)
        differ += fsk_matcher_nearest_counted(by_color, colors + i * 3, &sa) !=
                  fsk_matcher_nearest_counted(by_key, colors + i * 3, &sb);
    TKIT_EQ_INT(differ, 0);
    TKIT_TRUE(memcmp(&sa, &sb, sizeof sa) == 0);
    fsk_matcher_info ia, ib;
    fsk_matcher_get_info(by_color, &ia);
    fsk_matcher_get_info(by_key, &ib);
    check_same_table(&ia, &ib);
    TKIT_TRUE(ia.split_cells > 0);
    free(keys);
    free(colors);
    fsk_matcher_free(by_color);
    fsk_matcher_free(by_key);
    fsk_calibration_free(cal);
}

/* Building the table ahead while colors are announced gives the same
 * answers, statistics and table as building it at lookup time, whether
 * each pass runs to the end or is cut short: the colors of a crowded patch
 * arrive over many batches, so cells cross the dividing and sparse
 * thresholds between passes. */
static void test_build_ahead_changes_nothing(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    enum { CROWD = 30000, SPREAD = 6000, COUNT = CROWD + SPREAD, BATCH = 2500 };
    float *colors = malloc(COUNT * 3 * sizeof *colors);
    uint16_t *want = malloc(COUNT * sizeof *want), *got = malloc(COUNT * sizeof *got);
    TKIT_TRUE(colors && want && got);
    crowded_colors(colors, COUNT);
    fsk_matcher *plain = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(plain != NULL);
    announce_in_batches(plain, colors, COUNT, BATCH, 0);
    fsk_match_stats plain_st = {0};
    look_up_all(plain, colors, COUNT, want, &plain_st);
    fsk_matcher_info plain_info;
    fsk_matcher_get_info(plain, &plain_info);
    TKIT_TRUE(plain_info.split_cells > 0 && plain_info.sparse_cells > 0);
    const int steps[] = {-1, 3, 40};
    for (int v = 0; v < 3; v++) {
        fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
        long built = announce_in_batches(m, colors, COUNT, BATCH, steps[v]);
        TKIT_TRUE(built > 0);
        fsk_match_stats st = {0};
        look_up_all(m, colors, COUNT, got, &st);
        TKIT_TRUE(memcmp(got, want, COUNT * sizeof *got) == 0);
        TKIT_EQ_INT(st.single, plain_st.single);
        TKIT_EQ_INT(st.listed, plain_st.listed);
        TKIT_EQ_INT(st.evaluated, plain_st.evaluated);
        fsk_matcher_info info;
        fsk_matcher_get_info(m, &info);
        check_same_table(&info, &plain_info);
        fsk_matcher_free(m);
    }
    for (long i = 0; i < COUNT; i += 7)
        TKIT_EQ_INT(want[i], fsk_matcher_nearest_exact(plain, colors + i * 3));
    /* Nothing announced, or not exactly: nothing to build ahead. */
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    uint32_t cursor = 0;
    TKIT_TRUE(!fsk_matcher_build_ahead(m, &cursor));
    TKIT_EQ_INT(cursor, FSK_MATCH_CELLS);
    fsk_matcher_expect(m, colors, COUNT, 3, false);
    cursor = 0;
    TKIT_TRUE(!fsk_matcher_build_ahead(m, &cursor));
    fsk_matcher_free(m);
    fsk_matcher_free(plain);
    free(colors);
    free(want);
    free(got);
    fsk_calibration_free(cal);
}

/* Answers given while colors are announced (fsk_matcher_nearest_built,
 * between steps of building ahead) are the later lookups' (entry, and what
 * each counted): all the final ones, and the provisional ones that stand.
 * Batches crowd one patch little by little, so some provisional lists are
 * overtaken (the test fails if none is, or if none stands); the table ends
 * the same as one built at lookup time. */
static void test_answers_while_announcing(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    enum { CROWD = 30000, SPREAD = 6000, COUNT = CROWD + SPREAD, BATCH = 1500 };
    float *colors = malloc(COUNT * 3 * sizeof *colors);
    uint16_t *want = malloc(COUNT * sizeof *want);
    fsk_match_stats *want_st = calloc(COUNT, sizeof *want_st);
    TKIT_TRUE(colors && want && want_st);
    crowded_colors(colors, COUNT);
    fsk_matcher *plain = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(plain && m);
    announce_in_batches(plain, colors, COUNT, BATCH, 0);
    fsk_match_stats plain_total = {0};
    for (long i = 0; i < COUNT; i++) {
        want[i] = fsk_matcher_nearest_counted(plain, colors + i * 3, &want_st[i]);
        plain_total.single += want_st[i].single;
        plain_total.evaluated += want_st[i].evaluated;
    }
    long finals = 0, stood = 0, fell = 0, none = 0;
    fsk_built_answer *how = malloc(COUNT * sizeof *how);
    uint16_t *entry = malloc(COUNT * sizeof *entry);
    uint32_t *list = malloc(COUNT * sizeof *list);
    fsk_match_stats *st = calloc(COUNT, sizeof *st);
    TKIT_TRUE(how && entry && list && st);
    uint32_t cursor = FSK_MATCH_CELLS;
    for (long first = 0; first < COUNT; first += BATCH) {
        fsk_matcher_expect(m, colors + first * 3, BATCH, 3, true);
        if (cursor == FSK_MATCH_CELLS)
            cursor = 0;
        for (int k = 0; k < 5 && fsk_matcher_build_ahead(m, &cursor); k++)
            ;
        for (long i = first; i < first + BATCH; i++)
            how[i] = fsk_matcher_nearest_built(m, colors + i * 3, &st[i], &entry[i], &list[i]);
    }
    for (long i = 0; i < COUNT; i++) {
        bool taken = how[i] == FSK_BUILT_FINAL;
        if (how[i] == FSK_BUILT_FINAL)
            finals++;
        else if (how[i] == FSK_BUILT_NONE)
            none++;
        else if (fsk_matcher_answer_stands(m, colors + i * 3, list[i]))
            taken = true, stood++;
        else
            fell++;
        if (!taken)
            continue;
        TKIT_EQ_INT(entry[i], want[i]);
        TKIT_EQ_INT(st[i].single, want_st[i].single);
        TKIT_EQ_INT(st[i].evaluated, want_st[i].evaluated);
    }
    TKIT_TRUE(finals > 0 && stood > 0 && fell > 0);
    TKIT_EQ_INT(none, 0);
    fsk_match_stats total = {0};
    for (long i = 0; i < COUNT; i++)
        TKIT_EQ_INT(fsk_matcher_nearest_counted(m, colors + i * 3, &total), want[i]);
    TKIT_EQ_INT(total.single, plain_total.single);
    TKIT_EQ_INT(total.evaluated, plain_total.evaluated);
    fsk_matcher_info info, plain_info;
    fsk_matcher_get_info(m, &info);
    fsk_matcher_get_info(plain, &plain_info);
    check_same_table(&info, &plain_info);
    /* Nothing announced: no answer, nothing counted. */
    fsk_matcher *quiet = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    fsk_match_stats none_st = {0};
    uint16_t e;
    uint32_t l;
    TKIT_EQ_INT(fsk_matcher_nearest_built(quiet, colors, &none_st, &e, &l), FSK_BUILT_NONE);
    TKIT_EQ_INT(none_st.lookups, 0);
    fsk_matcher_free(quiet);
    fsk_matcher_free(m);
    fsk_matcher_free(plain);
    free(colors);
    free(want);
    free(want_st);
    free(how);
    free(entry);
    free(list);
    free(st);
    fsk_calibration_free(cal);
}

static void test_fast_equals_exact_other_metrics(void)
{
    fsk_err err = {0};
    static const unsigned char rgb[5][3] = {
        {230, 30, 40}, {20, 120, 220}, {250, 220, 20}, {20, 20, 20}, {245, 245, 245}};
    fsk_calibration *cal = fixture_averaging(5, 3, rgb);
    const fsk_metric metrics[] = {FSK_METRIC_DE2000, FSK_METRIC_DE76, FSK_METRIC_RGB};
    for (int k = 0; k < 3; k++) {
        fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, metrics[k], &err);
        TKIT_TRUE(m != NULL);
        compare cmp = {0};
        compare_all(m, k == 0 ? 30000 : 100000, k == 0 ? 20 : 40, &cmp);
        TKIT_EQ_INT(cmp.differ, 0);
        fsk_matcher_free(m);
    }
    fsk_calibration_free(cal);
}

/* The exact answer is a true minimum of the metric over all entries. */
static void test_exact_is_minimum(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 3, NULL);
    fsk_matcher *de = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    fsk_matcher *rgbm = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_RGB, &err);
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        float c[3] = {rnd(), rnd(), rnd()};
        double lin[3] = {c[0], c[1], c[2]}, lab[3], s255[3];
        fsk_linear_to_lab(lin, lab);
        for (int j = 0; j < 3; j++)
            s255[j] = fsk_linear_to_srgb(lin[j]) * 255;
        double best_de = INFINITY, best_rgb = INFINITY;
        for (size_t e = 0; e < cal->entry_count; e++) {
            best_de = fmin(best_de, fsk_de2000(lab, cal->entries[e].lab));
            const double *r = cal->entries[e].rgb;
            best_rgb = fmin(best_rgb, sqrt((s255[0] - r[0]) * (s255[0] - r[0]) +
                                           (s255[1] - r[1]) * (s255[1] - r[1]) +
                                           (s255[2] - r[2]) * (s255[2] - r[2])));
        }
        uint16_t a = fsk_matcher_nearest(de, c), b = fsk_matcher_nearest(rgbm, c);
        bad += fabs(fsk_de2000(lab, cal->entries[a].lab) - best_de) > 1e-12;
        /* The matcher's sRGB is computed in float: allow its rounding. */
        bad += fabs(fsk_matcher_distance(rgbm, c, b) - best_rgb) > 1e-3;
    }
    TKIT_EQ_INT(bad, 0);
    fsk_matcher_free(de);
    fsk_matcher_free(rgbm);
    fsk_calibration_free(cal);
}

static void test_preference_rule(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    float cyan[3] = {0, 1, 1};
    /* [1,0,0,0], [1,1,0,0], [1,1,1,0], [1,1,1,1] are all cyan: the one
     * with fewer layers wins. */
    TKIT_EQ_INT(fsk_matcher_nearest(m, cyan), 0);
    TKIT_EQ_INT(fsk_matcher_nearest_exact(m, cyan), 0);
    /* (128,128,255): [1,2,0,0] (index 5) and [2,1,0,0] (index 8), same
     * filament and layer counts: the lower index wins. */
    float blue[3] = {(float)fsk_srgb_to_linear(128 / 255.0),
                     (float)fsk_srgb_to_linear(128 / 255.0), 1};
    TKIT_EQ_INT(fsk_matcher_nearest(m, blue), 5);
    size_t count;
    const uint16_t *cand = fsk_matcher_candidates(m, &count);
    TKIT_EQ_INT(count, 51);
    TKIT_EQ_INT(cand[0], 0); /* one filament, one layer first */
    fsk_matcher_free(m);
    fsk_calibration_free(cal);

    /* A two-filament entry loses to a near-identical (ΔE00 < 0.5) entry
     * of one filament with more layers. */
    static const uint8_t seqs[3][4] = {{1, 2, 0}, {1, 1, 1}, {2, 0, 0}};
    static const double rgbs[3][3] = {{100, 100, 100}, {100.5, 100, 100}, {250, 250, 250}};
    cal = fixture_simple(2, 3, 3, seqs, rgbs);
    m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_RGB, &err);
    float gray[3] = {(float)fsk_srgb_to_linear(100 / 255.0),
                     (float)fsk_srgb_to_linear(100 / 255.0),
                     (float)fsk_srgb_to_linear(100 / 255.0)};
    TKIT_EQ_INT(fsk_matcher_nearest(m, gray), 1);
    cand = fsk_matcher_candidates(m, &count);
    TKIT_EQ_INT(count, 2);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

static void test_allowed_subset(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    const uint16_t allowed[] = {3, 0, 3};
    fsk_matcher *m = fsk_matcher_create(cal, allowed, 3, FSK_METRIC_DE2000, &err);
    TKIT_TRUE(m != NULL);
    int outside = 0, differ = 0;
    for (int i = 0; i < 20000; i++) {
        float c[3] = {rnd(), rnd(), rnd()};
        uint16_t e = fsk_matcher_nearest(m, c);
        outside += e != 0 && e != 3;
        differ += e != fsk_matcher_nearest_exact(m, c);
    }
    TKIT_EQ_INT(outside, 0);
    TKIT_EQ_INT(differ, 0);
    fsk_matcher_info info;
    fsk_matcher_get_info(m, &info);
    TKIT_EQ_INT(info.allowed, 2);
    fsk_matcher_free(m);

    const uint16_t bad[] = {340};
    TKIT_TRUE(fsk_matcher_create(cal, bad, 1, FSK_METRIC_DE2000, &err) == NULL);
    TKIT_EQ_STR(err.msg, "allowed entry 340 is out of range (calibration has 340 entries)");
    fsk_calibration_free(cal);
}

/* The table is built lazily: the same colors asked in another order, or
 * from several threads at once, give the same answers and the same
 * single/listed split (a cell's content does not depend on the order). */
typedef struct thread_job {
    const fsk_matcher *m;
    const float (*colors)[3];
    int first, count, step;
    uint16_t *answers;
    fsk_match_stats stats;
} thread_job;

static void *lookup_thread(void *arg)
{
    thread_job *t = arg;
    for (int i = t->first; i < t->count; i += t->step)
        t->answers[i] = fsk_matcher_nearest_counted(t->m, t->colors[i], &t->stats);
    return NULL;
}

static void test_lazy_table_order_and_threads(void)
{
    enum { N = 60000, THREADS = 4 };
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    static float colors[N][3];
    static uint16_t forward[N], backward[N], threaded[N];
    for (int i = 0; i < N; i++)
        for (int k = 0; k < 3; k++)
            colors[i][k] = rnd() * rnd();
    const fsk_metric metrics[] = {FSK_METRIC_DE2000, FSK_METRIC_RGB};
    for (int mi = 0; mi < 2; mi++) {
        fsk_matcher *a = fsk_matcher_create(cal, NULL, 0, metrics[mi], &err);
        fsk_matcher *b = fsk_matcher_create(cal, NULL, 0, metrics[mi], &err);
        fsk_matcher *c = fsk_matcher_create(cal, NULL, 0, metrics[mi], &err);
        fsk_match_stats sa = {0}, sb = {0};
        for (int i = 0; i < N; i++)
            forward[i] = fsk_matcher_nearest_counted(a, colors[i], &sa);
        for (int i = N - 1; i >= 0; i--)
            backward[i] = fsk_matcher_nearest_counted(b, colors[i], &sb);
        thread_job jobs[THREADS];
        pthread_t tid[THREADS];
        for (int t = 0; t < THREADS; t++) {
            jobs[t] = (thread_job){c, (const float (*)[3])colors, t, N, THREADS, threaded, {0}};
            TKIT_EQ_INT(pthread_create(&tid[t], NULL, lookup_thread, &jobs[t]), 0);
        }
        fsk_match_stats sc = {0};
        for (int t = 0; t < THREADS; t++) {
            pthread_join(tid[t], NULL);
            sc.single += jobs[t].stats.single;
            sc.listed += jobs[t].stats.listed;
        }
        int differ = 0;
        for (int i = 0; i < N; i++)
            differ += forward[i] != backward[i] || forward[i] != threaded[i] ||
                      forward[i] != fsk_matcher_nearest_exact(a, colors[i]);
        TKIT_EQ_INT(differ, 0);
        TKIT_EQ_INT(sa.single, sb.single);
        TKIT_EQ_INT(sa.single, sc.single);
        TKIT_EQ_INT(sa.listed, sc.listed);
        TKIT_EQ_INT(sa.evaluated, sb.evaluated);
        /* Completed afterwards, every table is the whole one. */
        fsk_matcher_info ia, ic;
        fsk_matcher_get_info(a, &ia);
        fsk_matcher_get_info(c, &ic);
        TKIT_EQ_INT(ia.single_cells + ia.list_cells, 32 * 32 * 32);
        TKIT_EQ_INT(ia.single_cells, ic.single_cells);
        TKIT_EQ_INT(ia.list_total, ic.list_total);
        fsk_matcher_free(a);
        fsk_matcher_free(b);
        fsk_matcher_free(c);
    }
    fsk_calibration_free(cal);
}

static void test_metric_names(void)
{
    fsk_metric m = FSK_METRIC_RGB;
    TKIT_EQ_INT(fsk_metric_parse("de2000", &m), 0);
    TKIT_EQ_INT(m, FSK_METRIC_DE2000);
    TKIT_EQ_INT(fsk_metric_parse("de76", &m), 0);
    TKIT_EQ_INT(m, FSK_METRIC_DE76);
    TKIT_EQ_INT(fsk_metric_parse("lab", &m), FSK_EINVAL);
    TKIT_EQ_STR(fsk_metric_name(FSK_METRIC_RGB), "rgb");
}

int main(void)
{
    TKIT_RUN(test_fast_equals_exact_de2000);
    TKIT_RUN(test_divided_cells_equal_exact);
    TKIT_RUN(test_sparse_boxes_equal_exact);
    TKIT_RUN(test_expect_keys_as_colors);
    TKIT_RUN(test_build_ahead_changes_nothing);
    TKIT_RUN(test_answers_while_announcing);
    TKIT_RUN(test_fast_equals_exact_other_metrics);
    TKIT_RUN(test_exact_is_minimum);
    TKIT_RUN(test_preference_rule);
    TKIT_RUN(test_allowed_subset);
    TKIT_RUN(test_lazy_table_order_and_threads);
    TKIT_RUN(test_metric_names);
    return TKIT_DONE();
}
