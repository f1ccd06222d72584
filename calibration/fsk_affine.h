/*
 * fsk_affine.h — the mapping from the plate (millimetres, viewing
 * orientation, x right, y down) to a scan (pixels; pixel (i, j) covers
 * [i, i+1) x [j, j+1), its centre at i + 0.5, j + 0.5): an affine map,
 * which covers any rotation, mirroring, scale and the small shear of a
 * flatbed. Least-squares fitting from point pairs and the figures a user
 * understands (scale, rotation, mirrored).
 */
#ifndef FSK_AFFINE_H
#define FSK_AFFINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fsk_affine {
    /* x = m[0] + m[1] X + m[2] Y,  y = m[3] + m[4] X + m[5] Y */
    double m[6];
} fsk_affine;

/* Maps plate point (X, Y) mm to scan point (x, y) px. */
void fsk_affine_apply(const fsk_affine *a, double X, double Y, double *x, double *y);

/* The inverse map; false when a is singular (|det| < 1e-12). */
bool fsk_affine_invert(const fsk_affine *a, fsk_affine *inv);

/*
 * Least-squares affine map taking point i of from to point i of to (n >= 3
 * points, each x then y: 2n doubles; optional weights w, NULL for 1).
 * False when the points are (nearly) collinear or n < 3. With 2 points
 * use fsk_affine_similarity.
 */
bool fsk_affine_fit(const double *from, const double *to, const double *w, size_t n,
                    fsk_affine *out);

/*
 * The similarity (rotation, uniform scale, translation; with mirror the
 * plate's Y is negated first) taking p0 to q0 and p1 to q1. False when p0
 * and p1 coincide.
 */
bool fsk_affine_similarity(const double p0[2], const double p1[2], const double q0[2],
                           const double q1[2], bool mirror, fsk_affine *out);

/* Pixels per millimetre (sqrt of |det|), the rotation of the plate's x axis
 * in the scan (degrees, -180..180, counter-clockwise as seen with y down is
 * clockwise), whether the map mirrors (det < 0), and the shear: the angle
 * between the mapped axes minus 90 degrees. */
double fsk_affine_scale(const fsk_affine *a);
double fsk_affine_rotation_deg(const fsk_affine *a);
bool fsk_affine_mirrored(const fsk_affine *a);
double fsk_affine_shear_deg(const fsk_affine *a);

#endif
