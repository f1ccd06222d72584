/*
 * fsk_marks.h — finding a calibration grid's fiducial marks in a scan.
 *
 * The base (the backing that shows between patches) is one of the most
 * common colors: each candidate is tried, nearest to the predicted one
 * first. Pixels that differ from
 * it by more than a threshold are foreground; a 3x3 opening removes
 * fibres and specks; connected foreground areas become blobs, and the
 * filled, rectangle-like ones are kept. Marks are matched to blobs by
 * relative size and the figure they form, in any rotation and either
 * mirroring, without knowing the scale: a pair of blobs proposes a
 * similarity, the other marks must appear where it puts them, and the
 * patches decide between proposals that explain the marks equally well.
 *
 * Distances between colors here are Euclidean in "root space" (the square
 * root of linear RGB), roughly uniform in lightness and cheap per pixel.
 */
#ifndef FSK_MARKS_H
#define FSK_MARKS_H

#include <stdbool.h>
#include <stddef.h>

#include "fsk_affine.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"

typedef struct fsk_blob {
    double cx, cy;  /* centroid, px */
    double area;    /* px */
    double side;    /* sqrt(area), px */
    double aspect;  /* long over short axis of the equivalent rectangle, >= 1 */
    double fill;    /* area over the equivalent rectangle's: about 1 when filled */
} fsk_blob;

/* Root-space distance between linear colors a and b. */
double fsk_root_distance(const double a[3], const double b[3]);

/*
 * Candidates for the base color (linear RGB) of img, nearest to nominal
 * (linear RGB, see fsk_marks_predicted_base) first: the modes of the
 * color clusters that hold at least 2 % of the pixels (the backing, the
 * scanner lid, ...). Writes up to max into bases and returns how many;
 * 0 without memory.
 */
int fsk_marks_base_colors(const fsk_linear_image *img, const double nominal[3],
                          double (*bases)[3], int max);

/* The base color the filament model predicts for grid (linear RGB): the
 * backing alone, or without one the base filament's full stack. */
void fsk_marks_predicted_base(const fsk_grid *grid, double lin[3]);

/*
 * The foreground threshold (root space) for a grid: half the contrast the
 * filament model predicts between the base and the palest mark (a
 * full-height stack of its filament), within 0.04..0.25.
 */
double fsk_marks_threshold(const fsk_grid *grid);

/*
 * Finds the blobs of img that differ from base by more than threshold
 * (root space), at least min_area pixels and rectangle-like (fill 0.8 to
 * 1.2), largest first, at most max_blobs. On success the caller frees
 * *blobs with free() (NULL when *count is 0). FSK_ELIMIT when the image
 * breaks into too many pieces to be a scan of a grid, FSK_ENOMEM.
 */
int fsk_blobs_find(const fsk_linear_image *img, const double base[3], double threshold,
                   double min_area, size_t max_blobs, fsk_blob **blobs, size_t *count,
                   fsk_err *err);

/* The result of matching a grid's marks to blobs. */
typedef struct fsk_mark_match {
    fsk_affine map;     /* plate to scan, fitted to the matched marks */
    size_t found;       /* marks matched to a blob */
    int *mark_blob;     /* per mark: its blob index, or -1; caller frees with free() */
    size_t patch_support; /* patches that appear where the map puts them */
} fsk_mark_match;

/*
 * Matches grid's marks to blobs. Succeeds when at least 3 marks (all of
 * them when the grid has 3) are found in a consistent pose; then *out
 * holds the map and the matches. Otherwise FSK_EFORMAT with a message
 * saying what was found ("found 1 of 4 fiducial marks"); callers add
 * which scan. FSK_EINVAL when the grid has fewer than 3 marks.
 */
int fsk_marks_match(const fsk_grid *grid, const fsk_blob *blobs, size_t count,
                    fsk_mark_match *out, fsk_err *err);

/*
 * Patches of grid whose predicted place under map holds a blob of their
 * size (within 25 %) within 30 % of their size; with pairs non-NULL also
 * writes, per patch, the matched blob index or -1.
 */
size_t fsk_marks_patch_support(const fsk_grid *grid, const fsk_affine *map,
                               const fsk_blob *blobs, size_t count, int *pairs);

#endif
