/*
 * fsk_convert.h — the conversion of one artwork into a multi-filament
 * print: decode and resample to the print grid, match every pixel to a
 * calibrated color, clean up small features, expand to layers, mesh each
 * part, and write <stem>_<part>.stl per part, <stem>.3mf,
 * <stem>_preview.png and <stem>_report.json into the output folder.
 *
 * All outputs are written into a temporary folder inside the output folder
 * and renamed into place only when every one of them succeeded, so a
 * failed conversion leaves nothing behind.
 *
 * Matching, the preview, the meshes and the writes run on up to
 * fsk_parallel_threads() threads (the preview beside the meshes, the 3MF
 * beside the STLs and the preview PNG); every output is the same whatever
 * the number of threads. Stage times are then wall-clock spans that may
 * overlap, and total_ms is the wall time of the whole conversion.
 */
#ifndef FSK_CONVERT_H
#define FSK_CONVERT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_cleanup.h"
#include "fsk_error.h"
#include "fsk_image.h"
#include "fsk_layer_stats.h"
#include "fsk_match.h"
#include "fsk_preview.h"
#include "fsk_print_files.h"
#include "fsk_profile.h"
#include "fsk_resample.h"
#include "fsk_simplify.h"
#include "fsk_stack_choice.h"
#include "fsk_voxels.h"

typedef enum fsk_stage {
    FSK_STAGE_DECODE_RESAMPLE, /* decoding streams into the resampler */
    FSK_STAGE_PALETTE,         /* --max-colors */
    FSK_STAGE_MATCH,           /* color matching, with dithering if asked */
    FSK_STAGE_SIMPLIFY,        /* boundaries simplified within a tolerance */
    FSK_STAGE_CLEANUP,         /* minimum feature */
    FSK_STAGE_STACKS,          /* stacks of the same color: the simplest */
    FSK_STAGE_PREVIEW,         /* preview image and color error */
    FSK_STAGE_EXPAND,          /* label map to voxels, layer statistics */
    FSK_STAGE_MESH,
    FSK_STAGE_WRITE_STL,
    FSK_STAGE_WRITE_3MF,
    FSK_STAGE_WRITE_PREVIEW,
    FSK_STAGE_COUNT
} fsk_stage;

/* "decode_resample", "palette", ...: the names used in the report. */
const char *fsk_stage_name(fsk_stage stage);

typedef struct fsk_convert_options {
    fsk_grid_request grid;       /* print size, pixel size and input limits */
    fsk_metric metric;
    bool dither;                 /* Floyd-Steinberg error diffusion */
    int max_colors;              /* at most this many entries; 0: no limit */
    double min_feature_mm;       /* smallest region side; 0: no cleanup */
    double simplify_de;          /* ΔE00 tolerance of fsk_simplify; 0: off
                                    (not used with dithering) */
    bool transparent_backing;    /* alpha < 50 %: print the backing, not nothing */
    fsk_threemf_kind threemf;
    const fsk_printer *printer;  /* 3MF metadata; may be NULL */
    const char *calibration_name; /* for the report; may be NULL */
    const char *out_dir;         /* existing folder */
    const char *stem;            /* output file name stem */
    /* Called between stages (stage about to start); may be NULL. */
    void (*progress)(void *ctx, fsk_stage stage);
    void *progress_ctx;
} fsk_convert_options;

/* The tolerance the simplification runs with: opt->simplify_de, or 0
 * (off) with dithering, whose patterns it would undo. */
static inline double fsk_convert_simplify_de(const fsk_convert_options *opt)
{
    return opt->dither ? 0 : opt->simplify_de;
}

typedef struct fsk_convert_result {
    fsk_image_info image;           /* what the decoder delivered */
    int grid_width, grid_height;
    double pixel_mm;
    int layers;                     /* voxel layers, backing included */
    double layer_height_mm;         /* every layer */
    double height_mm;               /* of the tallest column */
    fsk_color_error color;
    fsk_simplify_stats simplify;
    fsk_cleanup_stats cleanup;
    int cleanup_min_pixels;
    fsk_stack_choice_stats stacks;
    fsk_match_stats match;
    int part_count;
    fsk_convert_part part[FSK_MAX_PARTS + 1]; /* part[0] unused */
    fsk_layer_stats layer_stats;    /* owned; fsk_convert_result_free */
    uint64_t triangles;             /* all parts */
    uint64_t bytes_written;         /* all files */
    double stage_ms[FSK_STAGE_COUNT];
    double total_ms;
    char files[4 + FSK_MAX_PARTS][FSK_FILE_NAME_MAX]; /* written, in out_dir */
    int file_count;
} fsk_convert_result;

/*
 * Converts input with cal as opt says. On success *result describes the
 * conversion (free with fsk_convert_result_free) and the files are in
 * opt->out_dir; on failure nothing is written and err says why, naming the
 * input for problems with the image ("cannot read 'x.png': ...").
 */
int fsk_convert(const char *input, const fsk_calibration *cal,
                const fsk_convert_options *opt, fsk_convert_result *result,
                fsk_err *err);

void fsk_convert_result_free(fsk_convert_result *result);

#endif
