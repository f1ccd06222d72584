/*
 * fsk_image_formats.h — the per-format decoders behind fsk_image_decode
 * (one adapter per library) and what they share. Internal to src/io.
 */
#ifndef FSK_IMAGE_FORMATS_H
#define FSK_IMAGE_FORMATS_H

#include "fsk_image.h"

/*
 * Decode a PNG (libpng) or JPEG (libjpeg) held in memory into sink, with the
 * contract of fsk_image_decode; max_pixels is already resolved (never 0).
 */
int fsk_png_decode(const char *name, const unsigned char *data, size_t size,
                   uint64_t max_pixels, const fsk_row_sink *sink, fsk_err *err);
int fsk_jpeg_decode(const char *name, const unsigned char *data, size_t size,
                    uint64_t max_pixels, const fsk_row_sink *sink, fsk_err *err);

/*
 * Refuses (FSK_ELIMIT) an image of width x height pixels when it is empty
 * or has more than max_pixels pixels; returns 0 when it is acceptable.
 */
int fsk_image_check_size(const char *name, const char *format, uint64_t width,
                         uint64_t height, uint64_t max_pixels, fsk_err *err);

/*
 * Rewrites a library's message in place to filastack's style (first
 * letter lowercase unless it starts an acronym, no final period); returns
 * msg.
 */
char *fsk_image_tidy_message(char *msg);

#endif
