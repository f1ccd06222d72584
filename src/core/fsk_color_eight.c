/*
 * fsk_color_eight.c — CIEDE2000 of eight color pairs at once in single
 * precision (fsk_de2000_eight in fsk_color.h), for statistics reported to
 * a thousandth, such as the preview's color error: fsk_de2000's formulas
 * (its hue terms by unit vectors, T by the multiple-angle formulas) in
 * vectors of floats, with the rotation term's arc tangent, exponential
 * and sine from short polynomials. Pairs with hues nearly opposite, whose
 * mean hue floats cannot place, are handed to fsk_de2000 itself. On
 * x86-64 a second copy for AVX2 is chosen at load time.
 */
#include "fsk_color.h"

#include <pthread.h>

#include "fsk_color_terms.h"
#include "fsk_lanes_float.h"

FSK_DEFINE_POW7(pow7v, v8f)
FSK_DEFINE_DE2000_T(t_ofv, v8f, float)
FSK_DEFINE_DE2000_SL(sl_ofv, v8f, float, vsqrt)

/* atan t for |t| <= tan(pi/8): t - t^3/3 + ... - t^15/15; the next term is
 * under 0.4143^17 / 17 < 2e-8. */
static inline __attribute__((always_inline)) v8f atan_reduced(v8f t)
{
    static const float coefficient[8] = {-1.0f / 15, 1.0f / 13, -1.0f / 11, 1.0f / 9,
                                         -1.0f / 7,  1.0f / 5,  -1.0f / 3,  1.0f};
    v8f t2 = t * t, s = splat(coefficient[0]);
    for (int k = 1; k < 8; k++)
        s = coefficient[k] + t2 * s;
    return t * s;
}

/* atan2(y, x) in (-pi, pi] (fsk_color_terms.h). */
FSK_DEFINE_ATAN2(atan2_rad, v8f, v8i, float, atan_reduced)

/* exp x for x <= 0 (0 below -87): 2^k e^r with |r| <= ln(2)/2, e^r to
 * r^7/7!; the next term is under 0.35^8 / 8! < 6e-9. */
static inline __attribute__((always_inline)) v8f exp_nonpositive(v8f x)
{
    v8i tiny = x < -87.0f;
    x = pick(tiny, splat(0), x);
    v8i k = __builtin_convertvector(x * 1.44269504f - 0.5f, v8i); /* rounded */
    v8f kf = __builtin_convertvector(k, v8f);
    v8f r = (x - kf * 0.693359375f) + kf * 2.12194440e-4f; /* ln 2 = high - low */
    static const float step[7] = {1.0f / 7, 1.0f / 6, 1.0f / 5, 1.0f / 4,
                                  1.0f / 3, 1.0f / 2, 1.0f};
    v8f s = splat(1.0f);
    for (int n = 0; n < 7; n++)
        s = 1.0f + r * step[n] * s;
    v8f two_k = (v8f)((k + 127) << 23);
    return pick(tiny, splat(0), s * two_k);
}

/* sin x for 0 <= x <= pi/3: x - x^3/3! + ... - x^11/11!; the next term is
 * under (pi/3)^13 / 13! < 3e-10. */
static inline __attribute__((always_inline)) v8f sin_small(v8f x)
{
    /* 1 / (k (k - 1)) for k = 11, 9, ..., 3. */
    static const float step[5] = {1.0f / 110, 1.0f / 72, 1.0f / 42, 1.0f / 20, 1.0f / 6};
    v8f x2 = x * x, s = splat(1.0f);
    for (int k = 0; k < 5; k++)
        s = 1.0f - x2 * step[k] * s;
    return x * s;
}

/* The body of fsk_de2000_eight and fsk_de2000_eight_linear: the pairs
 * (L1, a1, b1) lane by lane and lab2[j]; lanes with nearly opposite hues,
 * or a first chroma C1 under gray, are handed to exact(ctx, j, lab2[j]). */
static inline __attribute__((always_inline)) void
de2000_eight(v8f l1, v8f a1_in, v8f b1, float gray, const double *const lab2[8], float out[8],
             float (*exact)(const void *ctx, int j, const double *lab2), const void *ctx)
{
    const v8f zero = splat(0), one = splat(1);
    v8f l2, a2_in, b2;
    for (int j = 0; j < 8; j++) {
        l2[j] = (float)lab2[j][0];
        a2_in[j] = (float)lab2[j][1];
        b2[j] = (float)lab2[j][2];
    }
    v8f c1 = vsqrt(a1_in * a1_in + b1 * b1);
    v8f c2 = vsqrt(a2_in * a2_in + b2 * b2);
    v8f cbar = 0.5f * (c1 + c2);
    v8f cbar7 = pow7v(cbar);
    v8f g = 0.5f * (1.0f - vsqrt(cbar7 / (cbar7 + (float)FSK_POW25_7)));
    v8f a1 = (1.0f + g) * a1_in, a2 = (1.0f + g) * a2_in;
    v8f cp1 = vsqrt(a1 * a1 + b1 * b1);
    v8f cp2 = vsqrt(a2 * a2 + b2 * b2);
    v8f dl = l2 - l1;
    v8f dc = cp2 - cp1;

    /* The hue terms by unit vectors, as fsk_de2000's hue_terms: the mean
     * hue is the direction of u1 + u2, and also that of u2 - u1 turned a
     * quarter towards it, taken when the hues are more than 90 degrees
     * apart (there u1 + u2 is short, and floats would place it badly).
     * Where a chroma is zero there is no hue difference (and z below is 0,
     * so neither T nor the rotation matters); hues within 0.006 degrees of
     * opposite, whose side floats cannot tell, are left to fsk_de2000. */
    v8f cprod = cp1 * cp2;
    v8i chroma = cprod != zero;
    v8f d1 = pick(chroma, cp1, one), d2 = pick(chroma, cp2, one);
    v8f u1x = a1 / d1, u1y = b1 / d1, u2x = a2 / d2, u2y = b2 / d2;
    v8f mx = u1x + u2x, my = u1y + u2y, mm = vsqrt(mx * mx + my * my);
    v8f dx = u2x - u1x, dy = u2y - u1y, chord = vsqrt(dx * dx + dy * dy);
    v8f cross = u1x * u2y - u1y * u2x;
    v8i common = chroma & (mm > 1e-4f);
    v8i own = ~chroma | (common & (c1 >= gray));
    v8f dhh = pick(chroma, vsqrt(cprod) * pick(cross < zero, -chord, chord), zero);
    v8i wide = mm < chord;
    v8f along = pick(cross < zero, -one, one) / pick(wide & common, chord, one);
    v8f dm = pick(common & ~wide, mm, one);
    v8f cos_h = pick(common, pick(wide, along * dy, mx / dm), one);
    v8f sin_h = pick(common, pick(wide, -along * dx, my / dm), zero);

    v8f lbar = 0.5f * (l1 + l2);
    v8f cpbar = 0.5f * (cp1 + cp2);
    v8f t = t_ofv(cos_h, sin_h);
    v8f sl = sl_ofv(lbar);
    v8f sc = 1.0f + 0.045f * cpbar;
    v8f sh = 1.0f + 0.015f * cpbar * t;

    /* The rotation term, on every lane (where the mean hue is under 115
     * degrees it is below 4e-18, and nothing here changes by it). */
    v8f h = atan2_rad(sin_h, cos_h) * (180.0f / (float)FSK_PI);
    v8f u = (pick(h < 0, h + 360.0f, h) - 275.0f) / 25.0f;
    v8f dtheta = 30.0f * exp_nonpositive(-(u * u));
    v8f cpbar7 = pow7v(cpbar);
    v8f rc = 2.0f * vsqrt(cpbar7 / (cpbar7 + (float)FSK_POW25_7));
    v8f rt = -sin_small((2.0f * (float)FSK_PI / 180.0f) * dtheta) * rc;

    v8f x = dl / sl, y = dc / sc, z = dhh / sh;
    v8f q = x * x + y * y + z * z + rt * y * z;
    v8f d = vsqrt(pick(q > zero, q, zero));
    for (int j = 0; j < 8; j++)
        out[j] = own[j] ? d[j] : exact(ctx, j, lab2[j]);
}

static float exact_of_lab(const void *ctx, int j, const double *lab2)
{
    const double *const *lab1 = ctx;
    return (float)fsk_de2000(lab1[j], lab2);
}

FSK_LANE_CLONES
void fsk_de2000_eight(const double *const lab1[8], const double *const lab2[8], float out[8])
{
    v8f l1, a1, b1;
    for (int j = 0; j < 8; j++) {
        l1[j] = (float)lab1[j][0];
        a1[j] = (float)lab1[j][1];
        b1[j] = (float)lab1[j][2];
    }
    de2000_eight(l1, a1, b1, 0.0f, lab2, out, exact_of_lab, lab1);
}

/* CIELAB's f of eight values t >= 0, as fsk_lab_f: the cube root from a
 * guess by the bits (the exponent divided by three, within 4 %), one
 * Halley step (to about 1e-4) and one Newton step; the linear branch at or
 * below epsilon. */
static inline __attribute__((always_inline)) v8f lab_f_eight(v8f t)
{
    v8i bits = (v8i)pick(t > 0.0f, t, splat(1));
    v8f y = (v8f)(__builtin_convertvector(__builtin_convertvector(bits, v8f) * (1.0f / 3),
                                          v8i) + 0x2A5137A0);
    v8f y3 = y * y * y;
    y *= (y3 + 2.0f * t) / (2.0f * y3 + t);
    v8f y2 = y * y;
    y -= (y * y2 - t) / (3.0f * y2);
    return pick(t > (float)FSK_LAB_EPS, y, ((float)FSK_LAB_KAPPA * t + 16.0f) / 116.0f);
}

static float exact_of_linear(const void *ctx, int j, const double *lab2)
{
    const float *rgb = (const float *)ctx + 3 * j;
    double lin[3] = {rgb[0], rgb[1], rgb[2]}, lab1[3];
    fsk_linear_to_lab(lin, lab1);
    return (float)fsk_de2000(lab1, lab2);
}

/* f(tu) - f(tv) from the two f and the difference tu - tv formed directly:
 * for two cube roots (f^3 = t) the difference of the t over f_u^2 + f_u
 * f_v + f_v^2, for two values on the linear branch the difference times
 * kappa / 116; no cancellation either way. Otherwise, about black, the f
 * subtracted. */
static inline __attribute__((always_inline)) v8f lab_f_difference(v8f tu, v8f tv, v8f fu, v8f fv,
                                                                  v8f dt)
{
    const float eps = (float)FSK_LAB_EPS;
    v8i roots = (tu > eps) & (tv > eps), lines = (tu <= eps) & (tv <= eps);
    v8f by_roots = dt / (fu * fu + fu * fv + fv * fv);
    return pick(roots, by_roots, pick(lines, ((float)FSK_LAB_KAPPA / 116.0f) * dt, fu - fv));
}

/* The matrix from linear RGB to X/Xn, Y/Yn, Z/Zn, and the differences of
 * its rows X - Y and Y - Z, in floats: made once, from fsk_linear_to_xyz's
 * images of the three primaries (its columns, exactly). */
typedef struct lab_rows {
    float t[3][3], diff[2][3];
} lab_rows;

static lab_rows rows;
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static void make_rows(void)
{
    double white[3];
    fsk_white_xyz(white);
    for (int i = 0; i < 3; i++) {
        double primary[3] = {i == 0, i == 1, i == 2}, xyz[3];
        fsk_linear_to_xyz(primary, xyz);
        for (int c = 0; c < 3; c++)
            rows.t[c][i] = (float)(xyz[c] / white[c]);
        rows.diff[0][i] = (float)(xyz[0] / white[0] - xyz[1] / white[1]);
        rows.diff[1][i] = (float)(xyz[1] / white[1] - xyz[2] / white[2]);
    }
}

FSK_LANE_CLONES
void fsk_de2000_eight_linear(const float rgb[24], const double *const lab2[8], float out[8])
{
    pthread_once(&rows_once, make_rows);
    const lab_rows r = rows;
    v8f t[3], d[2];
    for (int j = 0; j < 8; j++) {
        for (int c = 0; c < 3; c++)
            t[c][j] = r.t[c][0] * rgb[3 * j] + r.t[c][1] * rgb[3 * j + 1] +
                      r.t[c][2] * rgb[3 * j + 2];
        for (int c = 0; c < 2; c++)
            d[c][j] = r.diff[c][0] * rgb[3 * j] + r.diff[c][1] * rgb[3 * j + 1] +
                      r.diff[c][2] * rgb[3 * j + 2];
    }
    v8f fx = lab_f_eight(t[0]), fy = lab_f_eight(t[1]), fz = lab_f_eight(t[2]);
    v8f a = 500.0f * lab_f_difference(t[0], t[1], fx, fy, d[0]);
    v8f b = 200.0f * lab_f_difference(t[1], t[2], fy, fz, d[1]);
    /* Floats leave an error of about 1e-6 in a and b: the hue of a
     * chroma under 0.01 is not known well enough (the rotation term
     * weighs it), and fsk_de2000 takes those lanes. */
    de2000_eight(116.0f * fy - 16.0f, a, b, 0.01f, lab2, out, exact_of_linear, rgb);
}
