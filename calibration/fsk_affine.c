/*
 * fsk_affine.c — plate-to-scan affine maps (see fsk_affine.h).
 */
#include "fsk_affine.h"

#include <math.h>

#define PI 3.14159265358979323846

void fsk_affine_apply(const fsk_affine *a, double X, double Y, double *x, double *y)
{
    *x = a->m[0] + a->m[1] * X + a->m[2] * Y;
    *y = a->m[3] + a->m[4] * X + a->m[5] * Y;
}

bool fsk_affine_invert(const fsk_affine *a, fsk_affine *inv)
{
    double det = a->m[1] * a->m[5] - a->m[2] * a->m[4];
    if (!(fabs(det) >= 1e-12))
        return false;
    double i1 = a->m[5] / det, i2 = -a->m[2] / det;
    double i4 = -a->m[4] / det, i5 = a->m[1] / det;
    inv->m[1] = i1;
    inv->m[2] = i2;
    inv->m[4] = i4;
    inv->m[5] = i5;
    inv->m[0] = -(i1 * a->m[0] + i2 * a->m[3]);
    inv->m[3] = -(i4 * a->m[0] + i5 * a->m[3]);
    return true;
}

/* Solves the 3x3 system s v = r by Cramer's rule; false when singular. */
static bool solve3(double s[3][3], const double r[3], double v[3])
{
    double det = s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) -
                 s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0]) +
                 s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
    double scale = fabs(s[0][0]) + fabs(s[1][1]) + fabs(s[2][2]);
    if (!(fabs(det) > 1e-12 * scale * scale * scale))
        return false;
    for (int k = 0; k < 3; k++) {
        double t[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                t[i][j] = j == k ? r[i] : s[i][j];
        v[k] = (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1]) -
                t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0]) +
                t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) /
               det;
    }
    return true;
}

bool fsk_affine_fit(const double *from, const double *to, const double *w, size_t n,
                    fsk_affine *out)
{
    if (n < 3)
        return false;
    /* Centre the plate points so the normal equations stay well scaled. */
    double sw = 0, cx = 0, cy = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        sw += wi;
        cx += wi * from[2 * i];
        cy += wi * from[2 * i + 1];
    }
    if (!(sw > 0))
        return false;
    cx /= sw;
    cy /= sw;
    double s[3][3] = {{0}}, rx[3] = {0}, ry[3] = {0};
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        double b[3] = {1, from[2 * i] - cx, from[2 * i + 1] - cy};
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++)
                s[j][k] += wi * b[j] * b[k];
            rx[j] += wi * b[j] * to[2 * i];
            ry[j] += wi * b[j] * to[2 * i + 1];
        }
    }
    double vx[3], vy[3];
    if (!solve3(s, rx, vx) || !solve3(s, ry, vy))
        return false;
    out->m[1] = vx[1];
    out->m[2] = vx[2];
    out->m[0] = vx[0] - vx[1] * cx - vx[2] * cy;
    out->m[4] = vy[1];
    out->m[5] = vy[2];
    out->m[3] = vy[0] - vy[1] * cx - vy[2] * cy;
    return true;
}

bool fsk_affine_similarity(const double p0[2], const double p1[2], const double q0[2],
                           const double q1[2], bool mirror, fsk_affine *out)
{
    double sy = mirror ? -1 : 1;
    /* Complex numbers: q = A p' + B with p' = X + i sy Y. */
    double dpx = p1[0] - p0[0], dpy = sy * (p1[1] - p0[1]);
    double dqx = q1[0] - q0[0], dqy = q1[1] - q0[1];
    double d2 = dpx * dpx + dpy * dpy;
    if (!(d2 > 0))
        return false;
    double ar = (dqx * dpx + dqy * dpy) / d2, ai = (dqy * dpx - dqx * dpy) / d2;
    /* x = ar X - ai sy Y + bx,  y = ai X + ar sy Y + by */
    out->m[1] = ar;
    out->m[2] = -ai * sy;
    out->m[4] = ai;
    out->m[5] = ar * sy;
    out->m[0] = q0[0] - (out->m[1] * p0[0] + out->m[2] * p0[1]);
    out->m[3] = q0[1] - (out->m[4] * p0[0] + out->m[5] * p0[1]);
    return true;
}

double fsk_affine_scale(const fsk_affine *a)
{
    return sqrt(fabs(a->m[1] * a->m[5] - a->m[2] * a->m[4]));
}

double fsk_affine_rotation_deg(const fsk_affine *a)
{
    return atan2(a->m[4], a->m[1]) * 180.0 / PI;
}

bool fsk_affine_mirrored(const fsk_affine *a)
{
    return a->m[1] * a->m[5] - a->m[2] * a->m[4] < 0;
}

double fsk_affine_shear_deg(const fsk_affine *a)
{
    double ax = atan2(a->m[4], a->m[1]), ay = atan2(a->m[5], a->m[2]);
    double d = fabs(remainder(ay - ax, 2 * PI)) * 180.0 / PI;
    return d - 90.0;
}
