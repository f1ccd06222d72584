/*
 * fsk_lanes.h — vectors of four doubles for the color code that works on
 * several colors at once (fsk_color_bounds.c): the types, a lane-by-lane
 * select, the square root, and (fsk_lane_clones.h) the attribute that
 * makes an AVX2 copy of a function beside the default one on x86-64.
 *
 * Everything here is inlined into its caller: a vector argument must not
 * cross between the AVX2 and the default copy. Files that include it are
 * built with -fno-math-errno, so the lane loops below compile to single
 * vector instructions where the target has them.
 */
#ifndef FSK_LANES_H
#define FSK_LANES_H

#include <math.h>
#include <stdint.h>

#include "fsk_lane_clones.h"

/* Four doubles and four lane masks (all ones or zero), GCC's vector
 * extension: plain operators work lane by lane, scalars broadcast. */
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

#define FSK_LANE_INLINE static inline __attribute__((always_inline))

FSK_LANE_INLINE v4d v4d_splat(double x)
{
    return (v4d){x, x, x, x};
}

/* mask ? a : b, lane by lane. */
FSK_LANE_INLINE v4d pick(v4i mask, v4d a, v4d b)
{
    return (v4d)((mask & (v4i)a) | (~mask & (v4i)b));
}

/* name(x) applies the libm function fn lane by lane: one vector
 * instruction where the target has one, and the same result as fn. */
#define FSK_LANE_MAP(name, fn)                                                          \
    FSK_LANE_INLINE v4d name(v4d x)                                                     \
    {                                                                                   \
        v4d r;                                                                          \
        for (int j = 0; j < 4; j++)                                                     \
            r[j] = fn(x[j]);                                                            \
        return r;                                                                       \
    }

FSK_LANE_MAP(vsqrt, sqrt)
FSK_LANE_MAP(vfloor, floor)

/* Whether any lane of the mask is set. */
FSK_LANE_INLINE int any(v4i mask)
{
    return (mask[0] | mask[1] | mask[2] | mask[3]) != 0;
}

FSK_LANE_INLINE v4d vabs(v4d x)
{
    return (v4d)((v4i)x & INT64_MAX);
}

/* Nearest integer, halfway cases away from zero (floor(|x| + 1/2) with
 * the sign of x). */
FSK_LANE_INLINE v4d vround(v4d x)
{
    v4d r = vfloor(vabs(x) + 0.5);
    return (v4d)((v4i)r | ((v4i)x & INT64_MIN));
}

/* The lesser and the greater of a and b as the plain comparisons
 * a < b ? a : b and a > b ? a : b give them. */
FSK_LANE_INLINE v4d vmin(v4d a, v4d b)
{
    return pick(a < b, a, b);
}

FSK_LANE_INLINE v4d vmax(v4d a, v4d b)
{
    return pick(a > b, a, b);
}

#endif
