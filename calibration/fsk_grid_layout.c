/*
 * fsk_grid_layout.c — the sequences of a calibration grid and their places
 * on the plate (rules in fsk_grid_layout.h). Lengths are integers in units
 * of FSK_GRID_UNIT_MM until they are stored in the grid.
 */
#include "fsk_grid_layout.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_3mf.h"
#include "fsk_cal_json.h"
#include "fsk_color.h"
#include "fsk_model.h"

/* Lengths in units of FSK_GRID_UNIT_MM. */
#define U(mm) ((long)lround((mm) / FSK_GRID_UNIT_MM))

/* ---- which sequences ---------------------------------------------------- */

int fsk_grid_base_filament(const fsk_filament *filaments, int n,
                           const fsk_construction *c)
{
    if (c->backing_filament > 0)
        return c->backing_filament;
    fsk_construction lightest;
    fsk_model_default_construction(filaments, n, c->layer_height_mm, &lightest);
    return lightest.backing_filament;
}

/* Predicted Lab of the full-height stack of filament k; k = 0 gives the
 * empty sequence, which shows the backing alone. */
static void stack_lab(const fsk_model *model, const fsk_construction *c, int k,
                      double lab[3])
{
    uint8_t seq[FSK_MAX_COLOR_LAYERS] = {0};
    for (int i = 0; i < c->color_layers; i++)
        seq[i] = (uint8_t)k;
    double lin[3];
    fsk_model_predict(model, c, seq, lin);
    fsk_linear_to_lab(lin, lab);
}

int fsk_grid_mark_filament(const fsk_filament *filaments, int n,
                           const fsk_construction *c)
{
    fsk_model model;
    fsk_model_from_filaments(filaments, n, &model);
    int base = fsk_grid_base_filament(filaments, n, c);
    double base_lab[3];
    /* With a backing the gaps print only the backing (an empty sequence);
     * without, the base filament's full stack. */
    stack_lab(&model, c, c->backing_filament > 0 ? 0 : base, base_lab);
    int best = 1;
    double best_de = -1;
    for (int k = 1; k <= n; k++) {
        double lab[3];
        stack_lab(&model, c, k, lab);
        double de = fsk_de2000(lab, base_lab);
        if (de > best_de + 1e-9) {
            best_de = de;
            best = k;
        }
    }
    return best;
}

int fsk_grid_select(const fsk_filament *filaments, int n, const fsk_construction *c,
                    size_t count, uint32_t *out, fsk_err *err)
{
    const int m = c->color_layers;
    uint64_t total = fsk_sequence_count(n, m);
    size_t singles = (size_t)n * (size_t)m;
    if (total == 0 || total > FSK_GRID_MAX_SEQUENCES || count < singles || count > total ||
        count > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_EINVAL,
                           "cannot choose %zu of the sequences of %d filaments in %d "
                           "layers",
                           count, n, m);
    double (*lab)[3] = malloc((size_t)total * sizeof *lab);
    double *dist = malloc((size_t)total * sizeof *dist);
    if (!lab || !dist) {
        free(lab);
        free(dist);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    fsk_model model;
    fsk_model_from_filaments(filaments, n, &model);
    for (uint64_t i = 0; i < total; i++) {
        uint8_t seq[FSK_MAX_COLOR_LAYERS];
        double lin[3];
        fsk_sequence_nth(n, m, i, seq);
        fsk_model_predict(&model, c, seq, lin);
        fsk_linear_to_lab(lin, lab[i]);
        dist[i] = INFINITY;
    }
    /* dist[i]: distance to the nearest chosen one; -1 once chosen. */
    size_t chosen = 0;
    for (size_t step = 0; step < count; step++) {
        uint64_t pick = 0;
        if (step < singles) {
            uint8_t seq[FSK_MAX_COLOR_LAYERS] = {0};
            int k = (int)(step / (size_t)m) + 1, h = (int)(step % (size_t)m) + 1;
            for (int i = 0; i < h; i++)
                seq[i] = (uint8_t)k;
            pick = fsk_sequence_index(seq, m, n);
        } else {
            double best = -1;
            for (uint64_t i = 0; i < total; i++)
                if (dist[i] > best) {
                    best = dist[i];
                    pick = i;
                }
        }
        dist[pick] = -1;
        chosen++;
        for (uint64_t i = 0; i < total; i++) {
            if (dist[i] < 0)
                continue;
            double d0 = lab[i][0] - lab[pick][0], d1 = lab[i][1] - lab[pick][1],
                   d2 = lab[i][2] - lab[pick][2];
            double d = sqrt(d0 * d0 + d1 * d1 + d2 * d2);
            if (d < dist[i])
                dist[i] = d;
        }
    }
    size_t k = 0;
    for (uint64_t i = 0; i < total && k < chosen; i++)
        if (dist[i] < 0)
            out[k++] = (uint32_t)i;
    free(lab);
    free(dist);
    return 0;
}

/* ---- where they go ------------------------------------------------------ */

typedef struct shape {
    long patch, gap;          /* units */
    long width, height;       /* plate */
    int cols, rows;
} shape;

/* The plate holding cols x rows patches. */
static void plate_size(shape *s)
{
    long pitch = s->patch + s->gap;
    long block_w = s->cols * pitch - s->gap, block_h = s->rows * pitch - s->gap;
    long marks_w = 2 * U(FSK_GRID_EDGE_MM) + U(FSK_GRID_MARK_TL_MM) +
                   U(FSK_GRID_CLEAR_MM) + U(FSK_GRID_MARK_TR_MM);
    s->width = 2 * U(FSK_GRID_EDGE_MM) + block_w;
    if (s->width < marks_w)
        s->width = marks_w;
    s->height = 2 * U(FSK_GRID_EDGE_MM) + U(FSK_GRID_MARK_TL_MM) + U(FSK_GRID_MARK_BL_MM) +
                2 * U(FSK_GRID_CLEAR_MM) + block_h;
}

/* What bounds a plate: the two ways it can lie on the glass (each within
 * the bed), and the wipe tower beside it. */
typedef struct bounds {
    long lim[2][2];
    const fsk_grid_layout_options *opt;
    int tool_changes;
    double layer_mm;
} bounds;

static bounds make_bounds(const fsk_grid_layout_options *opt, int n,
                          const fsk_construction *c)
{
    bounds b = {.opt = opt, .tool_changes = n - 1, .layer_mm = c->layer_height_mm};
    long bed_x = (long)floor(opt->bed_mm[0] / FSK_GRID_UNIT_MM + 1e-6);
    long bed_y = (long)floor(opt->bed_mm[1] / FSK_GRID_UNIT_MM + 1e-6);
    long gw = U(FSK_GRID_SCANNER_W_MM - 2 * FSK_GRID_SCANNER_MARGIN_MM);
    long gh = U(FSK_GRID_SCANNER_H_MM - 2 * FSK_GRID_SCANNER_MARGIN_MM);
    b.lim[0][0] = bed_x < gw ? bed_x : gw;
    b.lim[0][1] = bed_y < gh ? bed_y : gh;
    b.lim[1][0] = bed_x < gh ? bed_x : gh;
    b.lim[1][1] = bed_y < gw ? bed_y : gw;
    return b;
}

static bool fits(const bounds *b, int o, const shape *s)
{
    if (s->width > b->lim[o][0] || s->height > b->lim[o][1])
        return false;
    return !b->opt->wipe_tower || b->tool_changes < 1 ||
           fsk_3mf_tower_fits(b->opt->bed_mm, (double)s->width * FSK_GRID_UNIT_MM,
                              (double)s->height * FSK_GRID_UNIT_MM, b->tool_changes,
                              b->layer_mm);
}

/* Most rows of cols columns that fit orientation o (0 when none). */
static int max_rows(const bounds *b, int o, long patch, long gap, int cols)
{
    shape s = {.patch = patch, .gap = gap, .cols = cols, .rows = 1};
    int rows = 0;
    for (;; s.rows++) {
        plate_size(&s);
        if (s.height > b->lim[o][1])
            break;
        if (fits(b, o, &s))
            rows = s.rows;
    }
    return rows;
}

/* Most columns any plate can have in orientation o. */
static int max_cols(const bounds *b, int o, long patch, long gap)
{
    shape s = {.patch = patch, .gap = gap, .cols = 1, .rows = 1};
    for (;; s.cols++) {
        plate_size(&s);
        if (s.width > b->lim[o][0])
            return s.cols - 1;
    }
}

static size_t capacity(const bounds *b, long patch, long gap)
{
    size_t best = 0;
    for (int o = 0; o < 2; o++)
        for (int cols = max_cols(b, o, patch, gap); cols >= 1; cols--) {
            size_t cap = (size_t)cols * (size_t)max_rows(b, o, patch, gap, cols);
            best = cap > best ? cap : best;
        }
    return best;
}

/* The squarest plate for count patches (the shortest longer side, then the
 * smallest area, then the fewest columns); count must not exceed capacity.
 * Square plates warp less and leave the bed room for a wipe tower. */
static shape best_shape(const bounds *b, long patch, long gap, size_t count)
{
    shape best = {0};
    for (int o = 0; o < 2; o++) {
        int cols_max = max_cols(b, o, patch, gap);
        for (int cols = 1; cols <= cols_max; cols++) {
            size_t rows = (count + (size_t)cols - 1) / (size_t)cols;
            shape s = {.patch = patch, .gap = gap, .cols = cols, .rows = (int)rows};
            plate_size(&s);
            if (rows > (size_t)INT_MAX / 2 || !fits(b, o, &s))
                continue;
            long side = s.width > s.height ? s.width : s.height;
            long best_side = best.width > best.height ? best.width : best.height;
            long area = s.width * s.height, best_area = best.width * best.height;
            if (!best.cols || side < best_side || (side == best_side && area < best_area))
                best = s;
        }
    }
    return best;
}

static void set_rect(double r[4], long x, long y, long w, long h)
{
    r[0] = (double)x * FSK_GRID_UNIT_MM;
    r[1] = (double)y * FSK_GRID_UNIT_MM;
    r[2] = (double)w * FSK_GRID_UNIT_MM;
    r[3] = (double)h * FSK_GRID_UNIT_MM;
}

/* One plate with the sequences idx[0..count) (canonical indices). */
static fsk_grid *make_page(const fsk_filament *filaments, int n, const fsk_construction *c,
                           const bounds *b, long patch, long gap,
                           const uint32_t *idx, size_t count, int first_id, fsk_err *err)
{
    fsk_grid *g = fsk_grid_new(3, count, err);
    if (!g)
        return NULL;
    shape s = best_shape(b, patch, gap, count);
    g->filament_count = n;
    memcpy(g->filaments, filaments, (size_t)n * sizeof *filaments);
    g->construction = *c;
    g->size_mm[0] = (double)s.width * FSK_GRID_UNIT_MM;
    g->size_mm[1] = (double)s.height * FSK_GRID_UNIT_MM;
    g->base_filament = fsk_grid_base_filament(filaments, n, c);
    int mark = fsk_grid_mark_filament(filaments, n, c);
    long e = U(FSK_GRID_EDGE_MM), tl = U(FSK_GRID_MARK_TL_MM), tr = U(FSK_GRID_MARK_TR_MM),
         bl = U(FSK_GRID_MARK_BL_MM);
    g->marks[0].filament = g->marks[1].filament = g->marks[2].filament = mark;
    set_rect(g->marks[0].rect_mm, e, e, tl, tl);
    set_rect(g->marks[1].rect_mm, s.width - e - tr, e, tr, tr);
    set_rect(g->marks[2].rect_mm, e, s.height - e - bl, bl, bl);
    long top = e + tl + U(FSK_GRID_CLEAR_MM), pitch = patch + gap;
    for (size_t i = 0; i < count; i++) {
        fsk_grid_patch *p = &g->patches[i];
        p->id = first_id + (int)i;
        fsk_sequence_nth(n, c->color_layers, idx[i], p->sequence);
        set_rect(p->rect_mm, e + (long)(i % (size_t)s.cols) * pitch,
                 top + (long)(i / (size_t)s.cols) * pitch, patch, patch);
    }
    return g;
}

void fsk_grid_pages_free(fsk_grid **pages, int count)
{
    if (!pages)
        return;
    for (int i = 0; i < count; i++)
        fsk_grid_free(pages[i]);
    free(pages);
}

/* A length option as a whole number of units, or -1. */
static long to_units(double mm)
{
    double u = mm / FSK_GRID_UNIT_MM;
    return fabs(u - round(u)) < 1e-6 ? lround(u) : -1;
}

int fsk_grid_layout(const fsk_filament *filaments, int n, const fsk_construction *c,
                    const fsk_grid_layout_options *opt, fsk_grid ***pages_out,
                    int *count_out, fsk_err *err)
{
    *pages_out = NULL;
    *count_out = 0;
    double patch_mm = opt->patch_mm > 0 ? opt->patch_mm : FSK_GRID_DEFAULT_PATCH_MM;
    double gap_mm = opt->gap_mm >= 0 ? opt->gap_mm : FSK_GRID_DEFAULT_GAP_MM;
    long patch = to_units(patch_mm), gap = to_units(gap_mm);
    if (patch < U(1.0) || patch > U(50.0))
        return fsk_err_set(err, FSK_EINVAL,
                           "patch size %g mm: expected a multiple of %g mm from 1 to 50",
                           patch_mm, FSK_GRID_UNIT_MM);
    if (gap < 0 || gap > U(20.0))
        return fsk_err_set(err, FSK_EINVAL,
                           "gap %g mm: expected a multiple of %g mm from 0 to 20", gap_mm,
                           FSK_GRID_UNIT_MM);
    int rc = fsk_cal_json_check_filaments("grid", filaments, n, err);
    if (!rc)
        rc = fsk_cal_json_check_construction("grid", c, n, err);
    if (rc)
        return rc;
    const int m = c->color_layers;
    uint64_t total = fsk_sequence_count(n, m);
    if (total == 0 || total > FSK_GRID_MAX_SEQUENCES)
        return fsk_err_set(err, FSK_ELIMIT,
                           "%d filaments in %d layers make more than %d sequences to "
                           "choose from", n, m, FSK_GRID_MAX_SEQUENCES);
    if (opt->pages && total > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_ELIMIT,
                           "%d filaments in %d layers make %llu sequences, more than the "
                           "%d a calibration holds", n, m, (unsigned long long)total,
                           FSK_CAL_MAX_ENTRIES);
    size_t singles = (size_t)n * (size_t)m;
    bounds b = make_bounds(opt, n, c);
    size_t cap = capacity(&b, patch, gap);
    if (cap < singles)
        return fsk_err_set(err, FSK_ELIMIT,
                           "a plate that fits the %g x %g mm bed%s and the scanner glass "
                           "holds %zu patches of %g mm, fewer than the %zu single-filament "
                           "stacks of %d filaments in %d layers",
                           opt->bed_mm[0], opt->bed_mm[1],
                           opt->wipe_tower && n > 1 ? " beside the wipe tower" : "", cap,
                           patch_mm, singles, n, m);
    if (opt->max_patches > 0 && opt->max_patches < singles)
        return fsk_err_set(err, FSK_ELIMIT,
                           "a plate of at most %zu patches cannot hold the %zu "
                           "single-filament stacks of %d filaments in %d layers",
                           opt->max_patches, singles, n, m);
    size_t per_page = cap;
    if (opt->max_patches > 0 && opt->max_patches < per_page)
        per_page = opt->max_patches;
    size_t chosen = total < per_page ? (size_t)total : per_page;
    int page_count = 1;
    if (opt->pages) {
        chosen = (size_t)total;
        size_t pages = (chosen + per_page - 1) / per_page;
        if (pages > FSK_GRID_MAX_PAGES)
            return fsk_err_set(err, FSK_ELIMIT,
                               "%zu sequences need %zu pages of at most %zu patches, more "
                               "than %d",
                               chosen, pages, per_page, FSK_GRID_MAX_PAGES);
        page_count = (int)pages;
        per_page = (chosen + pages - 1) / pages; /* pages of even size */
    }
    uint32_t *idx = malloc(chosen * sizeof *idx);
    fsk_grid **pages = calloc((size_t)page_count, sizeof *pages);
    if (!idx || !pages)
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    else if (chosen < total)
        rc = fsk_grid_select(filaments, n, c, chosen, idx, err);
    else
        for (size_t i = 0; i < chosen; i++)
            idx[i] = (uint32_t)i;
    for (int p = 0; p < page_count && !rc; p++) {
        size_t first = (size_t)p * per_page;
        size_t count = chosen - first < per_page ? chosen - first : per_page;
        pages[p] = make_page(filaments, n, c, &b, patch, gap, idx + first, count,
                             (int)first, err);
        if (!pages[p])
            rc = err && err->code ? err->code : FSK_ENOMEM;
        else {
            pages[p]->page = p + 1;
            pages[p]->pages = page_count;
            rc = fsk_grid_check("grid layout", pages[p], err);
        }
    }
    free(idx);
    if (rc) {
        fsk_grid_pages_free(pages, page_count);
        return rc;
    }
    *pages_out = pages;
    *count_out = page_count;
    return 0;
}
