/*
 * fsk_print_image.c — from an image file to the print grid: the grid size
 * rule, the row sink that connects the decoder to the resampler (asking the
 * decoder for no more pixels than the grid needs), and the 8-bit sRGB view
 * used for rendering.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_resample.h"

int fsk_grid_size(const fsk_grid_request *req, int display_w, int display_h,
                  int *grid_w, int *grid_h, fsk_err *err)
{
    int by_width = req->width_mm > 0, by_height = req->height_mm > 0;
    if (!(req->pixel_mm > 0) || !isfinite(req->pixel_mm))
        return fsk_err_set(err, FSK_EINVAL, "print size: the pixel size must be positive");
    if (by_width == by_height || !isfinite(by_width ? req->width_mm : req->height_mm))
        return fsk_err_set(err, FSK_EINVAL,
                           "print size: give either the width or the height");
    if (display_w <= 0 || display_h <= 0)
        return fsk_err_set(err, FSK_EINVAL, "print size: the image has no pixels");
    uint64_t limit = req->max_grid_pixels ? req->max_grid_pixels
                                          : FSK_DEFAULT_MAX_GRID_PIXELS;
    double given = by_width ? req->width_mm : req->height_mm;
    double other = by_width ? given * display_h / display_w : given * display_w / display_h;
    double cells[2] = {given / req->pixel_mm, other / req->pixel_mm};
    long long n[2];
    for (int k = 0; k < 2; k++) {
        if (cells[k] > (double)limit)
            return fsk_err_set(err, FSK_ELIMIT, "print grid exceeds the limit of %llu pixels",
                               (unsigned long long)limit);
        /* Halves round up; the tiny relative nudge keeps a quotient like
         * 0.3 / 0.1 = 2.9999999999999996 from rounding as if it were below. */
        n[k] = (long long)floor(cells[k] * (1 + 1e-12) + 0.5);
        if (n[k] < 1)
            n[k] = 1;
    }
    long long w = by_width ? n[0] : n[1], h = by_width ? n[1] : n[0];
    if ((unsigned long long)w * (unsigned long long)h > limit)
        return fsk_err_set(err, FSK_ELIMIT,
                           "print grid of %lldx%lld pixels exceeds the limit of %llu pixels",
                           w, h, (unsigned long long)limit);
    *grid_w = (int)w;
    *grid_h = (int)h;
    return 0;
}

typedef struct load_ctx {
    const char *name;
    const fsk_grid_request *req;
    int grid_w, grid_h;
    fsk_resampler *resampler;
    fsk_image_info info;
    const fsk_grid_watch *watch; /* may be NULL */
    int rows_told;               /* rows_final last told to watch */
} load_ctx;

static int plan(void *ctx, const fsk_image_info *info, int *min_width, int *min_height,
                fsk_err *err)
{
    load_ctx *c = ctx;
    int transposed = info->orientation >= 5;
    int dw = transposed ? info->full_height : info->full_width;
    int dh = transposed ? info->full_width : info->full_height;
    int rc = fsk_grid_size(c->req, dw, dh, &c->grid_w, &c->grid_h, err);
    if (rc)
        return fsk_err_prefix(err, "'%s'", c->name);
    /* The grid in stored orientation: a decoded image at least this large
     * loses nothing to the box filter, and lets JPEG decode at 1/2..1/8. */
    int need_w = transposed ? c->grid_h : c->grid_w;
    int need_h = transposed ? c->grid_w : c->grid_h;
    if (need_w < *min_width)
        *min_width = need_w;
    if (need_h < *min_height)
        *min_height = need_h;
    return 0;
}

/* Resamples decoded rows and tells the watch of the grid rows finished;
 * on the decoding thread, or on the thread that works the relay. */
static int resample_rows(void *ctx, int y, int count, const void *rgba, size_t stride,
                         fsk_err *err)
{
    load_ctx *c = ctx;
    int rc = fsk_resampler_rows(c->resampler, y, count, rgba, stride, err);
    if (rc)
        return fsk_err_prefix(err, "'%s'", c->name);
    if (c->watch) {
        fsk_print_image grid;
        int final = fsk_resampler_rows_final(c->resampler, &grid);
        if (final > c->rows_told) {
            c->rows_told = final;
            c->watch->rows(c->watch->ctx, &grid, final);
        }
    }
    return 0;
}

static fsk_row_relay *relay_of(const load_ctx *c)
{
    return c->watch ? c->watch->relay : NULL;
}

static int begin(void *ctx, const fsk_image_info *info, fsk_err *err)
{
    load_ctx *c = ctx;
    c->info = *info;
    c->resampler = fsk_resampler_create(info->width, info->height, info->bits,
                                        info->orientation, c->grid_w, c->grid_h,
                                        c->req->form, err);
    if (!c->resampler)
        return fsk_err_prefix(err, "'%s'", c->name);
    if (relay_of(c))
        fsk_row_relay_begin(relay_of(c), (size_t)info->width * 4 * (size_t)(info->bits / 8),
                            resample_rows, c);
    return 0;
}

static int rows(void *ctx, int y, int count, const void *rgba, size_t stride,
                fsk_err *err)
{
    load_ctx *c = ctx;
    if (relay_of(c))
        return fsk_row_relay_push(relay_of(c), y, count, rgba, stride, err);
    return resample_rows(ctx, y, count, rgba, stride, err);
}

/* Decoder messages read "'NAME': problem"; ours add what failed. */
static int cannot_read(fsk_err *err, int code)
{
    if (err) {
        char msg[FSK_ERR_MSG_MAX];
        memcpy(msg, err->msg, sizeof msg);
        fsk_err_set(err, code, "cannot read %s", msg);
    }
    return code;
}

static int decode_watched(const char *name, const unsigned char *data, size_t size,
                          const fsk_grid_request *req, fsk_print_image *out,
                          fsk_image_info *info, const fsk_grid_watch *watch, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    load_ctx c = {.name = name, .req = req, .watch = watch};
    fsk_row_sink sink = {.ctx = &c, .plan = plan, .begin = begin, .rows = rows};
    fsk_decode_opts opts = {.max_pixels = req->max_pixels};
    int rc = fsk_image_decode(name, data, size, &opts, &sink, err);
    if (relay_of(&c)) {
        /* Every row resampled, or none left to be, before the resampler
         * goes; the relay's first error wins over a later one. */
        int relayed = fsk_row_relay_end(relay_of(&c), rc == 0, rc ? NULL : err);
        if (!rc)
            rc = relayed;
    }
    if (rc == 0 && !c.resampler)
        rc = fsk_err_set(err, FSK_EFORMAT, "'%s': no image data", name);
    if (rc == 0 && (rc = fsk_resampler_finish(c.resampler, out, err)) != 0)
        fsk_err_prefix(err, "'%s'", name);
    fsk_resampler_free(c.resampler);
    if (rc)
        return cannot_read(err, rc);
    if (watch && c.rows_told < out->height)
        watch->rows(watch->ctx, out, out->height);
    if (info)
        *info = c.info;
    return 0;
}

int fsk_print_image_decode(const char *name, const unsigned char *data, size_t size,
                           const fsk_grid_request *req, fsk_print_image *out,
                           fsk_image_info *info, fsk_err *err)
{
    return decode_watched(name, data, size, req, out, info, NULL, err);
}

int fsk_print_image_load(const char *path, const fsk_grid_request *req,
                         fsk_print_image *out, fsk_image_info *info, fsk_err *err)
{
    return fsk_print_image_load_watched(path, req, out, info, NULL, err);
}

int fsk_print_image_load_watched(const char *path, const fsk_grid_request *req,
                                 fsk_print_image *out, fsk_image_info *info,
                                 const fsk_grid_watch *watch, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    size_t max_bytes = req->max_file_bytes ? req->max_file_bytes
                                           : FSK_DEFAULT_MAX_FILE_BYTES;
    fsk_file_view file;
    int rc = fsk_file_view_open(path, max_bytes, &file, err);
    if (rc)
        return rc;
    rc = decode_watched(path, file.data, file.size, req, out, info, watch, err);
    fsk_file_view_close(&file);
    return rc;
}

void fsk_print_image_free(fsk_print_image *img)
{
    if (!img)
        return;
    free(img->rgba);
    free(img->keys);
    memset(img, 0, sizeof *img);
}

static unsigned char to_byte(double v)
{
    v = v * 255 + 0.5;
    return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static double srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

void fsk_print_image_to_srgb8(const fsk_print_image *img, unsigned char *rgba)
{
    /* Level k is the rounded sRGB value of v exactly when v reaches the
     * linear value of (k - 1/2) / 255, so a binary search over these 255
     * thresholds rounds like pow() would, at a fraction of its cost. */
    double threshold[256];
    threshold[0] = -1;
    for (int k = 1; k < 256; k++)
        threshold[k] = srgb_to_linear((k - 0.5) / 255);
    size_t n = (size_t)img->width * (size_t)img->height;
    const float *p = img->rgba;
    for (size_t i = 0; i < n; i++, p += 4, rgba += 4) {
        unsigned char a = to_byte(p[3]);
        if (a == 0) {
            memset(rgba, 0, 4);
            continue;
        }
        for (int c = 0; c < 3; c++) {
            double v = p[c];
            int k = 0;
            for (int step = 128; step > 0; step >>= 1)
                k += v >= threshold[k + step] ? step : 0;
            rgba[c] = (unsigned char)k;
        }
        rgba[3] = a;
    }
}
