/*
 * fsk_grid_print.h — a calibration grid as a print, through the same code
 * path as a conversion: label map → fsk_layers_expand → fsk_print_mesh →
 * fsk_print_write_stls / fsk_print_write_3mf, plus the predicted preview;
 * and the predicted calibration of a grid.
 *
 * The label map covers the plate on a square pixel lattice of
 * fsk_grid_pixel_mm. Each patch's pixels hold the calibration entry of its
 * sequence, each mark's the entry of its full-height stack
 * ([k, k, ..., k]). Gaps and margins print the base: FSK_LABEL_BACKING
 * when the construction has a backing; without one, the base filament's
 * full-height stack, so that every patch and mark stands in one
 * continuous plate of color-layer height (a grid needs something to hold
 * it together, and the patches still print exactly their own layers).
 */
#ifndef FSK_GRID_PRINT_H
#define FSK_GRID_PRINT_H

#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_print_files.h"
#include "fsk_profile.h"

/*
 * The pixel of a grid's print: 0.2 mm when the plate size and every
 * rectangle are whole multiples of it, else 0.1 mm when they are of that
 * (layouts always are, see fsk_grid_layout.h), else FSK_EINVAL.
 */
int fsk_grid_pixel_mm(const fsk_grid *grid, double *pixel_mm, fsk_err *err);

/*
 * The predicted calibration of grid: one entry per patch, in patch order,
 * colored by the filament model (origin "predicted"), with the grid's
 * filaments and construction, source kind "predicted". Caller frees *out
 * with fsk_calibration_free. Errors: FSK_ENOMEM.
 */
int fsk_grid_predict(const fsk_grid *grid, fsk_calibration **out, fsk_err *err);

/*
 * The calibration a grid's print is built with: fsk_grid_predict's entries
 * (entry i is patch i), then the full-height stacks of the marks'
 * filaments and, without a backing, of the base filament, each unless a
 * patch has it already. Caller frees *out with fsk_calibration_free.
 */
int fsk_grid_print_calibration(const fsk_grid *grid, fsk_calibration **out,
                               fsk_err *err);

/*
 * The label map of grid (see above) on the lattice of pixel_mm: *width x
 * *height labels, row 0 at the top of the viewing orientation, entries of
 * cal (fsk_grid_print_calibration's). Caller frees *labels with free().
 * Errors: FSK_EINVAL (a sequence missing from cal), FSK_ELIMIT (more than
 * 2^28 pixels), FSK_ENOMEM.
 */
int fsk_grid_labels(const fsk_grid *grid, const fsk_calibration *cal, double pixel_mm,
                    uint16_t **labels, int *width, int *height, fsk_err *err);

/* What fsk_grid_write_print built. */
typedef struct fsk_grid_print_stats {
    int width_px, height_px;    /* label map */
    double pixel_mm;
    int layers;                 /* voxel layers, backing included */
    double height_mm;           /* of the tallest column */
    int part_count;
    fsk_convert_part part[FSK_MAX_PARTS + 1]; /* part[0] unused */
    uint64_t triangles;         /* all parts */
} fsk_grid_print_stats;

/*
 * Writes the print of grid into the staging folder s: STEM_<part>.stl per
 * part (filaments and the backing), STEM.3mf of kind (placed on printer's
 * bed; printer may be NULL) and STEM_preview.png, the predicted look of
 * every pixel (fsk_grid_predict's colors; the base as the model predicts
 * it), one PNG pixel per print pixel. Each file is recorded in s. stats
 * may be NULL. Errors: those of the stages (FSK_EINVAL, FSK_ELIMIT,
 * FSK_EIO, FSK_ENOMEM).
 */
int fsk_grid_write_print(fsk_staging *s, const char *stem, const fsk_grid *grid,
                         fsk_threemf_kind kind, const fsk_printer *printer,
                         fsk_grid_print_stats *stats, fsk_err *err);

#endif
