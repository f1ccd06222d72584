/*
 * test_quantize.c — label maps with known answers: a black/white
 * calibration on a gray gradient, transparent pixels, Floyd–Steinberg
 * coverage of flat grays in linear light and its determinism, plain
 * matching on several threads, and palette reduction picking the entries
 * an image is made of.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture_cal.h"
#include "fsk_color_set.h"
#include "fsk_quantize.h"
#include "tkit.h"

static fsk_calibration *black_white(void)
{
    static const uint8_t seqs[2][4] = {{1, 0, 0, 0}, {2, 0, 0, 0}};
    static const double rgbs[2][3] = {{0, 0, 0}, {255, 255, 255}};
    return fixture_simple(2, 1, 2, seqs, rgbs);
}

static float *flat_image(int w, int h, float linear_gray)
{
    float *img = malloc((size_t)w * (size_t)h * 4 * sizeof *img);
    for (int i = 0; i < w * h; i++) {
        img[i * 4] = img[i * 4 + 1] = img[i * 4 + 2] = linear_gray;
        img[i * 4 + 3] = 1;
    }
    return img;
}

/* sRGB codes 0..255 left to right: L* < 50 (codes up to 118) is nearer to
 * black, L* > 50 (from 119) to white, for ΔE00 and ΔE76 alike (grays
 * differ only in L, and SL is symmetric about 50). */
static void test_gradient(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = black_white();
    float *img = flat_image(256, 2, 0);
    for (int x = 0; x < 256; x++)
        for (int y = 0; y < 2; y++)
            for (int k = 0; k < 3; k++)
                img[(y * 256 + x) * 4 + k] = (float)fsk_srgb_to_linear(x / 255.0);
    img[(1 * 256 + 10) * 4 + 3] = 0.49f; /* transparent */
    img[(1 * 256 + 11) * 4 + 3] = 0.5f;  /* opaque */
    const fsk_metric metrics[2] = {FSK_METRIC_DE2000, FSK_METRIC_DE76};
    for (int k = 0; k < 2; k++) {
        fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, metrics[k], &err);
        uint16_t labels[512];
        fsk_quantize_opts opts = {FSK_DITHER_NONE, FSK_LABEL_BACKING, 0, NULL, NULL, NULL};
        fsk_match_stats stats = {0};
        TKIT_EQ_INT(fsk_quantize(img, 256, 2, m, &opts, labels, &stats, &err), 0);
        int wrong = 0;
        for (int x = 0; x < 256; x++)
            wrong += labels[x] != (x <= 118 ? 0 : 1);
        TKIT_EQ_INT(wrong, 0);
        TKIT_EQ_INT(labels[256 + 10], FSK_LABEL_BACKING);
        TKIT_EQ_INT(labels[256 + 11], 0);
        TKIT_EQ_INT(labels[256 + 200], 1);
        TKIT_EQ_INT(stats.lookups, 511);
        opts.transparent_label = FSK_LABEL_EMPTY;
        TKIT_EQ_INT(fsk_quantize(img, 256, 2, m, &opts, labels, NULL, &err), 0);
        TKIT_EQ_INT(labels[256 + 10], FSK_LABEL_EMPTY);
        opts.transparent_label = 7;
        TKIT_EQ_INT(fsk_quantize(img, 256, 2, m, &opts, labels, NULL, &err), FSK_EINVAL);
        fsk_matcher_free(m);
    }
    free(img);
    fsk_calibration_free(cal);
}

static int count_white(const uint16_t *labels, int n)
{
    int white = 0;
    for (int i = 0; i < n; i++)
        white += labels[i] == 1;
    return white;
}

static void test_dither_coverage(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = black_white();
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    enum { W = 64, H = 64 };
    fsk_quantize_opts opts = {FSK_DITHER_FLOYD_STEINBERG, FSK_LABEL_EMPTY, 0, NULL, NULL, NULL};
    uint16_t *a = malloc(W * H * sizeof *a), *b = malloc(W * H * sizeof *b);

    /* 50% linear light: half the pixels white. Every pixel counts as a
     * lookup, answered from the memory of recent colors or not. */
    float *img = flat_image(W, H, 0.5f);
    fsk_match_stats stats = {0};
    TKIT_EQ_INT(fsk_quantize(img, W, H, m, &opts, a, &stats, &err), 0);
    TKIT_NEAR(count_white(a, W * H), W * H / 2, W * H * 0.01);
    TKIT_EQ_INT(stats.lookups, W * H);
    TKIT_EQ_INT(stats.single + stats.listed, W * H);
    /* Without dithering 50% linear (L* 76) is all white. */
    fsk_quantize_opts plain = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 0, NULL, NULL, NULL};
    TKIT_EQ_INT(fsk_quantize(img, W, H, m, &plain, b, NULL, &err), 0);
    TKIT_EQ_INT(count_white(b, W * H), W * H);
    /* Deterministic. */
    TKIT_EQ_INT(fsk_quantize(img, W, H, m, &opts, b, NULL, &err), 0);
    TKIT_TRUE(memcmp(a, b, W * H * sizeof *a) == 0);
    free(img);

    /* sRGB 50% gray is 21.4% linear light: about a fifth white. */
    img = flat_image(W, H, (float)fsk_srgb_to_linear(0.5));
    TKIT_EQ_INT(fsk_quantize(img, W, H, m, &opts, a, NULL, &err), 0);
    TKIT_NEAR(count_white(a, W * H), W * H * 0.2140, W * H * 0.01);
    free(img);
    free(a);
    free(b);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

/* Rows 0 and 2 opaque gray, row 1 transparent: no error crosses row 1, so
 * rows 0 and 2 (both left to right) come out the same, and equal to the
 * row dithered alone. */
static void test_dither_transparent(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = black_white();
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    enum { W = 50 };
    float *img = flat_image(W, 3, 0.3f);
    float *row = flat_image(W, 1, 0.3f);
    for (int x = 0; x < W; x++)
        img[(W + x) * 4 + 3] = 0;
    fsk_quantize_opts opts = {FSK_DITHER_FLOYD_STEINBERG, FSK_LABEL_EMPTY, 0, NULL, NULL, NULL};
    uint16_t labels[3 * W], alone[W];
    TKIT_EQ_INT(fsk_quantize(img, W, 3, m, &opts, labels, NULL, &err), 0);
    TKIT_EQ_INT(fsk_quantize(row, W, 1, m, &opts, alone, NULL, &err), 0);
    TKIT_TRUE(memcmp(labels, alone, sizeof alone) == 0);
    TKIT_TRUE(memcmp(labels + 2 * W, alone, sizeof alone) == 0);
    TKIT_EQ_INT(labels[W + 7], FSK_LABEL_EMPTY);
    /* Alone in its row only the 7/16 share moves on: 0.3 (L* 62) is
     * white, then 0.3 - 0.7 * 7/16 < 0 is black, and so on. */
    TKIT_EQ_INT(alone[0], 1);
    TKIT_EQ_INT(alone[1], 0);
    TKIT_EQ_INT(alone[2], 1);
    free(img);
    free(row);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

static void fill_srgb(float *px, double r, double g, double b)
{
    px[0] = (float)fsk_srgb_to_linear(r / 255);
    px[1] = (float)fsk_srgb_to_linear(g / 255);
    px[2] = (float)fsk_srgb_to_linear(b / 255);
    px[3] = 1;
}

static void test_palette_two_colors(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    enum { W = 40, H = 30 };
    float *img = flat_image(W, H, 0);
    /* Two colors the calibration has: (255,128,128) first as [2,3] (index
     * 10), and (85,170,255) first as [1,1,2] (index 21). */
    for (int i = 0; i < W * H; i++) {
        if (i % W < 25)
            fill_srgb(img + i * 4, 255, 128, 128);
        else
            fill_srgb(img + i * 4, 85, 170, 255);
    }
    img[3] = 0; /* a transparent pixel does not count */
    uint16_t out[8];
    size_t n = 0;
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, NULL, 0, 2, out, &n, &err), 0);
    TKIT_EQ_INT(n, 2);
    TKIT_EQ_INT(out[0], 10);
    TKIT_EQ_INT(out[1], 21);
    /* The chosen list restricts a matcher to those entries. */
    fsk_matcher *m = fsk_matcher_create(cal, out, n, FSK_METRIC_DE2000, &err);
    uint16_t labels[W * H];
    fsk_quantize_opts opts = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 0, NULL, NULL, NULL};
    TKIT_EQ_INT(fsk_quantize(img, W, H, m, &opts, labels, NULL, &err), 0);
    TKIT_EQ_INT(labels[1], 10);
    TKIT_EQ_INT(labels[W - 1], 21);
    fsk_matcher_free(m);

    /* More colors allowed than the image needs: still the best total. */
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, NULL, 0, 3, out, &n, &err), 0);
    TKIT_EQ_INT(n, 3);
    bool has10 = false, has21 = false;
    for (size_t i = 0; i < n; i++) {
        has10 |= out[i] == 10;
        has21 |= out[i] == 21;
    }
    TKIT_TRUE(has10 && has21);
    /* An allowed subset smaller than K is returned whole. */
    const uint16_t allowed[3] = {0, 1, 2};
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, allowed, 3, 5, out, &n, &err), 0);
    TKIT_EQ_INT(n, 3);
    TKIT_EQ_INT(out[2], 2);
    /* Nothing opaque. */
    for (int i = 0; i < W * H; i++)
        img[i * 4 + 3] = 0;
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, NULL, 0, 2, out, &n, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "image has no opaque pixels");
    free(img);
    fsk_calibration_free(cal);
}

/* K = 1 on an image of mostly one color picks that color; the gradient of
 * a palette problem is deterministic. */
static void test_palette_weights(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    enum { W = 20, H = 20 };
    float *img = flat_image(W, H, 0);
    for (int i = 0; i < W * H; i++) {
        if (i < 390)
            fill_srgb(img + i * 4, 0, 255, 255);
        else
            fill_srgb(img + i * 4, 255, 255, 0);
    }
    uint16_t out[2], again[2];
    size_t n = 0, n2 = 0;
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, NULL, 0, 1, out, &n, &err), 0);
    TKIT_EQ_INT(n, 1);
    TKIT_EQ_INT(out[0], 0);
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, NULL, 0, 2, out, &n, &err), 0);
    TKIT_EQ_INT(fsk_palette_reduce(img, W, H, cal, NULL, 0, 2, again, &n2, &err), 0);
    TKIT_EQ_INT(n, 2);
    TKIT_EQ_INT(out[0], 0);
    TKIT_EQ_INT(out[1], 2);
    TKIT_TRUE(n == n2 && memcmp(out, again, sizeof out) == 0);
    free(img);
    fsk_calibration_free(cal);
}

/* Plain matching on several threads, each distinct color once: the labels
 * are the exact nearest entries of the pixels' colors rounded to 8-bit
 * sRGB, and the counts add up as if every pixel had been looked up,
 * whatever the thread count. */
static void test_threads_and_colors(void)
{
    enum { W = 700, H = 150 };
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 3, NULL);
    fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
    float *img = flat_image(W, H, 0);
    uint32_t seed = 5;
    for (int i = 0; i < W * H; i++) {
        /* Few colors repeated (a palette of 64) and many unique ones. */
        seed = seed * 1664525u + 1013904223u;
        int code = i % 3 ? (int)(seed >> 26) : -1;
        for (int k = 0; k < 3; k++) {
            seed = seed * 1664525u + 1013904223u;
            img[i * 4 + k] = code >= 0 ? (float)((code * (k + 3)) % 64) / 63.0f
                                       : (float)(seed >> 8) / 16777216.0f;
        }
        img[i * 4 + 3] = i % 101 ? 1.0f : 0.0f;
    }
    uint16_t *ref = malloc((size_t)W * H * sizeof *ref);
    uint16_t *got = malloc((size_t)W * H * sizeof *got);
    fsk_match_stats rs = {0};
    fsk_quantize_opts one = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, 1, NULL, NULL, NULL};
    TKIT_EQ_INT(fsk_quantize(img, W, H, m, &one, ref, &rs, &err), 0);
    /* Each opaque pixel takes the entry nearest to its color rounded to
     * 8-bit sRGB, and each rounded color is looked up once. */
    static fsk_srgb_cells codes;
    fsk_srgb8_cells_init(&codes);
    uint8_t *seen = calloc(FSK_COLOR_KEYS, 1);
    TKIT_TRUE(seen != NULL);
    int wrong = 0, opaque = 0, colors = 0;
    for (int i = 0; i < W * H; i++) {
        if (img[i * 4 + 3] < 0.5f) {
            wrong += ref[i] != FSK_LABEL_EMPTY;
            continue;
        }
        opaque++;
        uint32_t key = fsk_color_key(&codes, img + i * 4);
        float rounded[3];
        fsk_color_of_key(key, rounded);
        wrong += ref[i] != fsk_matcher_nearest_exact(m, rounded);
        colors += !seen[key];
        seen[key] = 1;
    }
    free(seen);
    TKIT_EQ_INT(wrong, 0);
    TKIT_EQ_INT(rs.lookups, opaque);
    TKIT_EQ_INT(rs.single + rs.listed, opaque);
    TKIT_EQ_INT(rs.colors, colors);
    TKIT_TRUE(colors > 64 && colors < opaque);
    for (int threads = 2; threads <= 4; threads++) {
        fsk_matcher *fresh = fsk_matcher_create(cal, NULL, 0, FSK_METRIC_DE2000, &err);
        fsk_match_stats gs = {0};
        fsk_quantize_opts o = {FSK_DITHER_NONE, FSK_LABEL_EMPTY, threads, NULL, NULL, NULL};
        TKIT_EQ_INT(fsk_quantize(img, W, H, fresh, &o, got, &gs, &err), 0);
        TKIT_TRUE(memcmp(ref, got, (size_t)W * H * sizeof *ref) == 0);
        TKIT_EQ_INT(gs.lookups, rs.lookups);
        TKIT_EQ_INT(gs.single, rs.single);
        TKIT_EQ_INT(gs.listed, rs.listed);
        TKIT_EQ_INT(gs.colors, rs.colors);
        fsk_matcher_free(fresh);
    }
    free(ref);
    free(got);
    free(img);
    fsk_matcher_free(m);
    fsk_calibration_free(cal);
}

static void test_dither_names(void)
{
    fsk_dither d = FSK_DITHER_NONE;
    TKIT_EQ_INT(fsk_dither_parse("floyd-steinberg", &d), 0);
    TKIT_EQ_INT(d, FSK_DITHER_FLOYD_STEINBERG);
    TKIT_EQ_INT(fsk_dither_parse("fs", &d), FSK_EINVAL);
    TKIT_EQ_STR(fsk_dither_name(FSK_DITHER_NONE), "none");
}

int main(void)
{
    TKIT_RUN(test_gradient);
    TKIT_RUN(test_dither_coverage);
    TKIT_RUN(test_dither_transparent);
    TKIT_RUN(test_palette_two_colors);
    TKIT_RUN(test_palette_weights);
    TKIT_RUN(test_threads_and_colors);
    TKIT_RUN(test_dither_names);
    return TKIT_DONE();
}
