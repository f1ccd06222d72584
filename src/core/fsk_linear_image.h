/*
 * fsk_linear_image.h — an image file decoded at full size into float linear
 * RGB, for measuring it (the scan analyzer) rather than printing it: no
 * resampling, every stored pixel kept, the EXIF orientation applied.
 */
#ifndef FSK_LINEAR_IMAGE_H
#define FSK_LINEAR_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"

typedef struct fsk_linear_image {
    int width, height;   /* pixels, displayed orientation */
    /* width*height pixels, row 0 at the top, 3 floats each: R, G, B in
     * linear light 0..1 (alpha is ignored). Owned; free with
     * fsk_linear_image_free. */
    float *rgb;
    double dpi_x, dpi_y; /* displayed orientation; 0 when the file has none */
} fsk_linear_image;

/*
 * Decodes a PNG or JPEG held in memory (size bytes; name for messages) at
 * full size into *out, displayed orientation. Images of more than
 * max_pixels pixels (0: FSK_DEFAULT_MAX_PIXELS) are refused before
 * anything large is allocated. Errors read "cannot read 'NAME': what is
 * wrong" (FSK_EFORMAT, FSK_ELIMIT, FSK_EUNSUPPORTED, FSK_ENOMEM); *out is
 * then empty. On success the caller frees *out with fsk_linear_image_free.
 */
int fsk_linear_image_decode(const char *name, const unsigned char *data, size_t size,
                            uint64_t max_pixels, fsk_linear_image *out, fsk_err *err);

/* The same for the file at path, read whole (at most max_file_bytes, 0: 1 GiB). */
int fsk_linear_image_load(const char *path, uint64_t max_pixels, size_t max_file_bytes,
                          fsk_linear_image *out, fsk_err *err);

/* Frees img's pixels and zeroes it; NULL is a no-op. */
void fsk_linear_image_free(fsk_linear_image *img);

#endif
