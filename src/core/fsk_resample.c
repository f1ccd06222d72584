/*
 * fsk_resample.c — the resampler: rows of 8- or 16-bit RGBA in, a float
 * linear-light grid out (see fsk_resample.h for the filter).
 *
 * Each axis is prepared once. Shrinking: a source pixel s covers
 * [s*g, s*g+g) and grid cell c covers [c*n, c*n+n) in units of 1/n grid
 * cells (n source pixels, g cells, g <= n), so a pixel overlaps at most two
 * cells and the exact overlaps are integers; divided by n they sum to 1 per
 * cell. Growing: cell c takes source pixel floor((c + 1/2) * n / g) whole.
 *
 * Across a row, each cell sums its taps (source pixel, weight) in
 * registers: a pixel is linearised by table, and its alpha times the tap
 * weight (the alpha scale folded in beforehand) weights its color, so the
 * sums are alpha-premultiplied. Down the image, a shrinking axis adds each
 * summed row into at most two running grid rows (plain vector adds); a
 * grid row that no later source row can reach is finished: divided by its
 * alpha and written straight to its oriented place in the output. So the
 * orientation costs one scattered write per grid pixel, and no rotated
 * copy of anything is made. A grid of keys takes each finished pixel's
 * key there instead of its floats; at the source's own size from 8-bit
 * samples, where that key is the pixel's own codes, it is taken from them
 * directly.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color_set.h"
#include "fsk_memory.h"
#include "fsk_resample.h"

typedef struct axis {
    int n, g;  /* source pixels, grid cells */
    int grow;  /* n < g: replicate */
    int one_tap; /* every cell has exactly one tap (growing, or n == g) */
    /* Per cell c, its taps are tap_src/tap_w[first[c] .. first[c+1]-1]. */
    int *first;
    int *tap_src;
    float *tap_w;
    /* Per source pixel s. Shrinking: its first cell and the weights into it
     * and the next (w1 may be 0). Growing: the cells it fills are
     * cell[s] .. cell[s+1]-1 (cell has n+1 entries). */
    int *cell;
    float *w0, *w1;
} axis;

struct fsk_resampler {
    int src_w, src_h, bits;
    int grid_w, grid_h;
    axis ax, ay;  /* stored x -> stored grid column, stored y -> stored grid row */
    float *lin;   /* sRGB sample -> linear, 256 or 65536 entries */
    float *hrow;  /* ax.g cells: premultiplied sums of the current source row */
    float *acc[2]; /* shrinking y: running sums of grid rows acc_row, acc_row+1 */
    int acc_row;
    ptrdiff_t *col_off; /* stored grid column -> pixel offset in the output */
    ptrdiff_t col_step; /* col_off[i+1] - col_off[i] */
    ptrdiff_t *row_off; /* stored grid row -> pixel offset in the output */
    bool rows_kept;     /* stored grid row j is grid row j (orientations 1, 2) */
    /* The output, grid_w * grid_h pixels in displayed orientation: float
     * RGBA, or keys (rounded by codes). */
    float *out;
    uint32_t *out_keys;
    fsk_srgb_cells *codes;
    int next_row;
};

static void axis_free(axis *a)
{
    free(a->first);
    free(a->tap_src);
    free(a->tap_w);
    free(a->cell);
    free(a->w0);
    free(a->w1);
}

/* Fills a shrinking axis: per-pixel cells and weights, then the per-cell
 * taps (a pixel is a tap of each cell it overlaps with a weight > 0). */
static int axis_shrink(axis *a, float tap_scale)
{
    int n = a->n, g = a->g;
    a->cell = malloc(sizeof *a->cell * (size_t)n);
    a->w0 = malloc(sizeof *a->w0 * (size_t)n);
    a->w1 = malloc(sizeof *a->w1 * (size_t)n);
    a->first = calloc((size_t)g + 2, sizeof *a->first);
    a->tap_src = malloc(sizeof *a->tap_src * ((size_t)n + (size_t)g));
    a->tap_w = malloc(sizeof *a->tap_w * ((size_t)n + (size_t)g));
    if (!a->cell || !a->w0 || !a->w1 || !a->first || !a->tap_src || !a->tap_w)
        return FSK_ENOMEM;
    for (int s = 0; s < n; s++) {
        int64_t start = (int64_t)s * g, end = start + g;
        int64_t c = start / n, boundary = (c + 1) * n;
        int64_t w = (end < boundary ? end : boundary) - start;
        a->cell[s] = (int)c;
        a->w0[s] = (float)((double)w / n);
        a->w1[s] = (float)((double)(g - w) / n);
        a->first[c + 1]++;
        if (w < g)
            a->first[c + 2]++;
    }
    for (int c = 0; c < g; c++)
        a->first[c + 1] += a->first[c];
    /* Pixels come in order, so each cell's taps fill in order too. */
    int *next = malloc(sizeof *next * (size_t)g);
    if (!next)
        return FSK_ENOMEM;
    memcpy(next, a->first, sizeof *next * (size_t)g);
    for (int s = 0; s < n; s++) {
        int c = a->cell[s];
        a->tap_src[next[c]] = s;
        a->tap_w[next[c]++] = a->w0[s] * tap_scale;
        if (a->w1[s] > 0) {
            a->tap_src[next[c + 1]] = s;
            a->tap_w[next[c + 1]++] = a->w1[s] * tap_scale;
        }
    }
    free(next);
    return 0;
}

/* Fills a growing axis: one whole tap per cell. */
static int axis_grow(axis *a, float tap_scale)
{
    int n = a->n, g = a->g;
    a->first = malloc(sizeof *a->first * ((size_t)g + 1));
    a->tap_src = malloc(sizeof *a->tap_src * (size_t)g);
    a->tap_w = malloc(sizeof *a->tap_w * (size_t)g);
    a->cell = calloc((size_t)n + 1, sizeof *a->cell);
    if (!a->first || !a->tap_src || !a->tap_w || !a->cell)
        return FSK_ENOMEM;
    for (int c = 0; c < g; c++) {
        int s = (int)(((int64_t)2 * c + 1) * n / (2 * (int64_t)g));
        a->first[c] = c;
        a->tap_src[c] = s;
        a->tap_w[c] = tap_scale;
        a->cell[s + 1]++;
    }
    a->first[g] = g;
    for (int s = 0; s < n; s++)
        a->cell[s + 1] += a->cell[s];
    return 0;
}

static int axis_init(axis *a, int n, int g, float tap_scale)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->g = g;
    a->grow = n < g;
    a->one_tap = n <= g;
    return a->grow ? axis_grow(a, tap_scale) : axis_shrink(a, tap_scale);
}

static double srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* Offsets of stored grid columns and rows in the displayed grid: display
 * X and Y are each an affine function of one stored coordinate. */
static void orient(fsk_resampler *r, int orientation)
{
    ptrdiff_t xs = 1, ys = r->grid_w;
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
    r->col_step = cs;
    for (int j = 0; j < r->ay.g; j++)
        r->row_off[j] = rb + j * rs;
    /* Mirrored rows are still whole rows; flipped or turned ones are not. */
    r->rows_kept = orientation <= 2;
}

fsk_resampler *fsk_resampler_create(int src_w, int src_h, int bits, int orientation,
                                    int grid_w, int grid_h, fsk_grid_form form,
                                    fsk_err *err)
{
    if (src_w <= 0 || src_h <= 0 || grid_w <= 0 || grid_h <= 0 ||
        (bits != 8 && bits != 16) || orientation < 1 || orientation > 8 ||
        (form != FSK_GRID_RGBA && form != FSK_GRID_KEYS)) {
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
    /* Horizontal taps carry the alpha scale, so a sample times its tap
     * weight is its alpha times its share of the cell. */
    if (axis_init(&r->ax, src_w, transposed ? grid_h : grid_w, 1.0f / (float)(levels - 1)) ||
        axis_init(&r->ay, src_h, transposed ? grid_w : grid_h, 1.0f))
        goto nomem;
    size_t row_floats = (size_t)r->ax.g * 4;
    r->lin = malloc(sizeof *r->lin * levels);
    r->hrow = malloc(sizeof *r->hrow * row_floats);
    r->acc[0] = calloc(row_floats, sizeof *r->acc[0]);
    r->acc[1] = calloc(row_floats, sizeof *r->acc[1]);
    r->col_off = malloc(sizeof *r->col_off * (size_t)r->ax.g);
    r->row_off = malloc(sizeof *r->row_off * (size_t)r->ay.g);
    size_t pixels = (size_t)grid_w * (size_t)grid_h;
    bool keys = form == FSK_GRID_KEYS;
    if (keys) {
        r->out_keys = fsk_alloc_large(sizeof *r->out_keys * pixels);
        r->codes = malloc(sizeof *r->codes);
        if (r->codes)
            fsk_srgb8_cells_init(r->codes);
    } else {
        r->out = fsk_alloc_large(sizeof *r->out * pixels * 4);
    }
    if (!r->lin || !r->hrow || !r->acc[0] || !r->acc[1] || !r->col_off || !r->row_off ||
        (keys ? !r->out_keys || !r->codes : !r->out))
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
    free(r->acc[0]);
    free(r->acc[1]);
    free(r->col_off);
    free(r->row_off);
    free(r->out);
    free(r->out_keys);
    free(r->codes);
    free(r);
}

/*
 * Sums one source row into the row of cells (hrow), alpha-premultiplied.
 * Defined once per sample type so the compiler sees the exact loads; the
 * four sums of a cell stay in registers.
 */
#define DEFINE_SPREAD(name, sample_t)                                          \
    static void name(fsk_resampler *r, const sample_t *p)                      \
    {                                                                          \
        const float *lin = r->lin, *tap_w = r->ax.tap_w;                       \
        const int *tap_src = r->ax.tap_src, *first = r->ax.first;              \
        float *h = r->hrow;                                                    \
        if (r->ax.one_tap) { /* growing, or as many pixels as cells */         \
            for (int c = 0; c < r->ax.g; c++, h += 4) {                        \
                const sample_t *q = p + 4 * (size_t)tap_src[c];                \
                float a = (float)q[3] * tap_w[c];                              \
                h[0] = lin[q[0]] * a;                                          \
                h[1] = lin[q[1]] * a;                                          \
                h[2] = lin[q[2]] * a;                                          \
                h[3] = a;                                                      \
            }                                                                  \
            return;                                                            \
        }                                                                      \
        for (int c = 0; c < r->ax.g; c++, h += 4) {                            \
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;                              \
            for (int t = first[c]; t < first[c + 1]; t++) {                    \
                const sample_t *q = p + 4 * (size_t)tap_src[t];                \
                float a = (float)q[3] * tap_w[t];                              \
                s0 += lin[q[0]] * a;                                           \
                s1 += lin[q[1]] * a;                                           \
                s2 += lin[q[2]] * a;                                           \
                s3 += a;                                                       \
            }                                                                  \
            h[0] = s0;                                                         \
            h[1] = s1;                                                         \
            h[2] = s2;                                                         \
            h[3] = s3;                                                         \
        }                                                                      \
    }

DEFINE_SPREAD(spread8, uint8_t)
DEFINE_SPREAD(spread16, uint16_t)

/* One finished cell: color divided by alpha and clamped to 0..1; no alpha
 * gives 0,0,0,0. Written without branches so the loops vectorise. */
static inline void finish_cell(float *restrict o, const float *restrict sums)
{
    float a = sums[3];
    float inv = a > 0 ? 1.0f / a : 0.0f;
    for (int k = 0; k < 3; k++) {
        float v = sums[k] * inv;
        v = v > 0.0f ? v : 0.0f; /* maxss / minss, unlike fmaxf and fminf */
        o[k] = v < 1.0f ? v : 1.0f;
    }
    o[3] = a < 1.0f ? a : 1.0f;
}

/* Keys of a finished stored grid row, at its oriented place. */
static void emit_keys(fsk_resampler *r, int j, const float *sums)
{
    uint32_t *base = r->out_keys + r->row_off[j];
    const ptrdiff_t *col = r->col_off;
    for (int i = 0, g = r->ax.g; i < g; i++) {
        float px[4];
        finish_cell(px, sums + 4 * (size_t)i);
        base[col[i]] = fsk_pixel_key(r->codes, px);
    }
}

/* Writes a finished stored grid row (premultiplied sums) to its oriented
 * place in the output. */
static void emit_row(fsk_resampler *r, int j, const float *sums)
{
    if (r->out_keys) {
        emit_keys(r, j, sums);
        return;
    }
    float *base = r->out + 4 * r->row_off[j];
    int g = r->ax.g;
    if (r->col_step == 1) { /* the row is a row of the output: the usual case */
        for (int i = 0; i < g; i++)
            finish_cell(base + 4 * (size_t)i, sums + 4 * (size_t)i);
        return;
    }
    const ptrdiff_t *col = r->col_off;
    for (int i = 0; i < g; i++)
        finish_cell(base + 4 * col[i], sums + 4 * (size_t)i);
}

/* Finishes running grid row acc_row and starts the one after next. */
static void advance_acc(fsk_resampler *r)
{
    emit_row(r, r->acc_row, r->acc[0]);
    float *done = r->acc[0];
    r->acc[0] = r->acc[1];
    r->acc[1] = done;
    memset(done, 0, sizeof *done * 4 * (size_t)r->ax.g);
    r->acc_row++;
}

static void add_scaled(float *restrict acc, const float *restrict h, float w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        acc[i] += w * h[i];
}

/* Whether a grid of keys is made from 8-bit samples at the source's own
 * size, where each cell is one source pixel whole. */
static bool keys_one_to_one(const fsk_resampler *r)
{
    return r->out_keys && r->bits == 8 && r->ax.n == r->ax.g && r->ay.n == r->ay.g;
}

/*
 * The keys of source row sy there, straight from its samples: a cell of
 * one whole pixel is its linear color times its alpha, divided by that
 * alpha again, which rounds back to the sRGB codes it came from (checked
 * for every code and alpha in test_resample); alpha 0 gives color 0, and
 * an alpha below one half (127 of 255 or less) the clear mark.
 */
static void emit_keys_one_to_one(fsk_resampler *r, int sy, const uint8_t *p)
{
    uint32_t *base = r->out_keys + r->row_off[sy];
    const ptrdiff_t *col = r->col_off;
    for (int i = 0, g = r->ax.g; i < g; i++, p += 4) {
        uint32_t color = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
        base[col[i]] = (p[3] ? color : 0) | (p[3] >= 128 ? 0 : FSK_KEY_CLEAR);
    }
    r->acc_row = sy + 1;
}

int fsk_resampler_rows(fsk_resampler *r, int y, int count, const void *rgba,
                       size_t stride, fsk_err *err)
{
    if (y != r->next_row || count < 0 || count > r->src_h - y)
        return fsk_err_set(err, FSK_EINVAL, "resampler: rows %d..%d out of order", y,
                           y + count - 1);
    const unsigned char *row = rgba;
    size_t row_floats = (size_t)r->ax.g * 4;
    bool direct = keys_one_to_one(r);
    for (int k = 0; k < count; k++, row += stride) {
        int sy = y + k;
        if (direct) {
            emit_keys_one_to_one(r, sy, row);
            continue;
        }
        if (r->bits == 8)
            spread8(r, row);
        else
            spread16(r, (const uint16_t *)(const void *)row);
        if (r->ay.grow) {
            for (int j = r->ay.cell[sy]; j < r->ay.cell[sy + 1]; j++)
                emit_row(r, j, r->hrow);
            continue;
        }
        while (r->acc_row < r->ay.cell[sy])
            advance_acc(r);
        add_scaled(r->acc[0], r->hrow, r->ay.w0[sy], row_floats);
        if (r->ay.w1[sy] > 0)
            add_scaled(r->acc[1], r->hrow, r->ay.w1[sy], row_floats);
    }
    r->next_row = y + count;
    return 0;
}

int fsk_resampler_rows_final(const fsk_resampler *r, fsk_print_image *grid)
{
    *grid = (fsk_print_image){.width = r->grid_w, .height = r->grid_h, .rgba = r->out,
                              .keys = r->out_keys};
    if (!r->rows_kept)
        return 0;
    if (r->ay.grow)
        return r->next_row > 0 ? r->ay.cell[r->next_row] : 0;
    return r->acc_row;
}

int fsk_resampler_finish(fsk_resampler *r, fsk_print_image *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    if (r->next_row != r->src_h)
        return fsk_err_set(err, FSK_EFORMAT, "image ended after %d of %d rows",
                           r->next_row, r->src_h);
    if (!r->ay.grow)
        while (r->acc_row < r->ay.g)
            advance_acc(r);
    out->width = r->grid_w;
    out->height = r->grid_h;
    out->rgba = r->out;
    out->keys = r->out_keys;
    r->out = NULL;
    r->out_keys = NULL;
    return 0;
}
