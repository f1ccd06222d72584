/*
 * fsk_sample.c — patch colors, gap samples and the flat field (see
 * fsk_sample.h).
 */
#include "fsk_sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_linsolve.h"

/* ---- robust statistics --------------------------------------------- */

static void swapf(float *a, float *b)
{
    float t = *a;
    *a = *b;
    *b = t;
}

/* Reorders v so that v[k] is the k-th smallest (Hoare's selection). */
static void select_k(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        /* Median of three as the pivot keeps sorted runs fast. */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swapf(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swapf(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swapf(&v[hi], &v[mid]);
        float pivot = v[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swapf(&v[i], &v[j]);
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

double fsk_interquartile_mean(float *v, size_t n)
{
    if (n == 0)
        return 0;
    if (n < 4) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += v[i];
        return s / (double)n;
    }
    size_t q1 = n / 4, q3 = n - 1 - n / 4;
    select_k(v, n, q1);
    select_k(v + q1, n - q1, q3 - q1);
    double s = 0;
    for (size_t i = q1; i <= q3; i++)
        s += v[i];
    return s / (double)(q3 - q1 + 1);
}

static float median(float *v, size_t n)
{
    select_k(v, n, n / 2);
    return v[n / 2];
}

/* ---- geometry ------------------------------------------------------ */

double fsk_sample_margin_mm(const double rect_mm[4], double px_per_mm)
{
    double side = fmin(rect_mm[2], rect_mm[3]);
    double m = fmax(fmax(0.18 * side, 0.5), 3.0 / px_per_mm);
    return fmin(m, 0.35 * side);
}

/* Pixel box of a plate rectangle under map, or false when it leaves img. */
static bool pixel_box(const fsk_linear_image *img, const fsk_affine *map, const double r[4],
                      int box[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        double x, y;
        fsk_affine_apply(map, r[0] + (k & 1) * r[2], r[1] + (k >> 1) * r[3], &x, &y);
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    if (!(x0 >= 0 && y0 >= 0 && x1 <= img->width && y1 <= img->height))
        return false;
    box[0] = (int)floor(x0);
    box[1] = (int)floor(y0);
    box[2] = (int)ceil(x1);
    box[3] = (int)ceil(y1);
    return true;
}

/* ---- flat field ---------------------------------------------------- */

static void basis(const double size_mm[2], double X, double Y, double b[6])
{
    double u = 2 * X / size_mm[0] - 1, v = 2 * Y / size_mm[1] - 1;
    b[0] = 1;
    b[1] = u;
    b[2] = v;
    b[3] = u * u;
    b[4] = u * v;
    b[5] = v * v;
}

static double surface(const fsk_flat_field *f, int c, double X, double Y)
{
    double b[6], s = 0;
    basis(f->size_mm, X, Y, b);
    for (int k = 0; k < 6; k++)
        s += f->coef[c][k] * b[k];
    return s;
}

void fsk_flat_gain(const fsk_flat_field *f, double X, double Y, double gain[3])
{
    for (int c = 0; c < 3; c++) {
        double g = 1;
        if (f && f->valid) {
            double s = surface(f, c, X, Y);
            g = s > 0 ? f->level[c] / s : 1;
            g = fmin(fmax(g, 0.5), 2.0);
        }
        gain[c] = g;
    }
}

static bool fit_surface(const fsk_gap_sample *g, size_t n, const unsigned char *keep,
                        fsk_flat_field *f)
{
    for (int c = 0; c < 3; c++) {
        double a[36] = {0}, rhs[6] = {0};
        for (size_t i = 0; i < n; i++) {
            if (!keep[i])
                continue;
            double b[6];
            basis(f->size_mm, g[i].X, g[i].Y, b);
            for (int j = 0; j < 6; j++) {
                for (int k = 0; k < 6; k++)
                    a[j * 6 + k] += b[j] * b[k];
                rhs[j] += b[j] * g[i].rgb[c];
            }
        }
        if (!fsk_solve(6, a, rhs))
            return false;
        memcpy(f->coef[c], rhs, sizeof rhs);
    }
    return true;
}

void fsk_flat_field_fit(const fsk_gap_sample *gaps, size_t n, const double size_mm[2],
                        fsk_flat_field *f)
{
    memset(f, 0, sizeof *f);
    f->size_mm[0] = size_mm[0];
    f->size_mm[1] = size_mm[1];
    f->samples = n;
    if (n < 12)
        return;
    unsigned char *keep = malloc(n);
    float *res = malloc(n * sizeof *res);
    if (!keep || !res) {
        free(keep);
        free(res);
        return;
    }
    memset(keep, 1, n);
    bool ok = true;
    for (int round = 0; ok && round < 4; round++) {
        ok = fit_surface(gaps, n, keep, f);
        if (!ok || round == 3)
            break;
        /* Relative residuals, worst channel; drop beyond 3 robust sigmas. */
        for (size_t i = 0; i < n; i++) {
            double worst = 0;
            for (int c = 0; c < 3; c++) {
                double s = surface(f, c, gaps[i].X, gaps[i].Y);
                double r = s > 1e-6 ? fabs(gaps[i].rgb[c] / s - 1) : 1;
                worst = fmax(worst, r);
            }
            res[i] = (float)worst;
        }
        float *tmp = malloc(n * sizeof *tmp);
        if (!tmp)
            break;
        memcpy(tmp, res, n * sizeof *tmp);
        double limit = fmax(3 * 1.4826 * median(tmp, n), 0.01);
        free(tmp);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            keep[i] = res[i] <= limit;
            kept += keep[i];
        }
        if (kept < 12)
            ok = false;
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += keep[i];
    free(keep);
    free(res);
    if (!ok)
        return;
    f->used = used;
    /* The mean over the plate, and the range of the correction. */
    enum { G = 16 };
    double lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < 3; c++) {
        double sum = 0;
        for (int j = 0; j < G; j++)
            for (int i = 0; i < G; i++) {
                double s = surface(f, c, (i + 0.5) * size_mm[0] / G, (j + 0.5) * size_mm[1] / G);
                if (!(s > 0))
                    return;
                sum += s;
            }
        f->level[c] = sum / (G * G);
    }
    for (int c = 0; c < 3; c++)
        for (int j = 0; j <= G; j++)
            for (int i = 0; i <= G; i++) {
                double g = f->level[c] / surface(f, c, i * size_mm[0] / G, j * size_mm[1] / G);
                lo = fmin(lo, g);
                hi = fmax(hi, g);
            }
    if (!(lo > 0.5 && hi < 2.0))
        return;
    f->min_gain = lo;
    f->max_gain = hi;
    f->valid = true;
}

/* ---- gaps ---------------------------------------------------------- */

/* Distance from (x, y) to rectangle r (0 inside). */
static double rect_distance(const double r[4], double x, double y)
{
    double dx = fmax(fmax(r[0] - x, x - (r[0] + r[2])), 0);
    double dy = fmax(fmax(r[1] - y, y - (r[1] + r[3])), 0);
    return hypot(dx, dy);
}

typedef struct rect_list {
    size_t n;
    const double **r;
} rect_list;

/* Free distance from (x, y) along axis direction (dx, dy) before another
 * rectangle or the plate edge, at most cap. */
static double free_run(const rect_list *rl, const double size[2], double x, double y, int dx,
                       int dy, double cap)
{
    double best = dx > 0 ? size[0] - x : dx < 0 ? x : dy > 0 ? size[1] - y : y;
    best = fmin(best, cap);
    for (size_t i = 0; i < rl->n; i++) {
        const double *r = rl->r[i];
        double d;
        if (dx) {
            if (y < r[1] || y > r[1] + r[3])
                continue;
            d = dx > 0 ? r[0] - x : x - (r[0] + r[2]);
        } else {
            if (x < r[0] || x > r[0] + r[2])
                continue;
            d = dy > 0 ? r[1] - y : y - (r[1] + r[3]);
        }
        if (d > -1e-9 && d < best)
            best = fmax(d, 0);
    }
    return best;
}

static double clearance(const rect_list *rl, const double size[2], double x, double y)
{
    double c = fmin(fmin(x, size[0] - x), fmin(y, size[1] - y));
    for (size_t i = 0; i < rl->n && c > 0; i++)
        c = fmin(c, rect_distance(rl->r[i], x, y));
    return c;
}

int fsk_sample_gaps(const fsk_linear_image *img, const fsk_grid *grid, const fsk_affine *map,
                    fsk_gap_sample **out, size_t *count, fsk_err *err)
{
    *out = NULL;
    *count = 0;
    double scale = fsk_affine_scale(map);
    double rs_mm = fmax(1.0 / scale, 0.1);
    int rs_px = (int)fmax(1, lround(rs_mm * scale));
    double need = rs_mm + fmax(0.2, 1.5 / scale);
    rect_list rl = {grid->patch_count + grid->mark_count, NULL};
    rl.r = malloc((rl.n ? rl.n : 1) * sizeof *rl.r);
    size_t cap = rl.n * 12;
    fsk_gap_sample *g = malloc((cap ? cap : 1) * sizeof *g);
    float *box = malloc((size_t)(2 * rs_px + 1) * (size_t)(2 * rs_px + 1) * 3 * sizeof *box);
    if (!rl.r || !g || !box) {
        free(rl.r);
        free(g);
        free(box);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < grid->patch_count; i++)
        rl.r[i] = grid->patches[i].rect_mm;
    for (size_t i = 0; i < grid->mark_count; i++)
        rl.r[grid->patch_count + i] = grid->marks[i].rect_mm;
    size_t n = 0;
    static const int dirs[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    for (size_t i = 0; i < rl.n; i++) {
        const double *r = rl.r[i];
        for (int d = 0; d < 4; d++)
            for (int t = 1; t <= 3; t++) {
                int dx = dirs[d][0], dy = dirs[d][1];
                double x = dx > 0 ? r[0] + r[2] : dx < 0 ? r[0] : r[0] + r[2] * t / 4;
                double y = dy > 0 ? r[1] + r[3] : dy < 0 ? r[1] : r[1] + r[3] * t / 4;
                double run = free_run(&rl, grid->size_mm, x, y, dx, dy, 6.0);
                double step = run <= 4 ? run / 2 : 2.0;
                double px = x + dx * step, py = y + dy * step;
                if (clearance(&rl, grid->size_mm, px, py) < need)
                    continue;
                double sx, sy;
                fsk_affine_apply(map, px, py, &sx, &sy);
                int cx = (int)floor(sx), cy = (int)floor(sy);
                if (cx - rs_px < 0 || cy - rs_px < 0 || cx + rs_px >= img->width ||
                    cy + rs_px >= img->height)
                    continue;
                size_t m = 0, side = (size_t)(2 * rs_px + 1);
                for (int yy = cy - rs_px; yy <= cy + rs_px; yy++)
                    for (int xx = cx - rs_px; xx <= cx + rs_px; xx++, m++) {
                        const float *p =
                            img->rgb + ((size_t)yy * (size_t)img->width + (size_t)xx) * 3;
                        for (int c = 0; c < 3; c++)
                            box[(size_t)c * side * side + m] = p[c];
                    }
                g[n].X = px;
                g[n].Y = py;
                for (int c = 0; c < 3; c++)
                    g[n].rgb[c] = median(box + (size_t)c * side * side, m);
                n++;
            }
    }
    free(rl.r);
    free(box);
    *out = g;
    *count = n;
    return 0;
}

/* ---- patches ------------------------------------------------------- */

static int spread_order(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int fsk_sample_patches(const fsk_linear_image *img, const fsk_grid *grid, const fsk_affine *map,
                       const fsk_flat_field *flat, const fsk_sample_opts *opts,
                       fsk_patch_sample *out, fsk_err *err)
{
    fsk_affine inv;
    if (!fsk_affine_invert(map, &inv))
        return fsk_err_set(err, FSK_EINVAL, "the plate-to-scan map is singular");
    double scale = fsk_affine_scale(map);
    size_t cap = 0;
    for (size_t i = 0; i < grid->patch_count; i++) {
        const double *r = grid->patches[i].rect_mm;
        double area = (r[2] + 2) * (r[3] + 2) * scale * scale * 2 + 64;
        if (area > (double)cap)
            cap = (size_t)area;
    }
    if (opts->max_pixels > 0 && cap > (size_t)opts->max_pixels * 8)
        cap = (size_t)opts->max_pixels * 8;
    float *vals = malloc(cap * 3 * sizeof *vals);
    double *de = malloc(2048 * sizeof *de);
    if (!vals || !de) {
        free(vals);
        free(de);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < grid->patch_count; i++) {
        fsk_patch_sample *s = &out[i];
        memset(s, 0, sizeof *s);
        const double *pr = grid->patches[i].rect_mm;
        double m = fsk_sample_margin_mm(pr, scale);
        double r[4] = {pr[0] + m + opts->shift_mm[0], pr[1] + m + opts->shift_mm[1],
                       pr[2] - 2 * m, pr[3] - 2 * m};
        int box[4];
        if (!pixel_box(img, map, r, box))
            continue;
        double area_px = r[2] * r[3] * scale * scale;
        int step = 1;
        if (opts->max_pixels > 0 && area_px > opts->max_pixels)
            step = (int)ceil(sqrt(area_px / opts->max_pixels));
        size_t n = 0, full = 0;
        for (int y = box[1]; y < box[3]; y += step)
            for (int x = box[0]; x < box[2]; x += step) {
                double X = inv.m[0] + inv.m[1] * (x + 0.5) + inv.m[2] * (y + 0.5);
                double Y = inv.m[3] + inv.m[4] * (x + 0.5) + inv.m[5] * (y + 0.5);
                if (X < r[0] || X > r[0] + r[2] || Y < r[1] || Y > r[1] + r[3] || n >= cap)
                    continue;
                const float *p = img->rgb + ((size_t)y * (size_t)img->width + (size_t)x) * 3;
                vals[n] = p[0];
                vals[cap + n] = p[1];
                vals[2 * cap + n] = p[2];
                full += p[0] >= 0.998f || p[1] >= 0.998f || p[2] >= 0.998f;
                n++;
            }
        if (n == 0)
            continue;
        double gain[3];
        fsk_flat_gain(flat, r[0] + r[2] / 2, r[1] + r[3] / 2, gain);
        /* The estimate reorders the values: keep a copy for the spread. */
        double est[3];
        float *tmp = NULL;
        if (opts->spread)
            tmp = malloc(n * 3 * sizeof *tmp);
        if (tmp)
            for (int c = 0; c < 3; c++)
                memcpy(tmp + (size_t)c * n, vals + (size_t)c * cap, n * sizeof *tmp);
        for (int c = 0; c < 3; c++)
            est[c] = fsk_interquartile_mean(vals + (size_t)c * cap, n) * gain[c];
        s->valid = true;
        s->pixels = (int)n;
        s->clipped = full * 10 > n;
        for (int c = 0; c < 3; c++)
            s->rgb[c] = est[c];
        if (tmp) {
            double lab[3], plab[3], px[3];
            fsk_linear_to_lab(est, lab);
            size_t every = n / 2048 + 1, k = 0;
            for (size_t j = 0; j < n && k < 2048; j += every) {
                for (int c = 0; c < 3; c++)
                    px[c] = tmp[(size_t)c * n + j] * gain[c];
                fsk_linear_to_lab(px, plab);
                de[k++] = fsk_de2000(lab, plab);
            }
            qsort(de, k, sizeof *de, spread_order);
            s->spread = de[(size_t)floor(0.9 * (double)(k - 1) + 0.5)];
            free(tmp);
        }
    }
    free(vals);
    free(de);
    if (opts->spread) {
        /* Not uniform: far above what this scan's patches usually show. */
        double *sp = malloc((grid->patch_count ? grid->patch_count : 1) * sizeof *sp);
        if (!sp)
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        size_t k = 0;
        for (size_t i = 0; i < grid->patch_count; i++)
            if (out[i].valid)
                sp[k++] = out[i].spread;
        qsort(sp, k, sizeof *sp, spread_order);
        double med = k ? sp[k / 2] : 0;
        free(sp);
        for (size_t i = 0; i < grid->patch_count; i++)
            out[i].flagged = out[i].valid && out[i].spread > fmax(4.0, 3.0 * med);
    }
    return 0;
}
