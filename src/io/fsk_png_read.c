/*
 * fsk_png_read.c — PNG input through libpng, read from memory. Every PNG
 * color type and bit depth is turned into RGBA rows of 8 or 16 bits (16-bit
 * samples are kept, in native byte order; tRNS becomes alpha). A
 * non-interlaced image is delivered a few rows at a time; an Adam7
 * interlaced one needs the whole image, allocated after the size check.
 * libpng's longjmp error handling stays in this file.
 */
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_image_formats.h"

enum { BATCH_ROWS = 16 };

typedef struct png_state {
    jmp_buf jump;
    const unsigned char *data;
    size_t size, pos;
    int truncated;
    int failed;              /* libpng reported an error */
    char message[200];
    unsigned char *pixels;   /* rows being delivered; freed by the caller */
    png_bytep *row_pointers; /* interlaced images only */
} png_state;

static void on_error(png_structp png, png_const_charp msg)
{
    png_state *st = png_get_error_ptr(png);
    snprintf(st->message, sizeof st->message, "%s", msg);
    st->failed = 1;
    longjmp(st->jump, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void read_memory(png_structp png, png_bytep out, size_t length)
{
    png_state *st = png_get_io_ptr(png);
    if (st->size - st->pos < length) {
        st->truncated = 1;
        png_error(png, "truncated PNG data");
    }
    memcpy(out, st->data + st->pos, length);
    st->pos += length;
}

static int host_is_little_endian(void)
{
    const uint16_t probe = 1;
    return *(const uint8_t *)&probe == 1;
}

/* Sets up the transformations to RGBA of 8 or 16 bits; returns the number
 * of interlace passes. */
static int set_transforms(png_structp png, png_infop info)
{
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (color == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (has_trns)
        png_set_tRNS_to_alpha(png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    if (!(color & PNG_COLOR_MASK_ALPHA) && !has_trns)
        png_set_add_alpha(png, depth == 16 ? 0xFFFF : 0xFF, PNG_FILLER_AFTER);
    if (depth == 16 && host_is_little_endian())
        png_set_swap(png);
    return png_set_interlace_handling(png);
}

/* Everything that may longjmp, kept apart so no local of the caller is
 * clobbered; memory lives in st so the caller frees it either way. */
static int read_png(png_structp png, png_infop info, png_state *st, const char *name,
                    uint64_t max_pixels, const fsk_row_sink *sink, fsk_err *err)
{
    if (setjmp(st->jump))
        return FSK_EFORMAT;
    png_set_read_fn(png, st, read_memory);
    /* Our own pixel limit speaks first; libpng's default 1e6 side limit
     * would otherwise reject some images with a less helpful message. */
    png_set_user_limits(png, 0x7FFFFFFF, 0x7FFFFFFF);
    png_set_chunk_malloc_max(png, 16u << 20);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int rc = fsk_image_check_size(name, "PNG", w, h, max_pixels, err);
    if (rc)
        return rc;
    int depth = png_get_bit_depth(png, info);
    int passes = set_transforms(png, info);
    png_read_update_info(png, info);
    size_t stride = (size_t)w * 4 * (depth == 16 ? 2 : 1);
    if (png_get_rowbytes(png, info) != stride)
        png_error(png, "unexpected row size after transformation");

    fsk_image_info ii = {.format = "PNG", .width = (int)w, .height = (int)h,
                         .full_width = (int)w, .full_height = (int)h,
                         .orientation = 1, .bits = depth == 16 ? 16 : 8};
    png_uint_32 ppu_x, ppu_y;
    int unit;
    if (png_get_pHYs(png, info, &ppu_x, &ppu_y, &unit) && unit == PNG_RESOLUTION_METER) {
        ii.dpi_x = ppu_x * 0.0254;
        ii.dpi_y = ppu_y * 0.0254;
    }
    int min_w = ii.width, min_h = ii.height;
    if (sink->plan && (rc = sink->plan(sink->ctx, &ii, &min_w, &min_h, err)) != 0)
        return rc;
    if (sink->begin && (rc = sink->begin(sink->ctx, &ii, err)) != 0)
        return rc;

    if (passes > 1) {
        st->pixels = malloc(stride * h);
        st->row_pointers = malloc(sizeof *st->row_pointers * h);
        if (!st->pixels || !st->row_pointers)
            return fsk_err_set(err, FSK_ENOMEM, "'%s': out of memory", name);
        for (png_uint_32 y = 0; y < h; y++)
            st->row_pointers[y] = st->pixels + stride * y;
        png_read_image(png, st->row_pointers);
        for (png_uint_32 y = 0; y < h; y += BATCH_ROWS) {
            int n = (int)(h - y < BATCH_ROWS ? h - y : BATCH_ROWS);
            if ((rc = sink->rows(sink->ctx, (int)y, n, st->row_pointers[y], stride, err)))
                return rc;
        }
        return 0;
    }
    size_t batch = h < BATCH_ROWS ? h : BATCH_ROWS;
    st->pixels = malloc(stride * batch);
    if (!st->pixels)
        return fsk_err_set(err, FSK_ENOMEM, "'%s': out of memory", name);
    for (png_uint_32 y = 0; y < h; y += (png_uint_32)batch) {
        int n = (int)(h - y < batch ? h - y : batch);
        for (int k = 0; k < n; k++)
            png_read_row(png, st->pixels + stride * (size_t)k, NULL);
        if ((rc = sink->rows(sink->ctx, (int)y, n, st->pixels, stride, err)))
            return rc;
    }
    return 0;
}

int fsk_png_decode(const char *name, const unsigned char *data, size_t size,
                   uint64_t max_pixels, const fsk_row_sink *sink, fsk_err *err)
{
    png_state st = {.data = data, .size = size};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &st, on_error,
                                             on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, NULL);
        return fsk_err_set(err, FSK_ENOMEM, "'%s': out of memory", name);
    }
    int rc = read_png(png, info, &st, name, max_pixels, sink, err);
    png_destroy_read_struct(&png, &info, NULL);
    free(st.pixels);
    free(st.row_pointers);
    if (st.failed) {
        if (st.truncated)
            return fsk_err_set(err, FSK_EFORMAT, "'%s': truncated PNG data", name);
        return fsk_err_set(err, FSK_EFORMAT, "'%s': corrupt PNG data: %s", name,
                           fsk_image_tidy_message(st.message));
    }
    return rc;
}
