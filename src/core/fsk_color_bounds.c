/*
 * fsk_color_bounds.c — interval bounds of CIEDE2000 between a box of Lab
 * colors and one color, for the matcher's lookup table.
 *
 * The CIEDE2000 formula is evaluated in interval arithmetic, following the
 * same steps as fsk_de2000 with every intermediate replaced by a range that
 * holds it for every color of the box. Where the formula has branches (the
 * achromatic rules, hue differences near 180 degrees where the mean hue
 * jumps) the ranges cover all branches, so the bounds hold across
 * CIEDE2000's discontinuities too.
 */
#include <math.h>
#include <stdbool.h>

#include "fsk_color.h"

#define PI 3.14159265358979323846

/* T(h) over all hues lies in [0.362055, 1.572472] (sampled every 0.001
 * degree; T changes by at most 2.41 per radian), rounded outwards. */
#define T_MIN 0.3619
#define T_MAX 1.5726
#define T_SLOPE 2.41 /* 0.17 + 2*0.24 + 3*0.32 + 4*0.20, per radian */

typedef struct iv {
    double lo, hi;
} iv;

/* Plain comparisons: the libm fmin/fmax handle NaN and are not inlined. */
static double lesser(double a, double b) { return a < b ? a : b; }
static double greater(double a, double b) { return a > b ? a : b; }
static double norm2(double x, double y) { return sqrt(x * x + y * y); }

static iv mk(double lo, double hi) { return (iv){lo, hi}; }
static iv add(iv a, iv b) { return mk(a.lo + b.lo, a.hi + b.hi); }
static iv sub(iv a, iv b) { return mk(a.lo - b.hi, a.hi - b.lo); }

static iv mul(iv a, iv b)
{
    double p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    iv r = mk(p[0], p[0]);
    for (int i = 1; i < 4; i++) {
        r.lo = lesser(r.lo, p[i]);
        r.hi = greater(r.hi, p[i]);
    }
    return r;
}

static iv sq(iv a)
{
    if (a.lo >= 0)
        return mk(a.lo * a.lo, a.hi * a.hi);
    if (a.hi <= 0)
        return mk(a.hi * a.hi, a.lo * a.lo);
    return mk(0, greater(a.lo * a.lo, a.hi * a.hi));
}

/* a / b for b > 0. */
static iv div_pos(iv a, iv b) { return mul(a, mk(1.0 / b.hi, 1.0 / b.lo)); }

static double quad(double y, double z, double r) { return y * y + z * z + r * y * z; }

static double clampd(double v, iv range)
{
    return v < range.lo ? range.lo : v > range.hi ? range.hi : v;
}

/*
 * The range of y^2 + z^2 + r y z over a box of y, z and r with |r| < 2:
 * linear in r, so extreme at an end of r; convex in (y, z), so largest at a
 * corner and smallest at (0, 0) or on an edge.
 */
static iv quad_range(iv y, iv z, iv r)
{
    iv out = mk(INFINITY, -INFINITY);
    const double rs[2] = {r.lo, r.hi}, ys[2] = {y.lo, y.hi}, zs[2] = {z.lo, z.hi};
    for (int i = 0; i < 2; i++) {
        double rr = rs[i];
        for (int c = 0; c < 4; c++) {
            double q = quad(ys[c & 1], zs[c >> 1], rr);
            out.lo = lesser(out.lo, q);
            out.hi = greater(out.hi, q);
        }
        if (y.lo <= 0 && y.hi >= 0 && z.lo <= 0 && z.hi >= 0)
            out.lo = 0;
        for (int k = 0; k < 2; k++) {
            out.lo = lesser(out.lo, quad(ys[k], clampd(-rr * ys[k] / 2, z), rr));
            out.lo = lesser(out.lo, quad(clampd(-rr * zs[k] / 2, y), zs[k], rr));
        }
    }
    out.lo = greater(out.lo, 0);
    return out;
}

static double rad(double d) { return d * (PI / 180.0); }

/* Distance range from the origin to the rectangle [a] x [b]. */
static iv radius(iv a, iv b)
{
    double da = a.lo > 0 ? a.lo : a.hi < 0 ? -a.hi : 0;
    double db = b.lo > 0 ? b.lo : b.hi < 0 ? -b.hi : 0;
    double fa = greater(fabs(a.lo), fabs(a.hi)), fb = greater(fabs(b.lo), fabs(b.hi));
    return mk(norm2(da, db), norm2(fa, fb));
}

static bool holds_origin(iv a, iv b)
{
    return a.lo <= 0 && a.hi >= 0 && b.lo <= 0 && b.hi >= 0;
}

/* Hue range (degrees, unwrapped, width < 180) of a rectangle that does not
 * hold the origin: its corners lie within half a turn, so the most
 * clockwise and most counter-clockwise corners (found by cross products)
 * bound the hues of all its points. */
static iv hue_range(iv a, iv b)
{
    double xs[4] = {a.lo, a.hi, a.lo, a.hi}, ys[4] = {b.lo, b.lo, b.hi, b.hi};
    int cw = 0, ccw = 0;
    for (int c = 1; c < 4; c++) {
        if (xs[cw] * ys[c] - ys[cw] * xs[c] < 0)
            cw = c;
        if (xs[ccw] * ys[c] - ys[ccw] * xs[c] > 0)
            ccw = c;
    }
    double lo = atan2(ys[cw], xs[cw]) * (180.0 / PI);
    double cross = xs[cw] * ys[ccw] - ys[cw] * xs[ccw];
    double dot = xs[cw] * xs[ccw] + ys[cw] * ys[ccw];
    double span = atan2(cross, dot) * (180.0 / PI);
    /* Rounding slack for the two angles. */
    return mk(lo - 1e-9, lo + greater(span, 0) + 1e-9);
}

/* G of the a' stretch, decreasing in the mean chroma c. */
static double g_of(double c)
{
    double c2 = c * c, c7 = c2 * c2 * c2 * c;
    return 0.5 * (1.0 - sqrt(c7 / (c7 + 6103515625.0)));
}

static double rc_of(double c)
{
    double c2 = c * c, c7 = c2 * c2 * c2 * c;
    return 2.0 * sqrt(c7 / (c7 + 6103515625.0));
}

static double sl_of(double l)
{
    double d = (l - 50) * (l - 50);
    return 1.0 + 0.015 * d / sqrt(20.0 + d);
}

static double dtheta_of(double h_0_360)
{
    double u = (h_0_360 - 275.0) / 25.0;
    return 30.0 * exp(-u * u);
}

/* T over the mean hue range hb (unwrapped degrees). */
static iv t_range(iv hb)
{
    double half = 0.5 * (hb.hi - hb.lo);
    if (half >= 180)
        return mk(T_MIN, T_MAX);
    double mid = fsk_de2000_t(0.5 * (hb.lo + hb.hi)), slack = T_SLOPE * rad(half);
    return mk(greater(T_MIN, mid - slack), lesser(T_MAX, mid + slack));
}

/* Δθ over the mean hue range hb; CIEDE2000 takes the mean hue in 0..360, so
 * Δθ jumps (by 3e-4 degrees) where hb crosses a multiple of 360. */
static iv dtheta_range(iv hb)
{
    if (hb.hi - hb.lo >= 360)
        return mk(0, 30);
    /* Largest: the point closest to 275 + 360k, measured unwrapped (never
     * closer than the wrapped distance, so the bound holds). */
    double k = floor((hb.lo - 275.0) / 360.0);
    double best = INFINITY;
    for (int i = 0; i < 3; i++) {
        double peak = 275.0 + 360.0 * (k + i);
        double d = peak < hb.lo ? hb.lo - peak : peak > hb.hi ? peak - hb.hi : 0;
        best = lesser(best, d);
    }
    double hi = 30.0 * exp(-(best / 25.0) * (best / 25.0));
    double lo = 0;
    double period = floor(hb.lo / 360.0);
    if (floor(hb.hi / 360.0) == period && hb.hi < 360.0 * (period + 1)) {
        double a = dtheta_of(hb.lo - 360.0 * period);
        double b = dtheta_of(hb.hi - 360.0 * period);
        lo = lesser(a, b);
    }
    return mk(lo, hi);
}

void fsk_de2000_bounds(const double lo[3], const double hi[3], const double e[3],
                       double *dmin, double *dmax)
{
    iv pl = mk(lo[0], hi[0]), pa = mk(lo[1], hi[1]), pb = mk(lo[2], hi[2]);
    double ce = norm2(e[1], e[2]);

    iv cp = radius(pa, pb);
    iv cbar = mk(0.5 * (cp.lo + ce), 0.5 * (cp.hi + ce));
    iv g1 = mk(1.0 + g_of(cbar.hi), 1.0 + g_of(cbar.lo));
    iv pa2 = mul(pa, g1);
    iv ea2 = mul(mk(e[1], e[1]), g1);
    iv eb2 = mk(e[2], e[2]);
    iv cp2 = radius(pa2, pb);
    iv ce2 = radius(ea2, eb2);

    iv dl = sub(mk(e[0], e[0]), pl);
    iv lbar = mk(0.5 * (pl.lo + e[0]), 0.5 * (pl.hi + e[0]));
    iv sl;
    if (lbar.lo <= 50 && lbar.hi >= 50)
        sl = mk(1.0, greater(sl_of(lbar.lo), sl_of(lbar.hi)));
    else
        sl = mk(lesser(sl_of(lbar.lo), sl_of(lbar.hi)),
                greater(sl_of(lbar.lo), sl_of(lbar.hi)));
    iv dc = sub(ce2, cp2);
    iv cpbar = mk(0.5 * (cp2.lo + ce2.lo), 0.5 * (cp2.hi + ce2.hi));
    iv sc = mk(1.0 + 0.045 * cpbar.lo, 1.0 + 0.045 * cpbar.hi);

    iv dh_h = mk(0, 0); /* ΔH' */
    double sin_min = 0;  /* least |sin(Δh'/2)| */
    iv t = mk(T_MIN, T_MAX), dtheta = mk(0, 30);
    if (ce > 0) {
        /* sqrt(C1'C2') times sin(Δh'/2). */
        iv root = mk(sqrt(cp2.lo * ce2.lo), sqrt(cp2.hi * ce2.hi));
        iv s = mk(-1, 1);
        if (!holds_origin(pa2, pb)) {
            iv hp = hue_range(pa2, pb), he = hue_range(ea2, eb2);
            iv d = sub(he, hp);
            double shift = 360.0 * round(0.5 * (d.lo + d.hi) / 360.0);
            d = mk(d.lo - shift, d.hi - shift);
            if (d.lo <= -180 || d.hi >= 180) {
                /* Hues nearly opposite: Δh' may wrap, so its sign is open,
                 * but its size stays near 180 degrees. */
                double near = d.hi >= 180 ? lesser(d.lo, 360 - d.hi)
                                          : lesser(-d.hi, 360 + d.lo);
                sin_min = sin(rad(greater(0, near)) / 2);
            } else {
                s = mk(sin(rad(d.lo) / 2), sin(rad(d.hi) / 2));
                /* The mean hue is h1' + Δh'/2 = (h1' + h2' - shift) / 2
                 * modulo 360 on both of CIEDE2000's branches away from a
                 * 180 degree difference. */
                iv hb = mk(0.5 * (hp.lo + he.lo - shift), 0.5 * (hp.hi + he.hi - shift));
                double wrap = 360.0 * floor(hb.lo / 360.0);
                hb = mk(hb.lo - wrap, hb.hi - wrap);
                t = t_range(hb);
                dtheta = dtheta_range(hb);
            }
        }
        dh_h = mul(mul(root, s), mk(2, 2));
    }
    iv sh = add(mk(1, 1), mul(mk(0.015 * cpbar.lo, 0.015 * cpbar.hi), t));
    iv sin2 = mk(sin(rad(2 * dtheta.lo)), sin(rad(2 * dtheta.hi)));
    iv rc = mk(rc_of(cpbar.lo), rc_of(cpbar.hi));
    iv rt = mk(-sin2.hi * rc.hi, -sin2.lo * rc.lo);

    iv x2 = div_pos(sq(dl), sq(sl));
    iv y = div_pos(dc, sc), z = div_pos(dh_h, sh);
    iv f;
    double z_least = 2 * sqrt(cp2.lo * ce2.lo) * sin_min / sh.hi;
    if (z_least > 0 && z.lo < -z_least && z.hi > z_least) {
        /* |z| >= z_least: the two signs separately. */
        iv neg = quad_range(y, mk(z.lo, -z_least), rt);
        iv pos = quad_range(y, mk(z_least, z.hi), rt);
        f = mk(lesser(neg.lo, pos.lo), greater(neg.hi, pos.hi));
    } else {
        f = quad_range(y, z, rt);
    }
    double qlo = x2.lo + f.lo, qhi = x2.hi + f.hi;
    double d0 = sqrt(greater(qlo, 0)), d1 = sqrt(greater(qhi, 0));
    *dmin = greater(0, d0 * (1 - 1e-9) - 1e-9);
    *dmax = d1 * (1 + 1e-9) + 1e-9;
}

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
