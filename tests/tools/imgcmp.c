/*
 * imgcmp.c — a test helper built on filastack's decoder.
 *
 *   imgcmp A B TOLERANCE   exit 0 when A and B (PNG or JPEG) have the same
 *                          size and no 8-bit sample differs by more than
 *                          TOLERANCE; else print the first difference, exit 1
 *   imgcmp info FILE       print "FORMAT WIDTHxHEIGHT dpi DPI_X DPI_Y"
 *
 * 16-bit images are compared on their high bytes. Exit 2 on bad usage or
 * an unreadable file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_image.h"

typedef struct image {
    fsk_image_info info;
    unsigned char *rgba; /* width*height*4, 8 bits */
} image;

static int on_begin(void *ctx, const fsk_image_info *info, fsk_err *err)
{
    image *im = ctx;
    im->info = *info;
    im->rgba = malloc((size_t)info->width * (size_t)info->height * 4);
    return im->rgba ? 0 : fsk_err_set(err, FSK_ENOMEM, "out of memory");
}

static int on_rows(void *ctx, int y, int count, const void *rgba, size_t stride,
                   fsk_err *err)
{
    (void)err;
    image *im = ctx;
    size_t samples = (size_t)im->info.width * 4;
    for (int k = 0; k < count; k++) {
        const unsigned char *row = (const unsigned char *)rgba + stride * (size_t)k;
        unsigned char *dst = im->rgba + samples * (size_t)(y + k);
        for (size_t i = 0; i < samples; i++)
            dst[i] = im->info.bits == 16 ? (unsigned char)(((const uint16_t *)(const void *)row)[i] >> 8)
                                         : row[i];
    }
    return 0;
}

static int load(const char *path, image *im)
{
    unsigned char *data;
    size_t size;
    fsk_err err = {0};
    memset(im, 0, sizeof *im);
    fsk_row_sink sink = {.ctx = im, .begin = on_begin, .rows = on_rows};
    if (fsk_file_read(path, 1u << 28, &data, &size, &err) == 0) {
        fsk_image_decode(path, data, size, NULL, &sink, &err);
        free(data);
    }
    if (err.code) {
        fprintf(stderr, "imgcmp: %s\n", err.msg);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    image a, b;
    if (argc == 3 && strcmp(argv[1], "info") == 0) {
        if (load(argv[2], &a))
            return 2;
        printf("%s %dx%d dpi %.2f %.2f\n", a.info.format, a.info.width, a.info.height,
               a.info.dpi_x, a.info.dpi_y);
        free(a.rgba);
        return 0;
    }
    if (argc != 4) {
        fputs("usage: imgcmp A B TOLERANCE | imgcmp info FILE\n", stderr);
        return 2;
    }
    int tol = atoi(argv[3]);
    if (load(argv[1], &a))
        return 2;
    if (load(argv[2], &b)) {
        free(a.rgba);
        return 2;
    }
    int status = 0;
    if (a.info.width != b.info.width || a.info.height != b.info.height) {
        printf("%s is %dx%d, %s is %dx%d\n", argv[1], a.info.width, a.info.height, argv[2],
               b.info.width, b.info.height);
        status = 1;
    }
    size_t n = (size_t)a.info.width * (size_t)a.info.height * 4;
    for (size_t i = 0; status == 0 && i < n; i++) {
        int d = abs((int)a.rgba[i] - (int)b.rgba[i]);
        if (d > tol) {
            size_t px = i / 4;
            printf("%s and %s differ at pixel (%zu,%zu) channel %zu: %d vs %d\n", argv[1],
                   argv[2], px % (size_t)a.info.width, px / (size_t)a.info.width, i % 4,
                   a.rgba[i], b.rgba[i]);
            status = 1;
        }
    }
    free(a.rgba);
    free(b.rgba);
    return status;
}
