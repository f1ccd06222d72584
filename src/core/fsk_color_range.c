/*
 * fsk_color_range.c — bounds of CIEDE2000 without trigonometry, eight color
 * pairs at a time in vectors of single-precision floats, for the matcher's
 * pruning (fsk_de2000_ranges, fsk_de2000_range in fsk_color.h). On x86-64 a
 * second copy for AVX2 is chosen at load time; it has no fused
 * multiply-add, so both copies round every operation alike and give the
 * same bounds.
 */
#include "fsk_color.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>

#include "fsk_color_terms.h"
#include "fsk_lanes_float.h"

_Static_assert(FSK_DE2000_LANES == 8, "a lane per float of v8f");

FSK_DEFINE_POW7(pow7v, v8f)
FSK_DEFINE_DE2000_T(t_ofv, v8f, float)
FSK_DEFINE_DE2000_SL(sl_ofv, v8f, float, vsqrt)

/*
 * The rotation term's sine s(delta) = sin(60 exp(-(delta / 25)^2) degrees),
 * delta the angle of the mean hue from 275 degrees, over ROT_BINS bins of
 * cos delta: for cos delta in [i, i + 1] / ROT_BINS widened by ROT_SLACK,
 * rot[i] holds s's least and largest value, scaled by 1 -+ 1e-6 (more than
 * rounding in libm, in fsk_de2000 and to float). The caller widens its
 * cos delta by the error of its direction. Bins in cos delta are
 * narrow in delta away from 275 degrees, where s changes fastest, and wide
 * at the top of the bell. Past 80 degrees the least is 0 (see the caller).
 */
#define ROT_BINS 1024
#define ROT_SLACK 1e-6
typedef struct rot_bin {
    float lo, hi;
} rot_bin;
static rot_bin rot[ROT_BINS + 1];
static pthread_once_t rot_once = PTHREAD_ONCE_INIT;

static double rot_sin(double cos_delta)
{
    double delta = (180.0 / FSK_PI) * (acos(cos_delta < -1 ? -1 : cos_delta > 1 ? 1 : cos_delta));
    return sin((FSK_PI / 180.0) * 60.0 * exp(-(delta / 25) * (delta / 25)));
}

/* The bins of cos delta = cd, lane by lane: 0 at or below 0 (and where cd
 * is not a number), ROT_BINS at or above 1, else cd * ROT_BINS rounded
 * down (exact: ROT_BINS is a power of two). */
static inline v8i rot_bins_of(v8f cd)
{
    v8f scaled = cd * (float)ROT_BINS;
    scaled = pick(scaled > 0.0f, scaled, splat(0));
    scaled = pick(scaled < (float)ROT_BINS, scaled, splat((float)ROT_BINS));
    return __builtin_convertvector(scaled, v8i);
}

static void build_rot(void)
{
    for (int i = 0; i <= ROT_BINS; i++) {
        double c0 = (double)i / ROT_BINS - ROT_SLACK, c1 = (double)(i + 1) / ROT_BINS + ROT_SLACK;
        /* s falls as delta grows, that is rises with cos delta. */
        rot[i].lo = c0 < cos(80.0 * (FSK_PI / 180.0)) ? 0 : (float)(rot_sin(c0) * (1 - 1e-6));
        rot[i].hi = (float)(rot_sin(c1) * (1 + 1e-6));
    }
}

void fsk_de2000_point_of(const double lab[3], fsk_de2000_point *out)
{
    out->l = (float)lab[0];
    out->a = (float)lab[1];
    out->b = (float)lab[2];
    out->c = (float)sqrt(lab[1] * lab[1] + lab[2] * lab[2]); /* as fsk_de2000 */
}

/*
 * fsk_de2000 computes q = x^2 + y^2 + z^2 + RT y z with x = dL'/SL,
 * y = dC'/SC, z = dH'/SH, then sqrt(q), in doubles. Here the same terms
 * are formed in floats from the points (the doubles rounded to float), z
 * and RT as intervals; every error of that is covered by two margins, as
 * follows. e = 2^-24 is the unit roundoff of float; S = |L1| + |L2| +
 * C1' + C2'.
 *
 * Hue: dH'^2 = 2 C1' C2' (1 - cos dh') comes from the dot and cross
 * products of (a1', b1) and (a2', b2) in a form that does not cancel. The
 * mean hue h' of fsk_de2000 (its four cases) is, as a direction, always
 * the midpoint of the shorter arc between the two hues, that is the
 * direction of w = u1 + u2 with u1, u2 the unit hue vectors. w is formed
 * scaled by C1' C2', from a' and C' (within 9 e and 12 e relative, below):
 * off by under 46 e C1' C2', so its direction by under 50 e C1' C2' / |w|
 * + 4 e radians; we take turn = 1e-5 C1' C2' / |w| + 1e-6 (more than 2.5
 * times that). When |w| >= 1e-3 C1' C2' (hues less than 179.9 degrees
 * apart), T, which changes by at most 2.41 per radian and whose formula
 * rounds by under 30 e, is within 2.5 turn + 5e-6 of its value there, so
 * |z| lies in [zlo, zhi] up to the errors of dH' below. Otherwise T's
 * range over all hues, and when C1' or C2' is about 0 (under 1e-15), |z|
 * <= 2 sqrt(C1' C2').
 *
 * Rotation: RT = -sin(2 dtheta) RC <= 0 with dtheta = 30 exp(-((h' -
 * 275) / 25)^2) degrees and h' in [0, 360), so |h' - 275| is at least the
 * angle delta between the mean hue direction and 275 degrees; and equal
 * to it when delta < 80 degrees (then h' is in (195, 355)). So |RT| / RC
 * lies between the bins of cos delta -+ turn (cos delta moves no more than
 * the direction); without a known direction, in [0, sin 60 degrees]. RC errs by
 * under 20 e relative, covered by widening it 1e-5. RT y z has the sign
 * opposite to y z; the sign of z is that of dh', that of the cross product
 * when |cross| > 1e-4 C1' C2' (its error is under 46 e C1' C2'); when
 * unsure, both.
 *
 * Terms: against exact arithmetic on fsk_de2000's inputs (whose own
 * result errs by under 1e-14 S), rounding the inputs to float and each
 * operation leave G within 6 e, a' within 9 e and C' within 12 e relative,
 * SL, SC and SH within 12 e; so x errs by under e (|L1| + |L2|) + 15 e |x|,
 * y by 12 e (C1' + C2') + 15 e |y|, and z (its cross product within 23 e
 * C1' C2') by 16 e (C1' + C2') + 15 e |z|: together under 20 e S + 15 e
 * |(x, y, z)|. sqrt(q) is a norm of (x, y, z) (|RT| < 2) at most 1.37
 * times the Euclidean one and at least 0.36 times it, so it moves by under
 * 28 e S + 57 e of itself; ABS_MARGIN S and REL_MARGIN of the result,
 * added outside, cover that 4 times over, and REL_MARGIN on q covers the
 * rounding of q (under 6 e of x^2 + y^2 + zhi^2 + |RT y z|) as well. So
 * lo <= fsk_de2000 <= hi.
 */
#define ABS_MARGIN 7e-6f
#define REL_MARGIN 1.5e-5f
FSK_LANE_CLONES
void fsk_de2000_ranges(const fsk_de2000_point *p1,
                       const fsk_de2000_point *const p2[FSK_DE2000_LANES], double limit,
                       float lo_out[FSK_DE2000_LANES], float hi_out[FSK_DE2000_LANES])
{
    const float T_LO = 0.3619f, T_HI = 1.5726f; /* T over all hues, outwards */
    const float SIN60 = 0.86602540378443865f * (1 + 1e-6f);
    /* 275 degrees: cos, sin. */
    const float COS275 = 0.087155742747658174f, SIN275 = -0.99619469809174553f;
    const v8f zero = splat(0), one = splat(1);
    pthread_once(&rot_once, build_rot);
    v8f l2, a2_in, b2, c2;
    for (int j = 0; j < FSK_DE2000_LANES; j++) {
        l2[j] = p2[j]->l;
        a2_in[j] = p2[j]->a;
        b2[j] = p2[j]->b;
        c2[j] = p2[j]->c;
    }
    const float l1 = p1->l, b1 = p1->b;
    /* The limit as a float no smaller. */
    float flimit = (float)limit;
    if ((double)flimit < limit)
        flimit = nextafterf(flimit, INFINITY);

    v8f sl = sl_ofv(0.5f * (l1 + l2));
    v8f x = (l2 - l1) / sl;

    v8f cbar = 0.5f * (p1->c + c2);
    v8f cbar7 = pow7v(cbar);
    v8f g = 0.5f * (1.0f - vsqrt(cbar7 / (cbar7 + (float)FSK_POW25_7)));
    v8f a1 = (1.0f + g) * p1->a, a2 = (1.0f + g) * a2_in;
    v8f cp1 = vsqrt(a1 * a1 + b1 * b1), cp2 = vsqrt(a2 * a2 + b2 * b2);
    v8f cpbar = 0.5f * (cp1 + cp2);
    v8f sc = 1.0f + 0.045f * cpbar;
    v8f y = (cp2 - cp1) / sc;
    v8f dot = a1 * a2 + b1 * b2, cross = a1 * b2 - a2 * b1, cprod = cp1 * cp2;
    v8i acute = cprod + dot > zero;
    v8f dh2 = pick(dot < zero, 2.0f * (cprod - dot),
                   pick(acute, 2.0f * cross * cross / pick(acute, cprod + dot, one), zero));
    /* Both errors the margins cover, in the result's units. */
    v8f slack = ABS_MARGIN * (fabsf(l1) + vabs(l2) + cp1 + cp2);
    /* The lightness term alone: q >= x^2, since |RT| < 2 keeps the rest of
     * the quadratic form non-negative. */
    v8f xlo = vabs(x) * (1.0f - REL_MARGIN) - slack;

    /* Where both chromas are positive and the mean hue has a direction: w
     * scaled by C1' C2' > 0, the same direction without a division. */
    v8f dh = vsqrt(dh2);
    v8f wx = cp2 * a1 + cp1 * a2, wy = cp2 * b1 + cp1 * b2;
    v8f wn = vsqrt(wx * wx + wy * wy);
    v8i chroma = (cp1 > 1e-15f) & (cp2 > 1e-15f);
    v8i aimed = chroma & (wn >= 1e-3f * cprod);
    v8f inv = 1.0f / pick(aimed, wn, one), ch = wx * inv, sh = wy * inv;
    /* How far the direction may be off (radians), and so T. */
    v8f turn = 1e-5f * cprod * inv + 1e-6f;
    v8f t = t_ofv(ch, sh), t_slack = 2.5f * turn + 5e-6f;
    v8f sh_lo = 1.0f + 0.015f * cpbar * (t - t_slack);
    v8f sh_hi = 1.0f + 0.015f * cpbar * (t + t_slack);
    v8f zlo = pick(aimed, dh / sh_hi, pick(chroma, dh / (1.0f + 0.015f * cpbar * T_HI), zero));
    v8f zhi = pick(aimed, dh / pick(aimed, sh_lo, one),
                   pick(chroma, dh / (1.0f + 0.015f * cpbar * T_LO),
                        2.0f * vsqrt(cprod) * (1.0f + REL_MARGIN)));
    v8f cos_delta = ch * COS275 + sh * SIN275;
    v8i bin_lo = rot_bins_of(cos_delta - turn), bin_hi = rot_bins_of(cos_delta + turn);
    v8f rot_lo, rot_hi;
    for (int j = 0; j < FSK_DE2000_LANES; j++) {
        rot_lo[j] = rot[bin_lo[j]].lo;
        rot_hi[j] = rot[bin_hi[j]].hi;
    }
    rot_lo = pick(aimed, rot_lo, zero);
    rot_hi = pick(aimed, rot_hi, splat(SIN60));

    v8f q = x * x + y * y, ay = vabs(y);
    /* RC = 2 sqrt(C'^7 / (C'^7 + 25^7)) in [0, 2], as in fsk_de2000 where
     * the rotation can matter. */
    v8f cpbar7 = pow7v(cpbar);
    v8i turns = rot_hi > 1e-4f;
    v8f rc = pick(turns, 2.0f * vsqrt(cpbar7 / (cpbar7 + (float)FSK_POW25_7)), splat(2.0f));
    v8f rc_lo = rc * (1.0f - 1e-5f), rc_hi = rc * (1.0f + 1e-5f);
    rot_lo = pick(turns, rot_lo, zero);
    /* RT y z = -|RT| y z: from -rot_hi RC |y| zhi to rot_hi RC |y| zhi when
     * the sign of z is unknown; with it, on one side of 0. */
    v8f rt_most = rot_hi * rc_hi * ay * zhi;
    v8f rt_lo = -rt_most, rt_hi = rt_most;
    v8f near_zero = rot_lo * rc_lo * ay * zlo;
    v8i signed_z = vabs(cross) > 1e-4f * cprod;
    v8i yz_positive = (y < zero) == (cross < zero);
    rt_hi = pick(signed_z & yz_positive, -near_zero, rt_hi);
    rt_lo = pick(signed_z & ~yz_positive, near_zero, rt_lo);
    v8f margin = REL_MARGIN * (q + zhi * zhi + rt_most);
    v8f qlo = q + zlo * zlo + rt_lo - margin, qhi = q + zhi * zhi + rt_hi + margin;
    v8i positive = qlo > zero;
    v8f lo = pick(positive, vsqrt(pick(positive, qlo, zero)), zero);
    v8f hi = vsqrt(qhi);
    lo = lo * (1.0f - REL_MARGIN) - slack;
    hi = hi * (1.0f + REL_MARGIN) + slack + 1e-6f;
    v8i sane = (hi < INFINITY) & (lo <= hi); /* else overflow or NaN */
    lo = pick(sane, lo, zero);
    hi = pick(sane, hi, splat(INFINITY));
    lo = pick(xlo > lo, xlo, lo);
    lo = pick(lo > zero, lo, zero);
    /* Beyond the limit by lightness alone: only that is kept. */
    v8i beyond = xlo > flimit;
    hi = pick(beyond, splat(INFINITY), hi);
    for (int j = 0; j < FSK_DE2000_LANES; j++) {
        lo_out[j] = lo[j];
        hi_out[j] = hi[j];
    }
}

void fsk_de2000_range(const fsk_de2000_point *p1, const fsk_de2000_point *p2,
                      double limit, double *lo, double *hi)
{
    const fsk_de2000_point *same[FSK_DE2000_LANES];
    for (int j = 0; j < FSK_DE2000_LANES; j++)
        same[j] = p2;
    float los[FSK_DE2000_LANES], his[FSK_DE2000_LANES];
    fsk_de2000_ranges(p1, same, limit, los, his);
    *lo = los[0];
    *hi = his[0];
}
