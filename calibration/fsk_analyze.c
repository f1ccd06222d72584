/*
 * fsk_analyze.c — from scans to a calibration: per scan, find, register,
 * verify and measure; then combine, fit the model and fill (see
 * fsk_analyze.h).
 */
#include "fsk_analyze.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_marks.h"
#include "fsk_model.h"
#include "fsk_model_fit.h"

#define MAX_BLOBS 4000
#define GAP_MIN_FRACTION 0.8

static void warn(char (*list)[FSK_ANALYZE_MSG_MAX], int *count, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(char (*list)[FSK_ANALYZE_MSG_MAX], int *count, const char *fmt, ...)
{
    if (*count >= FSK_ANALYZE_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(list[*count], FSK_ANALYZE_MSG_MAX, fmt, ap);
    va_end(ap);
    (*count)++;
}

/* One grid's attempt on a scan: its base, blobs and mark match. */
typedef struct attempt {
    double base[3], threshold;
    fsk_blob *blobs;
    size_t count;
    fsk_mark_match match;
    int rc;
    fsk_err err;
} attempt;

static void attempt_free(attempt *a)
{
    free(a->blobs);
    free(a->match.mark_blob);
    memset(a, 0, sizeof *a);
}

/* Finds blobs against base and matches the grid's marks; blobs of a
 * previous attempt with the same base and threshold are reused. */
static void try_base(const fsk_linear_image *img, const fsk_grid *g, const double base[3],
                     const attempt *same, attempt *a)
{
    memset(a, 0, sizeof *a);
    memcpy(a->base, base, sizeof a->base);
    a->threshold = fsk_marks_threshold(g);
    if (same && same->blobs && fsk_root_distance(same->base, a->base) < 1e-9 &&
        same->threshold == a->threshold) {
        a->blobs = malloc((same->count ? same->count : 1) * sizeof *a->blobs);
        if (!a->blobs) {
            a->rc = fsk_err_set(&a->err, FSK_ENOMEM, "out of memory");
            return;
        }
        memcpy(a->blobs, same->blobs, same->count * sizeof *a->blobs);
        a->count = same->count;
    } else {
        /* A mark smaller than 6x6 pixels cannot be told from a speck. */
        a->rc = fsk_blobs_find(img, a->base, a->threshold, 36, MAX_BLOBS, &a->blobs, &a->count,
                               &a->err);
        if (a->rc)
            return;
    }
    a->rc = fsk_marks_match(g, a->blobs, a->count, &a->match, &a->err);
}

/* Whether attempt a explains the scan better than b. */
static bool better(const attempt *a, const fsk_grid *ga, const attempt *b, const fsk_grid *gb)
{
    if (a->rc != 0)
        return false;
    if (b->rc != 0)
        return true;
    double fa = (double)a->match.found / (double)ga->mark_count;
    double fb = (double)b->match.found / (double)gb->mark_count;
    return fa > fb || (fa == fb && a->match.patch_support > b->match.patch_support);
}

/*
 * Tries grid g against the scan with each candidate base color (the
 * backing and the scanner lid can both be common), keeping the best.
 */
static void try_grid(const fsk_linear_image *img, const fsk_grid *g, const attempt *prev,
                     attempt *best)
{
    enum { MAX_BASES = 4 };
    double nominal[3], bases[MAX_BASES][3];
    fsk_marks_predicted_base(g, nominal);
    int nb = fsk_marks_base_colors(img, nominal, bases, MAX_BASES);
    memset(best, 0, sizeof *best);
    best->rc = fsk_err_set(&best->err, nb ? FSK_EFORMAT : FSK_ENOMEM,
                           nb ? "found no fiducial marks" : "out of memory");
    for (int k = 0; k < nb; k++) {
        attempt a;
        try_base(img, g, bases[k], prev, &a);
        if (a.rc == FSK_ENOMEM || better(&a, g, best, g) || (k == 0 && best->rc != 0)) {
            attempt_free(best);
            *best = a;
        } else {
            attempt_free(&a);
        }
        if (best->rc == FSK_ENOMEM ||
            (best->rc == 0 && best->match.found == g->mark_count))
            break;
    }
}

/* Verifies and measures the scan of grid g found by a. */
static int read_grid(const char *name, const fsk_linear_image *img, const fsk_grid *g,
                     const attempt *a, fsk_scan_result *out, fsk_err *err)
{
    int rc = fsk_register_refine(g, a->blobs, a->count, &a->match, &out->reg, err);
    if (rc)
        return rc;
    const fsk_affine *map = &out->reg.map;
    double scale = fsk_affine_scale(map);
    out->dpi = 25.4 * scale;
    out->dpi_file = img->dpi_x > 0 ? img->dpi_x : 0;
    memcpy(out->base, a->base, sizeof out->base);
    out->mark_found = calloc(g->mark_count ? g->mark_count : 1, 1);
    out->patch = calloc(g->patch_count ? g->patch_count : 1, sizeof *out->patch);
    if (!out->mark_found || !out->patch)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    double min_mark = INFINITY;
    for (size_t k = 0; k < g->mark_count; k++) {
        out->mark_found[k] = a->match.mark_blob[k] >= 0;
        min_mark = fmin(min_mark, fmin(g->marks[k].rect_mm[2], g->marks[k].rect_mm[3]));
    }
    double mark_tol = fmax(0.5, 0.15 * min_mark);
    if (out->reg.mark_err_mm > mark_tol)
        return fsk_err_set(err, FSK_EFORMAT,
                           "cannot read the grid in '%s': the fiducial marks are up to %.1f mm "
                           "off the places the patches put them",
                           name, out->reg.mark_err_mm);

    fsk_gap_sample *gaps = NULL;
    rc = fsk_sample_gaps(img, g, map, &gaps, &out->gap_samples, err);
    if (rc)
        return rc;
    fsk_flat_field_fit(gaps, out->gap_samples, g->size_mm, &out->flat);
    out->gap_fraction = fsk_register_gap_fraction(gaps, out->gap_samples, &out->flat, a->base,
                                                  fmax(0.04, 0.5 * a->threshold));
    free(gaps);
    if (out->gap_samples >= 12 && out->gap_fraction < GAP_MIN_FRACTION)
        return fsk_err_set(err, FSK_EFORMAT,
                           "cannot read the grid in '%s': only %.0f%% of the gaps between "
                           "patches show the base color",
                           name, 100 * out->gap_fraction);
    if (out->gap_samples < 12)
        warn(out->warnings, &out->warning_count,
             "'%s': the gaps between patches are too narrow at %.0f dpi to check them or to "
             "correct uneven illumination",
             name, out->dpi);
    else if (!out->flat.valid)
        warn(out->warnings, &out->warning_count,
             "'%s': the illumination could not be modelled from the gaps; not corrected",
             name);

    fsk_model prior;
    fsk_model_from_filaments(g->filaments, g->filament_count, &prior);
    rc = fsk_register_check_shift(img, g, map, &out->flat, &prior, &out->shift, err);
    if (rc)
        return rc;
    const fsk_shift_check *sc = &out->shift;
    if (sc->done && sc->margin < 1.0)
        return fsk_err_set(err, FSK_EFORMAT,
                           "cannot read the grid in '%s': the patch colors fit the filament "
                           "model better read %s (ΔE00 %.1f against %.1f): was the grid "
                           "printed or scanned shifted?",
                           name, fsk_shift_name(sc->best_dx, sc->best_dy),
                           sc->de[sc->best_dy + 1][sc->best_dx + 1], sc->de[1][1]);
    if (sc->done && sc->margin < FSK_SHIFT_MIN_MARGIN)
        return fsk_err_set(err, FSK_EFORMAT,
                           "cannot read the grid in '%s': the patch colors do not pin the "
                           "grid's position down: read %s they fit the filament model about as "
                           "well (ΔE00 %.1f against %.1f)",
                           name, fsk_shift_name(sc->best_dx, sc->best_dy),
                           sc->de[sc->best_dy + 1][sc->best_dx + 1], sc->de[1][1]);
    if (!sc->done)
        warn(out->warnings, &out->warning_count,
             "'%s': too few patches to check the reading against shifted positions", name);

    fsk_sample_opts so = {.max_pixels = 20000, .spread = true};
    rc = fsk_sample_patches(img, g, map, &out->flat, &so, out->patch, err);
    if (rc)
        return rc;
    size_t outside = 0, clipped = 0;
    for (size_t i = 0; i < g->patch_count; i++) {
        clipped += out->patch[i].clipped;
        out->measured += out->patch[i].valid;
        out->flagged += out->patch[i].flagged;
        outside += !out->patch[i].valid;
    }
    if (outside)
        warn(out->warnings, &out->warning_count,
             "'%s': %zu of %zu patches lie outside the scan and were not measured", name,
             outside, g->patch_count);
    if (clipped)
        warn(out->warnings, &out->warning_count,
             "'%s': %zu patches are too bright for the scanner (clipped at full scale); "
             "scan with a lower brightness or gamma",
             name, clipped);
    if (out->dpi_file > 0 && fabs(out->dpi / out->dpi_file - 1) > 0.03)
        warn(out->warnings, &out->warning_count,
             "'%s': the file says %.0f dpi but the grid measures %.0f dpi: was it scaled "
             "when printed or scanned?",
             name, out->dpi_file, out->dpi);
    return 0;
}

/* Whether attempts a and b found as many marks, and about as many patches. */
static bool same_marks(const attempt *a, const fsk_grid *ga, const attempt *b,
                       const fsk_grid *gb)
{
    return a->match.found * gb->mark_count == b->match.found * ga->mark_count &&
           (double)a->match.patch_support >= 0.9 * (double)b->match.patch_support;
}

/* How well grid g's patch colors, read as attempt a found them, fit the
 * filament model: the fitted model's mean ΔE00 in *de. */
static int color_fit(const fsk_linear_image *img, const fsk_grid *g, const attempt *a,
                     double *de, fsk_err *err)
{
    fsk_registration reg;
    int rc = fsk_register_refine(g, a->blobs, a->count, &a->match, &reg, err);
    if (rc)
        return rc;
    size_t n = g->patch_count;
    fsk_patch_sample *s = malloc((n ? n : 1) * sizeof *s);
    uint8_t(*seq)[FSK_MAX_COLOR_LAYERS] = malloc((n ? n : 1) * sizeof *seq);
    double(*rgb)[3] = malloc((n ? n : 1) * sizeof *rgb);
    unsigned char *use = malloc(n ? n : 1);
    if (!s || !seq || !rgb || !use) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    fsk_sample_opts so = {.max_pixels = 400};
    rc = fsk_sample_patches(img, g, &reg.map, NULL, &so, s, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        memcpy(seq[i], g->patches[i].sequence, sizeof seq[i]);
        memcpy(rgb[i], s[i].rgb, sizeof rgb[i]);
        use[i] = s[i].valid;
    }
    fsk_model prior, fitted;
    fsk_model_from_filaments(g->filaments, g->filament_count, &prior);
    fsk_fit_data data = {&g->construction, n, (const uint8_t(*)[FSK_MAX_COLOR_LAYERS])seq,
                         (const double(*)[3])rgb, use};
    if (rc == 0)
        rc = fsk_model_fit(&prior, &data, &fitted, err);
    if (rc == 0)
        *de = fsk_model_mean_de00(&fitted, &data, NULL);
    if (rc == FSK_EINVAL) {
        /* Too few patches in the scan to fit: this page fits nothing. */
        *de = INFINITY;
        rc = 0;
    }
done:
    free(s);
    free(seq);
    free(rgb);
    free(use);
    return rc;
}

int fsk_analyze_scan(const char *name, const fsk_linear_image *img,
                     const fsk_grid *const *grids, size_t grid_count, fsk_scan_result *out,
                     fsk_err *err)
{
    memset(out, 0, sizeof *out);
    if (grid_count == 0)
        return fsk_err_set(err, FSK_EINVAL, "no grid to look for");
    attempt *att = calloc(grid_count, sizeof *att);
    if (!att)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    size_t best = 0;
    bool any = false;
    int rc = 0;
    for (size_t k = 0; k < grid_count; k++) {
        try_grid(img, grids[k], k ? &att[k - 1] : NULL, &att[k]);
        if (att[k].rc == FSK_ENOMEM) {
            rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
            goto done;
        }
        if (att[k].rc)
            continue;
        double frac = (double)att[k].match.found / (double)grids[k]->mark_count;
        double best_frac = any ? (double)att[best].match.found / (double)grids[best]->mark_count
                               : -1;
        if (!any || frac > best_frac ||
            (frac == best_frac && att[k].match.patch_support > att[best].match.patch_support)) {
            best = k;
            any = true;
        }
    }
    if (any) {
        /* Pages of one grid share their layout and marks: which page a scan
         * shows is told by how well its colors fit the filament model. */
        size_t contenders = 0;
        for (size_t k = 0; k < grid_count; k++)
            contenders += att[k].rc == 0 && same_marks(&att[k], grids[k], &att[best], grids[best]);
        if (contenders > 1) {
            double best_de = INFINITY, second = INFINITY;
            for (size_t k = 0; k < grid_count; k++) {
                if (att[k].rc != 0 || !same_marks(&att[k], grids[k], &att[best], grids[best]))
                    continue;
                double de;
                rc = color_fit(img, grids[k], &att[k], &de, err);
                if (rc)
                    goto done;
                if (de < best_de) {
                    second = best_de;
                    best_de = de;
                    best = k;
                } else if (de < second) {
                    second = de;
                }
            }
            if (second < 1.3 * best_de) {
                rc = fsk_err_set(err, FSK_EFORMAT,
                                 "cannot read the grid in '%s': it could be page %d or page %d "
                                 "of the grid: their patch colors fit about as well (ΔE00 %.1f "
                                 "and %.1f)",
                                 name, grids[best]->page, grids[best == 0 ? 1 : 0]->page, best_de,
                                 second);
                goto done;
            }
        }
    }
    if (!any) {
        /* Say what the most promising grid found. */
        const attempt *a = &att[0];
        rc = fsk_err_set(err, FSK_EFORMAT, "no calibration grid found in '%s': %s", name,
                         a->err.msg[0] ? a->err.msg : "nothing found");
        goto done;
    }
    out->grid = best;
    rc = read_grid(name, img, grids[best], &att[best], out, err);
done:
    for (size_t k = 0; k < grid_count; k++)
        attempt_free(&att[k]);
    free(att);
    if (rc)
        fsk_scan_result_free(out);
    return rc;
}

void fsk_scan_result_free(fsk_scan_result *r)
{
    if (!r)
        return;
    free(r->mark_found);
    free(r->patch);
    memset(r, 0, sizeof *r);
}

/* ---- combining ----------------------------------------------------- */

static bool same_setup(const fsk_grid *a, const fsk_grid *b)
{
    if (a->filament_count != b->filament_count)
        return false;
    for (int k = 0; k < a->filament_count; k++)
        if (strcmp(a->filaments[k].name, b->filaments[k].name) != 0 ||
            memcmp(a->filaments[k].rgb, b->filaments[k].rgb, 3) != 0)
            return false;
    const fsk_construction *x = &a->construction, *y = &b->construction;
    return fabs(x->layer_height_mm - y->layer_height_mm) < 1e-9 &&
           x->color_layers == y->color_layers && x->backing_filament == y->backing_filament &&
           fabs(x->backing_mm - y->backing_mm) < 1e-9 && x->view == y->view;
}

typedef struct measure {
    uint64_t index; /* canonical sequence index */
    size_t scan, patch;
} measure;

static int measure_order(const void *pa, const void *pb)
{
    const measure *a = pa, *b = pb;
    if (a->index != b->index)
        return a->index < b->index ? -1 : 1;
    if (a->scan != b->scan)
        return a->scan < b->scan ? -1 : 1;
    return (a->patch > b->patch) - (a->patch < b->patch);
}

static void fill_entry(fsk_cal_entry *e, const double lin[3], double spread, fsk_origin origin)
{
    for (int c = 0; c < 3; c++)
        e->rgb[c] = 255.0 * fsk_linear_to_srgb(fmin(fmax(lin[c], 0), 1));
    double clamped[3] = {fmin(fmax(lin[0], 0), 1), fmin(fmax(lin[1], 0), 1),
                         fmin(fmax(lin[2], 0), 1)};
    fsk_linear_to_lab(clamped, e->lab);
    e->spread = spread;
    e->origin = origin;
}

int fsk_analyze_combine(const fsk_grid *const *grids, size_t grid_count,
                        const fsk_scan_result *scans, size_t scan_count, const char *device,
                        fsk_analysis *out, fsk_err *err)
{
    memset(out, 0, sizeof *out);
    if (grid_count == 0 || scan_count == 0)
        return fsk_err_set(err, FSK_EINVAL, "nothing to combine");
    const fsk_grid *g0 = grids[0];
    for (size_t k = 1; k < grid_count; k++)
        if (!same_setup(g0, grids[k]))
            return fsk_err_set(err, FSK_EINVAL,
                               "grid %zu is for other filaments or another construction than "
                               "grid 1",
                               k + 1);
    const int n = g0->filament_count, m = g0->construction.color_layers;
    size_t total = 0;
    for (size_t s = 0; s < scan_count; s++)
        total += grids[scans[s].grid]->patch_count;
    measure *ms = malloc((total ? total : 1) * sizeof *ms);
    uint8_t(*seq)[FSK_MAX_COLOR_LAYERS] = malloc((total ? total : 1) * sizeof *seq);
    double(*rgb)[3] = malloc((total ? total : 1) * sizeof *rgb);
    double *spread = malloc((total ? total : 1) * sizeof *spread);
    unsigned char *flag = malloc(total ? total : 1);
    int rc = 0;
    if (!ms || !seq || !rgb || !spread || !flag) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    size_t nm = 0;
    for (size_t s = 0; s < scan_count; s++) {
        const fsk_grid *g = grids[scans[s].grid];
        for (size_t i = 0; i < g->patch_count; i++) {
            if (!scans[s].patch[i].valid)
                continue;
            uint64_t idx = fsk_sequence_index(g->patches[i].sequence, m, n);
            if (idx == UINT64_MAX)
                continue;
            ms[nm++] = (measure){idx, s, i};
        }
    }
    qsort(ms, nm, sizeof *ms, measure_order);
    /* One value per sequence: the mean of its measurements in linear
     * light; the spread covers each measurement and their disagreement. */
    size_t nu = 0;
    for (size_t a = 0; a < nm;) {
        size_t b = a;
        double sum[3] = {0};
        while (b < nm && ms[b].index == ms[a].index) {
            const fsk_patch_sample *p = &scans[ms[b].scan].patch[ms[b].patch];
            for (int c = 0; c < 3; c++)
                sum[c] += p->rgb[c];
            b++;
        }
        double mean[3], lab[3];
        for (int c = 0; c < 3; c++)
            mean[c] = sum[c] / (double)(b - a);
        fsk_linear_to_lab(mean, lab);
        double sp = 0;
        bool flagged = false;
        for (size_t k = a; k < b; k++) {
            const fsk_patch_sample *p = &scans[ms[k].scan].patch[ms[k].patch];
            double plab[3];
            fsk_linear_to_lab(p->rgb, plab);
            sp = fmax(sp, fmax(p->spread, b - a > 1 ? fsk_de2000(lab, plab) : 0));
            flagged = flagged || p->flagged;
        }
        const fsk_grid *g = grids[scans[ms[a].scan].grid];
        memcpy(seq[nu], g->patches[ms[a].patch].sequence, sizeof seq[nu]);
        memcpy(rgb[nu], mean, sizeof mean);
        spread[nu] = sp;
        flag[nu] = flagged;
        ms[nu].index = ms[a].index;
        nu++;
        a = b;
    }
    out->measured = nu;
    for (size_t i = 0; i < nu; i++)
        out->flagged += flag[i];

    fsk_model prior, fitted;
    fsk_model_from_filaments(g0->filaments, n, &prior);
    fsk_fit_data data = {&g0->construction, nu, (const uint8_t(*)[FSK_MAX_COLOR_LAYERS])seq,
                         (const double(*)[3])rgb, NULL};
    if (nu >= 2) {
        /* Patches that are not uniform do not teach the model. */
        unsigned char *use = malloc(nu);
        if (!use) {
            rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
            goto done;
        }
        size_t good = 0;
        for (size_t i = 0; i < nu; i++)
            good += use[i] = !flag[i];
        data.use = good >= 2 ? use : NULL;
        rc = fsk_model_fit(&prior, &data, &fitted, err);
        if (rc == 0) {
            out->fit_mean_de00 = fsk_model_mean_de00(&fitted, &data, NULL);
            fsk_err kerr = {0};
            out->kfold_done = fsk_model_kfold(&prior, &data, 5, &out->kfold_mean_de00,
                                              &out->kfold_p95_de00, &out->kfold_max_de00,
                                              &kerr) == 0;
            if (kerr.code == FSK_ENOMEM)
                rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        }
        data.use = NULL;
        free(use);
        if (rc)
            goto done;
    } else {
        fitted = prior;
    }
    char msgs[4][FSK_ANALYZE_MSG_MAX];
    int suspects = fsk_model_check_filaments(g0->filaments, n, &prior, &fitted, msgs[0],
                                             sizeof msgs[0], 4);
    for (int k = 0; k < suspects && k < 4; k++)
        warn(out->warnings, &out->warning_count, "%s", msgs[k]);

    uint64_t all = fsk_sequence_count(n, m);
    size_t entries = all > 0 && all <= FSK_CAL_MAX_ENTRIES ? (size_t)all : nu;
    fsk_calibration *cal = fsk_calibration_new(entries, err);
    if (!cal) {
        rc = err && err->code ? err->code : FSK_ENOMEM;
        goto done;
    }
    cal->filament_count = n;
    memcpy(cal->filaments, g0->filaments, sizeof cal->filaments);
    cal->construction = g0->construction;
    snprintf(cal->source.kind, sizeof cal->source.kind, "scan");
    snprintf(cal->source.device, sizeof cal->source.device, "%s", device ? device : "");
    /* PNG stores dots per metre: 150 dpi comes back as 150.0124. */
    cal->source.dpi = scans[0].dpi_file > 0 ? round(scans[0].dpi_file * 10) / 10
                                            : round(scans[0].dpi);
    cal->source.scans = (int)scan_count;
    for (size_t s = 0; s < scan_count; s++) {
        const fsk_flat_field *f = &scans[s].flat;
        if (!f->valid)
            continue;
        if (cal->source.flat_field[1] == 0) {
            cal->source.flat_field[0] = f->min_gain;
            cal->source.flat_field[1] = f->max_gain;
        }
        cal->source.flat_field[0] = fmin(cal->source.flat_field[0], f->min_gain);
        cal->source.flat_field[1] = fmax(cal->source.flat_field[1], f->max_gain);
    }
    if (entries == nu) {
        for (size_t i = 0; i < nu; i++) {
            memcpy(cal->entries[i].sequence, seq[i], sizeof cal->entries[i].sequence);
            fill_entry(&cal->entries[i], rgb[i], spread[i], FSK_ORIGIN_SCAN);
        }
    } else {
        size_t u = 0;
        for (size_t i = 0; i < entries; i++) {
            fsk_cal_entry *e = &cal->entries[i];
            fsk_sequence_nth(n, m, i, e->sequence);
            if (u < nu && ms[u].index == i) {
                fill_entry(e, rgb[u], spread[u], FSK_ORIGIN_SCAN);
                u++;
            } else {
                double lin[3];
                fsk_model_predict(&fitted, &g0->construction, e->sequence, lin);
                fill_entry(e, lin, 0, FSK_ORIGIN_MODEL);
                out->filled++;
            }
        }
    }
    rc = fsk_calibration_check("analyzed calibration", cal, err);
    if (rc) {
        fsk_calibration_free(cal);
        goto done;
    }
    out->cal = cal;
done:
    free(ms);
    free(seq);
    free(rgb);
    free(spread);
    free(flag);
    if (rc)
        fsk_analysis_free(out);
    return rc;
}

void fsk_analysis_free(fsk_analysis *a)
{
    if (!a)
        return;
    fsk_calibration_free(a->cal);
    memset(a, 0, sizeof *a);
}
