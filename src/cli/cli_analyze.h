/*
 * cli_analyze.h — reading scans of calibration grids into a calibration
 * file, with its messages: shared by `filastack calibrate analyze` and
 * `filastack calibrate scan`.
 */
#ifndef FSK_CLI_ANALYZE_H
#define FSK_CLI_ANALYZE_H

#include <stddef.h>

#include "cli.h"

/* Largest scan read: float RGB of 40 megapixels is 480 MB (A4 at 600 dpi
 * is 35 megapixels). */
#define CLI_ANALYZE_MAX_PIXELS 40000000ull

typedef struct cli_analyze_args {
    const char **grids;   /* grid.json paths, grid_count of them */
    size_t grid_count;
    const char *output;   /* the calibration to write */
    const char *overlay;  /* the first scan's overlay PNG, or NULL; scan k >= 2
                             gets STEM-k.EXT */
} cli_analyze_args;

/*
 * Reads the grids and the scans (paths, count of them), reports each
 * reading, and writes the calibration (and overlays) only when every scan
 * was read; device (may be NULL) is recorded as the scanner. Returns an
 * exit status after printing any error.
 */
int cli_analyze_scans(cli_ctx *ctx, const cli_analyze_args *a, const char *const *scans,
                      size_t count, const char *device);

#endif
