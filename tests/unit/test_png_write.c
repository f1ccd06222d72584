/*
 * test_png_write.c — the PNG writer: an RGBA image of few colors written
 * with a palette (and a tRNS chunk for its transparent ones), one of more
 * than 256 colors, or without the palette option, as RGBA; each read back
 * by the decoder to the same pixels.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsk_file.h"
#include "fsk_image.h"
#include "tkit.h"

#define W 37
#define H 23

typedef struct readback {
    int width, height;
    unsigned char px[W * H * 4];
} readback;

static int rb_begin(void *ctx, const fsk_image_info *info, fsk_err *err)
{
    (void)err;
    readback *r = ctx;
    r->width = info->width;
    r->height = info->height;
    return info->width == W && info->height == H && info->bits == 8 ? 0 : FSK_EFORMAT;
}

static int rb_rows(void *ctx, int y, int count, const void *rgba, size_t stride, fsk_err *err)
{
    (void)err;
    readback *r = ctx;
    for (int k = 0; k < count; k++)
        memcpy(r->px + (size_t)(y + k) * W * 4, (const unsigned char *)rgba + stride * (size_t)k,
               W * 4);
    return 0;
}

/* Writes px with the palette option set or not; returns the PNG color type
 * of the file (its IHDR byte 25), or -1, and checks the pixels read back. */
static int write_and_check(const unsigned char *px, bool palette)
{
    char path[] = "/tmp/fsk_png_writeXXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    fsk_png_spec spec = {.width = W, .height = H, .channels = 4, .bits = 8, .fast = true,
                         .palette = palette};
    fsk_err err = {0};
    int type = -1;
    unsigned char *data = NULL;
    size_t size = 0;
    if (fsk_png_write(path, &spec, px, W * 4, &err) == 0 &&
        fsk_file_read(path, 1 << 20, &data, &size, &err) == 0 && size > 26) {
        type = data[25];
        readback r = {0};
        fsk_row_sink sink = {.ctx = &r, .begin = rb_begin, .rows = rb_rows};
        TKIT_EQ_INT(fsk_image_decode(path, data, size, NULL, &sink, &err), 0);
        TKIT_TRUE(memcmp(r.px, px, sizeof r.px) == 0);
    }
    free(data);
    unlink(path);
    return type;
}

static void test_palette_when_few_colors(void)
{
    static unsigned char px[W * H * 4];
    /* Three colors and a transparent one, in runs and scattered. */
    static const unsigned char colors[4][4] = {
        {200, 30, 40, 255}, {0, 0, 0, 0}, {10, 220, 90, 255}, {250, 250, 250, 255}};
    for (int i = 0; i < W * H; i++)
        memcpy(px + 4 * i, colors[(i / 5 + i % 7) % 4], 4);
    TKIT_EQ_INT(write_and_check(px, true), 3);  /* palette */
    TKIT_EQ_INT(write_and_check(px, false), 6); /* RGBA */
}

static void test_rgba_when_many_colors(void)
{
    static unsigned char px[W * H * 4];
    for (int i = 0; i < W * H; i++) {
        px[4 * i] = (unsigned char)i;
        px[4 * i + 1] = (unsigned char)(i >> 8);
        px[4 * i + 2] = 7;
        px[4 * i + 3] = 255;
    }
    TKIT_EQ_INT(write_and_check(px, true), 6); /* 851 colors */
    /* Exactly 256 colors still fit. */
    for (int i = 0; i < W * H; i++)
        px[4 * i + 1] = 0;
    TKIT_EQ_INT(write_and_check(px, true), 3);
}

int main(void)
{
    TKIT_RUN(test_palette_when_few_colors);
    TKIT_RUN(test_rgba_when_many_colors);
    return TKIT_DONE();
}
