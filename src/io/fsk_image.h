/*
 * fsk_image.h — decoding images from memory as a stream of rows.
 *
 * The decoder recognises the format by content (PNG or JPEG, never by file
 * name), reads the header, asks the sink how large it needs the image
 * (JPEG can then decode at a reduced scale), and delivers the pixels row by
 * row as interleaved RGBA, 8 or 16 bits per sample, in the file's stored
 * orientation. The sink applies the EXIF orientation the info reports.
 * Nothing larger than a few rows is held unless the format forces it
 * (interlaced PNG).
 */
#ifndef FSK_IMAGE_H
#define FSK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"

typedef struct fsk_image_info {
    const char *format;  /* "PNG" or "JPEG" */
    int width, height;   /* of the rows delivered, stored orientation */
    int full_width, full_height; /* of the image in the file */
    int orientation;     /* EXIF orientation 1..8 to apply; 1 when none */
    int bits;            /* 8 or 16: sample size of the delivered rows */
    double dpi_x, dpi_y; /* from pHYs or JFIF/EXIF; 0 when unknown */
} fsk_image_info;

typedef struct fsk_row_sink {
    void *ctx;
    /*
     * Called once after the header, with width/height equal to the full
     * size. The sink may lower *min_width and *min_height (initially the
     * full size, stored orientation) to the smallest size it can use; a JPEG
     * is then decoded at the smallest libjpeg scale that still covers them.
     */
    int (*plan)(void *ctx, const fsk_image_info *info, int *min_width,
                int *min_height, fsk_err *err);
    /* Called once before the first row, with the delivered size. */
    int (*begin)(void *ctx, const fsk_image_info *info, fsk_err *err);
    /*
     * count rows starting at row y (top to bottom, stored orientation),
     * each width*4 samples of info->bits bits (uint8_t or native uint16_t),
     * stride bytes apart. Borrowed for the call only.
     */
    int (*rows)(void *ctx, int y, int count, const void *rgba, size_t stride,
                fsk_err *err);
} fsk_row_sink;

typedef struct fsk_decode_opts {
    uint64_t max_pixels;  /* refuse larger images before allocating; 0 = default 100 megapixels */
} fsk_decode_opts;

#define FSK_DEFAULT_MAX_PIXELS 100000000ull

/*
 * Decodes data (size bytes) into sink. name is the file name for messages:
 * "'NAME': not a PNG or JPEG file", "'NAME': truncated JPEG data", ...
 * (callers add what failed: "cannot read 'NAME': ..."). Errors:
 * FSK_EFORMAT for data that is not PNG or JPEG, corrupt or truncated (a
 * JPEG's "premature end" and other damage warnings count as errors);
 * FSK_ELIMIT when the declared size exceeds max_pixels, reported before
 * any callback and before anything large is allocated; FSK_EUNSUPPORTED;
 * FSK_ENOMEM. A sink callback's non-zero return stops decoding and is
 * returned, with the sink's message. PNG rows keep 16-bit samples; JPEG
 * rows are 8-bit. sink->plan and sink->begin may be NULL.
 */
int fsk_image_decode(const char *name, const unsigned char *data, size_t size,
                     const fsk_decode_opts *opts, const fsk_row_sink *sink,
                     fsk_err *err);

/* An image to write as PNG. */
typedef struct fsk_png_spec {
    int width, height;
    int channels;   /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    int bits;       /* 8, or 16 with native-endian uint16_t samples */
    double dpi;     /* pHYs resolution; 0 writes no pHYs */
    bool fast;      /* fastest compression (zlib level 1, the Up filter):
                       for large flat images written on the critical path */
    bool palette;   /* 8-bit RGBA with at most 256 distinct colors is
                       written as a palette image (same pixels, a quarter
                       of the data to compress) */
} fsk_png_spec;

/*
 * Writes pixels (row 0 at the top, rows stride bytes apart) as a PNG at
 * path, atomically: nothing is left at path on failure. The output is
 * deterministic (no time stamp).
 */
int fsk_png_write(const char *path, const fsk_png_spec *spec,
                  const void *pixels, size_t stride, fsk_err *err);

#endif
