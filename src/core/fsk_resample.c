/*
 * fsk_resample.c — the resampler: rows of 8- or 16-bit RGBA in, a float
 * linear-light grid out (see fsk_resample.h for the filter).
 *
 * Each axis is prepared once. Shrinking: a source pixel s covers
 * [s*g, s*g+g) and grid cell c covers [c*n, c*n+n) in units of 1/n grid
 * cells (n source pixels, g cells, g <= n), so a pixel overlaps at most two
 * cells and the exact overlaps are integers; divided by n they sum to 1 per
 * cell. Growing: cell c takes source pixel floor((c + 1/2) * n / g).
 * A row is linearised, alpha-premultiplied and spread over a row of cells
 * (two multiply-adds per channel, no branches), then added into the grid
 * rows it overlaps at their oriented positions, so no rotated copy of the
 * image is ever made. The grid holds premultiplied sums until finish.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_resample.h"

typedef struct axis {
    int n, g; /* source pixels, grid cells */
    int grow; /* n < g: replicate */
    /* Shrinking, per source pixel: first cell and the weights into it and
     * the next (the next may be the padding cell g, with weight 0). */
    int *cell;
    float *w0, *w1;
    /* Growing, per cell: its source pixel; per source pixel s, its cells
     * are first[s] .. first[s+1]-1. */
    int *src;
    int *first;
} axis;

struct fsk_resampler {
    int src_w, src_h, bits;
    int grid_w, grid_h;
    axis ax, ay; /* stored x -> stored grid column, stored y -> stored grid row */
    float *lin;  /* sRGB sample -> linear, 256 or 65536 entries */
    float alpha_scale;
    float *hrow;         /* (ax.g + 1) * 4 premultiplied sums of the current row */
    ptrdiff_t *col_off;  /* stored grid column -> offset into out (floats) */
    ptrdiff_t *row_off;  /* stored grid row -> offset into out (floats) */
    float *out;          /* grid_w * grid_h * 4, displayed orientation */
    int next_row;
};

static void axis_free(axis *a)
{
    free(a->cell);
    free(a->w0);
    free(a->w1);
    free(a->src);
    free(a->first);
}

static int axis_init(axis *a, int n, int g)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->g = g;
    a->grow = n < g;
    if (!a->grow) {
        a->cell = malloc(sizeof *a->cell * (size_t)n);
        a->w0 = malloc(sizeof *a->w0 * (size_t)n);
        a->w1 = malloc(sizeof *a->w1 * (size_t)n);
        if (!a->cell || !a->w0 || !a->w1)
            return FSK_ENOMEM;
        for (int s = 0; s < n; s++) {
            int64_t start = (int64_t)s * g, end = start + g;
            int64_t c = start / n, boundary = (c + 1) * n;
            int64_t w = (end < boundary ? end : boundary) - start;
            a->cell[s] = (int)c;
            a->w0[s] = (float)((double)w / n);
            a->w1[s] = (float)((double)(g - w) / n);
        }
        return 0;
    }
    a->src = malloc(sizeof *a->src * (size_t)g);
    a->first = calloc((size_t)n + 1, sizeof *a->first);
    if (!a->src || !a->first)
        return FSK_ENOMEM;
    for (int c = 0; c < g; c++) {
        a->src[c] = (int)(((int64_t)2 * c + 1) * n / (2 * (int64_t)g));
        a->first[a->src[c] + 1]++;
    }
    for (int s = 0; s < n; s++)
        a->first[s + 1] += a->first[s];
    return 0;
}

static double srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* Offsets of stored grid columns and rows in the displayed grid: display
 * X and Y are each an affine function of one stored coordinate. */
static void orient(fsk_resampler *r, int orientation)
{
    ptrdiff_t xs = 4, ys = (ptrdiff_t)4 * r->grid_w;
    ptrdiff_t last_x = (ptrdiff_t)(r->grid_w - 1) * xs;
    ptrdiff_t last_y = (ptrdiff_t)(r->grid_h - 1) * ys;
    ptrdiff_t cb, cs, rb, rs; /* column base and step, row base and step */
    switch (orientation) {
    case 2: cb = last_x; cs = -xs; rb = 0; rs = ys; break;       /* mirrored */
    case 3: cb = last_x; cs = -xs; rb = last_y; rs = -ys; break; /* 180 */
    case 4: cb = 0; cs = xs; rb = last_y; rs = -ys; break;       /* flipped */
    case 5: cb = 0; cs = ys; rb = 0; rs = xs; break;             /* transposed */
    case 6: cb = 0; cs = ys; rb = last_x; rs = -xs; break;       /* 90 clockwise */
    case 7: cb = last_y; cs = -ys; rb = last_x; rs = -xs; break; /* transverse */
    case 8: cb = last_y; cs = -ys; rb = 0; rs = xs; break;       /* 90 counter-clockwise */
    default: cb = 0; cs = xs; rb = 0; rs = ys; break;
    }
    for (int i = 0; i < r->ax.g; i++)
        r->col_off[i] = cb + i * cs;
    for (int j = 0; j < r->ay.g; j++)
        r->row_off[j] = rb + j * rs;
}

fsk_resampler *fsk_resampler_create(int src_w, int src_h, int bits, int orientation,
                                    int grid_w, int grid_h, fsk_err *err)
{
    if (src_w <= 0 || src_h <= 0 || grid_w <= 0 || grid_h <= 0 ||
        (bits != 8 && bits != 16) || orientation < 1 || orientation > 8) {
        fsk_err_set(err, FSK_EINVAL, "resampler: bad image or grid size");
        return NULL;
    }
    fsk_resampler *r = calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->src_w = src_w;
    r->src_h = src_h;
    r->bits = bits;
    r->grid_w = grid_w;
    r->grid_h = grid_h;
    int transposed = orientation >= 5;
    size_t levels = (size_t)1 << bits;
    r->alpha_scale = 1.0f / (float)(levels - 1);
    if (axis_init(&r->ax, src_w, transposed ? grid_h : grid_w) ||
        axis_init(&r->ay, src_h, transposed ? grid_w : grid_h))
        goto nomem;
    r->lin = malloc(sizeof *r->lin * levels);
    r->hrow = calloc(((size_t)r->ax.g + 1) * 4, sizeof *r->hrow);
    r->col_off = malloc(sizeof *r->col_off * (size_t)r->ax.g);
    r->row_off = malloc(sizeof *r->row_off * (size_t)r->ay.g);
    r->out = calloc((size_t)grid_w * (size_t)grid_h * 4, sizeof *r->out);
    if (!r->lin || !r->hrow || !r->col_off || !r->row_off || !r->out)
        goto nomem;
    for (size_t v = 0; v < levels; v++)
        r->lin[v] = (float)srgb_to_linear((double)v / (double)(levels - 1));
    orient(r, orientation);
    return r;
nomem:
    fsk_resampler_free(r);
    fsk_err_set(err, FSK_ENOMEM, "out of memory for a %dx%d print grid", grid_w, grid_h);
    return NULL;
}

void fsk_resampler_free(fsk_resampler *r)
{
    if (!r)
        return;
    axis_free(&r->ax);
    axis_free(&r->ay);
    free(r->lin);
    free(r->hrow);
    free(r->col_off);
    free(r->row_off);
    free(r->out);
    free(r);
}

/*
 * Spreads one source row over the row of cells (hrow), each pixel linear
 * and alpha-premultiplied. Defined once per sample type so the inner loops
 * have no branch and the compiler sees the exact loads.
 */
#define DEFINE_SPREAD(name, sample_t)                                          \
    static void name(fsk_resampler *r, const sample_t *p)                      \
    {                                                                          \
        const float *lin = r->lin, as = r->alpha_scale;                        \
        float *h = r->hrow;                                                    \
        if (r->ax.grow) {                                                      \
            for (int c = 0; c < r->ax.g; c++) {                                \
                const sample_t *q = p + 4 * (size_t)r->ax.src[c];              \
                float a = (float)q[3] * as;                                    \
                h[4 * c] = lin[q[0]] * a;                                      \
                h[4 * c + 1] = lin[q[1]] * a;                                  \
                h[4 * c + 2] = lin[q[2]] * a;                                  \
                h[4 * c + 3] = a;                                              \
            }                                                                  \
            return;                                                            \
        }                                                                      \
        memset(h, 0, sizeof *h * 4 * ((size_t)r->ax.g + 1));                   \
        const int *cell = r->ax.cell;                                          \
        const float *w0 = r->ax.w0, *w1 = r->ax.w1;                            \
        for (int x = 0; x < r->src_w; x++, p += 4) {                           \
            float a = (float)p[3] * as;                                        \
            float v[4] = {lin[p[0]] * a, lin[p[1]] * a, lin[p[2]] * a, a};     \
            float *d = h + 4 * cell[x];                                        \
            for (int k = 0; k < 4; k++) {                                      \
                d[k] += w0[x] * v[k];                                          \
                d[4 + k] += w1[x] * v[k];                                      \
            }                                                                  \
        }                                                                      \
    }

DEFINE_SPREAD(spread8, uint8_t)
DEFINE_SPREAD(spread16, uint16_t)

/* Adds weight * hrow into stored grid row j. */
static void add_row(fsk_resampler *r, int j, float weight)
{
    float *base = r->out + r->row_off[j];
    const float *h = r->hrow;
    const ptrdiff_t *col = r->col_off;
    for (int i = 0; i < r->ax.g; i++) {
        float *o = base + col[i];
        for (int k = 0; k < 4; k++)
            o[k] += weight * h[4 * i + k];
    }
}

int fsk_resampler_rows(fsk_resampler *r, int y, int count, const void *rgba,
                       size_t stride, fsk_err *err)
{
    if (y != r->next_row || count < 0 || count > r->src_h - y)
        return fsk_err_set(err, FSK_EINVAL, "resampler: rows %d..%d out of order", y,
                           y + count - 1);
    const unsigned char *row = rgba;
    for (int k = 0; k < count; k++, row += stride) {
        int sy = y + k;
        if (r->bits == 8)
            spread8(r, row);
        else
            spread16(r, (const uint16_t *)(const void *)row);
        if (r->ay.grow) {
            for (int j = r->ay.first[sy]; j < r->ay.first[sy + 1]; j++)
                add_row(r, j, 1.0f);
        } else {
            add_row(r, r->ay.cell[sy], r->ay.w0[sy]);
            if (r->ay.w1[sy] > 0)
                add_row(r, r->ay.cell[sy] + 1, r->ay.w1[sy]);
        }
    }
    r->next_row = y + count;
    return 0;
}

int fsk_resampler_finish(fsk_resampler *r, fsk_print_image *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    if (r->next_row != r->src_h)
        return fsk_err_set(err, FSK_EFORMAT, "image ended after %d of %d rows",
                           r->next_row, r->src_h);
    size_t n = (size_t)r->grid_w * (size_t)r->grid_h;
    float *p = r->out;
    for (size_t i = 0; i < n; i++, p += 4) {
        float a = p[3];
        if (a > 0) {
            float inv = 1.0f / a;
            for (int k = 0; k < 3; k++) {
                float v = p[k] * inv;
                p[k] = v < 0 ? 0 : v > 1 ? 1 : v;
            }
            p[3] = a > 1 ? 1 : a;
        } else {
            p[0] = p[1] = p[2] = p[3] = 0;
        }
    }
    out->width = r->grid_w;
    out->height = r->grid_h;
    out->rgba = r->out;
    r->out = NULL;
    return 0;
}
