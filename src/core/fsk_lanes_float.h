/*
 * fsk_lanes_float.h — vectors of eight floats for the color code that
 * works on eight colors at once in single precision (fsk_color_range.c,
 * fsk_color_eight.c): the types, a splat, a lane-by-lane select, the
 * absolute value and the square root. As fsk_lanes.h for doubles:
 * everything is inlined into its caller, and the files that include it
 * are built with -fno-math-errno.
 */
#ifndef FSK_LANES_FLOAT_H
#define FSK_LANES_FLOAT_H

#include <math.h>
#include <stdint.h>

#include "fsk_lane_clones.h"

/* Eight floats and eight lane masks (all ones or zero), GCC's vector
 * extension: plain operators work lane by lane, scalars broadcast. */
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

static inline __attribute__((always_inline)) v8f splat(float x)
{
    return (v8f){x, x, x, x, x, x, x, x};
}

/* mask ? a : b, lane by lane. */
static inline __attribute__((always_inline)) v8f pick(v8i mask, v8f a, v8f b)
{
    return (v8f)((mask & (v8i)a) | (~mask & (v8i)b));
}

static inline __attribute__((always_inline)) v8f vabs(v8f x)
{
    return (v8f)((v8i)x & INT32_MAX);
}

/* Lane by lane; compiled to one vector square root (no errno to set). */
static inline __attribute__((always_inline)) v8f vsqrt(v8f x)
{
    v8f r;
    for (int j = 0; j < 8; j++)
        r[j] = sqrtf(x[j]);
    return r;
}

#endif
