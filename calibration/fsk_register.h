/*
 * fsk_register.h — the plate-to-scan map, fitted and verified.
 *
 * The marks give a first map (fsk_marks.h); every patch that shows as a
 * blob where that map puts it then adds its centroid, and an affine map
 * is fitted to all of them by least squares, dropping outliers. Before
 * the map is trusted it is checked three ways: the marks must sit where
 * the map puts them, the gaps between patches must show the base color,
 * and the patch colors must be explained (by the fitted filament model)
 * far better under the map than under the same map shifted by one patch
 * pitch in any of the 8 directions. The model is only a weak prior here:
 * real stacks differ from any model by ΔE00 10 or more, so the shifted
 * candidates are compared with each other, never with a fixed limit.
 */
#ifndef FSK_REGISTER_H
#define FSK_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "fsk_affine.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"
#include "fsk_marks.h"
#include "fsk_model.h"
#include "fsk_sample.h"

typedef struct fsk_registration {
    fsk_affine map;
    size_t marks_found;   /* of grid->mark_count */
    size_t patches_used;  /* patch centroids in the final fit */
    double rms_px;        /* residual of the fit */
    double mark_err_mm;   /* largest distance of a found mark from its place */
} fsk_registration;

/*
 * Refines the marks' map with the patches that show as blobs. FSK_ENOMEM;
 * never fails otherwise (with no usable patches the marks' map stays).
 */
int fsk_register_refine(const fsk_grid *grid, const fsk_blob *blobs, size_t count,
                        const fsk_mark_match *marks, fsk_registration *out, fsk_err *err);

/*
 * The fraction (0..1) of gap samples that show the base: corrected by
 * flat, within tol (root space, fsk_marks.h) of the flat field's level
 * (or of base when flat is not valid). 0 when there are none.
 */
double fsk_register_gap_fraction(const fsk_gap_sample *gaps, size_t count,
                                 const fsk_flat_field *flat, const double base[3], double tol);

typedef struct fsk_shift_check {
    bool done;          /* false: too few patches with neighbours all round */
    size_t patches;     /* patches compared (neighbours on all 8 sides) */
    double pitch_mm[2]; /* patch pitch in x and y */
    double de[3][3];    /* fitted model's mean ΔE00 per shift [dy+1][dx+1] */
    int best_dx, best_dy; /* the best shifted candidate */
    double margin;      /* its ΔE00 over the map's (floored at 0.3) */
} fsk_shift_check;

/*
 * Samples the patches under map and under map shifted by one pitch in
 * each direction, fits the model (from prior) to each, and fills *out.
 * FSK_ENOMEM; too few interior patches is not an error (out->done false).
 */
int fsk_register_check_shift(const fsk_linear_image *img, const fsk_grid *grid,
                             const fsk_affine *map, const fsk_flat_field *flat,
                             const fsk_model *prior, fsk_shift_check *out, fsk_err *err);

/* A name for a shift: "one patch to the right and up". */
const char *fsk_shift_name(int dx, int dy);

#endif
