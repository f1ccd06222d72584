/*
 * fsk_color_terms.h — pieces of the color formulas shared by the exact
 * functions (fsk_color.c) and their vector forms (fsk_color_range.c,
 * fsk_color_eight.c, fsk_color_bounds.c): CIEDE2000's terms and CIELAB's
 * cube root. Each is written once for any arithmetic type, double or a
 * GCC vector, so every lane rounds as the scalar code does.
 */
#ifndef FSK_COLOR_TERMS_H
#define FSK_COLOR_TERMS_H

#include <stdint.h>
#include <string.h>

#define FSK_PI 3.14159265358979323846
#define FSK_POW25_7 6103515625.0 /* 25^7, in G and RC */

/* x^7 with four multiplications. */
#define FSK_DEFINE_POW7(name, type)                                                     \
    static inline type name(type x)                                                     \
    {                                                                                   \
        type x2 = x * x;                                                                \
        return x2 * x2 * x2 * x;                                                        \
    }

/* CIEDE2000's hue weighting T from the cosine c1 and sine s1 of the mean
 * hue, by the multiple-angle formulas: no trigonometric call. The
 * constants are of type scalar (double, or float for vectors of floats). */
#define FSK_DEFINE_DE2000_T(name, type, scalar)                                         \
    static inline type name(type c1, type s1)                                           \
    {                                                                                   \
        const scalar COS30 = (scalar)0.86602540378443865, SIN30 = (scalar)0.5;          \
        const scalar COS6 = (scalar)0.99452189536827329;                                \
        const scalar SIN6 = (scalar)0.10452846326765347;                                \
        const scalar COS63 = (scalar)0.45399049973954679;                               \
        const scalar SIN63 = (scalar)0.89100652418836787;                               \
        type c2 = c1 * c1 - s1 * s1, s2 = (scalar)2 * s1 * c1;                          \
        type c3 = c2 * c1 - s2 * s1, s3 = s2 * c1 + c2 * s1;                            \
        type c4 = c2 * c2 - s2 * s2, s4 = (scalar)2 * s2 * c2;                          \
        return (scalar)1 - (scalar)0.17 * (c1 * COS30 + s1 * SIN30) +                   \
               (scalar)0.24 * c2 + (scalar)0.32 * (c3 * COS6 - s3 * SIN6) -             \
               (scalar)0.20 * (c4 * COS63 + s4 * SIN63);                                \
    }

/* CIEDE2000's lightness weighting SL of the mean lightness, with the
 * square root `root` of the type and constants of type scalar. */
#define FSK_DEFINE_DE2000_SL(name, type, scalar, root)                                  \
    static inline type name(type lbar)                                                  \
    {                                                                                   \
        type l50 = (lbar - (scalar)50) * (lbar - (scalar)50);                           \
        return (scalar)1 + (scalar)0.015 * l50 / root((scalar)20 + l50);                \
    }

/* atan2(y, x) in (-pi, pi] for (x, y) != (0, 0), lane by lane, from the
 * arc tangent `reduced` on [0, tan(pi/8)]: the octant's angle by
 * symmetry, and above tan(pi/8) atan a = pi/4 + atan((a - 1) / (a + 1)).
 * A lane with both zero gives NaN; the sign of a zero y is not looked at
 * (atan2(-0, x < 0) is pi). Uses the including file's lane select pick
 * and absolute value vabs for the vector type and its mask type. */
#define FSK_DEFINE_ATAN2(name, type, mask, scalar, reduced)                             \
    static inline __attribute__((always_inline)) type name(type y, type x)              \
    {                                                                                   \
        const scalar TAN_PI_8 = (scalar)0.41421356237309504880;                         \
        const type zero = {0};                                                          \
        type ax = vabs(x), ay = vabs(y);                                                \
        mask steep = ay > ax;                                                           \
        type a = pick(steep, ax, ay) / pick(steep, ay, ax); /* in [0, 1] */             \
        mask upper = a > TAN_PI_8;                                                      \
        type r = pick(upper, zero + (scalar)(FSK_PI / 4), zero) +                       \
                 reduced(pick(upper, (a - (scalar)1) / (a + (scalar)1), a));            \
        r = pick(steep, (scalar)(FSK_PI / 2) - r, r);                                   \
        r = pick(x < 0, (scalar)FSK_PI - r, r);                                         \
        return pick(y < 0, -r, r);                                                      \
    }

/* CIELAB's constants as exact ratios: epsilon = 216/24389, kappa = 24389/27. */
#define FSK_LAB_EPS (216.0 / 24389.0)
#define FSK_LAB_KAPPA (24389.0 / 27.0)

/* The cube root's first guess of a t > 0: the bits of t divided by three
 * (the exponent divided by three, within 4 %), plus a bias. */
static inline double fsk_cbrt_guess(double t)
{
    uint64_t bits;
    memcpy(&bits, &t, sizeof bits);
    bits = bits / 3 + 0x2A9F7893782DA1CEu;
    memcpy(&t, &bits, sizeof t);
    return t;
}

/* The cube root of t from that first guess y: two Halley steps (cubic: to
 * about 1e-13) and a Newton step; within 1 ulp for 0 < t < 1e300. */
#define FSK_DEFINE_CBRT_REFINE(name, type)                                              \
    static inline type name(type y, type t)                                             \
    {                                                                                   \
        for (int i = 0; i < 2; i++) {                                                   \
            type y3 = y * y * y;                                                        \
            y *= (y3 + 2.0 * t) / (2.0 * y3 + t);                                       \
        }                                                                               \
        type y2 = y * y;                                                                \
        return y - (y * y2 - t) / (3.0 * y2);                                           \
    }

#endif
