/*
 * fsk_sample.h — measuring a registered scan: the robust color of each
 * patch, the base color in the gaps between patches, and the flat field
 * (the scanner's uneven illumination) fitted to those gaps.
 *
 * A patch is measured over its inner area, inset from its edges by
 * fsk_sample_margin_mm so that bleed, blur and registration error stay
 * outside; the estimate per channel (linear light) is the interquartile
 * mean, which ignores dust, fibres and scratches covering up to a quarter
 * of the area. Its spread is the 90th percentile ΔE00 of the pixels from
 * the estimate; a patch whose spread is far above the scan's usual is
 * flagged as not uniform.
 *
 * The flat field is a quadratic surface per channel over the plate,
 * fitted (with outliers dropped) to the base color sampled in the gaps;
 * a color at plate point (X, Y) is corrected by the gain level / surface,
 * where level is the surface's mean over the plate.
 */
#ifndef FSK_SAMPLE_H
#define FSK_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "fsk_affine.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"

/* Inset (mm) of the sampled area from a patch edge, at px_per_mm. */
double fsk_sample_margin_mm(const double rect_mm[4], double px_per_mm);

typedef struct fsk_flat_field {
    bool valid;            /* false: no correction (gains of 1) */
    double size_mm[2];     /* the plate, for the surface's coordinates */
    double coef[3][6];     /* 1, u, v, u^2, uv, v^2 with u, v in -1..1 over the plate */
    double level[3];       /* the surface's mean over the plate, linear */
    double min_gain, max_gain; /* the correction's range over the plate */
    size_t samples, used;  /* gap samples, and those kept by the fit */
} fsk_flat_field;

/* The per-channel gains at plate point (X, Y) mm; 1 when !f->valid. */
void fsk_flat_gain(const fsk_flat_field *f, double X, double Y, double gain[3]);

typedef struct fsk_gap_sample {
    double X, Y;   /* plate mm */
    double rgb[3]; /* median linear RGB of a small square around it */
} fsk_gap_sample;

/*
 * Samples the base color between patches and marks: points halfway
 * across each free gap next to a patch or mark edge that are clear of
 * every rectangle and the plate edge by enough for the scan's resolution,
 * and inside the image. On success the caller frees *out with free()
 * (*count may be 0: gaps too narrow at this resolution). FSK_ENOMEM.
 */
int fsk_sample_gaps(const fsk_linear_image *img, const fsk_grid *grid, const fsk_affine *map,
                    fsk_gap_sample **out, size_t *count, fsk_err *err);

/* Fits the flat field to gap samples; out->valid is false when fewer than
 * 12 samples remain or the surface is not positive over the plate. */
void fsk_flat_field_fit(const fsk_gap_sample *gaps, size_t count, const double size_mm[2],
                        fsk_flat_field *out);

typedef struct fsk_patch_sample {
    bool valid;      /* false: the sampled area is not inside the scan */
    double rgb[3];   /* linear RGB, flat-field corrected */
    double spread;   /* 90th percentile ΔE00 from the estimate; 0 unless asked */
    int pixels;      /* pixels the estimate used */
    bool flagged;    /* not uniform: spread far above the scan's median */
    bool clipped;    /* over a tenth of its pixels at full scale in a channel */
} fsk_patch_sample;

typedef struct fsk_sample_opts {
    double shift_mm[2]; /* sample every patch this far from its place */
    int max_pixels;     /* per patch, a regular subset above this; 0: all */
    bool spread;        /* compute spread and flags */
} fsk_sample_opts;

/*
 * Measures every patch of grid (out has grid->patch_count entries) in img
 * under map, correcting by flat (may be NULL). FSK_ENOMEM.
 */
int fsk_sample_patches(const fsk_linear_image *img, const fsk_grid *grid, const fsk_affine *map,
                       const fsk_flat_field *flat, const fsk_sample_opts *opts,
                       fsk_patch_sample *out, fsk_err *err);

/* Robust estimate of n values (reordered): the mean of those between the
 * first and third quartiles. 0 for n == 0. */
double fsk_interquartile_mean(float *v, size_t n);

#endif
