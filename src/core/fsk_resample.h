/*
 * fsk_resample.h — the artwork on the print pixel grid.
 *
 * An image is decoded (fsk_image.h) straight into a resampler that builds
 * the print grid: one float RGBA pixel per print pixel, color in linear
 * light. Shrinking averages areas exactly (a separable box filter with
 * fractional overlap weights, in linear light, color weighted by alpha so
 * transparent pixels do not darken edges); along an axis where the image
 * has fewer pixels than the grid, pixels are replicated (nearest
 * neighbour), so pixel art stays crisp. The EXIF orientation is applied
 * while accumulating: row 0 of the grid is the top of the artwork as
 * displayed.
 *
 * Grid size: the requested width (or height) in millimetres over the pixel
 * size, rounded to the nearest integer (halves up), at least 1. The other
 * side is the artwork's displayed aspect applied to that length in
 * millimetres, rounded the same way, so each side of the print is within
 * half a pixel of the artwork's proportions.
 */
#ifndef FSK_RESAMPLE_H
#define FSK_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"
#include "fsk_image.h"
#include "fsk_row_relay.h"

/* Defaults of the limits of fsk_grid_request. */
#define FSK_DEFAULT_MAX_GRID_PIXELS 25000000ull /* 400 MB of float RGBA */
#define FSK_DEFAULT_MAX_FILE_BYTES ((size_t)1 << 30)

typedef struct fsk_print_image {
    int width, height; /* grid pixels, displayed orientation */
    /* width*height pixels, row 0 at the top: R, G, B in linear light,
     * straight (not premultiplied), 0..1, then alpha 0..1. Pixels with
     * alpha 0 are 0, 0, 0, 0. Owned; free with fsk_print_image_free. */
    float *rgba;
    /* Instead of rgba, when the grid was asked for as keys: the same
     * pixels as fsk_pixel_key (fsk_color_set.h) makes them from rgba, a
     * quarter of the memory. */
    uint32_t *keys;
} fsk_print_image;

/* What a grid holds per pixel. */
typedef enum fsk_grid_form {
    FSK_GRID_RGBA, /* fsk_print_image.rgba */
    FSK_GRID_KEYS  /* fsk_print_image.keys */
} fsk_grid_form;

typedef struct fsk_grid_request {
    double width_mm;  /* width of the print, > 0; or 0 to use height_mm */
    double height_mm; /* height of the print, > 0 when width_mm is 0, else 0 */
    double pixel_mm;  /* side of one print pixel, > 0 */
    uint64_t max_pixels;      /* decoded image limit; 0 = FSK_DEFAULT_MAX_PIXELS */
    uint64_t max_grid_pixels; /* grid limit; 0 = FSK_DEFAULT_MAX_GRID_PIXELS */
    size_t max_file_bytes;    /* file size limit; 0 = FSK_DEFAULT_MAX_FILE_BYTES */
    fsk_grid_form form;       /* the grid's pixels: float RGBA (0) or keys */
} fsk_grid_request;

/*
 * The grid size for an artwork of display_w x display_h pixels (displayed
 * orientation), following the rounding described above. Fails with
 * FSK_EINVAL when the request is not exactly one positive length and a
 * positive pixel size, FSK_ELIMIT when the grid exceeds max_grid_pixels.
 * Messages start with "print grid" or "print size".
 */
int fsk_grid_size(const fsk_grid_request *req, int display_w, int display_h,
                  int *grid_w, int *grid_h, fsk_err *err);

/*
 * Reads the image file at path (PNG or JPEG, at most max_file_bytes),
 * decodes it and resamples it to the print grid of req. On success *out
 * holds the grid (caller frees with fsk_print_image_free) and *info, when
 * not NULL, what the decoder reported (delivered size, orientation, dpi).
 * Errors read "cannot read 'PATH': what is wrong"; *out is then empty.
 */
int fsk_print_image_load(const char *path, const fsk_grid_request *req,
                         fsk_print_image *out, fsk_image_info *info, fsk_err *err);

/*
 * Told how many leading rows of the grid are final while the image is
 * decoded: grid is the grid being made (its pixels rgba or keys, as the
 * request asked), rows_final grows from call to call, and the last call, made once the grid is complete (and
 * only when the load succeeds), has the grid's height. Rows finish early
 * only when the image's rows are the grid's (no EXIF turn or flip);
 * otherwise the one call comes at the end.
 *
 * Without a relay the calls come on the decoding thread, which also
 * resamples. With one (fsk_row_relay.h), the decoded rows are pushed into
 * it and resampled by whichever thread works them, the watch's own helper
 * thread or the decoding thread, and the calls come on that thread; the
 * loader ends the relay before it returns.
 */
typedef struct fsk_grid_watch {
    void (*rows)(void *ctx, const fsk_print_image *grid, int rows_final);
    void *ctx;
    fsk_row_relay *relay; /* may be NULL */
} fsk_grid_watch;

/* fsk_print_image_load, telling watch (may be NULL) of finished rows. */
int fsk_print_image_load_watched(const char *path, const fsk_grid_request *req,
                                 fsk_print_image *out, fsk_image_info *info,
                                 const fsk_grid_watch *watch, fsk_err *err);

/*
 * The same from a file already in memory; name is used in messages only.
 * Used by fsk_print_image_load and by the fuzz harness.
 */
int fsk_print_image_decode(const char *name, const unsigned char *data, size_t size,
                           const fsk_grid_request *req, fsk_print_image *out,
                           fsk_image_info *info, fsk_err *err);

/* Frees img's pixels (either form) and zeroes it; NULL is a no-op. */
void fsk_print_image_free(fsk_print_image *img);

/*
 * Converts img (float RGBA) to 8-bit sRGB RGBA (width*height*4 bytes into rgba, row 0 at
 * the top): sRGB-encoded color and alpha*255, each rounded to nearest; a
 * pixel whose alpha rounds to 0 becomes 0, 0, 0, 0.
 */
void fsk_print_image_to_srgb8(const fsk_print_image *img, unsigned char *rgba);

/*
 * The resampler itself, for callers that feed rows of their own (and for
 * tests). It takes src_w x src_h pixels of RGBA with bits 8 or 16 per
 * sample in stored orientation, top row first, and builds a grid of
 * grid_w x grid_h pixels in displayed orientation (orientation 1..8 as in
 * EXIF: for 5..8 the stored image is grid_h pixels wide in grid terms).
 */
typedef struct fsk_resampler fsk_resampler;

/* A grid of the given form; caller frees with fsk_resampler_free. Fails
 * on bad sizes or memory. */
fsk_resampler *fsk_resampler_create(int src_w, int src_h, int bits, int orientation,
                                    int grid_w, int grid_h, fsk_grid_form form,
                                    fsk_err *err);

/*
 * Adds count rows starting at row y (rows must come in order, each row
 * src_w*4 samples, stride bytes apart; 16-bit samples are native uint16_t).
 */
int fsk_resampler_rows(fsk_resampler *r, int y, int count, const void *rgba,
                       size_t stride, fsk_err *err);

/*
 * How many leading rows of the grid (displayed orientation) are finished
 * so far, and in *grid the grid (its pixels borrowed, valid until finish
 * moves them out). Rows only finish early when the stored orientation is
 * the displayed one; otherwise 0 until finish.
 */
int fsk_resampler_rows_final(const fsk_resampler *r, fsk_print_image *grid);

/*
 * After the last row: moves the finished grid into *out (caller frees with
 * fsk_print_image_free). Fails with FSK_EFORMAT when rows are missing.
 */
int fsk_resampler_finish(fsk_resampler *r, fsk_print_image *out, fsk_err *err);

void fsk_resampler_free(fsk_resampler *r);

#endif
