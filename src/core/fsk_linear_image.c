/*
 * fsk_linear_image.c — full-size decoding into float linear RGB: a row sink
 * that linearises each sample by table and writes it straight to its
 * displayed place (the EXIF orientation is a per-axis affine map).
 */
#include "fsk_linear_image.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_file.h"
#include "fsk_image.h"

typedef struct sink_ctx {
    const char *name;
    fsk_linear_image *img;
    const float *lin;
    int bits, src_w, src_h;
    /* Displayed offset (in floats) of stored pixel (x, y):
     * base + x * xstep + y * ystep. */
    ptrdiff_t base, xstep, ystep;
} sink_ctx;

static int begin(void *vctx, const fsk_image_info *info, fsk_err *err)
{
    sink_ctx *c = vctx;
    int transposed = info->orientation >= 5;
    int w = transposed ? info->height : info->width;
    int h = transposed ? info->width : info->height;
    float *rgb = malloc((size_t)w * (size_t)h * 3 * sizeof *rgb);
    if (!rgb)
        return fsk_err_set(err, FSK_ENOMEM, "'%s': out of memory for %dx%d pixels", c->name,
                           w, h);
    c->img->rgb = rgb;
    c->img->width = w;
    c->img->height = h;
    c->img->dpi_x = transposed ? info->dpi_y : info->dpi_x;
    c->img->dpi_y = transposed ? info->dpi_x : info->dpi_y;
    c->bits = info->bits;
    c->src_w = info->width;
    c->src_h = info->height;
    c->lin = info->bits == 16 ? fsk_srgb16_to_linear_table() : fsk_srgb8_to_linear_table();
    const ptrdiff_t xs = 3, ys = (ptrdiff_t)3 * w;
    const ptrdiff_t last_x = (ptrdiff_t)(w - 1) * xs, last_y = (ptrdiff_t)(h - 1) * ys;
    switch (info->orientation) {
    case 2: c->base = last_x; c->xstep = -xs; c->ystep = ys; break;
    case 3: c->base = last_x + last_y; c->xstep = -xs; c->ystep = -ys; break;
    case 4: c->base = last_y; c->xstep = xs; c->ystep = -ys; break;
    case 5: c->base = 0; c->xstep = ys; c->ystep = xs; break;
    case 6: c->base = last_x; c->xstep = ys; c->ystep = -xs; break;
    case 7: c->base = last_x + last_y; c->xstep = -ys; c->ystep = -xs; break;
    case 8: c->base = last_y; c->xstep = -ys; c->ystep = xs; break;
    default: c->base = 0; c->xstep = xs; c->ystep = ys; break;
    }
    return 0;
}

static int rows(void *vctx, int y, int count, const void *rgba, size_t stride, fsk_err *err)
{
    sink_ctx *c = vctx;
    (void)err;
    for (int j = 0; j < count; j++) {
        float *row = c->img->rgb + c->base + (ptrdiff_t)(y + j) * c->ystep;
        const unsigned char *src = (const unsigned char *)rgba + (size_t)j * stride;
        for (int x = 0; x < c->src_w; x++) {
            float *p = row + (ptrdiff_t)x * c->xstep;
            if (c->bits == 16) {
                const uint16_t *s = (const uint16_t *)(const void *)src + (size_t)x * 4;
                p[0] = c->lin[s[0]];
                p[1] = c->lin[s[1]];
                p[2] = c->lin[s[2]];
            } else {
                const unsigned char *s = src + (size_t)x * 4;
                p[0] = c->lin[s[0]];
                p[1] = c->lin[s[1]];
                p[2] = c->lin[s[2]];
            }
        }
    }
    return 0;
}

int fsk_linear_image_decode(const char *name, const unsigned char *data, size_t size,
                            uint64_t max_pixels, fsk_linear_image *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    sink_ctx c = {.name = name, .img = out};
    fsk_row_sink sink = {.ctx = &c, .begin = begin, .rows = rows};
    fsk_decode_opts opts = {.max_pixels = max_pixels};
    int rc = fsk_image_decode(name, data, size, &opts, &sink, err);
    if (rc == 0 && !out->rgb)
        rc = fsk_err_set(err, FSK_EFORMAT, "'%s': no image data", name);
    if (rc) {
        fsk_linear_image_free(out);
        if (err) {
            char msg[FSK_ERR_MSG_MAX];
            memcpy(msg, err->msg, sizeof msg);
            fsk_err_set(err, rc, "cannot read %s", msg);
        }
        return rc;
    }
    return 0;
}

int fsk_linear_image_load(const char *path, uint64_t max_pixels, size_t max_file_bytes,
                          fsk_linear_image *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    unsigned char *data;
    size_t size;
    int rc = fsk_file_read(path, max_file_bytes ? max_file_bytes : (size_t)1 << 30, &data,
                           &size, err);
    if (rc)
        return rc;
    rc = fsk_linear_image_decode(path, data, size, max_pixels, out, err);
    free(data);
    return rc;
}

void fsk_linear_image_free(fsk_linear_image *img)
{
    if (!img)
        return;
    free(img->rgb);
    memset(img, 0, sizeof *img);
}
