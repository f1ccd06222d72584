/*
 * fsk_png_write.c — PNG output through libpng, written to a temporary file
 * and renamed into place. libpng's longjmp error handling stays in here.
 */
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_image.h"

typedef struct png_write_state {
    jmp_buf jump;
    char message[200];
} png_write_state;

static void on_error(png_structp png, png_const_charp msg)
{
    png_write_state *st = png_get_error_ptr(png);
    snprintf(st->message, sizeof st->message, "%s", msg);
    longjmp(st->jump, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static int color_type_of(int channels)
{
    switch (channels) {
    case 1: return PNG_COLOR_TYPE_GRAY;
    case 2: return PNG_COLOR_TYPE_GRAY_ALPHA;
    case 3: return PNG_COLOR_TYPE_RGB;
    case 4: return PNG_COLOR_TYPE_RGB_ALPHA;
    default: return -1;
    }
}

/* Everything that may longjmp, kept apart so no local is clobbered. */
static int write_png(png_structp png, png_infop info, png_write_state *st,
                     FILE *stream, const fsk_png_spec *spec, const void *pixels,
                     size_t stride)
{
    if (setjmp(st->jump))
        return -1;
    png_init_io(png, stream);
    png_set_IHDR(png, info, (png_uint_32)spec->width, (png_uint_32)spec->height,
                 spec->bits, color_type_of(spec->channels), PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    if (spec->fast) {
        png_set_compression_level(png, 1);
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    }
    if (spec->dpi > 0) {
        png_uint_32 ppm = (png_uint_32)(spec->dpi / 0.0254 + 0.5);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    const uint16_t probe = 1;
    if (spec->bits == 16 && *(const uint8_t *)&probe == 1)
        png_set_swap(png); /* PNG stores 16-bit samples big-endian */
    const unsigned char *row = pixels;
    for (int y = 0; y < spec->height; y++, row += stride)
        png_write_row(png, row);
    png_write_end(png, info);
    return 0;
}

int fsk_png_write(const char *path, const fsk_png_spec *spec,
                  const void *pixels, size_t stride, fsk_err *err)
{
    if (spec->width <= 0 || spec->height <= 0 || color_type_of(spec->channels) < 0 ||
        (spec->bits != 8 && spec->bits != 16))
        return fsk_err_set(err, FSK_EINVAL, "cannot write '%s': bad image format", path);
    fsk_out *out = fsk_out_open(path, err);
    if (!out)
        return err ? err->code : FSK_EIO;
    png_write_state st = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &st, on_error,
                                              on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        fsk_out_abort(out);
        return fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", path);
    }
    int rc = write_png(png, info, &st, fsk_out_stream(out), spec, pixels, stride);
    png_destroy_write_struct(&png, &info);
    if (rc) {
        fsk_out_abort(out);
        return fsk_err_set(err, FSK_EIO, "cannot write '%s': %s", path, st.message);
    }
    return fsk_out_commit(out, err);
}
