/*
 * test_color.c — sRGB transfer, XYZ/Lab conversions against published
 * values, CIEDE2000 against all 34 pairs of Sharma, Wu & Dalal (2005),
 * and the interval bounds used by the matcher against sampled colors.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "tkit.h"

/* Sharma, Wu & Dalal, "The CIEDE2000 color-difference formula:
 * implementation notes, supplementary test data, and mathematical
 * observations", Color Res. Appl. 30(1), 2005, Table 1: L1 a1 b1 L2 a2 b2
 * ΔE00. */
static const double sharma[34][7] = {
    {50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425},
    {50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615},
    {50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412},
    {50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000},
    {50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000},
    {50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000},
    {50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669},
    {50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195},
    {50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195},
    {50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045},
    {50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045},
    {50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461},
    {50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065},
    {50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492},
    {50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977},
    {50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030},
    {50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535},
    {50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000},
    {50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000},
    {50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000},
    {50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000},
    {60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644},
    {63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630},
    {61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731},
    {35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645},
    {22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373},
    {36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146},
    {90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441},
    {90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381},
    {6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377},
    {2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082},
};

static void test_ciede2000_sharma(void)
{
    for (int i = 0; i < 34; i++) {
        const double *p = sharma[i];
        /* Rounded to 4 decimals, as published. */
        TKIT_NEAR(round(fsk_de2000(p, p + 3) * 1e4) / 1e4, p[6], 1e-9);
        TKIT_NEAR(round(fsk_de2000(p + 3, p) * 1e4) / 1e4, p[6], 1e-9);
    }
    double a[3] = {40, 10, -20};
    TKIT_NEAR(fsk_de2000(a, a), 0, 0);
}

static void test_de76(void)
{
    double a[3] = {50, 10, 20}, b[3] = {53, 14, 20};
    TKIT_NEAR(fsk_de76(a, b), 5, 1e-12);
}

static void test_srgb_transfer(void)
{
    TKIT_NEAR(fsk_srgb_to_linear(0), 0, 0);
    TKIT_NEAR(fsk_srgb_to_linear(1), 1, 1e-15);
    TKIT_NEAR(fsk_srgb_to_linear(0.04045), 0.04045 / 12.92, 1e-15);
    /* 50% sRGB is 21.404% linear; 128/255 is 21.586%. */
    TKIT_NEAR(fsk_srgb_to_linear(0.5), 0.214041140, 1e-9);
    TKIT_NEAR(fsk_srgb_to_linear(128 / 255.0), 0.215860500, 1e-9);
    for (int i = 0; i <= 1000; i++) {
        double v = i / 1000.0;
        TKIT_NEAR(fsk_linear_to_srgb(fsk_srgb_to_linear(v)), v, 1e-12);
    }
    const float *t8 = fsk_srgb8_to_linear_table();
    const float *t16 = fsk_srgb16_to_linear_table();
    TKIT_NEAR(t8[0], 0, 0);
    TKIT_NEAR(t8[255], 1, 0);
    TKIT_NEAR(t8[128], 0.2158605, 1e-7);
    TKIT_NEAR(t16[65535], 1, 0);
    TKIT_NEAR(t16[128 * 257], t8[128], 1e-7);
    int roundtrip_ok = 1;
    for (int i = 0; i < 256; i++)
        roundtrip_ok &= fsk_linear_to_srgb8(t8[i]) == i;
    TKIT_TRUE(roundtrip_ok);
    TKIT_EQ_INT(fsk_linear_to_srgb8(-0.5), 0);
    TKIT_EQ_INT(fsk_linear_to_srgb8(2.0), 255);
}

/* The cell by scanning every edge: the last whose edge is <= v, 0 for
 * values below (or NaN). */
static int cell_by_scan(const fsk_srgb_cells *cells, float v)
{
    int k = 0;
    for (int e = 1; e < cells->count; e++)
        if (cells->edges[e] <= v)
            k = e;
    return k;
}

static float float_of_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The bucketed lookup agrees with a scan of the edges on each edge and the
 * 64 floats either side, on the ends of every bucket, on a stride through
 * all floats up to 1, and on values outside 0..1. */
static void check_cell_lookup(const fsk_srgb_cells *cells)
{
    long differ = 0, tried = 0;
    for (int e = 0; e <= cells->count; e++) {
        uint32_t at;
        memcpy(&at, &cells->edges[e], sizeof at);
        for (int64_t d = -64; d <= 64; d++) {
            float v = float_of_bits((uint32_t)((int64_t)at + d));
            differ += fsk_srgb_cell(cells, v) != cell_by_scan(cells, v);
            tried++;
        }
    }
    for (uint32_t b = 0; b < FSK_SRGB_CELL_BUCKETS; b++) {
        uint32_t first = b << FSK_SRGB_CELL_BUCKET_SHIFT;
        uint32_t last = first + (1u << FSK_SRGB_CELL_BUCKET_SHIFT) - 1;
        differ += fsk_srgb_cell(cells, float_of_bits(first)) !=
                  cell_by_scan(cells, float_of_bits(first));
        differ += fsk_srgb_cell(cells, float_of_bits(last)) !=
                  cell_by_scan(cells, float_of_bits(last));
        tried += 2;
    }
    for (uint32_t u = 1; u < 0x3F800000u; u += 4099) {
        differ += fsk_srgb_cell(cells, float_of_bits(u)) !=
                  cell_by_scan(cells, float_of_bits(u));
        tried++;
    }
    TKIT_EQ_INT(differ, 0);
    TKIT_TRUE(tried > 250000);
    TKIT_EQ_INT(fsk_srgb_cell(cells, -0.5f), 0);
    TKIT_EQ_INT(fsk_srgb_cell(cells, -0.0f), 0);
    TKIT_EQ_INT(fsk_srgb_cell(cells, NAN), 0);
    TKIT_EQ_INT(fsk_srgb_cell(cells, 1.0f), cells->count - 1);
    TKIT_EQ_INT(fsk_srgb_cell(cells, 7.5f), cells->count - 1);
    TKIT_EQ_INT(fsk_srgb_cell(cells, INFINITY), cells->count - 1);
}

static void test_srgb_cells(void)
{
    static const int counts[] = {1, 2, 3, 7, 32, 64, 255, 256, 300};
    static fsk_srgb_cells cells;
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        fsk_srgb_cells_init(&cells, counts[c]);
        int want = counts[c] > FSK_SRGB_CELLS_MAX ? FSK_SRGB_CELLS_MAX : counts[c];
        TKIT_EQ_INT(cells.count, want);
        TKIT_NEAR(cells.edges[want], 1, 0);
        check_cell_lookup(&cells);
    }
    /* The rounding to 8-bit codes, whose edges sit half a code lower. */
    fsk_srgb8_cells_init(&cells);
    check_cell_lookup(&cells);
    /* sRGB 0.5 lies on the edge of cell 16 of 32: a value on an edge goes
     * up, the float below stays. */
    fsk_srgb_cells_init(&cells, 32);
    float mid = cells.edges[16];
    TKIT_EQ_INT(fsk_srgb_cell(&cells, mid), 16);
    TKIT_EQ_INT(fsk_srgb_cell(&cells, nextafterf(mid, 0)), 15);
    TKIT_NEAR(mid, fsk_srgb_to_linear(0.5), 1e-7);
}

static void test_lab_known_values(void)
{
    double lab[3], xyz[3], rgb[3];
    double white[3] = {255, 255, 255}, red[3] = {255, 0, 0};
    fsk_srgb255_to_lab(white, lab);
    TKIT_NEAR(lab[0], 100, 1e-9);
    TKIT_NEAR(lab[1], 0, 1e-9);
    TKIT_NEAR(lab[2], 0, 1e-9);
    /* sRGB red with the matrix derived from the primaries and D65
     * (computed independently in exact arithmetic); tables that quote
     * L = 53.2408 used a matrix rounded to 7 digits. */
    fsk_srgb255_to_lab(red, lab);
    TKIT_NEAR(lab[0], 53.23712, 1e-4);
    TKIT_NEAR(lab[1], 80.09011, 1e-4);
    TKIT_NEAR(lab[2], 67.20326, 1e-4);
    /* Grays are neutral. */
    for (int v = 0; v <= 255; v += 17) {
        double g[3] = {v, v, v};
        fsk_srgb255_to_lab(g, lab);
        TKIT_NEAR(lab[1], 0, 1e-9);
        TKIT_NEAR(lab[2], 0, 1e-9);
    }
    /* Y of a linear color is its luminance (Rec. 709 weights). */
    double lin[3] = {1, 0, 0};
    fsk_linear_to_xyz(lin, xyz);
    TKIT_NEAR(xyz[1], 0.2126, 1e-4);
    fsk_white_xyz(xyz);
    TKIT_NEAR(xyz[0], 0.9505, 1e-4);
    TKIT_NEAR(xyz[2], 1.0891, 1e-4);
    /* Round trips. */
    double c[3] = {12.5, 200.25, 90};
    fsk_srgb255_to_lab(c, lab);
    fsk_lab_to_srgb255(lab, rgb);
    for (int i = 0; i < 3; i++)
        TKIT_NEAR(rgb[i], c[i], 1e-9);
    double dark[3] = {0.001, 0.002, 0.0005};
    fsk_linear_to_lab(dark, lab);
    fsk_lab_to_linear(lab, rgb);
    for (int i = 0; i < 3; i++)
        TKIT_NEAR(rgb[i], dark[i], 1e-12);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Every sampled color of a linear box has its Lab inside fsk_lab_box. */
/* The Lab function's cube root (its own, faster than libm's) is within one
 * unit in the last place of the true cube root, taken in long double, at
 * 200,000 points spread geometrically over (epsilon, 1e6]; below epsilon
 * the linear part. */
static void test_lab_f_cube_root(void)
{
    const double eps = 216.0 / 24389.0;
    double worst = 0;
    for (int i = 0; i <= 200000; i++) {
        double t = eps * pow(1e6 / eps, i / 200000.0);
        t = t > eps ? t : nextafter(eps, 1);
        long double exact = cbrtl((long double)t);
        double ulp = nextafter((double)exact, INFINITY) - (double)exact;
        double err = (double)fabsl((long double)fsk_lab_f(t) - exact) / ulp;
        worst = err > worst ? err : worst;
    }
    TKIT_TRUE(worst <= 1.0);
    TKIT_NEAR(fsk_lab_f(1.0), 1.0, 0);
    TKIT_NEAR(fsk_lab_f(0.125), 0.5, 0);
    TKIT_NEAR(fsk_lab_f(eps / 2), (24389.0 / 27.0 * eps / 2 + 16.0) / 116.0, 1e-15);
}

static void test_lab_box_encloses(void)
{
    int outside = 0, samples = 0;
    for (int box = 0; box < 2000; box++) {
        double lo[3], hi[3], blo[3], bhi[3];
        double size = box % 2 ? 1.0 / 32 : rnd() * 0.3;
        for (int i = 0; i < 3; i++) {
            lo[i] = rnd() * (1 - size);
            hi[i] = lo[i] + size;
        }
        fsk_lab_box(lo, hi, blo, bhi);
        for (int s = 0; s < 200; s++, samples++) {
            double rgb[3], lab[3];
            for (int i = 0; i < 3; i++)
                rgb[i] = lo[i] + (hi[i] - lo[i]) * rnd();
            fsk_linear_to_lab(rgb, lab);
            for (int i = 0; i < 3; i++)
                outside += lab[i] < blo[i] || lab[i] > bhi[i];
        }
    }
    TKIT_EQ_INT(outside, 0);
    TKIT_EQ_INT(samples, 400000);
}

/* ΔE00 of sampled colors of a Lab box to a color e stays within the
 * bounds, including boxes around the gray axis and across hue 180. */
static void test_de2000_bounds_hold(void)
{
    int violations = 0;
    double worst_gap = 0;
    for (int t = 0; t < 20000; t++) {
        double lo[3], hi[3], e[3];
        double size = t % 3 == 0 ? 0.01 : t % 3 == 1 ? 2.0 : 15.0;
        double center[3] = {rnd() * 100, (rnd() - 0.5) * 200, (rnd() - 0.5) * 200};
        if (t % 5 == 0)
            center[1] = center[2] = (rnd() - 0.5) * 2; /* near gray */
        for (int i = 0; i < 3; i++) {
            lo[i] = center[i] - size * rnd();
            hi[i] = center[i] + size * rnd();
        }
        e[0] = rnd() * 100;
        e[1] = (rnd() - 0.5) * 200;
        e[2] = (rnd() - 0.5) * 200;
        if (t % 7 == 0) {
            /* Opposite hue: the mean hue jumps inside the box. */
            e[1] = -center[1] * 1.5;
            e[2] = -center[2] * 1.5;
        }
        if (t % 11 == 0)
            e[1] = e[2] = 0;
        double dmin, dmax;
        fsk_de2000_bounds(lo, hi, e, &dmin, &dmax);
        for (int s = 0; s < 60; s++) {
            double p[3];
            for (int i = 0; i < 3; i++)
                p[i] = s < 8 ? ((s >> i) & 1 ? hi[i] : lo[i])
                             : lo[i] + (hi[i] - lo[i]) * rnd();
            double d = fsk_de2000(p, e);
            violations += d < dmin || d > dmax;
        }
        if (size == 0.01 && t % 5 && t % 7 && dmax - dmin > worst_gap)
            worst_gap = dmax - dmin;
    }
    TKIT_EQ_INT(violations, 0);
    /* Tiny boxes away from the gray axis and from opposite hues give tight
     * bounds (the lookup table relies on it). */
    TKIT_TRUE(worst_gap < 0.15);
    double p[3] = {40, 20, -30}, e[3] = {60, -10, 5}, dmin, dmax;
    fsk_de2000_bounds(p, p, e, &dmin, &dmax);
    TKIT_NEAR(dmin, fsk_de2000(p, e), 1e-6);
    TKIT_NEAR(dmax, fsk_de2000(p, e), 1e-6);
}

/* Each lane of fsk_de2000_bounds_four bounds the box against its own
 * color as fsk_de2000_bounds does for that color alone, bit for bit,
 * whatever the other lanes hold (gray, opposite or ordinary colors). */
static void test_de2000_bounds_four_lanes(void)
{
    int mismatches = 0;
    for (int t = 0; t < 5000; t++) {
        double lo[3], hi[3], e[4][3];
        double size = t % 2 ? 0.5 : 12.0;
        double center[3] = {rnd() * 100, (rnd() - 0.5) * 200, (rnd() - 0.5) * 200};
        for (int i = 0; i < 3; i++) {
            lo[i] = center[i] - size * rnd();
            hi[i] = center[i] + size * rnd();
        }
        for (int j = 0; j < 4; j++) {
            e[j][0] = rnd() * 100;
            e[j][1] = (rnd() - 0.5) * 200;
            e[j][2] = (rnd() - 0.5) * 200;
        }
        e[(t >> 2) & 3][1] = e[(t >> 2) & 3][2] = 0;
        e[(t + 1) & 3][1] = -center[1];
        e[(t + 1) & 3][2] = -center[2];
        const double *lanes[4] = {e[0], e[1], e[2], e[3]};
        double dmin[4], dmax[4];
        fsk_de2000_bounds_four(lo, hi, lanes, dmin, dmax);
        for (int j = 0; j < 4; j++) {
            double one_min, one_max;
            fsk_de2000_bounds(lo, hi, e[j], &one_min, &one_max);
            mismatches += memcmp(&one_min, &dmin[j], sizeof one_min) != 0 ||
                          memcmp(&one_max, &dmax[j], sizeof one_max) != 0;
        }
    }
    TKIT_EQ_INT(mismatches, 0);
}

/* fsk_de2000_range holds the computed ΔE00 on random pairs and the hard
 * ones (equal, gray, near-zero chroma, opposite and near-opposite hues,
 * the blue region where the rotation term is largest, the extremes of the
 * Lab range a calibration may hold), and is tight away from blue. */
static void test_de2000_range(void)
{
    int violations = 0, pairs = 0, tight = 0, early = 0;
    for (int t = 0; t < 600000; t++) {
        double p[3] = {rnd() * 100, (rnd() - 0.5) * 400, (rnd() - 0.5) * 400}, e[3];
        if (t % 2) { /* a pixel: an sRGB color */
            double lin[3] = {rnd(), rnd(), rnd()};
            fsk_linear_to_lab(lin, p);
        }
        double near = t % 4 == 0 ? 1e-6 : t % 4 == 1 ? 0.5 : t % 4 == 2 ? 5 : 80;
        for (int i = 0; i < 3; i++)
            e[i] = p[i] + (rnd() - 0.5) * near;
        switch (t % 13) {
        case 0: p[1] = p[2] = 0; break;                 /* gray */
        case 1: e[1] = -p[1]; e[2] = -p[2]; break;       /* opposite hue */
        case 2: /* hue near 275 degrees, chroma 30..130: RT at its largest */
            p[1] = 0.0872 * (30 + rnd() * 100);
            p[2] = -0.9962 * (30 + rnd() * 100);
            e[1] = p[1] * (0.9 + 0.2 * rnd());
            e[2] = p[2] * (0.9 + 0.2 * rnd());
            break;
        case 3: memcpy(e, p, sizeof e); break;           /* equal */
        case 4: e[0] = p[0]; break;                      /* same lightness */
        case 5: /* nearly opposite hues */
            e[1] = -p[1] * (1 + 1e-7 * (rnd() - 0.5)) + 1e-7 * (rnd() - 0.5);
            e[2] = -p[2] * (1 + 1e-7 * (rnd() - 0.5));
            break;
        case 6: /* near-zero chroma, one or both */
            p[1] = 1e-300 * rnd();
            p[2] = -1e-20 * rnd();
            if (t % 2)
                e[1] = e[2] = 1e-200;
            break;
        case 7: /* the corners of the Lab range a calibration accepts */
            e[0] = t % 3 ? 0 : 100;
            e[1] = t % 5 < 2 ? -200 : 200;
            e[2] = t % 7 < 3 ? -200 : 200;
            break;
        case 8: /* same hue, different chroma */
            e[1] = p[1] * 1.3;
            e[2] = p[2] * 1.3;
            break;
        default: break;
        }
        fsk_de2000_point pp, ep;
        fsk_de2000_point_of(p, &pp);
        fsk_de2000_point_of(e, &ep);
        double d = fsk_de2000(p, e), lo, hi;
        /* Sometimes with a limit the lightness alone may exceed. */
        double limit = t % 3 == 0 ? d * rnd() : INFINITY;
        fsk_de2000_range(&pp, &ep, limit, &lo, &hi);
        bool ok = lo <= d && d <= hi && lo >= 0;
        if (hi == INFINITY && limit < INFINITY) {
            ok = ok && lo > limit;
            early++;
        }
        if (!ok) {
            if (violations++ < 3)
                fprintf(stderr, "range [%.17g, %.17g] misses %.17g at (%g %g %g) (%g %g %g)\n",
                        lo, hi, d, p[0], p[1], p[2], e[0], e[1], e[2]);
        }
        /* Tight for ordinary pairs away from blue (mean hue 200..350):
         * within the margins for rounding in floats (fsk_color_range.c),
         * 1.4e-5 of |L1| + |L2| + C1' + C2' and 3e-5 of the distance. */
        double hb = atan2(p[2] + e[2], p[1] + e[1]) * 180 / 3.14159265358979;
        if (t % 13 > 8 && d > 1 && limit == INFINITY && (hb > 10 || hb < -160)) {
            double s = fabs(p[0]) + fabs(e[0]) + hypot(p[1], p[2]) + hypot(e[1], e[2]);
            pairs++;
            tight += hi - lo <= 2e-5 * s + 5e-5 * d;
        }
    }
    TKIT_EQ_INT(violations, 0);
    printf("range within its rounding margins on %d of %d ordinary pairs; %d stopped on "
           "lightness\n",
           tight, pairs, early);
    TKIT_TRUE(pairs > 20000 && tight > pairs * 0.9);
    TKIT_TRUE(early > 1000);
    /* Hand-checked: lightness alone, SL = 1 at mean L 50: exactly 20. */
    double b[3] = {40, 0, 0}, c[3] = {60, 0, 0}, lo, hi;
    fsk_de2000_point bp, cp;
    fsk_de2000_point_of(b, &bp);
    fsk_de2000_point_of(c, &cp);
    fsk_de2000_range(&bp, &cp, INFINITY, &lo, &hi);
    TKIT_TRUE(lo <= 20 && hi >= 20 && hi - lo < 4e-3);
    fsk_de2000_range(&bp, &cp, 19.99, &lo, &hi);
    TKIT_TRUE(lo > 19.99 && lo <= 20 && hi == INFINITY);
    fsk_de2000_range(&bp, &bp, INFINITY, &lo, &hi);
    TKIT_TRUE(lo == 0 && hi < 2e-3);
    /* Sharma's pairs, both orders. */
    for (int i = 0; i < 34; i++) {
        fsk_de2000_point_of(sharma[i], &bp);
        fsk_de2000_point_of(sharma[i] + 3, &cp);
        fsk_de2000_range(&bp, &cp, INFINITY, &lo, &hi);
        double d = fsk_de2000(sharma[i], sharma[i] + 3);
        TKIT_TRUE(lo <= d && d <= hi);
        fsk_de2000_range(&cp, &bp, INFINITY, &lo, &hi);
        d = fsk_de2000(sharma[i] + 3, sharma[i]);
        TKIT_TRUE(lo <= d && d <= hi);
    }
}

/* n colors of pixels (sRGB) among the hard cases of CIEDE2000, every
 * eighth of each kind: gray, near-zero chroma, mirrored a, the hue opposite
 * an earlier one, blue (mean hues near 275 degrees), the corners of the
 * Lab range a calibration may hold. */
static void hard_colors(double lab[][3], int n)
{
    for (int i = 0; i < n; i++) {
        double lin[3] = {rnd(), rnd(), rnd()};
        fsk_linear_to_lab(lin, lab[i]);
        switch (i % 8) {
        case 0: lab[i][1] = lab[i][2] = 0; break;
        case 1: lab[i][1] = 1e-300; lab[i][2] = 0; break;
        case 2: lab[i][1] = -lab[i][1]; break;
        case 3: lab[i][1] = -lab[i - 3][1]; lab[i][2] = -lab[i - 3][2]; break;
        case 4:
            lab[i][1] = 0.0872 * (20 + 100 * rnd());
            lab[i][2] = -0.9962 * (20 + 100 * rnd());
            break;
        case 5: lab[i][1] = (rnd() - 0.5) * 400; lab[i][2] = (rnd() - 0.5) * 400; break;
        default: break;
        }
    }
}

/* Eight at a time, each lane gives what the color alone gives, whatever
 * its neighbours are: grays, zero and near-zero chroma and opposite hues
 * (which take other branches lane by lane) beside ordinary colors, with
 * and without a limit; and the bounds hold the computed ΔE00. */
static void test_de2000_ranges_lanes(void)
{
    enum { POOL = 64 };
    double lab[POOL][3];
    hard_colors(lab, POOL);
    fsk_de2000_point pt[POOL];
    for (int i = 0; i < POOL; i++)
        fsk_de2000_point_of(lab[i], &pt[i]);
    int differ = 0, misses = 0, calls = 0;
    for (int i = 0; i < POOL; i++)
        for (int t = 0; t < 200; t++) {
            const fsk_de2000_point *lanes[FSK_DE2000_LANES];
            int k[FSK_DE2000_LANES];
            for (int j = 0; j < FSK_DE2000_LANES; j++) {
                k[j] = (int)(rnd() * POOL) % POOL;
                lanes[j] = &pt[k[j]];
            }
            double limit = t % 3 ? INFINITY : 40 * rnd();
            float lo[FSK_DE2000_LANES], hi[FSK_DE2000_LANES];
            fsk_de2000_ranges(&pt[i], lanes, limit, lo, hi);
            calls++;
            for (int j = 0; j < FSK_DE2000_LANES; j++) {
                double one_lo, one_hi, d = fsk_de2000(lab[i], lab[k[j]]);
                fsk_de2000_range(&pt[i], &pt[k[j]], limit, &one_lo, &one_hi);
                differ += one_lo != lo[j] || one_hi != hi[j];
                misses += !(lo[j] <= d && d <= hi[j]);
            }
        }
    TKIT_EQ_INT(calls, POOL * 200);
    TKIT_EQ_INT(differ, 0);
    TKIT_EQ_INT(misses, 0);
}

/* fsk_de2000_eight stays within 1e-4 of fsk_de2000: 20,000 draws of eight
 * pairs from hard_colors (the common path with grays, zero chroma,
 * opposite and near-opposite hues and the blue hues where the rotation
 * term weighs most; every fifth pair a color with itself, which gives 0),
 * Sharma's pairs both ways round, and the colors of a 4-bit sRGB lattice
 * against every 7th of them. */
static void test_de2000_eight(void)
{
    enum { POOL = 96 };
    double lab[POOL][3];
    hard_colors(lab, POOL);
    double worst = 0;
    long pairs = 0;
    for (int t = 0; t < 20000 + 34; t++) {
        const double *a[8], *b[8];
        for (int j = 0; j < 8; j++) {
            if (t < 20000) {
                a[j] = lab[(int)(rnd() * POOL) % POOL];
                b[j] = t % 5 == 0 ? a[j] : lab[(int)(rnd() * POOL) % POOL];
            } else {
                const double *pair = sharma[(t - 20000 + j / 2) % 34];
                a[j] = j % 2 ? pair + 3 : pair;
                b[j] = j % 2 ? pair : pair + 3;
            }
        }
        float got[8];
        fsk_de2000_eight(a, b, got);
        for (int j = 0; j < 8; j++, pairs++) {
            double err = fabs((double)got[j] - fsk_de2000(a[j], b[j]));
            worst = err > worst ? err : worst;
            if (a[j] == b[j])
                TKIT_TRUE(got[j] == 0.0f);
        }
    }
    enum { SIDE = 16, COLORS = SIDE * SIDE * SIDE };
    static double lattice[COLORS][3];
    for (int i = 0; i < COLORS; i++) {
        double rgb[3] = {(i / (SIDE * SIDE)) * 255.0 / (SIDE - 1),
                         (i / SIDE % SIDE) * 255.0 / (SIDE - 1), (i % SIDE) * 255.0 / (SIDE - 1)};
        fsk_srgb255_to_lab(rgb, lattice[i]);
    }
    for (int i = 0; i + 8 <= COLORS; i += 8)
        for (int e = 0; e < COLORS; e += 7) {
            const double *a[8], *b[8];
            for (int j = 0; j < 8; j++) {
                a[j] = lattice[i + j];
                b[j] = lattice[(e + 7 * j) % COLORS];
            }
            float got[8];
            fsk_de2000_eight(a, b, got);
            for (int j = 0; j < 8; j++, pairs++) {
                double err = fabs((double)got[j] - fsk_de2000(a[j], b[j]));
                worst = err > worst ? err : worst;
            }
        }
    printf("    fsk_de2000_eight: %ld pairs, largest error %.3g\n", pairs, worst);
    TKIT_EQ_INT(pairs, (20000 + 34) * 8 + COLORS / 8 * ((COLORS + 6) / 7) * 8);
    TKIT_TRUE(worst <= 1e-4);
}

/* fsk_de2000_eight_linear stays within 1e-4 of fsk_de2000 of
 * fsk_linear_to_lab's CIELAB for the 8-bit sRGB colors of a lattice with
 * every gray, each against another of them (so grays meet colors of every
 * hue, where the rotation term weighs the hue of a near-zero chroma). */
static void test_de2000_eight_linear(void)
{
    const float *decode = fsk_srgb8_to_linear_table();
    enum { STEP = 5, SIDE = 256 / STEP + 1 };
    double worst = 0;
    long pairs = 0;
    float rgb[24];
    double lab2[8][3];
    const double *b[8];
    int lane = 0;
    for (int i = 0; i < SIDE * SIDE * SIDE; i++) {
        int code[3] = {i / (SIDE * SIDE) * STEP, i / SIDE % SIDE * STEP, i % SIDE * STEP};
        int other = (int)((uint32_t)i * 2654435761u % (SIDE * SIDE * SIDE));
        double rgb2[3] = {other / (SIDE * SIDE) * STEP, other / SIDE % SIDE * STEP,
                          other % SIDE * STEP};
        for (int c = 0; c < 3; c++) {
            code[c] = code[c] > 255 ? 255 : code[c];
            rgb2[c] = rgb2[c] > 255 ? 255 : rgb2[c];
            rgb[3 * lane + c] = decode[code[c]];
        }
        fsk_srgb255_to_lab(rgb2, lab2[lane]);
        b[lane] = lab2[lane];
        if (++lane < 8)
            continue;
        lane = 0;
        float got[8];
        fsk_de2000_eight_linear(rgb, b, got);
        for (int j = 0; j < 8; j++, pairs++) {
            double lin[3] = {rgb[3 * j], rgb[3 * j + 1], rgb[3 * j + 2]}, lab1[3];
            fsk_linear_to_lab(lin, lab1);
            double err = fabs((double)got[j] - fsk_de2000(lab1, b[j]));
            worst = err > worst ? err : worst;
        }
    }
    printf("    fsk_de2000_eight_linear: %ld pairs, largest error %.3g\n", pairs, worst);
    TKIT_TRUE(pairs > 140000);
    TKIT_TRUE(worst <= 1e-4);
}

static void test_box_distance_bounds(void)
{
    double lo[3] = {0, 0, 0}, hi[3] = {1, 2, 2}, e[3] = {4, 0, 0}, dmin, dmax;
    fsk_box_distance_bounds(lo, hi, e, &dmin, &dmax);
    TKIT_NEAR(dmin, 3, 1e-6);
    TKIT_NEAR(dmax, sqrt(24), 1e-6); /* to the corner (0, 2, 2) */
}

int main(void)
{
    TKIT_RUN(test_ciede2000_sharma);
    TKIT_RUN(test_de76);
    TKIT_RUN(test_srgb_transfer);
    TKIT_RUN(test_srgb_cells);
    TKIT_RUN(test_lab_known_values);
    TKIT_RUN(test_lab_f_cube_root);
    TKIT_RUN(test_lab_box_encloses);
    TKIT_RUN(test_de2000_bounds_hold);
    TKIT_RUN(test_de2000_bounds_four_lanes);
    TKIT_RUN(test_de2000_range);
    TKIT_RUN(test_de2000_ranges_lanes);
    TKIT_RUN(test_de2000_eight);
    TKIT_RUN(test_de2000_eight_linear);
    TKIT_RUN(test_box_distance_bounds);
    return TKIT_DONE();
}
