/*
 * fsk_color_bounds.c — interval bounds of CIEDE2000 between a box of Lab
 * colors and colors, four at a time, for the matcher's lookup table.
 *
 * The CIEDE2000 formula is evaluated in interval arithmetic, following the
 * same steps as fsk_de2000 with every intermediate replaced by a range that
 * holds it for every color of the box. Where the formula has branches (the
 * achromatic rules, hue differences near 180 degrees where the mean hue
 * jumps) the ranges cover all branches, so the bounds hold across
 * CIEDE2000's discontinuities too. Each of the four lanes bounds the box
 * against its own color; where the scalar formula would branch, every lane
 * computes both ways and keeps its own.
 */
#include <math.h>

#include "fsk_color.h"
#include "fsk_color_terms.h"
#include "fsk_lane_math.h"

/* T(h) over all hues lies in [0.362055, 1.572472] (sampled every 0.001
 * degree; T changes by at most 2.41 per radian), rounded outwards. */
#define T_MIN 0.3619
#define T_MAX 1.5726
#define T_SLOPE 2.41 /* 0.17 + 2*0.24 + 3*0.32 + 4*0.20, per radian */

/* A range per lane. */
typedef struct iv {
    v4d lo, hi;
} iv;

FSK_DEFINE_POW7(pow7v, v4d)
FSK_DEFINE_DE2000_T(t_ofv, v4d, double)
FSK_DEFINE_DE2000_SL(sl_ofv, v4d, double, vsqrt)

FSK_LANE_INLINE iv mk(v4d lo, v4d hi) { return (iv){lo, hi}; }
FSK_LANE_INLINE iv point(v4d v) { return (iv){v, v}; }
FSK_LANE_INLINE iv add(iv a, iv b) { return mk(a.lo + b.lo, a.hi + b.hi); }
FSK_LANE_INLINE iv sub(iv a, iv b) { return mk(a.lo - b.hi, a.hi - b.lo); }
FSK_LANE_INLINE v4d norm2(v4d x, v4d y) { return vsqrt(x * x + y * y); }
FSK_LANE_INLINE v4d rad(v4d d) { return d * (FSK_PI / 180.0); }

FSK_LANE_INLINE iv pick_iv(v4i mask, iv a, iv b)
{
    return mk(pick(mask, a.lo, b.lo), pick(mask, a.hi, b.hi));
}

FSK_LANE_INLINE iv mul(iv a, iv b)
{
    v4d p0 = a.lo * b.lo, p1 = a.lo * b.hi, p2 = a.hi * b.lo, p3 = a.hi * b.hi;
    return mk(vmin(vmin(vmin(p0, p1), p2), p3), vmax(vmax(vmax(p0, p1), p2), p3));
}

FSK_LANE_INLINE iv sq(iv a)
{
    v4d l2 = a.lo * a.lo, h2 = a.hi * a.hi;
    iv across = mk(v4d_splat(0), vmax(l2, h2));
    return pick_iv(a.lo >= 0, mk(l2, h2), pick_iv(a.hi <= 0, mk(h2, l2), across));
}

/* a / b for b > 0. */
FSK_LANE_INLINE iv div_pos(iv a, iv b) { return mul(a, mk(1.0 / b.hi, 1.0 / b.lo)); }

FSK_LANE_INLINE v4d quad(v4d y, v4d z, v4d r) { return y * y + z * z + r * y * z; }

FSK_LANE_INLINE v4d clampv(v4d v, iv range)
{
    return pick(v < range.lo, range.lo, pick(v > range.hi, range.hi, v));
}

FSK_LANE_INLINE v4i holds_origin(iv a, iv b)
{
    return (a.lo <= 0) & (a.hi >= 0) & (b.lo <= 0) & (b.hi >= 0);
}

/*
 * The range of y^2 + z^2 + r y z over a box of y, z and r with |r| < 2:
 * linear in r, so extreme at an end of r; convex in (y, z), so largest at a
 * corner and smallest at (0, 0) or on an edge.
 */
FSK_LANE_INLINE iv quad_range(iv y, iv z, iv r)
{
    iv out = mk(v4d_splat(INFINITY), v4d_splat(-INFINITY));
    const v4d rs[2] = {r.lo, r.hi}, ys[2] = {y.lo, y.hi}, zs[2] = {z.lo, z.hi};
    v4i origin = holds_origin(y, z);
    for (int i = 0; i < 2; i++) {
        v4d rr = rs[i];
        for (int c = 0; c < 4; c++) {
            v4d q = quad(ys[c & 1], zs[c >> 1], rr);
            out.lo = vmin(out.lo, q);
            out.hi = vmax(out.hi, q);
        }
        out.lo = pick(origin, v4d_splat(0), out.lo);
        for (int k = 0; k < 2; k++) {
            out.lo = vmin(out.lo, quad(ys[k], clampv(-rr * ys[k] / 2, z), rr));
            out.lo = vmin(out.lo, quad(clampv(-rr * zs[k] / 2, y), zs[k], rr));
        }
    }
    out.lo = vmax(out.lo, v4d_splat(0));
    return out;
}

/* Distance range from the origin to the rectangle [a] x [b]. */
FSK_LANE_INLINE iv radius(iv a, iv b)
{
    const v4d zero = v4d_splat(0);
    v4d da = pick(a.lo > 0, a.lo, pick(a.hi < 0, -a.hi, zero));
    v4d db = pick(b.lo > 0, b.lo, pick(b.hi < 0, -b.hi, zero));
    v4d fa = vmax(vabs(a.lo), vabs(a.hi)), fb = vmax(vabs(b.lo), vabs(b.hi));
    return mk(norm2(da, db), norm2(fa, fb));
}

/* Hue range (degrees, unwrapped, width < 180) of a rectangle that does not
 * hold the origin: its corners lie within half a turn, so the most
 * clockwise and most counter-clockwise corners (found by cross products)
 * bound the hues of all its points. */
FSK_LANE_INLINE iv hue_range(iv a, iv b)
{
    const v4d xs[4] = {a.lo, a.hi, a.lo, a.hi}, ys[4] = {b.lo, b.lo, b.hi, b.hi};
    v4d cwx = xs[0], cwy = ys[0], ccwx = xs[0], ccwy = ys[0];
    for (int c = 1; c < 4; c++) {
        v4i more_cw = cwx * ys[c] - cwy * xs[c] < 0;
        v4i more_ccw = ccwx * ys[c] - ccwy * xs[c] > 0;
        cwx = pick(more_cw, xs[c], cwx);
        cwy = pick(more_cw, ys[c], cwy);
        ccwx = pick(more_ccw, xs[c], ccwx);
        ccwy = pick(more_ccw, ys[c], ccwy);
    }
    v4d lo = vatan2(cwy, cwx) * (180.0 / FSK_PI);
    v4d cross = cwx * ccwy - cwy * ccwx;
    v4d dot = cwx * ccwx + cwy * ccwy;
    v4d span = vatan2(cross, dot) * (180.0 / FSK_PI);
    /* Rounding slack for the two angles. */
    return mk(lo - 1e-9, lo + vmax(span, v4d_splat(0)) + 1e-9);
}

/* sqrt(c^7 / (c^7 + 25^7)): G of the a' stretch is half of one minus it,
 * RC twice it. */
FSK_LANE_INLINE v4d chroma_root(v4d c)
{
    v4d c7 = pow7v(c);
    return vsqrt(c7 / (c7 + FSK_POW25_7));
}

FSK_LANE_INLINE v4d dtheta_of(v4d h_0_360)
{
    v4d u = (h_0_360 - 275.0) / 25.0;
    return 30.0 * vexp_nonpositive(-u * u);
}

/* T over the mean hue range hb (unwrapped degrees). */
FSK_LANE_INLINE iv t_range(iv hb)
{
    v4d half = 0.5 * (hb.hi - hb.lo);
    v4d c, s;
    vcos_sin_deg(0.5 * (hb.lo + hb.hi), &c, &s);
    v4d mid = t_ofv(c, s), slack = T_SLOPE * rad(half);
    iv near = mk(vmax(v4d_splat(T_MIN), mid - slack), vmin(v4d_splat(T_MAX), mid + slack));
    return pick_iv(half >= 180, mk(v4d_splat(T_MIN), v4d_splat(T_MAX)), near);
}

/* Δθ over the mean hue range hb; CIEDE2000 takes the mean hue in 0..360, so
 * Δθ jumps (by 3e-4 degrees) where hb crosses a multiple of 360. */
FSK_LANE_INLINE iv dtheta_range(iv hb)
{
    const v4d zero = v4d_splat(0);
    /* Largest: the point closest to 275 + 360k, measured unwrapped (never
     * closer than the wrapped distance, so the bound holds). */
    v4d k = vfloor((hb.lo - 275.0) / 360.0);
    v4d best = v4d_splat(INFINITY);
    for (int i = 0; i < 3; i++) {
        v4d peak = 275.0 + 360.0 * (k + i);
        v4d d = pick(peak < hb.lo, hb.lo - peak, pick(peak > hb.hi, peak - hb.hi, zero));
        best = vmin(best, d);
    }
    v4d hi = 30.0 * vexp_nonpositive(-(best / 25.0) * (best / 25.0));
    v4d period = vfloor(hb.lo / 360.0);
    v4i within = (vfloor(hb.hi / 360.0) == period) & (hb.hi < 360.0 * (period + 1));
    v4d lo = pick(within, vmin(dtheta_of(hb.lo - 360.0 * period),
                               dtheta_of(hb.hi - 360.0 * period)), zero);
    return pick_iv(hb.hi - hb.lo >= 360, mk(zero, v4d_splat(30)), mk(lo, hi));
}

/* The hue terms for lanes with a colored e: the range of sin(Δh'/2)
 * (s), its least size when its sign is open (sin_min), and T and Δθ over
 * the mean hue. */
typedef struct hue_terms {
    iv s, t, dtheta;
    v4d sin_min;
} hue_terms;

FSK_LANE_INLINE hue_terms hue_terms_of(iv pa2, iv pb, iv ea2, iv eb2)
{
    const v4d zero = v4d_splat(0);
    hue_terms h = {.s = mk(v4d_splat(-1), v4d_splat(1)),
                   .t = mk(v4d_splat(T_MIN), v4d_splat(T_MAX)),
                   .dtheta = mk(zero, v4d_splat(30)),
                   .sin_min = zero};
    v4i known = ~holds_origin(pa2, pb);
    iv hp = hue_range(pa2, pb), he = hue_range(ea2, eb2);
    iv d = sub(he, hp);
    v4d shift = 360.0 * vround(0.5 * (d.lo + d.hi) / 360.0);
    d = mk(d.lo - shift, d.hi - shift);
    /* Hues nearly opposite: Δh' may wrap, so its sign is open, but its
     * size stays near 180 degrees. */
    v4i opposite = known & ((d.lo <= -180) | (d.hi >= 180));
    v4d near = pick(d.hi >= 180, vmin(d.lo, 360 - d.hi), vmin(-d.hi, 360 + d.lo));
    h.sin_min = pick(opposite, vsin(rad(vmax(zero, near)) / 2), zero);
    v4i apart = known & ~opposite;
    h.s = pick_iv(apart, mk(vsin(rad(d.lo) / 2), vsin(rad(d.hi) / 2)), h.s);
    /* The mean hue is h1' + Δh'/2 = (h1' + h2' - shift) / 2 modulo 360 on
     * both of CIEDE2000's branches away from a 180 degree difference. */
    iv hb = mk(0.5 * (hp.lo + he.lo - shift), 0.5 * (hp.hi + he.hi - shift));
    v4d wrap = 360.0 * vfloor(hb.lo / 360.0);
    hb = mk(hb.lo - wrap, hb.hi - wrap);
    h.t = pick_iv(apart, t_range(hb), h.t);
    h.dtheta = pick_iv(apart, dtheta_range(hb), h.dtheta);
    return h;
}

FSK_LANE_CLONES
void fsk_de2000_bounds_four(const double lo[3], const double hi[3], const double *const e[4],
                            double dmin[4], double dmax[4])
{
    const v4d zero = v4d_splat(0), one = v4d_splat(1);
    v4d e0, e1, e2;
    for (int j = 0; j < 4; j++) {
        e0[j] = e[j][0];
        e1[j] = e[j][1];
        e2[j] = e[j][2];
    }
    iv pl = mk(v4d_splat(lo[0]), v4d_splat(hi[0]));
    iv pa = mk(v4d_splat(lo[1]), v4d_splat(hi[1]));
    iv pb = mk(v4d_splat(lo[2]), v4d_splat(hi[2]));
    v4d ce = norm2(e1, e2);

    iv cp = radius(pa, pb);
    iv cbar = mk(0.5 * (cp.lo + ce), 0.5 * (cp.hi + ce));
    iv g1 = mk(1.0 + 0.5 * (1.0 - chroma_root(cbar.hi)), 1.0 + 0.5 * (1.0 - chroma_root(cbar.lo)));
    iv pa2 = mul(pa, g1);
    iv ea2 = mul(point(e1), g1);
    iv eb2 = point(e2);
    iv cp2 = radius(pa2, pb);
    iv ce2 = radius(ea2, eb2);

    iv dl = sub(point(e0), pl);
    iv lbar = mk(0.5 * (pl.lo + e0), 0.5 * (pl.hi + e0));
    v4d sl_lo = sl_ofv(lbar.lo), sl_hi = sl_ofv(lbar.hi);
    iv sl = pick_iv((lbar.lo <= 50) & (lbar.hi >= 50), mk(one, vmax(sl_lo, sl_hi)),
                    mk(vmin(sl_lo, sl_hi), vmax(sl_lo, sl_hi)));
    iv dc = sub(ce2, cp2);
    iv cpbar = mk(0.5 * (cp2.lo + ce2.lo), 0.5 * (cp2.hi + ce2.hi));
    iv sc = mk(1.0 + 0.045 * cpbar.lo, 1.0 + 0.045 * cpbar.hi);

    /* ΔH' = 2 sqrt(C1'C2') sin(Δh'/2), and 0 where e has no chroma. */
    v4i colored = ce > 0;
    hue_terms h = hue_terms_of(pa2, pb, ea2, eb2);
    iv root = mk(vsqrt(cp2.lo * ce2.lo), vsqrt(cp2.hi * ce2.hi));
    iv dh_h = pick_iv(colored, mul(mul(root, h.s), point(v4d_splat(2))), point(zero));
    v4d sin_min = pick(colored, h.sin_min, zero);
    iv t = pick_iv(colored, h.t, mk(v4d_splat(T_MIN), v4d_splat(T_MAX)));
    iv dtheta = pick_iv(colored, h.dtheta, mk(zero, v4d_splat(30)));

    iv sh = add(point(one), mul(mk(0.015 * cpbar.lo, 0.015 * cpbar.hi), t));
    iv sin2 = mk(vsin(rad(2 * dtheta.lo)), vsin(rad(2 * dtheta.hi)));
    iv rc = mk(2.0 * chroma_root(cpbar.lo), 2.0 * chroma_root(cpbar.hi));
    iv rt = mk(-sin2.hi * rc.hi, -sin2.lo * rc.lo);

    iv x2 = div_pos(sq(dl), sq(sl));
    iv y = div_pos(dc, sc), z = div_pos(dh_h, sh);
    v4d z_least = 2 * vsqrt(cp2.lo * ce2.lo) * sin_min / sh.hi;
    /* |z| >= z_least: the two signs separately. */
    v4i two_signs = (z_least > 0) & (z.lo < -z_least) & (z.hi > z_least);
    iv f = quad_range(y, z, rt);
    if (any(two_signs)) {
        iv neg = quad_range(y, mk(z.lo, -z_least), rt);
        iv pos = quad_range(y, mk(z_least, z.hi), rt);
        f = pick_iv(two_signs, mk(vmin(neg.lo, pos.lo), vmax(neg.hi, pos.hi)), f);
    }
    v4d qlo = x2.lo + f.lo, qhi = x2.hi + f.hi;
    v4d d0 = vsqrt(vmax(qlo, zero)), d1 = vsqrt(vmax(qhi, zero));
    v4d least = vmax(zero, d0 * (1 - 1e-9) - 1e-9), most = d1 * (1 + 1e-9) + 1e-9;
    for (int j = 0; j < 4; j++) {
        dmin[j] = least[j];
        dmax[j] = most[j];
    }
}

void fsk_de2000_bounds(const double lo[3], const double hi[3], const double e[3],
                       double *dmin, double *dmax)
{
    const double *const same[4] = {e, e, e, e};
    double los[4], his[4];
    fsk_de2000_bounds_four(lo, hi, same, los, his);
    *dmin = los[0];
    *dmax = his[0];
}

static double greater(double a, double b) { return a > b ? a : b; }

void fsk_box_distance_bounds(const double lo[3], const double hi[3],
                             const double e[3], double *dmin, double *dmax)
{
    double near = 0, far = 0;
    for (int i = 0; i < 3; i++) {
        double dn = e[i] < lo[i] ? lo[i] - e[i] : e[i] > hi[i] ? e[i] - hi[i] : 0;
        double df = greater(fabs(e[i] - lo[i]), fabs(e[i] - hi[i]));
        near += dn * dn;
        far += df * df;
    }
    *dmin = greater(0, sqrt(near) * (1 - 1e-9) - 1e-9);
    *dmax = sqrt(far) * (1 + 1e-9) + 1e-9;
}
