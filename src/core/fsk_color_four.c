/*
 * fsk_color_four.c — CIEDE2000 of four color pairs, and CIELAB of four
 * colors, at once in vectors of doubles (fsk_de2000_four and
 * fsk_linear_to_lab_four in fsk_color.h), each lane bit for bit what
 * fsk_de2000 or fsk_linear_to_lab gives: the same operations in the same
 * order, each rounded alike lane by lane (no fused multiply-add in either
 * copy), the trigonometry of the rotation term per lane through libm as
 * there, and pairs with near-opposite hues handed to fsk_de2000 itself;
 * fsk_de2000_four_close takes the rotation term's trigonometry from the
 * lane polynomials instead. On x86-64 a second copy for AVX2 is chosen at
 * load time.
 */
#include "fsk_color.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "fsk_color_terms.h"
#include "fsk_lane_math.h"
#include "fsk_lanes.h"

FSK_DEFINE_POW7(pow7, double)
FSK_DEFINE_POW7(pow7v, v4d)
FSK_DEFINE_DE2000_T(t_ofv, v4d, double)

FSK_DEFINE_DE2000_SL(sl_ofv, v4d, double, vsqrt)
FSK_DEFINE_CBRT_REFINE(refine_cube_rootv, v4d)

/* CIELAB's f of four values, as fsk_lab_f: the cube roots from their
 * first guesses refined in one vector; the other branches per lane.
 * Inlined into each copy of its caller: a vector argument must not cross
 * between the AVX2 and the default copy. */
static inline __attribute__((always_inline)) v4d lab_f_four(v4d t)
{
    v4d guess;
    for (int j = 0; j < 4; j++)
        guess[j] = fsk_cbrt_guess(t[j]);
    v4d f = refine_cube_rootv(guess, t);
    for (int j = 0; j < 4; j++)
        if (!(t[j] > FSK_LAB_EPS && t[j] < 1e300))
            f[j] = fsk_lab_f(t[j]);
    return f;
}

/* The rotation term RT of fsk_de2000 for a mean hue direction (mx, my)
 * that needs it, with its expressions. */
static double rotation_libm(double mx, double my, double cpbar)
{
    double h = atan2(my, mx) * (180.0 / FSK_PI);
    double hbar = h < 0 ? h + 360.0 : h;
    double dtheta = 30.0 * exp(-((hbar - 275) / 25) * ((hbar - 275) / 25));
    double cpbar7 = pow7(cpbar);
    double rc = 2.0 * sqrt(cpbar7 / (cpbar7 + FSK_POW25_7));
    return -sin((2 * dtheta) * (FSK_PI / 180.0)) * rc;
}

/* RT of the turning lanes (0 elsewhere): through libm lane by lane, as
 * fsk_de2000 computes it, or with the lane polynomials of fsk_lane_math.h
 * (within about 1e-15 of it). */
static inline __attribute__((always_inline)) v4d rotation(v4i turning, v4d mx, v4d my,
                                                          v4d cpbar, bool libm)
{
    v4d rt = {0, 0, 0, 0};
    if (libm) {
        for (int j = 0; j < 4; j++)
            if (turning[j])
                rt[j] = rotation_libm(mx[j], my[j], cpbar[j]);
        return rt;
    }
    if (!any(turning))
        return rt;
    v4d h = vatan2(my, mx) * (180.0 / FSK_PI);
    v4d hbar = pick(h < 0.0, h + 360.0, h);
    v4d u = (hbar - 275) / 25;
    v4d dtheta = 30.0 * vexp_nonpositive(-(u * u));
    v4d cpbar7 = pow7v(cpbar);
    v4d rc = 2.0 * vsqrt(cpbar7 / (cpbar7 + FSK_POW25_7));
    v4d cos2, sin2;
    vcos_sin_deg(2 * dtheta, &cos2, &sin2);
    return pick(turning, -sin2 * rc, rt);
}

/* The body of fsk_de2000_four and fsk_de2000_four_close, which differ in
 * the rotation term only. */
static inline __attribute__((always_inline)) void
de2000_four(const double *const lab1[4], const double *const lab2[4], double out[4], bool libm)
{
    const v4d one = {1, 1, 1, 1}, zero = {0, 0, 0, 0};
    v4d l1, a1_in, b1, l2, a2_in, b2;
    for (int j = 0; j < 4; j++) {
        l1[j] = lab1[j][0];
        a1_in[j] = lab1[j][1];
        b1[j] = lab1[j][2];
        l2[j] = lab2[j][0];
        a2_in[j] = lab2[j][1];
        b2[j] = lab2[j][2];
    }
    v4d c1 = vsqrt(a1_in * a1_in + b1 * b1);
    v4d c2 = vsqrt(a2_in * a2_in + b2 * b2);
    v4d cbar = 0.5 * (c1 + c2);
    v4d cbar7 = pow7v(cbar);
    v4d g = 0.5 * (1.0 - vsqrt(cbar7 / (cbar7 + FSK_POW25_7)));
    v4d a1 = (1.0 + g) * a1_in, a2 = (1.0 + g) * a2_in;
    v4d cp1 = vsqrt(a1 * a1 + b1 * b1);
    v4d cp2 = vsqrt(a2 * a2 + b2 * b2);
    v4d dl = l2 - l1;
    v4d dc = cp2 - cp1;

    /* The hue terms by unit vectors (hue_terms in fsk_color.c), where both
     * chromas are positive and the hues are not near opposite. */
    v4d cprod = cp1 * cp2;
    v4i chroma = cprod != zero;
    v4d d1 = pick(chroma, cp1, one), d2 = pick(chroma, cp2, one);
    v4d u1x = a1 / d1, u1y = b1 / d1, u2x = a2 / d2, u2y = b2 / d2;
    v4d mx = u1x + u2x, my = u1y + u2y, mm = vsqrt(mx * mx + my * my);
    v4i common = chroma & (mm > 1e-6);
    v4d dx = u2x - u1x, dy = u2y - u1y;
    v4d half_chord = 0.5 * vsqrt(dx * dx + dy * dy);
    v4d cross = u1x * u2y - u1y * u2x;
    v4d dhh = 2.0 * vsqrt(cprod) * pick(cross < zero, -half_chord, half_chord);
    v4d dm = pick(common, mm, one);
    v4d cos_h = mx / dm, sin_h = my / dm;
    v4i turning = common & ~((my > 1e-9 * mm) & (mx > -0.4 * mm));

    v4d lbar = 0.5 * (l1 + l2);
    v4d cpbar = 0.5 * (cp1 + cp2);
    v4d t = t_ofv(cos_h, sin_h);
    v4d sl = sl_ofv(lbar);
    v4d sc = 1.0 + 0.045 * cpbar;
    v4d sh = 1.0 + 0.015 * cpbar * t;
    v4d rt = rotation(turning, mx, my, cpbar, libm);

    v4d x = dl / sl, y = dc / sc, z = dhh / sh;
    v4d q = x * x + y * y + z * z + rt * y * z;
    v4d d = vsqrt(pick(q > zero, q, zero));
    /* Where a chroma is zero, z is zero on either path, and so is the
     * rotation's part (RT y z): the hue, which fsk_de2000 finds by its
     * angles there, changes nothing, and q is x^2 + y^2 here as there. */
    for (int j = 0; j < 4; j++)
        out[j] = common[j] || !chroma[j] ? d[j] : fsk_de2000(lab1[j], lab2[j]);
}

FSK_LANE_CLONES
void fsk_de2000_four(const double *const lab1[4], const double *const lab2[4], double out[4])
{
    de2000_four(lab1, lab2, out, true);
}

FSK_LANE_CLONES
void fsk_de2000_four_close(const double *const lab1[4], const double *const lab2[4],
                           double out[4])
{
    de2000_four(lab1, lab2, out, false);
}

FSK_LANE_CLONES
void fsk_linear_to_lab_four(const double (*rgb)[3], double (*lab)[3])
{
    double white[3];
    fsk_white_xyz(white);
    v4d t[3];
    for (int j = 0; j < 4; j++) {
        double xyz[3];
        fsk_linear_to_xyz(rgb[j], xyz);
        for (int c = 0; c < 3; c++)
            t[c][j] = xyz[c] / white[c];
    }
    v4d fx = lab_f_four(t[0]), fy = lab_f_four(t[1]), fz = lab_f_four(t[2]);
    v4d l = 116.0 * fy - 16.0, a = 500.0 * (fx - fy), b = 200.0 * (fy - fz);
    for (int j = 0; j < 4; j++) {
        lab[j][0] = l[j];
        lab[j][1] = a[j];
        lab[j][2] = b[j];
    }
}
