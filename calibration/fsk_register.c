/*
 * fsk_register.c — refining and verifying the plate-to-scan map (see
 * fsk_register.h).
 */
#include "fsk_register.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_model_fit.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int fsk_register_refine(const fsk_grid *grid, const fsk_blob *blobs, size_t count,
                        const fsk_mark_match *marks, fsk_registration *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    out->map = marks->map;
    out->marks_found = marks->found;
    size_t cap = grid->patch_count + grid->mark_count;
    double(*from)[2] = malloc((cap ? cap : 1) * sizeof *from);
    double(*to)[2] = malloc((cap ? cap : 1) * sizeof *to);
    double *res = malloc((cap ? cap : 1) * sizeof *res);
    double *sorted = malloc((cap ? cap : 1) * sizeof *sorted);
    int *pairs = malloc((grid->patch_count ? grid->patch_count : 1) * sizeof *pairs);
    int rc = 0;
    if (!from || !to || !res || !sorted || !pairs) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    for (int round = 0; round < 3; round++) {
        fsk_marks_patch_support(grid, &out->map, blobs, count, pairs);
        size_t n = 0;
        for (size_t k = 0; k < grid->mark_count; k++) {
            int b = marks->mark_blob[k];
            if (b < 0)
                continue;
            const double *r = grid->marks[k].rect_mm;
            from[n][0] = r[0] + r[2] / 2;
            from[n][1] = r[1] + r[3] / 2;
            to[n][0] = blobs[b].cx;
            to[n][1] = blobs[b].cy;
            n++;
        }
        for (size_t i = 0; i < grid->patch_count; i++) {
            if (pairs[i] < 0)
                continue;
            const double *r = grid->patches[i].rect_mm;
            from[n][0] = r[0] + r[2] / 2;
            from[n][1] = r[1] + r[3] / 2;
            to[n][0] = blobs[pairs[i]].cx;
            to[n][1] = blobs[pairs[i]].cy;
            n++;
        }
        fsk_affine fit;
        if (!fsk_affine_fit(&from[0][0], &to[0][0], NULL, n, &fit))
            break;
        /* Drop centroids far off the fit (a speck or fibre in a patch),
         * then fit again. */
        for (size_t i = 0; i < n; i++) {
            double x, y;
            fsk_affine_apply(&fit, from[i][0], from[i][1], &x, &y);
            res[i] = sorted[i] = hypot(x - to[i][0], y - to[i][1]);
        }
        qsort(sorted, n, sizeof *sorted, cmp_double);
        double limit = fmax(4 * sorted[n / 2], 1.0);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (res[i] <= limit) {
                from[kept][0] = from[i][0];
                from[kept][1] = from[i][1];
                to[kept][0] = to[i][0];
                to[kept][1] = to[i][1];
                kept++;
            }
        if (kept >= 3 &&
            fsk_affine_fit(&from[0][0], &to[0][0], NULL, kept, &fit))
            n = kept;
        double ss = 0;
        for (size_t i = 0; i < n; i++) {
            double x, y;
            fsk_affine_apply(&fit, from[i][0], from[i][1], &x, &y);
            ss += (x - to[i][0]) * (x - to[i][0]) + (y - to[i][1]) * (y - to[i][1]);
        }
        out->map = fit;
        out->rms_px = sqrt(ss / (double)n);
        out->patches_used = n > marks->found ? n - marks->found : 0;
    }
    double scale = fsk_affine_scale(&out->map);
    for (size_t k = 0; k < grid->mark_count; k++) {
        int b = marks->mark_blob[k];
        if (b < 0)
            continue;
        const double *r = grid->marks[k].rect_mm;
        double x, y;
        fsk_affine_apply(&out->map, r[0] + r[2] / 2, r[1] + r[3] / 2, &x, &y);
        out->mark_err_mm = fmax(out->mark_err_mm, hypot(x - blobs[b].cx, y - blobs[b].cy) / scale);
    }
done:
    free(from);
    free(to);
    free(res);
    free(sorted);
    free(pairs);
    return rc;
}

double fsk_register_gap_fraction(const fsk_gap_sample *gaps, size_t count,
                                 const fsk_flat_field *flat, const double base[3], double tol)
{
    if (count == 0)
        return 0;
    const double *want = flat && flat->valid ? flat->level : base;
    size_t ok = 0;
    for (size_t i = 0; i < count; i++) {
        double gain[3], v[3];
        fsk_flat_gain(flat, gaps[i].X, gaps[i].Y, gain);
        for (int c = 0; c < 3; c++)
            v[c] = gaps[i].rgb[c] * gain[c];
        ok += fsk_root_distance(v, want) <= tol;
    }
    return (double)ok / (double)count;
}

/* Median distance to the next patch centre along x (axis 0) or y. */
static double pitch(const fsk_grid *g, int axis)
{
    double *d = malloc((g->patch_count ? g->patch_count : 1) * sizeof *d);
    if (!d)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < g->patch_count; i++) {
        const double *a = g->patches[i].rect_mm;
        double best = INFINITY;
        for (size_t j = 0; j < g->patch_count; j++) {
            const double *b = g->patches[j].rect_mm;
            double along = (b[axis] + b[axis + 2] / 2) - (a[axis] + a[axis + 2] / 2);
            double across = (b[1 - axis] + b[3 - axis] / 2) - (a[1 - axis] + a[3 - axis] / 2);
            if (along > 1e-6 && fabs(across) < 0.25 * a[3 - axis] && along < best)
                best = along;
        }
        if (isfinite(best))
            d[n++] = best;
    }
    qsort(d, n, sizeof *d, cmp_double);
    double p = n ? d[n / 2] : 0;
    free(d);
    return p;
}

/* Whether a patch centre lies at (x, y) within tol mm. */
static bool patch_at(const fsk_grid *g, double x, double y, double tol)
{
    for (size_t j = 0; j < g->patch_count; j++) {
        const double *b = g->patches[j].rect_mm;
        if (fabs(b[0] + b[2] / 2 - x) < tol && fabs(b[1] + b[3] / 2 - y) < tol)
            return true;
    }
    return false;
}

int fsk_register_check_shift(const fsk_linear_image *img, const fsk_grid *grid,
                             const fsk_affine *map, const fsk_flat_field *flat,
                             const fsk_model *prior, fsk_shift_check *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    out->pitch_mm[0] = pitch(grid, 0);
    out->pitch_mm[1] = pitch(grid, 1);
    size_t n = grid->patch_count;
    if (!(out->pitch_mm[0] > 0 && out->pitch_mm[1] > 0) || n == 0)
        return 0;
    unsigned char *use = calloc(n, 1);
    fsk_patch_sample *s = malloc(n * sizeof *s);
    uint8_t(*seq)[FSK_MAX_COLOR_LAYERS] = malloc(n * sizeof *seq);
    double(*rgb)[3] = malloc(n * sizeof *rgb);
    int rc = 0;
    if (!use || !s || !seq || !rgb) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const double *r = grid->patches[i].rect_mm;
        double cx = r[0] + r[2] / 2, cy = r[1] + r[3] / 2, tol = 0.25 * fmin(r[2], r[3]);
        bool all = true;
        for (int dy = -1; dy <= 1 && all; dy++)
            for (int dx = -1; dx <= 1 && all; dx++)
                all = patch_at(grid, cx + dx * out->pitch_mm[0], cy + dy * out->pitch_mm[1], tol);
        use[i] = all;
        out->patches += all;
        memcpy(seq[i], grid->patches[i].sequence, sizeof seq[i]);
    }
    if (out->patches < 8)
        goto done;
    double best = INFINITY;
    for (int dy = -1; dy <= 1 && rc == 0; dy++)
        for (int dx = -1; dx <= 1 && rc == 0; dx++) {
            fsk_sample_opts so = {.shift_mm = {dx * out->pitch_mm[0], dy * out->pitch_mm[1]},
                                  .max_pixels = 400};
            rc = fsk_sample_patches(img, grid, map, flat, &so, s, err);
            unsigned char *u = malloc(n);
            if (!u) {
                rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
                break;
            }
            for (size_t i = 0; rc == 0 && i < n; i++) {
                u[i] = use[i] && s[i].valid;
                memcpy(rgb[i], s[i].rgb, sizeof rgb[i]);
            }
            fsk_fit_data data = {&grid->construction, n, (const uint8_t(*)[FSK_MAX_COLOR_LAYERS])seq,
                                 (const double(*)[3])rgb, u};
            fsk_model fitted;
            if (rc == 0)
                rc = fsk_model_fit(prior, &data, &fitted, err);
            if (rc == 0)
                out->de[dy + 1][dx + 1] = fsk_model_mean_de00(&fitted, &data, NULL);
            free(u);
            if (rc == 0 && (dx || dy) && out->de[dy + 1][dx + 1] < best) {
                best = out->de[dy + 1][dx + 1];
                out->best_dx = dx;
                out->best_dy = dy;
            }
        }
    if (rc == FSK_EINVAL) {
        /* Too few patches inside the scan for a fit: nothing to compare. */
        rc = 0;
        if (err)
            fsk_err_clear(err);
        goto done;
    }
    if (rc == 0) {
        out->margin = best / fmax(out->de[1][1], 0.3);
        out->done = true;
    }
done:
    free(use);
    free(s);
    free(seq);
    free(rgb);
    return rc;
}

const char *fsk_shift_name(int dx, int dy)
{
    static const char *const names[3][3] = {
        {"one patch up and to the left", "one patch up", "one patch up and to the right"},
        {"one patch to the left", "not shifted", "one patch to the right"},
        {"one patch down and to the left", "one patch down", "one patch down and to the right"}};
    if (dx < -1 || dx > 1 || dy < -1 || dy > 1)
        return "shifted";
    return names[dy + 1][dx + 1];
}
