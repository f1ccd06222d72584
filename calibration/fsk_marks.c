/*
 * fsk_marks.c — base color, blobs and mark matching (see fsk_marks.h).
 */
#include "fsk_marks.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_model.h"

#define MAX_RUNS 4000000u

double fsk_root_distance(const double a[3], const double b[3])
{
    double s = 0;
    for (int c = 0; c < 3; c++) {
        double d = sqrt(fmax(a[c], 0)) - sqrt(fmax(b[c], 0));
        s += d * d;
    }
    return sqrt(s);
}

/* ---- base color ---------------------------------------------------- */

/* Mean shift from m (root space) to the middle of its cluster. */
static void mean_shift(const float *root, size_t n, double m[3])
{
    for (int it = 0; it < 8; it++) {
        double radius = it < 5 ? 0.1 : 0.06, sum[3] = {0}, cnt = 0;
        for (size_t i = 0; i < n; i++) {
            const float *r = root + i * 3;
            double d = 0;
            for (int c = 0; c < 3; c++)
                d += (r[c] - m[c]) * (r[c] - m[c]);
            if (d < radius * radius) {
                for (int c = 0; c < 3; c++)
                    sum[c] += r[c];
                cnt++;
            }
        }
        if (cnt == 0)
            break;
        for (int c = 0; c < 3; c++)
            m[c] = sum[c] / cnt;
    }
}

int fsk_marks_base_colors(const fsk_linear_image *img, const double nominal[3],
                          double (*bases)[3], int max)
{
    enum { BINS = 16, MAX_MODES = 32 };
    size_t npx = (size_t)img->width * (size_t)img->height;
    int step = (int)fmax(1, floor(sqrt((double)npx / 100000.0)));
    size_t cap = ((size_t)img->width / (size_t)step + 1) * ((size_t)img->height / (size_t)step + 1);
    float *root = malloc(cap * 3 * sizeof *root);
    if (!root)
        return 0;
    uint32_t hist[BINS * BINS * BINS] = {0};
    size_t n = 0;
    for (int y = step / 2; y < img->height; y += step)
        for (int x = step / 2; x < img->width; x += step) {
            const float *p = img->rgb + ((size_t)y * (size_t)img->width + (size_t)x) * 3;
            int bin = 0;
            for (int c = 0; c < 3; c++) {
                float r = sqrtf(fminf(fmaxf(p[c], 0.0f), 1.0f));
                root[n * 3 + (size_t)c] = r;
                int b = (int)(r * BINS);
                bin = bin * BINS + (b >= BINS ? BINS - 1 : b);
            }
            hist[bin]++;
            n++;
        }
    /* Every populous bin climbs to its cluster's mode; equal modes merge. */
    double modes[MAX_MODES][3];
    int nm = 0, fullest = 0;
    for (int b = 0; b < BINS * BINS * BINS; b++) {
        if (hist[b] > hist[fullest])
            fullest = b;
        if (hist[b] < 0.02 * (double)n || nm == MAX_MODES)
            continue;
        double m[3] = {((b / (BINS * BINS)) + 0.5) / BINS, (((b / BINS) % BINS) + 0.5) / BINS,
                       ((b % BINS) + 0.5) / BINS};
        mean_shift(root, n, m);
        bool dup = false;
        for (int k = 0; k < nm && !dup; k++)
            dup = fabs(modes[k][0] - m[0]) + fabs(modes[k][1] - m[1]) +
                      fabs(modes[k][2] - m[2]) < 0.04;
        if (!dup)
            memcpy(modes[nm++], m, sizeof m);
    }
    if (nm == 0) {
        int b = fullest;
        double m[3] = {((b / (BINS * BINS)) + 0.5) / BINS, (((b / BINS) % BINS) + 0.5) / BINS,
                       ((b % BINS) + 0.5) / BINS};
        mean_shift(root, n, m);
        memcpy(modes[nm++], m, sizeof m);
    }
    free(root);
    /* Nearest to the nominal color first (selection sort: a few modes). */
    double want[3] = {sqrt(fmax(nominal[0], 0)), sqrt(fmax(nominal[1], 0)),
                      sqrt(fmax(nominal[2], 0))};
    double d[MAX_MODES];
    for (int k = 0; k < nm; k++) {
        d[k] = 0;
        for (int c = 0; c < 3; c++)
            d[k] += (modes[k][c] - want[c]) * (modes[k][c] - want[c]);
    }
    int out = 0;
    for (; out < max && out < nm; out++) {
        int best = out;
        for (int k = out + 1; k < nm; k++)
            if (d[k] < d[best])
                best = k;
        double tm[3], td = d[best];
        memcpy(tm, modes[best], sizeof tm);
        memcpy(modes[best], modes[out], sizeof tm);
        d[best] = d[out];
        memcpy(modes[out], tm, sizeof tm);
        d[out] = td;
        for (int c = 0; c < 3; c++)
            bases[out][c] = modes[out][c] * modes[out][c];
    }
    return out;
}

/* The color the model predicts for a full-height stack of filament f
 * (0: the backing alone). */
static void stack_color(const fsk_grid *grid, const fsk_model *model, int f, double lin[3])
{
    uint8_t seq[FSK_MAX_COLOR_LAYERS] = {0};
    if (f > 0)
        memset(seq, f, (size_t)grid->construction.color_layers);
    fsk_model_predict(model, &grid->construction, seq, lin);
}

void fsk_marks_predicted_base(const fsk_grid *grid, double lin[3])
{
    fsk_model model;
    fsk_model_from_filaments(grid->filaments, grid->filament_count, &model);
    int b = grid->base_filament;
    if (b < 1 || b > grid->filament_count)
        b = 0;
    /* With a backing the gaps show it alone; without, the base's full stack. */
    stack_color(grid, &model, grid->construction.backing_filament > 0 ? 0 : b, lin);
}

double fsk_marks_threshold(const fsk_grid *grid)
{
    fsk_model model;
    fsk_model_from_filaments(grid->filaments, grid->filament_count, &model);
    double want[3], dmin = INFINITY;
    fsk_marks_predicted_base(grid, want);
    for (size_t k = 0; k < grid->mark_count; k++) {
        int f = grid->marks[k].filament;
        if (f < 1 || f > grid->filament_count)
            continue;
        double lin[3];
        stack_color(grid, &model, f, lin);
        /* The model's contrast, not the distance to the scan's base: the
         * model and the scan may disagree on the absolute colors. */
        dmin = fmin(dmin, fsk_root_distance(lin, want));
    }
    if (!isfinite(dmin))
        dmin = 0.3;
    return fmin(fmax(0.5 * dmin, 0.04), 0.25);
}

/* ---- blobs --------------------------------------------------------- */

/* 3x3 erosion (op 0) or dilation (op 1) of mask into out, via tmp. */
static void morph(const uint8_t *mask, uint8_t *tmp, uint8_t *out, int w, int h, int op)
{
    for (int y = 0; y < h; y++) {
        const uint8_t *r = mask + (size_t)y * (size_t)w;
        uint8_t *t = tmp + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            int l = x > 0 ? r[x - 1] : op, rr = x + 1 < w ? r[x + 1] : op;
            t[x] = (uint8_t)(op ? (l | r[x] | rr) : (l & r[x] & rr));
        }
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *u = y > 0 ? tmp + (size_t)(y - 1) * (size_t)w : NULL;
        const uint8_t *c = tmp + (size_t)y * (size_t)w;
        const uint8_t *d = y + 1 < h ? tmp + (size_t)(y + 1) * (size_t)w : NULL;
        uint8_t *o = out + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            int a = u ? u[x] : op, b = d ? d[x] : op;
            o[x] = (uint8_t)(op ? (a | c[x] | b) : (a & c[x] & b));
        }
    }
}

typedef struct run {
    int y, x0, x1;
    uint32_t parent;
} run;

static uint32_t find_root(run *r, uint32_t i)
{
    while (r[i].parent != i) {
        r[i].parent = r[r[i].parent].parent;
        i = r[i].parent;
    }
    return i;
}

typedef struct moments {
    double n, sx, sy, sxx, syy, sxy;
} moments;

static int blob_order(const void *pa, const void *pb)
{
    const fsk_blob *a = pa, *b = pb;
    if (a->area != b->area)
        return a->area > b->area ? -1 : 1;
    if (a->cy != b->cy)
        return a->cy < b->cy ? -1 : 1;
    return (a->cx > b->cx) - (a->cx < b->cx);
}

/* Sum of k^2 for k = 0..m (m >= -1). */
static double sum_sq(double m)
{
    return m * (m + 1) * (2 * m + 1) / 6;
}

int fsk_blobs_find(const fsk_linear_image *img, const double base[3], double threshold,
                   double min_area, size_t max_blobs, fsk_blob **blobs, size_t *count,
                   fsk_err *err)
{
    *blobs = NULL;
    *count = 0;
    const int w = img->width, h = img->height;
    const size_t npx = (size_t)w * (size_t)h;
    uint8_t *mask = malloc(npx), *tmp = malloc(npx), *open = malloc(npx);
    run *runs = NULL;
    moments *mom = NULL;
    int rc = 0;
    if (!mask || !tmp || !open) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    const float rb[3] = {(float)sqrt(fmax(base[0], 0)), (float)sqrt(fmax(base[1], 0)),
                         (float)sqrt(fmax(base[2], 0))};
    const float t2 = (float)(threshold * threshold);
    for (size_t i = 0; i < npx; i++) {
        const float *p = img->rgb + i * 3;
        float d = 0;
        for (int c = 0; c < 3; c++) {
            float v = sqrtf(fmaxf(p[c], 0.0f)) - rb[c];
            d += v * v;
        }
        mask[i] = d > t2;
    }
    morph(mask, tmp, open, w, h, 0);
    morph(open, tmp, mask, w, h, 1);
    free(tmp);
    tmp = NULL;
    free(open);
    open = NULL;

    size_t cap = 4096, nruns = 0;
    runs = malloc(cap * sizeof *runs);
    if (!runs) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    size_t prev_start = 0, prev_end = 0;
    for (int y = 0; y < h; y++) {
        const uint8_t *m = mask + (size_t)y * (size_t)w;
        size_t row_start = nruns;
        for (int x = 0; x < w;) {
            if (!m[x]) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < w && m[x])
                x++;
            if (nruns == cap) {
                if (cap >= MAX_RUNS) {
                    rc = fsk_err_set(err, FSK_ELIMIT,
                                     "the picture breaks into too many shapes");
                    goto done;
                }
                run *grown = realloc(runs, 2 * cap * sizeof *runs);
                if (!grown) {
                    rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
                    goto done;
                }
                runs = grown;
                cap *= 2;
            }
            runs[nruns] = (run){y, x0, x, (uint32_t)nruns};
            /* Join the runs of the row above that overlap this one. */
            for (size_t k = prev_start; k < prev_end; k++) {
                if (runs[k].x1 <= x0)
                    continue;
                if (runs[k].x0 >= x)
                    break;
                uint32_t a = find_root(runs, (uint32_t)k), b = find_root(runs, (uint32_t)nruns);
                if (a != b) {
                    if (a < b)
                        runs[b].parent = a;
                    else
                        runs[a].parent = b;
                }
            }
            nruns++;
        }
        prev_start = row_start;
        prev_end = nruns;
    }
    free(mask);
    mask = NULL;

    mom = calloc(nruns ? nruns : 1, sizeof *mom);
    if (!mom) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        moments *mm = &mom[find_root(runs, (uint32_t)i)];
        double n = r->x1 - r->x0, yc = r->y + 0.5;
        double si = n * (r->x0 + r->x1 - 1) / 2; /* sum of x over the run */
        double sii = sum_sq(r->x1 - 1.0) - sum_sq(r->x0 - 1.0);
        double sx = si + n / 2;
        mm->n += n;
        mm->sx += sx;
        mm->sy += n * yc;
        /* Each pixel is a unit square: its own variance is 1/12 per axis. */
        mm->sxx += sii + si + n / 4 + n / 12;
        mm->syy += n * yc * yc + n / 12;
        mm->sxy += yc * sx;
    }
    size_t roots = 0;
    for (size_t i = 0; i < nruns; i++)
        roots += runs[i].parent == i;
    fsk_blob *out = malloc((roots ? roots : 1) * sizeof *out);
    if (!out) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    size_t nb = 0;
    for (size_t i = 0; i < nruns; i++) {
        if (runs[i].parent != i)
            continue;
        const moments *mm = &mom[i];
        if (mm->n < min_area || mm->n > (double)npx / 4)
            continue;
        double mx = mm->sx / mm->n, my = mm->sy / mm->n;
        double cxx = mm->sxx / mm->n - mx * mx, cyy = mm->syy / mm->n - my * my;
        double cxy = mm->sxy / mm->n - mx * my;
        double half = (cxx + cyy) / 2, dif = sqrt(0.25 * (cxx - cyy) * (cxx - cyy) + cxy * cxy);
        double l1 = half + dif, l2 = half - dif;
        if (!(l2 > 0))
            continue;
        double bw = sqrt(12 * l1), bh = sqrt(12 * l2);
        double fill = mm->n / (bw * bh);
        if (fill < 0.8 || fill > 1.2)
            continue;
        out[nb++] = (fsk_blob){.cx = mx, .cy = my, .area = mm->n, .side = sqrt(mm->n),
                               .aspect = bw / bh, .fill = fill};
    }
    qsort(out, nb, sizeof *out, blob_order);
    if (nb > max_blobs)
        nb = max_blobs;
    *blobs = out;
    *count = nb;
done:
    free(mask);
    free(tmp);
    free(open);
    free(runs);
    free(mom);
    return rc;
}

/* ---- matching ------------------------------------------------------ */

/* Blob centroids bucketed on a square grid, for "which blobs are near". */
typedef struct buckets {
    double cell;
    int nx, ny;
    size_t *first; /* nx*ny+1 offsets into idx */
    size_t *idx;
} buckets;

static int buckets_build(buckets *b, const fsk_blob *blobs, size_t n, double cell)
{
    double maxx = 1, maxy = 1;
    for (size_t i = 0; i < n; i++) {
        maxx = fmax(maxx, blobs[i].cx);
        maxy = fmax(maxy, blobs[i].cy);
    }
    b->cell = cell;
    b->nx = (int)fmin(maxx / cell + 1, 4096);
    b->ny = (int)fmin(maxy / cell + 1, 4096);
    b->cell = fmax(cell, fmax(maxx / (b->nx - 0.5), maxy / (b->ny - 0.5)));
    size_t cells = (size_t)b->nx * (size_t)b->ny;
    b->first = calloc(cells + 1, sizeof *b->first);
    b->idx = malloc((n ? n : 1) * sizeof *b->idx);
    if (!b->first || !b->idx)
        return FSK_ENOMEM;
    size_t *cellof = malloc((n ? n : 1) * sizeof *cellof);
    if (!cellof)
        return FSK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int cx = (int)fmin(blobs[i].cx / b->cell, b->nx - 1);
        int cy = (int)fmin(blobs[i].cy / b->cell, b->ny - 1);
        cellof[i] = (size_t)cy * (size_t)b->nx + (size_t)cx;
        b->first[cellof[i] + 1]++;
    }
    for (size_t c = 0; c < cells; c++)
        b->first[c + 1] += b->first[c];
    size_t *fill = malloc((cells ? cells : 1) * sizeof *fill);
    if (!fill) {
        free(cellof);
        return FSK_ENOMEM;
    }
    memcpy(fill, b->first, cells * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        b->idx[fill[cellof[i]]++] = i;
    free(fill);
    free(cellof);
    return 0;
}

static void buckets_free(buckets *b)
{
    free(b->first);
    free(b->idx);
}

/*
 * The blob nearest (x, y) within radius whose side is within a factor
 * exp(size_tol) of side; -1 when none. *dist gets its distance.
 */
static long nearest_blob(const buckets *b, const fsk_blob *blobs, double x, double y,
                         double radius, double side, double size_tol, double *dist)
{
    long best = -1;
    double best_d = radius;
    int x0 = (int)floor((x - radius) / b->cell), x1 = (int)floor((x + radius) / b->cell);
    int y0 = (int)floor((y - radius) / b->cell), y1 = (int)floor((y + radius) / b->cell);
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 >= b->nx ? b->nx - 1 : x1;
    y1 = y1 >= b->ny ? b->ny - 1 : y1;
    for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++) {
            size_t c = (size_t)cy * (size_t)b->nx + (size_t)cx;
            for (size_t k = b->first[c]; k < b->first[c + 1]; k++) {
                const fsk_blob *bl = &blobs[b->idx[k]];
                double d = hypot(bl->cx - x, bl->cy - y);
                if (d <= best_d && fabs(log(bl->side / side)) <= size_tol) {
                    best_d = d;
                    best = (long)b->idx[k];
                }
            }
        }
    if (dist)
        *dist = best_d;
    return best;
}

typedef struct mark_geom {
    double c[2];   /* centre, mm */
    double size;   /* sqrt of the area, mm */
    double aspect; /* >= 1 */
} mark_geom;

static size_t support(const fsk_grid *grid, const fsk_affine *map, const buckets *bk,
                      const fsk_blob *blobs, int *pairs)
{
    double s = fsk_affine_scale(map);
    size_t n = 0;
    for (size_t i = 0; i < grid->patch_count; i++) {
        const double *r = grid->patches[i].rect_mm;
        double x, y, side = sqrt(r[2] * r[3]) * s;
        fsk_affine_apply(map, r[0] + r[2] / 2, r[1] + r[3] / 2, &x, &y);
        long b = nearest_blob(bk, blobs, x, y, 0.3 * side, side, 0.25, NULL);
        if (pairs)
            pairs[i] = (int)b;
        n += b >= 0;
    }
    return n;
}

size_t fsk_marks_patch_support(const fsk_grid *grid, const fsk_affine *map,
                               const fsk_blob *blobs, size_t count, int *pairs)
{
    double s = fsk_affine_scale(map);
    double cell = 8;
    if (grid->patch_count)
        cell = fmax(4, sqrt(grid->patches[0].rect_mm[2] * grid->patches[0].rect_mm[3]) * s);
    buckets bk = {0};
    size_t n = 0;
    if (buckets_build(&bk, blobs, count, cell) == 0)
        n = support(grid, map, &bk, blobs, pairs);
    else if (pairs)
        for (size_t i = 0; i < grid->patch_count; i++)
            pairs[i] = -1;
    buckets_free(&bk);
    return n;
}

#define MAX_HYP 32

typedef struct hypothesis {
    fsk_affine map;
    size_t found;
    double resid; /* sum of mark residuals over mark sizes */
    int assign[64];
} hypothesis;

/* Places every mark under map: counts the marks found (tolerance tol
 * times the mark size, plus slack per mm from anchor) and fills assign. */
static size_t place_marks(const mark_geom *mg, size_t k, const fsk_affine *map,
                          const buckets *bk, const fsk_blob *blobs, double tol,
                          const double anchor[2], double slack, int *assign, double *resid)
{
    double s = fsk_affine_scale(map);
    size_t found = 0;
    *resid = 0;
    for (size_t m = 0; m < k; m++) {
        double x, y, d;
        fsk_affine_apply(map, mg[m].c[0], mg[m].c[1], &x, &y);
        double reach = tol * mg[m].size * s +
                       slack * s * hypot(mg[m].c[0] - anchor[0], mg[m].c[1] - anchor[1]);
        long b = nearest_blob(bk, blobs, x, y, reach, mg[m].size * s, 0.3, &d);
        if (b >= 0 && fabs(log(blobs[b].aspect / mg[m].aspect)) > 0.35)
            b = -1;
        assign[m] = (int)b;
        if (b >= 0) {
            found++;
            *resid += d / (mg[m].size * s);
        }
    }
    return found;
}

/* Refits map to the assigned marks (3 or more) and places them again. */
static size_t refine(const mark_geom *mg, size_t k, const buckets *bk, const fsk_blob *blobs,
                     hypothesis *h)
{
    for (int round = 0; round < 2; round++) {
        double from[64][2], to[64][2];
        size_t n = 0;
        for (size_t m = 0; m < k; m++)
            if (h->assign[m] >= 0) {
                from[n][0] = mg[m].c[0];
                from[n][1] = mg[m].c[1];
                to[n][0] = blobs[h->assign[m]].cx;
                to[n][1] = blobs[h->assign[m]].cy;
                n++;
            }
        fsk_affine fit;
        if (n < 3 || !fsk_affine_fit(&from[0][0], &to[0][0], NULL, n,
                                     &fit))
            break;
        int assign[64];
        double resid, zero[2] = {0, 0};
        size_t found = place_marks(mg, k, &fit, bk, blobs, 0.3, zero, 0, assign, &resid);
        if (found < h->found)
            break;
        h->map = fit;
        h->found = found;
        h->resid = resid;
        memcpy(h->assign, assign, sizeof assign);
    }
    return h->found;
}

static bool same_map(const fsk_affine *a, const fsk_affine *b, double tol_px)
{
    double ax, ay, bx, by;
    /* Compare where both put two far-apart plate points. */
    for (int k = 0; k < 2; k++) {
        double p = k ? 100 : 0;
        fsk_affine_apply(a, p, p, &ax, &ay);
        fsk_affine_apply(b, p, p, &bx, &by);
        if (hypot(ax - bx, ay - by) > tol_px)
            return false;
    }
    return true;
}

int fsk_marks_match(const fsk_grid *grid, const fsk_blob *blobs, size_t count,
                    fsk_mark_match *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    size_t k = grid->mark_count;
    if (k < 3 || k > 64)
        return fsk_err_set(err, FSK_EINVAL, "the grid has %zu fiducial marks (3 to 64 needed)",
                           k);
    mark_geom mg[64];
    for (size_t m = 0; m < k; m++) {
        const double *r = grid->marks[m].rect_mm;
        mg[m].c[0] = r[0] + r[2] / 2;
        mg[m].c[1] = r[1] + r[3] / 2;
        mg[m].size = sqrt(r[2] * r[3]);
        mg[m].aspect = fmax(r[2], r[3]) / fmin(r[2], r[3]);
    }
    if (count == 0)
        return fsk_err_set(err, FSK_EFORMAT, "found no shapes that could be fiducial marks");
    double med_side = blobs[count / 2].side;
    buckets bk = {0};
    hypothesis *hyp = calloc(MAX_HYP, sizeof *hyp);
    char *cand = calloc(k * count, 1);
    int rc = 0;
    if (!hyp || !cand || buckets_build(&bk, blobs, count, fmax(4, med_side)) != 0) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t m = 0; m < k; m++)
        for (size_t b = 0; b < count; b++)
            cand[m * count + b] = blobs[b].fill > 0.85 && blobs[b].fill < 1.15 &&
                                  fabs(log(blobs[b].aspect / mg[m].aspect)) < 0.35;
    size_t nhyp = 0, best_found = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) {
            double dij = hypot(mg[j].c[0] - mg[i].c[0], mg[j].c[1] - mg[i].c[1]);
            if (!(dij > 0))
                continue;
            for (size_t a = 0; a < count; a++) {
                if (!cand[i * count + a])
                    continue;
                double sa = blobs[a].side / mg[i].size;
                for (size_t b = 0; b < count; b++) {
                    if (b == a || !cand[j * count + b])
                        continue;
                    double sb = blobs[b].side / mg[j].size;
                    if (fabs(log(sa / sb)) > 0.2)
                        continue;
                    double s = sqrt(sa * sb);
                    double d = hypot(blobs[b].cx - blobs[a].cx, blobs[b].cy - blobs[a].cy);
                    if (fabs(log(d / (dij * s))) > 0.15)
                        continue;
                    for (int mirror = 0; mirror < 2; mirror++) {
                        hypothesis h;
                        double q0[2] = {blobs[a].cx, blobs[a].cy};
                        double q1[2] = {blobs[b].cx, blobs[b].cy};
                        if (!fsk_affine_similarity(mg[i].c, mg[j].c, q0, q1, mirror, &h.map))
                            continue;
                        /* Shear and uneven scale grow with the distance
                         * from the anchor: allow 6 % of it. */
                        h.found = place_marks(mg, k, &h.map, &bk, blobs, 0.4, mg[i].c, 0.06,
                                              h.assign, &h.resid);
                        if (h.assign[i] != (int)a || h.assign[j] != (int)b)
                            continue;
                        if (h.found >= 3)
                            refine(mg, k, &bk, blobs, &h);
                        if (h.found < best_found || h.found < 2)
                            continue;
                        if (h.found > best_found) {
                            best_found = h.found;
                            nhyp = 0;
                        }
                        size_t dup = nhyp;
                        for (size_t q = 0; q < nhyp; q++)
                            if (same_map(&hyp[q].map, &h.map, 0.3 * med_side))
                                dup = q;
                        if (dup < nhyp) {
                            if (h.resid < hyp[dup].resid)
                                hyp[dup] = h;
                        } else if (nhyp < MAX_HYP) {
                            hyp[nhyp++] = h;
                        }
                    }
                }
            }
        }
    if (best_found < 3) {
        if (best_found >= 2)
            rc = fsk_err_set(err, FSK_EFORMAT, "found only 2 of %zu fiducial marks in place", k);
        else
            rc = fsk_err_set(err, FSK_EFORMAT,
                             "found none of the %zu fiducial marks (%zu shapes, none in the "
                             "grid's arrangement)",
                             k, count);
        goto done;
    }
    /* Equally good explanations of the marks: the patches decide. */
    size_t best = 0, best_support = 0;
    for (size_t q = 0; q < nhyp; q++) {
        size_t sup = support(grid, &hyp[q].map, &bk, blobs, NULL);
        if (q == 0 || sup > best_support ||
            (sup == best_support && hyp[q].resid < hyp[best].resid)) {
            best = q;
            best_support = sup;
        }
    }
    out->mark_blob = malloc(k * sizeof *out->mark_blob);
    if (!out->mark_blob) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(out->mark_blob, hyp[best].assign, k * sizeof *out->mark_blob);
    out->map = hyp[best].map;
    out->found = hyp[best].found;
    out->patch_support = best_support;
done:
    buckets_free(&bk);
    free(hyp);
    free(cand);
    return rc;
}
