/*
 * fsk_lane_math.h — the elementary functions the interval bounds of
 * CIEDE2000 need (fsk_color_bounds.c), four doubles at a time: arc
 * tangent, sine and cosine, and the exponential of a non-positive number.
 *
 * Each is a Taylor polynomial on a reduced argument, with enough terms
 * that the truncation error is below 2e-16 (alternating series: under the
 * first term left out); with the rounding of the coefficients, the
 * reduction and the polynomial, each result is within about 1e-15 of the
 * true value (in radians, or relative for the exponential). That is what libm's own
 * results give within, and far inside the slack the bounds add.
 */
#ifndef FSK_LANE_MATH_H
#define FSK_LANE_MATH_H

#include "fsk_color_terms.h"
#include "fsk_lanes.h"


/* atan t for |t| <= tan(pi/8): t - t^3/3 + ... - t^35/35; the next
 * term is under 0.4143^37 / 37 < 2e-16. */
FSK_LANE_INLINE v4d atan_reduced(v4d t)
{
    static const double coefficient[18] = {
        -1.0 / 35, 1.0 / 33, -1.0 / 31, 1.0 / 29, -1.0 / 27, 1.0 / 25,
        -1.0 / 23, 1.0 / 21, -1.0 / 19, 1.0 / 17, -1.0 / 15, 1.0 / 13,
        -1.0 / 11, 1.0 / 9,  -1.0 / 7,  1.0 / 5,  -1.0 / 3,  1.0};
    v4d t2 = t * t, s = v4d_splat(coefficient[0]);
    for (int k = 1; k < 18; k++)
        s = coefficient[k] + t2 * s;
    return t * s;
}

/* atan2(y, x) in (-pi, pi] (fsk_color_terms.h). */
FSK_DEFINE_ATAN2(vatan2, v4d, v4i, double, atan_reduced)

/* sin x for |x| <= pi/2: x - x^3/3! + ... + x^21/21!; the next term is
 * under (pi/2)^23 / 23! < 2e-18. */
FSK_LANE_INLINE v4d vsin(v4d x)
{
    /* 1 / (k (k - 1)) for k = 21, 19, ..., 3. */
    static const double step[10] = {
        1.0 / 420, 1.0 / 342, 1.0 / 272, 1.0 / 210, 1.0 / 156,
        1.0 / 110, 1.0 / 72,  1.0 / 42,  1.0 / 20,  1.0 / 6};
    v4d x2 = x * x, s = v4d_splat(1.0);
    for (int k = 0; k < 10; k++)
        s = 1.0 - x2 * step[k] * s;
    return x * s;
}

/* cos x for |x| <= pi/4: 1 - x^2/2! + ... - x^18/18!; the next term is
 * under (pi/4)^20 / 20! < 3e-21. */
FSK_LANE_INLINE v4d vcos_reduced(v4d x)
{
    /* 1 / (k (k - 1)) for k = 18, 16, ..., 2. */
    static const double step[9] = {1.0 / 306, 1.0 / 240, 1.0 / 182, 1.0 / 132, 1.0 / 90,
                                   1.0 / 56,  1.0 / 30,  1.0 / 12,  1.0 / 2};
    v4d x2 = x * x, s = v4d_splat(1.0);
    for (int k = 0; k < 9; k++)
        s = 1.0 - x2 * step[k] * s;
    return s;
}

/* The cosine and sine of an angle in degrees (|deg| < 2^40), reduced to
 * within 45 degrees of a multiple of 90; the reduction rounds by at most
 * half an ulp of the angle. */
FSK_LANE_INLINE void vcos_sin_deg(v4d deg, v4d *cos_out, v4d *sin_out)
{
    v4d q = vround(deg / 90.0);
    v4d r = (deg - 90.0 * q) * (FSK_PI / 180.0);
    v4d c = vcos_reduced(r), s = vsin(r);
    /* Rotate by q quarter turns, q mod 4 in 0..3. */
    v4d turn = q - 4.0 * vfloor(0.25 * q);
    v4i odd = (turn == 1.0) | (turn == 3.0), flip_c = (turn == 1.0) | (turn == 2.0);
    v4i flip_s = turn >= 2.0;
    v4d c1 = pick(odd, s, c), s1 = pick(odd, c, s);
    *cos_out = pick(flip_c, -c1, c1);
    *sin_out = pick(flip_s, -s1, s1);
}

/* exp x for x <= 0 (to 0 below -700): 2^k e^r with |r| <= ln(2)/2,
 * e^r to r^14/14!; the next term is under 0.35^15 / 15! < 2e-19. */
FSK_LANE_INLINE v4d vexp_nonpositive(v4d x)
{
    const double LN2_HI = 6.93147180369123816490e-01; /* ln 2 to 32 bits */
    const double LN2_LO = 1.90821492927058770002e-10; /* the rest */
    v4i tiny = x < -700.0;
    x = pick(tiny, v4d_splat(0), x);
    v4d k = vround(x * 1.4426950408889634074);
    v4d r = (x - k * LN2_HI) - k * LN2_LO;
    /* 1 / n for n = 14, 13, ..., 1. */
    static const double step[14] = {1.0 / 14, 1.0 / 13, 1.0 / 12, 1.0 / 11, 1.0 / 10,
                                    1.0 / 9,  1.0 / 8,  1.0 / 7,  1.0 / 6,  1.0 / 5,
                                    1.0 / 4,  1.0 / 3,  1.0 / 2,  1.0};
    v4d s = v4d_splat(1.0);
    for (int n = 0; n < 14; n++)
        s = 1.0 + r * step[n] * s;
    /* 2^k from the bits: k sits in the low bits of 1.5 * 2^52 + k. */
    const v4d MAGIC = v4d_splat(6755399441055744.0);
    v4i two_k = ((v4i)(k + MAGIC) - (v4i)MAGIC + 1023) << 52;
    return pick(tiny, v4d_splat(0), s * (v4d)two_k);
}

#endif
