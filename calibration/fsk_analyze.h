/*
 * fsk_analyze.h — reading scans of printed calibration grids into a
 * calibration.
 *
 * Each scan is read on its own (fsk_analyze_scan): find the grid by its
 * marks (any rotation, either mirroring, any resolution), fit and verify
 * the plate-to-scan map, fit the flat field to the base in the gaps, and
 * measure every patch. Then the scans are combined (fsk_analyze_combine):
 * several pages (each with its own grid) and repeated scans of one grid
 * (averaged) become one calibration; the filament model is fitted to the
 * measured patches, cross-validated, used to give a value to every
 * sequence no grid holds (origin "model"), and used to notice filaments
 * that were not the ones the grid names.
 */
#ifndef FSK_ANALYZE_H
#define FSK_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"
#include "fsk_register.h"
#include "fsk_sample.h"

#define FSK_ANALYZE_MSG_MAX 400
#define FSK_ANALYZE_MAX_WARNINGS 8

/* The least ratio between the best shifted reading's model error and the
 * registration's for the registration to be trusted. */
#define FSK_SHIFT_MIN_MARGIN 1.5

typedef struct fsk_scan_result {
    size_t grid;                 /* which of the grids the scan holds */
    fsk_registration reg;
    unsigned char *mark_found;   /* per mark of that grid; owned */
    double dpi_file;             /* the file's resolution; 0 when it has none */
    double dpi;                  /* measured from the grid: 25.4 px per mm */
    double base[3];              /* base color found, linear RGB */
    size_t gap_samples;
    double gap_fraction;         /* of the gap samples that show the base */
    fsk_flat_field flat;
    fsk_shift_check shift;
    fsk_patch_sample *patch;     /* per patch of the grid; owned */
    size_t measured, flagged;    /* patches measured; of them not uniform */
    int warning_count;
    char warnings[FSK_ANALYZE_MAX_WARNINGS][FSK_ANALYZE_MSG_MAX];
} fsk_scan_result;

/*
 * Reads one scan (img; name for messages) of one of grid_count grids. On
 * success *out holds the result; free it with fsk_scan_result_free. A
 * scan without any of the grids fails with FSK_EFORMAT, "no calibration
 * grid found in 'NAME': WHAT WAS FOUND"; a grid that is found but does not
 * verify fails with FSK_EFORMAT, "cannot read the grid in 'NAME': WHAT
 * DID NOT FIT" (marks off their places, gaps not showing the base, patch
 * colors that fit better shifted by one patch). FSK_ENOMEM.
 */
int fsk_analyze_scan(const char *name, const fsk_linear_image *img,
                     const fsk_grid *const *grids, size_t grid_count, fsk_scan_result *out,
                     fsk_err *err);

/* Frees what r owns and zeroes it; NULL is a no-op. */
void fsk_scan_result_free(fsk_scan_result *r);

typedef struct fsk_analysis {
    fsk_calibration *cal;  /* owned; free with fsk_analysis_free */
    size_t measured;       /* sequences measured on the scans */
    size_t filled;         /* sequences given a model value */
    size_t flagged;        /* measured sequences flagged as not uniform */
    double fit_mean_de00;  /* fitted model against the measured patches */
    bool kfold_done;
    double kfold_mean_de00, kfold_p95_de00, kfold_max_de00; /* 5-fold */
    int warning_count;
    char warnings[FSK_ANALYZE_MAX_WARNINGS][FSK_ANALYZE_MSG_MAX];
} fsk_analysis;

/*
 * Combines scan results into a calibration. Every grid must have the same
 * filaments and construction (FSK_EINVAL otherwise). device (may be NULL)
 * is recorded as the scanner. On success free *out with
 * fsk_analysis_free. FSK_ENOMEM, FSK_ELIMIT.
 */
int fsk_analyze_combine(const fsk_grid *const *grids, size_t grid_count,
                        const fsk_scan_result *scans, size_t scan_count, const char *device,
                        fsk_analysis *out, fsk_err *err);

void fsk_analysis_free(fsk_analysis *a);

#endif
