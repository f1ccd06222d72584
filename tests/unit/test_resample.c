/*
 * test_resample.c — the print-grid resampler against hand-computed values:
 * area averages in linear light, the 50% gray check, pixel replication,
 * alpha-weighted edges, fractional overlaps, all eight orientations, the
 * grid size rule and the 8-bit sRGB conversion.
 *
 * Linear values are from the sRGB formula, computed by hand (python):
 * lin(128) = 0.2158605001, lin(64) = 0.0512694584, lin(191) = 0.5209955732,
 * lin(200) = 0.5775804404, lin(10) = 0.0030352698, lin(30) = 0.0129830323,
 * lin(85) = 0.0908417112, 16-bit lin(1000/65535) = 1000/65535/12.92 = 0.0011810388
 * (below 0.04045, the linear segment).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color_set.h"
#include "fsk_resample.h"
#include "tkit.h"

#define TOL 1e-5

/* Resamples an 8-bit image given as w*h RGBA quadruples into a grid of
 * the given form. */
static int run8_form(const unsigned char *px, int w, int h, int orientation, int gw, int gh,
                     fsk_grid_form form, fsk_print_image *out)
{
    fsk_err err = {0};
    fsk_resampler *r = fsk_resampler_create(w, h, 8, orientation, gw, gh, form, &err);
    if (!r)
        return -1;
    int rc = fsk_resampler_rows(r, 0, h, px, (size_t)w * 4, &err);
    if (rc == 0)
        rc = fsk_resampler_finish(r, out, &err);
    fsk_resampler_free(r);
    return rc;
}

/* The same into float RGBA. */
static int run8(const unsigned char *px, int w, int h, int orientation, int gw, int gh,
                fsk_print_image *out)
{
    return run8_form(px, w, h, orientation, gw, gh, FSK_GRID_RGBA, out);
}

static const float *at(const fsk_print_image *im, int x, int y)
{
    return im->rgba + ((size_t)y * (size_t)im->width + (size_t)x) * 4;
}

static void test_box_average_4x4_to_2x2(void)
{
    unsigned char px[4 * 4 * 4];
    /* top-left block: R checker 0/255, G 128, B 64/191 by column; opaque */
    /* top-right block: gray 200, 10 / 30, 0 */
    /* bottom-left: white; bottom-right: red opaque over green transparent */
    static const unsigned char tl[4][4] = {
        {0, 128, 64, 255}, {255, 128, 191, 255}, {255, 128, 64, 255}, {0, 128, 191, 255}};
    static const unsigned char tr[4] = {200, 10, 30, 0};
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++) {
            unsigned char *p = px + (y * 4 + x) * 4;
            int k = (y % 2) * 2 + x % 2;
            if (x < 2 && y < 2) {
                memcpy(p, tl[k], 4);
            } else if (y < 2) {
                p[0] = p[1] = p[2] = tr[k];
                p[3] = 255;
            } else if (x < 2) {
                p[0] = p[1] = p[2] = p[3] = 255;
            } else if (y == 2) {
                p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
            } else {
                p[0] = 0, p[1] = 255, p[2] = 0, p[3] = 0;
            }
        }
    fsk_print_image im;
    TKIT_EQ_INT(run8(px, 4, 4, 1, 2, 2, &im), 0);
    TKIT_EQ_INT(im.width, 2);
    TKIT_EQ_INT(im.height, 2);
    TKIT_NEAR(at(&im, 0, 0)[0], 0.5, TOL);
    TKIT_NEAR(at(&im, 0, 0)[1], 0.2158605001, TOL);
    TKIT_NEAR(at(&im, 0, 0)[2], (0.0512694584 + 0.5209955732) / 2, TOL);
    TKIT_NEAR(at(&im, 0, 0)[3], 1.0, TOL);
    TKIT_NEAR(at(&im, 1, 0)[1], (0.5775804404 + 0.0030352698 + 0.0129830323 + 0) / 4, TOL);
    TKIT_NEAR(at(&im, 0, 1)[2], 1.0, TOL);
    /* Transparent green must not tint or darken the red. */
    TKIT_NEAR(at(&im, 1, 1)[0], 1.0, TOL);
    TKIT_NEAR(at(&im, 1, 1)[1], 0.0, TOL);
    TKIT_NEAR(at(&im, 1, 1)[3], 0.5, TOL);
    fsk_print_image_free(&im);
    TKIT_TRUE(im.rgba == NULL);
}

static void test_black_and_white_average_to_srgb_188(void)
{
    const unsigned char px[] = {0, 0, 0, 255, 255, 255, 255, 255};
    fsk_print_image im;
    TKIT_EQ_INT(run8(px, 2, 1, 1, 1, 1, &im), 0);
    TKIT_NEAR(im.rgba[0], 0.5, TOL);
    unsigned char out[4];
    fsk_print_image_to_srgb8(&im, out);
    TKIT_EQ_INT(out[0], 188); /* not 128: the average is taken in linear light */
    TKIT_EQ_INT(out[1], 188);
    TKIT_EQ_INT(out[3], 255);
    fsk_print_image_free(&im);
}

static void test_replicate_3x2_to_9x6(void)
{
    unsigned char px[3 * 2 * 4];
    for (int i = 0; i < 6; i++) {
        px[i * 4] = (unsigned char)(40 * i);
        px[i * 4 + 1] = 85;
        px[i * 4 + 2] = (unsigned char)(255 - 40 * i);
        px[i * 4 + 3] = 255;
    }
    fsk_print_image im;
    TKIT_EQ_INT(run8(px, 3, 2, 1, 9, 6, &im), 0);
    unsigned char out[9 * 6 * 4];
    fsk_print_image_to_srgb8(&im, out);
    int mismatches = 0;
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 9; x++) {
            const unsigned char *want = px + ((y / 3) * 3 + x / 3) * 4;
            if (memcmp(out + (y * 9 + x) * 4, want, 4) != 0)
                mismatches++;
        }
    TKIT_EQ_INT(mismatches, 0);
    TKIT_NEAR(at(&im, 4, 4)[1], 0.0908417112, TOL);
    fsk_print_image_free(&im);
}

static void test_alpha_weighted_edge(void)
{
    /* Opaque red beside blue at alpha 85/255 = 1/3: color weights 1 and
     * 1/3, so red 0.75, blue 0.25; alpha the plain mean 2/3. */
    const unsigned char px[] = {255, 0, 0, 255, 0, 0, 255, 85};
    fsk_print_image im;
    TKIT_EQ_INT(run8(px, 2, 1, 1, 1, 1, &im), 0);
    TKIT_NEAR(im.rgba[0], 0.75, TOL);
    TKIT_NEAR(im.rgba[1], 0.0, TOL);
    TKIT_NEAR(im.rgba[2], 0.25, TOL);
    TKIT_NEAR(im.rgba[3], 2.0 / 3, TOL);
    fsk_print_image_free(&im);
    /* All transparent: 0, 0, 0, 0 whatever the stored color. */
    const unsigned char clear[] = {255, 255, 255, 0, 9, 9, 9, 0};
    TKIT_EQ_INT(run8(clear, 2, 1, 1, 1, 1, &im), 0);
    TKIT_NEAR(im.rgba[0] + im.rgba[1] + im.rgba[2] + im.rgba[3], 0, 0);
    fsk_print_image_free(&im);
}

static void test_fractional_overlap_3_to_2(void)
{
    /* Pixels white, black, white over 2 cells: each cell holds 1.5 pixels,
     * so cell 0 = (1 + 0.5 * 0) / 1.5 = 2/3 in linear light. */
    const unsigned char px[] = {255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255};
    fsk_print_image im;
    TKIT_EQ_INT(run8(px, 3, 1, 1, 2, 1, &im), 0);
    TKIT_NEAR(at(&im, 0, 0)[0], 2.0 / 3, TOL);
    TKIT_NEAR(at(&im, 1, 0)[0], 2.0 / 3, TOL);
    fsk_print_image_free(&im);
    /* The same vertically, with a shrink in x too: 6x3 -> 2x2. */
    unsigned char tall[6 * 3 * 4];
    for (int i = 0; i < 6 * 3; i++) {
        unsigned char v = i / 6 == 1 ? 0 : 255;
        tall[i * 4] = tall[i * 4 + 1] = tall[i * 4 + 2] = v;
        tall[i * 4 + 3] = 255;
    }
    TKIT_EQ_INT(run8(tall, 6, 3, 1, 2, 2, &im), 0);
    TKIT_NEAR(at(&im, 1, 1)[2], 2.0 / 3, TOL);
    fsk_print_image_free(&im);
}

static void test_orientations(void)
{
    /* Stored 3x2: a b c / d e f, as gray levels. The displayed grids follow
     * the EXIF definitions (orientation 6: stored row 0 is the right-hand
     * column, stored column 0 the top row; and so on). */
    const unsigned char levels[6] = {10, 50, 90, 130, 170, 210}; /* a..f */
    unsigned char px[6 * 4];
    for (int i = 0; i < 6; i++) {
        px[i * 4] = px[i * 4 + 1] = px[i * 4 + 2] = levels[i];
        px[i * 4 + 3] = 255;
    }
    static const char *want[9] = {
        NULL,     "abcdef", "cbafed", "fedcba", "defabc",
        "adbecf", "daebfc", "fcebda", "cfbead",
    };
    for (int o = 1; o <= 8; o++) {
        int gw = o >= 5 ? 2 : 3, gh = o >= 5 ? 3 : 2;
        fsk_print_image im;
        TKIT_EQ_INT(run8(px, 3, 2, o, gw, gh, &im), 0);
        unsigned char out[6 * 4];
        fsk_print_image_to_srgb8(&im, out);
        char got[7] = {0};
        for (int i = 0; i < 6; i++) {
            const unsigned char *hit = memchr(levels, out[i * 4], 6);
            got[i] = hit ? (char)('a' + (hit - levels)) : '?';
        }
        TKIT_EQ_STR(got, want[o]);
        fsk_print_image_free(&im);
    }
}

static void test_sixteen_bit_samples(void)
{
    const uint16_t px[] = {1000, 65535, 0, 65535};
    fsk_err err = {0};
    fsk_resampler *r = fsk_resampler_create(1, 1, 16, 1, 1, 1, FSK_GRID_RGBA, &err);
    TKIT_TRUE(r != NULL);
    TKIT_EQ_INT(fsk_resampler_rows(r, 0, 1, px, sizeof px, &err), 0);
    fsk_print_image im;
    TKIT_EQ_INT(fsk_resampler_finish(r, &im, &err), 0);
    fsk_resampler_free(r);
    TKIT_NEAR(im.rgba[0], 0.0011810388, 1e-7);
    TKIT_NEAR(im.rgba[1], 1.0, TOL);
    fsk_print_image_free(&im);
}

static void test_row_order_and_missing_rows(void)
{
    const unsigned char px[2 * 4] = {0};
    fsk_err err = {0};
    fsk_resampler *r = fsk_resampler_create(1, 2, 8, 1, 1, 1, FSK_GRID_RGBA, &err);
    TKIT_EQ_INT(fsk_resampler_rows(r, 1, 1, px, 4, &err), FSK_EINVAL);
    TKIT_EQ_INT(fsk_resampler_rows(r, 0, 3, px, 4, &err), FSK_EINVAL);
    TKIT_EQ_INT(fsk_resampler_rows(r, 0, 1, px, 4, &err), 0);
    fsk_print_image im;
    TKIT_EQ_INT(fsk_resampler_finish(r, &im, &err), FSK_EFORMAT);
    TKIT_EQ_STR(err.msg, "image ended after 1 of 2 rows");
    TKIT_TRUE(im.rgba == NULL);
    fsk_resampler_free(r);
    TKIT_TRUE(fsk_resampler_create(0, 1, 8, 1, 1, 1, FSK_GRID_RGBA, &err) == NULL);
    TKIT_TRUE(fsk_resampler_create(1, 1, 12, 1, 1, 1, FSK_GRID_RGBA, &err) == NULL);
    TKIT_TRUE(fsk_resampler_create(1, 1, 8, 9, 1, 1, FSK_GRID_RGBA, &err) == NULL);
    TKIT_TRUE(fsk_resampler_create(1, 1, 8, 1, 1, 1, (fsk_grid_form)2, &err) == NULL);
}

static void test_grid_size_rule(void)
{
    fsk_err err = {0};
    int w = 0, h = 0;
    fsk_grid_request req = {.width_mm = 10, .pixel_mm = 0.4};
    /* 10 / 0.4 = 25; height 10 * 48/64 = 7.5 mm = 18.75 -> 19 */
    TKIT_EQ_INT(fsk_grid_size(&req, 64, 48, &w, &h, &err), 0);
    TKIT_EQ_INT(w, 25);
    TKIT_EQ_INT(h, 19);
    /* 0.3 / 0.1 is 2.9999999999999996 in binary: still 3 */
    req = (fsk_grid_request){.width_mm = 0.3, .pixel_mm = 0.1};
    TKIT_EQ_INT(fsk_grid_size(&req, 10, 10, &w, &h, &err), 0);
    TKIT_EQ_INT(w, 3);
    TKIT_EQ_INT(h, 3);
    /* halves round up: 5 / 0.4 = 12.5 -> 13; a sliver is still 1 pixel */
    req = (fsk_grid_request){.height_mm = 5, .pixel_mm = 0.4};
    TKIT_EQ_INT(fsk_grid_size(&req, 1, 1000, &w, &h, &err), 0);
    TKIT_EQ_INT(h, 13);
    TKIT_EQ_INT(w, 1);
    req = (fsk_grid_request){.width_mm = 10, .height_mm = 10, .pixel_mm = 0.4};
    TKIT_EQ_INT(fsk_grid_size(&req, 1, 1, &w, &h, &err), FSK_EINVAL);
    req = (fsk_grid_request){.width_mm = 10};
    TKIT_EQ_INT(fsk_grid_size(&req, 1, 1, &w, &h, &err), FSK_EINVAL);
    req = (fsk_grid_request){.width_mm = 1000, .pixel_mm = 0.1, .max_grid_pixels = 99999999};
    TKIT_EQ_INT(fsk_grid_size(&req, 1, 1, &w, &h, &err), FSK_ELIMIT);
    TKIT_EQ_STR(err.msg, "print grid of 10000x10000 pixels exceeds the limit of 99999999 pixels");
    req = (fsk_grid_request){.width_mm = 1e5, .pixel_mm = 1e-3};
    TKIT_EQ_INT(fsk_grid_size(&req, 1, 1, &w, &h, &err), FSK_ELIMIT);
}

/* Weight of source pixel s in cell c along an axis of n pixels and g
 * cells, computed directly: the overlap of [s, s+1) with the cell's span
 * [c*n/g, (c+1)*n/g) over the span's length when shrinking; 1 for the
 * nearest pixel of the cell's centre when growing. */
static double ref_weight(int s, int c, int n, int g)
{
    if (n < g)
        return s == (int)floor((c + 0.5) * n / g) ? 1.0 : 0.0;
    double lo = (double)c * n / g, hi = (double)(c + 1) * n / g;
    double overlap = fmin(hi, s + 1.0) - fmax(lo, (double)s);
    return overlap > 0 ? overlap / (hi - lo) : 0.0;
}

static double ref_lin(int v)
{
    double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

/* Display position of stored grid cell (i, j), from the EXIF table of
 * where stored row 0 and column 0 end up. */
static void ref_place(int o, int i, int j, int gw, int gh, int *x, int *y)
{
    switch (o) {
    case 1: *x = i; *y = j; break;
    case 2: *x = gw - 1 - i; *y = j; break;
    case 3: *x = gw - 1 - i; *y = gh - 1 - j; break;
    case 4: *x = i; *y = gh - 1 - j; break;
    case 5: *x = j; *y = i; break;
    case 6: *x = gw - 1 - j; *y = i; break;
    case 7: *x = gw - 1 - j; *y = gh - 1 - i; break;
    default: *x = j; *y = gh - 1 - i; break;
    }
}

/* Random images, sizes, grids (shrinking, growing, mixed) and
 * orientations against a direct double-precision evaluation. */
static void test_against_reference(void)
{
    unsigned seed = 12345;
    int bad = 0;
    for (int round = 0; round < 300; round++) {
        seed = seed * 1103515245u + 12345u;
        int w = 1 + (int)(seed >> 16) % 23;
        seed = seed * 1103515245u + 12345u;
        int h = 1 + (int)(seed >> 16) % 17;
        seed = seed * 1103515245u + 12345u;
        int gw = 1 + (int)(seed >> 16) % 29;
        seed = seed * 1103515245u + 12345u;
        int gh = 1 + (int)(seed >> 16) % 19;
        int o = 1 + round % 8;
        unsigned char *px = malloc((size_t)w * h * 4);
        for (int i = 0; i < w * h * 4; i++) {
            seed = seed * 1103515245u + 12345u;
            px[i] = (unsigned char)(seed >> 16);
            if (i % 4 == 3 && (seed >> 8) % 4 == 0)
                px[i] = 0; /* plenty of fully transparent pixels */
        }
        fsk_print_image im;
        if (run8(px, w, h, o, gw, gh, &im) != 0) {
            bad++;
            free(px);
            continue;
        }
        int sw = o >= 5 ? gh : gw, sh = o >= 5 ? gw : gh; /* grid in stored terms */
        for (int j = 0; j < sh; j++)
            for (int i = 0; i < sw; i++) {
                double sum[4] = {0}, wsum = 0;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        double wt = ref_weight(x, i, w, sw) * ref_weight(y, j, h, sh);
                        const unsigned char *p = px + (y * w + x) * 4;
                        double a = p[3] / 255.0 * wt;
                        for (int k = 0; k < 3; k++)
                            sum[k] += ref_lin(p[k]) * a;
                        sum[3] += a;
                        wsum += wt;
                    }
                int dx, dy;
                ref_place(o, i, j, gw, gh, &dx, &dy);
                const float *got = at(&im, dx, dy);
                double alpha = sum[3] / wsum;
                int ok = fabs(got[3] - alpha) < 1e-4;
                for (int k = 0; k < 3; k++)
                    ok = ok && fabs(got[k] - (sum[3] > 0 ? sum[k] / sum[3] : 0)) < 1e-4;
                if (!ok && bad++ < 5)
                    fprintf(stderr, "%dx%d -> %dx%d o%d: cell %d,%d differs\n", w, h, gw,
                            gh, o, i, j);
            }
        fsk_print_image_free(&im);
        free(px);
    }
    TKIT_EQ_INT(bad, 0);
}

static void test_srgb8_rounding(void)
{
    float px[3 * 4] = {
        0.2158605f, 0.0f, 1.0f, 0.5f,    /* 128, 0, 255; alpha 127.5 -> 128 */
        0.7f, 0.7f, 0.7f, 0.001f,        /* alpha rounds to 0: all 0 */
        0.0f, 0.0f, 0.0f, 0.0f,
    };
    fsk_print_image im = {3, 1, px, NULL};
    unsigned char out[12];
    memset(out, 0xAA, sizeof out);
    fsk_print_image_to_srgb8(&im, out);
    const unsigned char want[12] = {128, 0, 255, 128, 0, 0, 0, 0, 0, 0, 0, 0};
    TKIT_TRUE(memcmp(out, want, 12) == 0);
    TKIT_EQ_INT(out[0], 128);
    TKIT_EQ_INT(out[3], 128);
}

/* Rows reported final while the source rows come one by one already hold
 * their finished values, their count never falls, and it is 0 throughout
 * for orientations that turn or flip rows; shrinking and growing heights. */
static void test_rows_final_early(void)
{
    enum { W = 7, H = 11 };
    unsigned char px[W * H * 4];
    for (int i = 0; i < W * H * 4; i++)
        px[i] = (unsigned char)(i * 37 + 11);
    const int grid_h[] = {4, 11, 25};
    for (int g = 0; g < 3; g++)
        for (int o = 1; o <= 8; o++) {
            int gw = o >= 5 ? grid_h[g] : 5, gh = o >= 5 ? 5 : grid_h[g];
            fsk_print_image want;
            TKIT_EQ_INT(run8(px, W, H, o, gw, gh, &want), 0);
            fsk_err err = {0};
            fsk_resampler *r = fsk_resampler_create(W, H, 8, o, gw, gh, FSK_GRID_RGBA, &err);
            TKIT_TRUE(r != NULL);
            if (!r) {
                fsk_print_image_free(&want);
                continue;
            }
            int last = 0, early = 0, wrong = 0;
            for (int y = 0; y < H; y++) {
                TKIT_EQ_INT(fsk_resampler_rows(r, y, 1, px + (size_t)y * W * 4, W * 4, &err),
                            0);
                fsk_print_image grid;
                int final = fsk_resampler_rows_final(r, &grid);
                wrong += final < last || final > gh || grid.width != gw || grid.height != gh;
                if (final > 0)
                    wrong += memcmp(grid.rgba, want.rgba,
                                    (size_t)final * (size_t)gw * 4 * sizeof *grid.rgba) != 0;
                early += final > 0 && y < H - 1;
                last = final;
            }
            TKIT_EQ_INT(wrong, 0);
            /* Rows kept as rows (1 and 2) finish early; the others never. */
            TKIT_EQ_INT(early > 0, o <= 2);
            fsk_print_image got;
            TKIT_EQ_INT(fsk_resampler_finish(r, &got, &err), 0);
            fsk_resampler_free(r);
            fsk_print_image_free(&got);
            fsk_print_image_free(&want);
        }
}

/* A grid of keys holds, pixel for pixel, the keys of the float grid
 * (fsk_pixel_key: the clear mark where alpha is below one half), for every
 * orientation, shrinking and growing; and it alone (rgba NULL). */
static void test_keys_grid(void)
{
    enum { W = 9, H = 6 };
    unsigned char px[W * H * 4];
    for (int i = 0; i < W * H * 4; i++)
        px[i] = (unsigned char)(i * 53 + 7);
    for (int i = 0; i < W * H; i++)
        px[i * 4 + 3] = i % 5 == 0 ? 0 : i % 5 == 1 ? 100 : 255;
    fsk_srgb_cells codes;
    fsk_srgb8_cells_init(&codes);
    const int sizes[][2] = {{4, 3}, {9, 6}, {20, 13}};
    int wrong = 0, clear = 0, compared = 0;
    for (int g = 0; g < 3; g++)
        for (int o = 1; o <= 8; o++) {
            int gw = o >= 5 ? sizes[g][1] : sizes[g][0];
            int gh = o >= 5 ? sizes[g][0] : sizes[g][1];
            fsk_print_image floats, keys;
            TKIT_EQ_INT(run8_form(px, W, H, o, gw, gh, FSK_GRID_RGBA, &floats), 0);
            TKIT_EQ_INT(run8_form(px, W, H, o, gw, gh, FSK_GRID_KEYS, &keys), 0);
            TKIT_TRUE(keys.rgba == NULL && keys.keys != NULL && floats.keys == NULL);
            if (keys.keys && floats.rgba)
                for (int i = 0; i < gw * gh; i++, compared++) {
                    uint32_t want = fsk_pixel_key(&codes, floats.rgba + 4 * (size_t)i);
                    wrong += keys.keys[i] != want;
                    clear += (keys.keys[i] & FSK_KEY_CLEAR) != 0;
                }
            fsk_print_image_free(&floats);
            fsk_print_image_free(&keys);
        }
    TKIT_EQ_INT(wrong, 0);
    TKIT_TRUE(compared > 0 && clear > 0 && clear < compared);
}

/* At the source's own size from 8-bit samples the keys are taken from the
 * samples directly: the same keys as the float grid's for every code under
 * every alpha, in every orientation. */
static void test_keys_one_to_one_every_code(void)
{
    enum { W = 256, H = 256 };
    unsigned char *px = malloc((size_t)W * H * 4);
    TKIT_TRUE(px != NULL);
    if (!px)
        return;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned char *q = px + 4 * ((size_t)y * W + (size_t)x);
            q[0] = (unsigned char)x;
            q[1] = (unsigned char)(255 - x);
            q[2] = (unsigned char)(x * 7 + y);
            q[3] = (unsigned char)y;
        }
    fsk_srgb_cells codes;
    fsk_srgb8_cells_init(&codes);
    int wrong = 0, compared = 0;
    for (int o = 1; o <= 8; o++) {
        fsk_print_image floats, keys;
        TKIT_EQ_INT(run8_form(px, W, H, o, W, H, FSK_GRID_RGBA, &floats), 0);
        TKIT_EQ_INT(run8_form(px, W, H, o, W, H, FSK_GRID_KEYS, &keys), 0);
        if (keys.keys && floats.rgba)
            for (int i = 0; i < W * H; i++, compared++)
                wrong += keys.keys[i] != fsk_pixel_key(&codes, floats.rgba + 4 * (size_t)i);
        fsk_print_image_free(&floats);
        fsk_print_image_free(&keys);
    }
    TKIT_EQ_INT(wrong, 0);
    TKIT_EQ_INT(compared, 8 * W * H);
    free(px);
}

int main(void)
{
    TKIT_RUN(test_box_average_4x4_to_2x2);
    TKIT_RUN(test_black_and_white_average_to_srgb_188);
    TKIT_RUN(test_replicate_3x2_to_9x6);
    TKIT_RUN(test_alpha_weighted_edge);
    TKIT_RUN(test_fractional_overlap_3_to_2);
    TKIT_RUN(test_orientations);
    TKIT_RUN(test_sixteen_bit_samples);
    TKIT_RUN(test_row_order_and_missing_rows);
    TKIT_RUN(test_rows_final_early);
    TKIT_RUN(test_keys_grid);
    TKIT_RUN(test_keys_one_to_one_every_code);
    TKIT_RUN(test_grid_size_rule);
    TKIT_RUN(test_against_reference);
    TKIT_RUN(test_srgb8_rounding);
    return TKIT_DONE();
}
