/*
 * fsk_png_write.c — PNG output through libpng, written to a temporary file
 * and renamed into place. libpng's longjmp error handling stays in here.
 */
#include <png.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
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

/* An 8-bit RGBA image as palette indices: its colors in order of first
 * appearance, with their alphas. */
typedef struct palette {
    int count;
    bool translucent; /* some alpha below 255: a tRNS chunk is needed */
    png_color color[256];
    png_byte alpha[256];
    unsigned char *index; /* width x height, row by row */
} palette;

/* Fills pal from the pixels; false when they have more than 256 colors
 * (pal->index, allocated here, is then freed). */
static bool make_palette(const fsk_png_spec *spec, const unsigned char *pixels, size_t stride,
                         palette *pal)
{
    enum { SLOTS = 1024 }; /* open addressing, at most a quarter full */
    uint32_t key[SLOTS];
    int16_t at[SLOTS]; /* index + 1; 0 when free */
    memset(at, 0, sizeof at);
    pal->count = 0;
    pal->translucent = false;
    pal->index = malloc((size_t)spec->width * (size_t)spec->height);
    if (!pal->index)
        return false;
    uint32_t last = 0;
    int last_index = -1;
    for (int y = 0; y < spec->height; y++) {
        const unsigned char *row = pixels + (size_t)y * stride;
        unsigned char *out = pal->index + (size_t)y * (size_t)spec->width;
        for (int x = 0; x < spec->width; x++) {
            uint32_t v;
            memcpy(&v, row + 4 * x, 4);
            if (v != last || last_index < 0) {
                size_t h = (v * 2654435761u) >> 22;
                while (at[h] && key[h] != v)
                    h = (h + 1) & (SLOTS - 1);
                if (!at[h]) {
                    if (pal->count == 256) {
                        free(pal->index);
                        pal->index = NULL;
                        return false;
                    }
                    const unsigned char *px = row + 4 * x;
                    pal->color[pal->count] = (png_color){px[0], px[1], px[2]};
                    pal->alpha[pal->count] = px[3];
                    pal->translucent |= px[3] != 255;
                    key[h] = v;
                    at[h] = (int16_t)++pal->count;
                }
                last = v;
                last_index = at[h] - 1;
            }
            out[x] = (unsigned char)last_index;
        }
    }
    return true;
}

/* Everything that may longjmp, kept apart so no local is clobbered; pixels
 * are palette indices when pal is not NULL. */
static int write_png(png_structp png, png_infop info, png_write_state *st,
                     FILE *stream, const fsk_png_spec *spec, const void *pixels,
                     size_t stride, const palette *pal)
{
    if (setjmp(st->jump))
        return -1;
    png_init_io(png, stream);
    png_set_IHDR(png, info, (png_uint_32)spec->width, (png_uint_32)spec->height,
                 spec->bits, pal ? PNG_COLOR_TYPE_PALETTE : color_type_of(spec->channels),
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (pal) {
        png_set_PLTE(png, info, pal->color, pal->count);
        if (pal->translucent)
            png_set_tRNS(png, info, pal->alpha, pal->count, NULL);
    }
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
    palette pal = {0};
    bool indexed = spec->palette && spec->channels == 4 && spec->bits == 8 &&
                   make_palette(spec, pixels, stride, &pal);
    /* With a palette, the rows written are the indices. */
    int rc = indexed ? write_png(png, info, &st, fsk_out_stream(out), spec, pal.index,
                                 (size_t)spec->width, &pal)
                     : write_png(png, info, &st, fsk_out_stream(out), spec, pixels, stride, NULL);
    free(pal.index);
    png_destroy_write_struct(&png, &info);
    if (rc) {
        fsk_out_abort(out);
        return fsk_err_set(err, FSK_EIO, "cannot write '%s': %s", path, st.message);
    }
    return fsk_out_commit(out, err);
}
