/*
 * fsk_image_decode.c — recognises PNG and JPEG by their first bytes and
 * hands the data to the matching decoder.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "fsk_image_formats.h"

int fsk_image_check_size(const char *name, const char *format, uint64_t width,
                         uint64_t height, uint64_t max_pixels, fsk_err *err)
{
    if (width == 0 || height == 0)
        return fsk_err_set(err, FSK_EFORMAT, "'%s': %s image has no pixels", name, format);
    /* Both factors fit in 32 bits, so the product cannot overflow. */
    if (width * height > max_pixels)
        return fsk_err_set(err, FSK_ELIMIT,
                           "'%s': image of %" PRIu64 "x%" PRIu64
                           " pixels exceeds the limit of %" PRIu64 " pixels",
                           name, width, height, max_pixels);
    return 0;
}

char *fsk_image_tidy_message(char *msg)
{
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '.' || msg[n - 1] == ' ' || msg[n - 1] == '\n'))
        msg[--n] = 0;
    if (isupper((unsigned char)msg[0]) && !isupper((unsigned char)msg[1]))
        msg[0] = (char)tolower((unsigned char)msg[0]);
    return msg;
}

int fsk_image_decode(const char *name, const unsigned char *data, size_t size,
                     const fsk_decode_opts *opts, const fsk_row_sink *sink,
                     fsk_err *err)
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint64_t max_pixels = opts && opts->max_pixels ? opts->max_pixels
                                                   : FSK_DEFAULT_MAX_PIXELS;
    if (size >= 8 && memcmp(data, png_sig, 8) == 0)
        return fsk_png_decode(name, data, size, max_pixels, sink, err);
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return fsk_jpeg_decode(name, data, size, max_pixels, sink, err);
    if (size == 0)
        return fsk_err_set(err, FSK_EFORMAT, "'%s': empty file", name);
    return fsk_err_set(err, FSK_EFORMAT, "'%s': not a PNG or JPEG file", name);
}
