/*
 * fsk_color_range.c — bounds of CIEDE2000 without trigonometry, four color
 * pairs at a time in vectors of doubles, for the matcher's pruning
 * (fsk_de2000_ranges, fsk_de2000_range in fsk_color.h). On x86-64 a second
 * copy for AVX2 is chosen at load time; it has no fused multiply-add, so
 * both copies round every operation alike and give the same bounds.
 */
#include "fsk_color.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>

#include "fsk_color_terms.h"

/* Four doubles and four lane masks (all ones or zero), GCC's vector
 * extension: plain operators work lane by lane, scalars broadcast. */
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

#if defined(__x86_64__) && !defined(__clang__)
#define FSK_LANE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FSK_LANE_CLONES
#endif

FSK_DEFINE_POW7(pow7v, v4d)
FSK_DEFINE_DE2000_T(t_ofv, v4d)

static inline v4d splat(double x)
{
    return (v4d){x, x, x, x};
}

/* mask ? a : b, lane by lane. */
static inline v4d pick(v4i mask, v4d a, v4d b)
{
    return (v4d)((mask & (v4i)a) | (~mask & (v4i)b));
}

static inline v4d vabs(v4d x)
{
    return (v4d)((v4i)x & (v4i){INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX});
}

/* Lane by lane; compiled to one vector square root (no errno to set:
 * this file is built with -fno-math-errno). */
static inline v4d vsqrt(v4d x)
{
    v4d r;
    for (int j = 0; j < 4; j++)
        r[j] = sqrt(x[j]);
    return r;
}

/*
 * The rotation term's sine s(delta) = sin(60 exp(-(delta / 25)^2) degrees),
 * delta the angle of the mean hue from 275 degrees, over ROT_BINS bins of
 * cos delta: for cos delta in [i, i + 1] / ROT_BINS (widened by 1e-6),
 * rot[i] holds s's least and largest value, scaled by 1 -+ 1e-9 for
 * rounding in libm and in fsk_de2000. Bins in cos delta are narrow in
 * delta away from 275 degrees, where s changes fastest, and wide at the
 * top of the bell. Past 80 degrees the least is 0 (see the caller).
 */
#define ROT_BINS 1024
typedef struct rot_bin {
    double lo, hi;
} rot_bin;
static rot_bin rot[ROT_BINS + 1];
static pthread_once_t rot_once = PTHREAD_ONCE_INIT;

static double rot_sin(double cos_delta)
{
    double delta = (180.0 / FSK_PI) * (acos(cos_delta < -1 ? -1 : cos_delta > 1 ? 1 : cos_delta));
    return sin((FSK_PI / 180.0) * 60.0 * exp(-(delta / 25) * (delta / 25)));
}

static void build_rot(void)
{
    for (int i = 0; i <= ROT_BINS; i++) {
        double c0 = (double)i / ROT_BINS - 1e-6, c1 = (double)(i + 1) / ROT_BINS + 1e-6;
        /* s falls as delta grows, that is rises with cos delta. */
        rot[i].lo = c0 < cos(80.0 * (FSK_PI / 180.0)) ? 0 : rot_sin(c0) * (1 - 1e-9);
        rot[i].hi = rot_sin(c1) * (1 + 1e-9);
    }
}

void fsk_de2000_point_of(const double lab[3], fsk_de2000_point *out)
{
    out->l = lab[0];
    out->a = lab[1];
    out->b = lab[2];
    out->c = sqrt(lab[1] * lab[1] + lab[2] * lab[2]); /* as fsk_de2000 */
}

/*
 * fsk_de2000 computes q = x^2 + y^2 + z^2 + RT y z with x = dL'/SL,
 * y = dC'/SC, z = dH'/SH, then sqrt(q). Here x, y and RT's factor RC come
 * out bit for bit as there (the same operations on the same values); z
 * and RT are bounded, as follows.
 *
 * Hue: dH'^2 = 2 C1' C2' (1 - cos dh') comes from the dot and cross
 * products of (a1', b1) and (a2', b2) in a form that does not cancel. The
 * mean hue h' of fsk_de2000 (its four cases) is, as a direction, always
 * the midpoint of the shorter arc between the two hues, that is the
 * direction of w = u1 + u2 with u1, u2 the unit hue vectors: when
 * |w| >= 1e-4 (hues at least 0.006 degrees from opposite, far more than
 * rounding in either function, so both take the same case) its cosine and
 * sine are w / |w| to within 1e-11, and T, which changes by at most 2.41
 * per radian, is known to within 3e-11; we take T +- 1e-9 for SH, so |z|
 * lies in [zlo, zhi]. Otherwise (near-opposite hues, or C' = 0) T's range
 * over all hues, and when C1' or C2' is about 0, |z| <= 2 sqrt(C1' C2')
 * (SH >= 1).
 *
 * Rotation: RT = -sin(2 dtheta) RC <= 0 with dtheta = 30 exp(-((h' -
 * 275) / 25)^2) degrees and h' in [0, 360), so |h' - 275| is at least the
 * angle delta between the mean hue direction and 275 degrees; and equal
 * to it when delta < 80 degrees (then h' is in (195, 355)). So |RT| / RC
 * lies in the bin of cos delta (to 3e-9); without a known direction, in
 * [0, sin 60 degrees]. RT y z has the sign opposite to y z; the sign of z
 * is that of dh', that of the cross product when |cross| > 1e-9 C1' C2'
 * (dh' at least 1e-9 from 0 and 180 degrees); when unsure, both.
 *
 * Rounding: x and y are identical; z in fsk_de2000 comes through degrees
 * and sines, with an absolute error below 1e-14 sqrt(C1' C2') (the angles
 * err by a few units in the last place of 360 degrees), so its q differs
 * from the exact value of the expression by less than 1e-13 (x^2 + y^2 +
 * z^2 + C1' C2'); ours by less than 1e-14 of the same. The margin,
 * 1e-9 (x^2 + y^2 + zhi^2) + 1e-12 C1' C2', covers both many times over,
 * so qlo <= q <= qhi, and as sqrt rounds monotonically, the square roots
 * bound fsk_de2000's value.
 */
FSK_LANE_CLONES
void fsk_de2000_ranges(const fsk_de2000_point *p1, const fsk_de2000_point *const p2[4],
                       double limit, double lo_out[4], double hi_out[4])
{
    const double T_LO = 0.3619, T_HI = 1.5726; /* T over all hues, outwards */
    const double SIN60 = 0.86602540378443865 * (1 + 1e-9);
    /* 275 degrees: cos, sin. */
    const double COS275 = 0.087155742747658174, SIN275 = -0.99619469809174553;
    const v4d zero = splat(0), one = splat(1);
    pthread_once(&rot_once, build_rot);
    const v4d l2 = {p2[0]->l, p2[1]->l, p2[2]->l, p2[3]->l};
    const v4d a2_in = {p2[0]->a, p2[1]->a, p2[2]->a, p2[3]->a};
    const v4d b2 = {p2[0]->b, p2[1]->b, p2[2]->b, p2[3]->b};
    const v4d c2 = {p2[0]->c, p2[1]->c, p2[2]->c, p2[3]->c};
    const double l1 = p1->l, b1 = p1->b;

    v4d lbar = 0.5 * (l1 + l2);
    v4d l50 = (lbar - 50) * (lbar - 50);
    v4d sl = 1.0 + 0.015 * l50 / vsqrt(20.0 + l50);
    v4d x = (l2 - l1) / sl;
    /* The lightness term alone: q >= x^2 (1 - 4 ulp), since |RT| < 2 keeps
     * the rest of the quadratic form non-negative. */
    v4d xlo = vabs(x) * (1.0 - 1e-12);

    v4d cbar = 0.5 * (p1->c + c2);
    v4d cbar7 = pow7v(cbar);
    v4d g = 0.5 * (1.0 - vsqrt(cbar7 / (cbar7 + FSK_POW25_7)));
    v4d a1 = (1.0 + g) * p1->a, a2 = (1.0 + g) * a2_in;
    v4d cp1 = vsqrt(a1 * a1 + b1 * b1), cp2 = vsqrt(a2 * a2 + b2 * b2);
    v4d cpbar = 0.5 * (cp1 + cp2);
    v4d sc = 1.0 + 0.045 * cpbar;
    v4d y = (cp2 - cp1) / sc;
    v4d dot = a1 * a2 + b1 * b2, cross = a1 * b2 - a2 * b1, cprod = cp1 * cp2;
    v4i acute = cprod + dot > zero;
    v4d dh2 = pick(dot < zero, 2.0 * (cprod - dot),
                   pick(acute, 2.0 * cross * cross / pick(acute, cprod + dot, one), zero));

    /* Where both chromas are positive (then C1' C2' > 0 in fsk_de2000 too)
     * and the mean hue has a direction: w scaled by C1' C2' > 0, the same
     * direction without a division. */
    v4d dh = vsqrt(dh2);
    v4d wx = cp2 * a1 + cp1 * a2, wy = cp2 * b1 + cp1 * b2;
    v4d wn = vsqrt(wx * wx + wy * wy);
    v4i chroma = (cp1 > 1e-30) & (cp2 > 1e-30);
    v4i aimed = chroma & (wn >= 1e-4 * cprod);
    v4d inv = 1.0 / pick(aimed, wn, one), ch = wx * inv, sh = wy * inv;
    v4d t = t_ofv(ch, sh);
    v4d zlo_aimed = dh / (1.0 + 0.015 * cpbar * (t + 1e-9));
    /* SH(T - 1e-9) = SH(T + 1e-9) - 3e-11 C' >= 1, so their ratio is
     * 1 + 3e-11 C' / SH(T - 1e-9) <= 1 + 3e-11 C'. */
    v4d zhi_aimed = zlo_aimed * (1.0 + 3e-11 * cpbar);
    v4d zlo = pick(aimed, zlo_aimed, pick(chroma, dh / (1.0 + 0.015 * cpbar * T_HI), zero));
    v4d zhi = pick(aimed, zhi_aimed,
                   pick(chroma, dh / (1.0 + 0.015 * cpbar * T_LO),
                        2.0 * vsqrt(cprod) * (1.0 + 1e-9)));
    v4d cos_delta = pick(aimed, ch * COS275 + sh * SIN275, zero);
    v4d rot_lo = zero, rot_hi = splat(SIN60);
    for (int j = 0; j < 4; j++) {
        if (!aimed[j])
            continue;
        double cd = cos_delta[j];
        int bin = cd <= 0 ? 0 : cd >= 1 ? ROT_BINS : (int)(cd * ROT_BINS);
        rot_lo[j] = rot[bin].lo;
        rot_hi[j] = rot[bin].hi;
    }

    v4d q = x * x + y * y, ay = vabs(y);
    /* RC = 2 sqrt(C'^7 / (C'^7 + 25^7)) in [0, 2], as in fsk_de2000 where
     * the rotation can matter. */
    v4d cpbar7 = pow7v(cpbar);
    v4i turns = rot_hi > 1e-4;
    v4d rc = pick(turns, 2.0 * vsqrt(cpbar7 / (cpbar7 + FSK_POW25_7)), splat(2.0));
    rot_lo = pick(turns, rot_lo, zero);
    /* RT y z = -|RT| y z: from -rot_hi RC |y| zhi to rot_hi RC |y| zhi when
     * the sign of z is unknown; with it, on one side of 0. */
    v4d rt_lo = -rot_hi * rc * ay * zhi, rt_hi = -rt_lo;
    v4d near_zero = rot_lo * rc * ay * zlo;
    v4i signed_z = vabs(cross) > 1e-9 * cprod;
    v4i yz_positive = (y < zero) == (cross < zero);
    rt_hi = pick(signed_z & yz_positive, -near_zero, rt_hi);
    rt_lo = pick(signed_z & ~yz_positive, near_zero, rt_lo);
    v4d margin = 1e-9 * (q + zhi * zhi) + 1e-12 * cprod;
    v4d qlo = q + zlo * zlo + rt_lo - margin, qhi = q + zhi * zhi + rt_hi + margin;
    v4i positive = qlo > zero;
    v4d lo = pick(positive, vsqrt(pick(positive, qlo, zero)), zero);
    v4d hi = vsqrt(qhi);
    v4i sane = (hi < INFINITY) & (lo <= hi); /* else overflow or NaN */
    lo = pick(sane, lo, zero);
    hi = pick(sane, hi, splat(INFINITY));
    lo = pick(xlo > lo, xlo, lo);
    /* Beyond the limit by lightness alone: only that is kept. */
    v4i beyond = xlo > limit;
    hi = pick(beyond, splat(INFINITY), hi);
    for (int j = 0; j < 4; j++) {
        lo_out[j] = lo[j];
        hi_out[j] = hi[j];
    }
}

void fsk_de2000_range(const fsk_de2000_point *p1, const fsk_de2000_point *p2,
                      double limit, double *lo, double *hi)
{
    const fsk_de2000_point *const same[4] = {p2, p2, p2, p2};
    double los[4], his[4];
    fsk_de2000_ranges(p1, same, limit, los, his);
    *lo = los[0];
    *hi = his[0];
}
