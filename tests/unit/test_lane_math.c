/*
 * test_lane_math.c — the four-lane elementary functions of the CIEDE2000
 * bounds (fsk_lane_math.h) against libm, over their whole domains in dense
 * steps and at the points where their argument reductions switch.
 */
#include <math.h>

#include "fsk_lane_math.h"
#include "tkit.h"

/* The worst error of f against ref over n steps from a to b, four at a
 * time, relative to max(1, |ref|) when relative, else absolute. */
typedef v4d (*lane_fn)(v4d);
static double worst_error(lane_fn f, double (*ref)(double), double a, double b, int n,
                          int relative)
{
    double worst = 0;
    for (int i = 0; i <= n; i += 4) {
        v4d x;
        for (int j = 0; j < 4; j++)
            x[j] = a + (b - a) * (double)(i + j < n ? i + j : n) / n;
        v4d y = f(x);
        for (int j = 0; j < 4; j++) {
            double want = ref(x[j]);
            double err = fabs(y[j] - want) / (relative ? fmax(1, fabs(want)) : 1);
            if (!(err <= worst))
                worst = err; /* NaN too */
        }
    }
    return worst;
}

static v4d sin_lanes(v4d x) { return vsin(x); }
static v4d cos_deg_lanes(v4d d)
{
    v4d c, s;
    vcos_sin_deg(d, &c, &s);
    return c;
}
static v4d sin_deg_lanes(v4d d)
{
    v4d c, s;
    vcos_sin_deg(d, &c, &s);
    return s;
}
static double cos_deg(double d) { return cos(d * (FSK_PI / 180.0)); }
static double sin_deg(double d) { return sin(d * (FSK_PI / 180.0)); }
static v4d exp_lanes(v4d x) { return vexp_nonpositive(x); }

static void test_sin_cos(void)
{
    TKIT_TRUE(worst_error(sin_lanes, sin, -FSK_PI / 2, FSK_PI / 2, 400000, 0) < 1e-15);
    /* Degrees of any size the bounds see, across quarter-turn edges. */
    TKIT_TRUE(worst_error(cos_deg_lanes, cos_deg, -1000, 1000, 800001, 0) < 1e-14);
    TKIT_TRUE(worst_error(sin_deg_lanes, sin_deg, -1000, 1000, 800001, 0) < 1e-14);
    v4d c, s;
    vcos_sin_deg((v4d){0, 90, 180, 270}, &c, &s);
    TKIT_NEAR(c[0], 1, 1e-16);
    TKIT_NEAR(s[1], 1, 1e-16);
    TKIT_NEAR(c[2], -1, 1e-16);
    TKIT_NEAR(s[3], -1, 1e-16);
}

static void test_exp(void)
{
    TKIT_TRUE(worst_error(exp_lanes, exp, -745, 0, 400000, 1) < 1e-15);
    /* Relative error where the values are tiny but normal. */
    double worst = 0;
    for (double x = -700; x <= 0; x += 0.37) {
        v4d y = vexp_nonpositive(v4d_splat(x));
        worst = fmax(worst, fabs(y[0] - exp(x)) / exp(x));
    }
    TKIT_TRUE(worst < 2e-15);
    v4d z = vexp_nonpositive((v4d){0, -800, -INFINITY, -1});
    TKIT_EQ_INT(z[0] == 1, 1);
    TKIT_EQ_INT(z[1] == 0 && z[2] == 0, 1);
}

static void test_atan2(void)
{
    /* Every direction, on circles of radii from tiny to large, and the
     * axes and diagonals where the reductions switch. */
    double worst = 0;
    const double radii[4] = {1e-12, 0.5, 3, 250};
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < 200000; i += 4) {
            v4d x, y;
            for (int j = 0; j < 4; j++) {
                double a = -FSK_PI + 2 * FSK_PI * (i + j) / 200000.0;
                x[j] = radii[r] * cos(a);
                y[j] = radii[r] * sin(a);
            }
            v4d h = vatan2(y, x);
            for (int j = 0; j < 4; j++) {
                double err = fabs(h[j] - atan2(y[j], x[j]));
                /* atan2 gives -pi and pi on the negative axis alike. */
                err = fmin(err, fabs(err - 2 * FSK_PI));
                worst = fmax(worst, err);
            }
        }
    TKIT_TRUE(worst < 1e-15);
    const double t8 = tan(FSK_PI / 8);
    v4d h = vatan2((v4d){1, t8, 1, -1}, (v4d){0, 1, 1, -t8});
    TKIT_NEAR(h[0], FSK_PI / 2, 1e-15);
    TKIT_NEAR(h[1], FSK_PI / 8, 1e-15);
    TKIT_NEAR(h[2], FSK_PI / 4, 1e-15);
    TKIT_NEAR(h[3], atan2(-1, -t8), 1e-15);
}

int main(void)
{
    TKIT_RUN(test_sin_cos);
    TKIT_RUN(test_exp);
    TKIT_RUN(test_atan2);
    return TKIT_DONE();
}
