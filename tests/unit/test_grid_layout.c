/*
 * test_grid_layout.c — the calibration grid's layout and print: every
 * sequence exactly once when it fits (counts against the formula), the
 * subset (single-filament stacks kept, --max-patches respected, the
 * farthest-point rule checked against an independent computation), pages,
 * geometry (inside the plate, the bed and the scanner glass, no overlaps,
 * marks clear of the patches, three distinct mark sizes at three corners),
 * the mark filament, the label map and the predicted calibration.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_grid_layout.h"
#include "fsk_grid_print.h"
#include "fsk_labels.h"
#include "fsk_model.h"
#include "tkit.h"

static void filaments4(fsk_filament f[4])
{
    static const unsigned char rgb[4][3] = {
        {0x00, 0x86, 0xD6}, {0xEC, 0x00, 0x8C}, {0xF4, 0xEE, 0x2A}, {0xFF, 0xFF, 0xFF}};
    static const double td[4] = {3.2, 4.0, 4.8, 5.0};
    static const char *const names[4] = {"Cyan", "Magenta", "Yellow", "White"};
    memset(f, 0, 4 * sizeof *f);
    for (int k = 0; k < 4; k++) {
        snprintf(f[k].name, sizeof f[k].name, "%s", names[k]);
        memcpy(f[k].rgb, rgb[k], 3);
        f[k].td_mm = td[k];
    }
}

static fsk_construction construction(int m, int backing)
{
    return (fsk_construction){.layer_height_mm = 0.08, .color_layers = m,
                              .backing_filament = backing,
                              .backing_mm = backing ? 0.64 : 0, .view = FSK_VIEW_TOP};
}

static fsk_grid *one_page(const fsk_filament *f, int n, const fsk_construction *c,
                          const fsk_grid_layout_options *o, fsk_err *err)
{
    fsk_grid **pages = NULL;
    int count = 0;
    if (fsk_grid_layout(f, n, c, o, &pages, &count, err) != 0)
        return NULL;
    TKIT_EQ_INT(count, 1);
    fsk_grid *g = pages[0];
    pages[0] = NULL;
    fsk_grid_pages_free(pages, count);
    return g;
}

static int overlap(const double a[4], const double b[4], double clear)
{
    return a[0] < b[0] + b[2] + clear - 1e-9 && b[0] < a[0] + a[2] + clear - 1e-9 &&
           a[1] < b[1] + b[3] + clear - 1e-9 && b[1] < a[1] + a[3] + clear - 1e-9;
}

/* Geometry every layout must have. */
static void check_geometry(const fsk_grid *g, const double bed[2])
{
    double w = g->size_mm[0], h = g->size_mm[1];
    TKIT_TRUE(w <= bed[0] + 1e-9 && h <= bed[1] + 1e-9);
    /* The A4 glass less 5 mm on every side, either way round. */
    TKIT_TRUE((w <= 200 + 1e-9 && h <= 287 + 1e-9) || (w <= 287 + 1e-9 && h <= 200 + 1e-9));
    int outside = 0, overlaps = 0, near_marks = 0;
    for (size_t i = 0; i < g->patch_count; i++) {
        const double *r = g->patches[i].rect_mm;
        outside += r[0] < 0 || r[1] < 0 || r[0] + r[2] > w + 1e-9 || r[1] + r[3] > h + 1e-9;
        for (size_t j = i + 1; j < g->patch_count; j++)
            overlaps += overlap(r, g->patches[j].rect_mm, 0);
        for (size_t k = 0; k < g->mark_count; k++)
            near_marks += overlap(r, g->marks[k].rect_mm, FSK_GRID_CLEAR_MM);
    }
    TKIT_EQ_INT(outside, 0);
    TKIT_EQ_INT(overlaps, 0);
    TKIT_EQ_INT(near_marks, 0);
    /* Three square marks of clearly different sizes at the top-left,
     * top-right and bottom-left corners; nothing in the bottom-right one. */
    TKIT_EQ_INT(g->mark_count, 3);
    double sides[3];
    for (int k = 0; k < 3 && g->mark_count == 3; k++) {
        const double *m = g->marks[k].rect_mm;
        TKIT_NEAR(m[2], m[3], 0);
        sides[k] = m[2];
        TKIT_TRUE(m[0] >= 0 && m[1] >= 0 && m[0] + m[2] <= w && m[1] + m[3] <= h);
        for (int j = 0; j < k; j++)
            TKIT_TRUE(overlap(g->marks[j].rect_mm, m, FSK_GRID_CLEAR_MM) == 0);
    }
    if (g->mark_count == 3) {
        TKIT_TRUE(sides[0] > 1.2 * sides[1] && sides[1] > 1.2 * sides[2]);
        const double *tl = g->marks[0].rect_mm, *tr = g->marks[1].rect_mm,
                     *bl = g->marks[2].rect_mm;
        double e = FSK_GRID_EDGE_MM;
        TKIT_TRUE(fabs(tl[0] - e) < 1e-9 && fabs(tl[1] - e) < 1e-9);
        TKIT_TRUE(fabs(tr[0] + tr[2] - (w - e)) < 1e-9 && fabs(tr[1] - e) < 1e-9);
        TKIT_TRUE(fabs(bl[0] - e) < 1e-9 && fabs(bl[1] + bl[3] - (h - e)) < 1e-9);
        /* Nothing but patches reaches into the bottom-right corner square
         * of the largest mark's size. */
        double corner[4] = {w - FSK_GRID_EDGE_MM - sides[0], h - FSK_GRID_EDGE_MM - sides[0],
                            sides[0], sides[0]};
        for (int k = 0; k < 3; k++)
            TKIT_TRUE(!overlap(g->marks[k].rect_mm, corner, 0));
    }
}

static int cmp_seq(const void *a, const void *b)
{
    return memcmp(((const fsk_grid_patch *)a)->sequence, ((const fsk_grid_patch *)b)->sequence,
                  FSK_MAX_COLOR_LAYERS);
}

/* Every sequence valid, none twice. */
static void check_sequences(const fsk_grid_patch *patches, size_t count, int m, int n)
{
    fsk_grid_patch *sorted = malloc(count * sizeof *sorted);
    memcpy(sorted, patches, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, cmp_seq);
    int invalid = 0, twice = 0;
    for (size_t i = 0; i < count; i++) {
        invalid += !fsk_sequence_valid(sorted[i].sequence, m, n);
        twice += i > 0 && cmp_seq(&sorted[i - 1], &sorted[i]) == 0;
    }
    TKIT_EQ_INT(invalid, 0);
    TKIT_EQ_INT(twice, 0);
    free(sorted);
}

static void test_all_sequences(void)
{
    /* N(N^M-1)/(N-1) by hand: 1x4 -> 4, 2x3 -> 2+4+8, 3x3 -> 3+9+27,
     * 4x4 -> 4+16+64+256, 3x5 -> 3+9+27+81+243. */
    static const int cases[][3] = {{1, 4, 4}, {2, 3, 14}, {3, 3, 39}, {4, 4, 340}, {3, 5, 363}};
    fsk_filament f[4];
    filaments4(f);
    fsk_grid_layout_options o = {.bed_mm = {256, 256}, .gap_mm = -1};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int n = cases[c][0], m = cases[c][1];
        fsk_construction cons = construction(m, n);
        fsk_err err = {0};
        fsk_grid *g = one_page(f + 4 - n, n, &cons, &o, &err);
        TKIT_TRUE(g != NULL);
        if (!g) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        TKIT_EQ_INT(g->patch_count, cases[c][2]);
        /* Canonical order, ids 0.. */
        int order = 0;
        for (size_t i = 0; i < g->patch_count; i++) {
            order += fsk_sequence_index(g->patches[i].sequence, m, n) != i;
            order += g->patches[i].id != (int)i;
        }
        TKIT_EQ_INT(order, 0);
        check_sequences(g->patches, g->patch_count, m, n);
        check_geometry(g, o.bed_mm);
        TKIT_EQ_INT(g->base_filament, n); /* the backing */
        fsk_grid_free(g);
    }
}

static void test_default_plate(void)
{
    fsk_filament f[4];
    filaments4(f);
    fsk_construction cons = construction(4, 4);
    fsk_grid_layout_options o = {.bed_mm = {256, 256}, .gap_mm = -1};
    fsk_grid *g = one_page(f, 4, &cons, &o, NULL);
    TKIT_TRUE(g != NULL);
    if (!g)
        return;
    /* 340 patches in 20 columns of 6 + 1.2 mm and 17 rows: 3 + 20 * 7.2 - 1.2 + 3
     * wide, 3 + 8 + 3 + 17 * 7.2 - 1.2 + 3 + 4.4 + 3 high. */
    TKIT_NEAR(g->size_mm[0], 148.8, 1e-9);
    TKIT_NEAR(g->size_mm[1], 145.6, 1e-9);
    TKIT_NEAR(g->patches[0].rect_mm[0], 3, 1e-9);
    TKIT_NEAR(g->patches[0].rect_mm[1], 14, 1e-9);
    TKIT_NEAR(g->patches[21].rect_mm[0], 10.2, 1e-9);
    TKIT_NEAR(g->patches[21].rect_mm[1], 21.2, 1e-9);
    TKIT_NEAR(g->patches[0].rect_mm[2], 6, 0);
    double pixel = 0;
    TKIT_EQ_INT(fsk_grid_pixel_mm(g, &pixel, NULL), 0);
    TKIT_NEAR(pixel, 0.2, 0);
    fsk_grid_free(g);
    /* 3 mm patches with 0.5 mm gaps are on the 0.1 mm lattice only. */
    o.patch_mm = 3;
    o.gap_mm = 0.5;
    g = one_page(f, 4, &cons, &o, NULL);
    TKIT_TRUE(g != NULL);
    if (g) {
        TKIT_EQ_INT(fsk_grid_pixel_mm(g, &pixel, NULL), 0);
        TKIT_NEAR(pixel, 0.1, 0);
        check_geometry(g, o.bed_mm);
    }
    fsk_grid_free(g);
}

static void lab_of(const fsk_model *model, const fsk_construction *c, const uint8_t *seq,
                   double lab[3])
{
    double lin[3];
    fsk_model_predict(model, c, seq, lin);
    fsk_linear_to_lab(lin, lab);
}

static void test_subset(void)
{
    fsk_filament f[4];
    filaments4(f);
    fsk_construction cons = construction(4, 4);
    fsk_grid_layout_options o = {.bed_mm = {256, 256}, .gap_mm = -1, .max_patches = 100};
    fsk_grid *g = one_page(f, 4, &cons, &o, NULL);
    TKIT_TRUE(g != NULL);
    if (!g)
        return;
    TKIT_EQ_INT(g->patch_count, 100);
    check_sequences(g->patches, g->patch_count, 4, 4);
    check_geometry(g, o.bed_mm);
    /* Every single-filament stack of every height is there. */
    int missing = 0;
    for (int k = 1; k <= 4; k++)
        for (int h = 1; h <= 4; h++) {
            int found = 0;
            for (size_t i = 0; i < g->patch_count; i++) {
                const uint8_t *s = g->patches[i].sequence;
                int ok = 1;
                for (int j = 0; j < 4; j++)
                    ok = ok && s[j] == (j < h ? k : 0);
                found |= ok;
            }
            missing += !found;
        }
    TKIT_EQ_INT(missing, 0);
    /* Same choice again (deterministic). */
    fsk_grid *again = one_page(f, 4, &cons, &o, NULL);
    TKIT_TRUE(again && memcmp(again->patches, g->patches,
                              g->patch_count * sizeof *g->patches) == 0);
    fsk_grid_free(again);
    fsk_grid_free(g);

    /* 17 patches: the 16 stacks and the sequence farthest in Lab from all of
     * them, found here by brute force. */
    uint32_t idx[17];
    TKIT_EQ_INT(fsk_grid_select(f, 4, &cons, 17, idx, NULL), 0);
    fsk_model model;
    fsk_model_from_filaments(f, 4, &model);
    uint64_t best = 0;
    double best_d = -1;
    for (uint64_t i = 0; i < 340; i++) {
        uint8_t s[FSK_MAX_COLOR_LAYERS] = {0};
        fsk_sequence_nth(4, 4, i, s);
        int single = 1;
        for (int j = 1; j < 4; j++)
            single = single && (s[j] == 0 || s[j] == s[0]);
        if (single)
            continue;
        double lab[3], d = INFINITY;
        lab_of(&model, &cons, s, lab);
        for (int k = 1; k <= 4; k++)
            for (int h = 1; h <= 4; h++) {
                uint8_t t[FSK_MAX_COLOR_LAYERS] = {0};
                for (int j = 0; j < h; j++)
                    t[j] = (uint8_t)k;
                double tl[3];
                lab_of(&model, &cons, t, tl);
                double e = sqrt((lab[0] - tl[0]) * (lab[0] - tl[0]) +
                                (lab[1] - tl[1]) * (lab[1] - tl[1]) +
                                (lab[2] - tl[2]) * (lab[2] - tl[2]));
                d = fmin(d, e);
            }
        if (d > best_d) {
            best_d = d;
            best = i;
        }
    }
    int has_best = 0, singles = 0;
    for (int i = 0; i < 17; i++) {
        has_best |= idx[i] == best;
        uint8_t s[FSK_MAX_COLOR_LAYERS] = {0};
        fsk_sequence_nth(4, 4, idx[i], s);
        int single = 1;
        for (int j = 1; j < 4; j++)
            single = single && (s[j] == 0 || s[j] == s[0]);
        singles += single;
        TKIT_TRUE(i == 0 || idx[i] > idx[i - 1]);
    }
    TKIT_TRUE(has_best);
    TKIT_EQ_INT(singles, 16);
}

static void test_pages(void)
{
    fsk_filament f[4];
    filaments4(f);
    fsk_construction cons = construction(4, 4);
    fsk_grid_layout_options o = {.bed_mm = {256, 256}, .gap_mm = -1, .max_patches = 100,
                                 .pages = true};
    fsk_grid **pages = NULL;
    int count = 0;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_grid_layout(f, 4, &cons, &o, &pages, &count, &err), 0);
    TKIT_EQ_INT(count, 4); /* 340 in pages of at most 100: 85 each */
    fsk_grid_patch *all = calloc(340, sizeof *all);
    size_t total = 0;
    for (int p = 0; p < count; p++) {
        TKIT_EQ_INT(pages[p]->page, p + 1);
        TKIT_EQ_INT(pages[p]->pages, 4);
        TKIT_EQ_INT(pages[p]->patch_count, 85);
        check_geometry(pages[p], o.bed_mm);
        for (size_t i = 0; i < pages[p]->patch_count && total < 340; i++) {
            TKIT_EQ_INT(pages[p]->patches[i].id, (int)total); /* ids run on */
            all[total++] = pages[p]->patches[i];
        }
    }
    TKIT_EQ_INT(total, 340);
    check_sequences(all, total, 4, 4);
    free(all);
    fsk_grid_pages_free(pages, count);
}

static void test_errors(void)
{
    fsk_filament f[4];
    filaments4(f);
    fsk_construction cons = construction(4, 4);
    fsk_err err = {0};
    fsk_grid **pages = NULL;
    int count = 0;
    fsk_grid_layout_options o = {.bed_mm = {40, 40}, .gap_mm = -1};
    TKIT_EQ_INT(fsk_grid_layout(f, 4, &cons, &o, &pages, &count, &err), FSK_ELIMIT);
    /* 40 mm: 4 columns (3 + 4 * 7.2 - 1.2 + 3 = 33.6) and 2 rows
     * (3 + 8 + 3 + 2 * 7.2 - 1.2 + 3 + 4.4 + 3 = 37.6). */
    TKIT_EQ_STR(err.msg, "a plate that fits the 40 x 40 mm bed and the scanner glass holds "
                         "8 patches of 6 mm, fewer than the 16 single-filament stacks of 4 "
                         "filaments in 4 layers");
    TKIT_TRUE(pages == NULL && count == 0);
    o = (fsk_grid_layout_options){.bed_mm = {256, 256}, .gap_mm = -1, .max_patches = 15};
    TKIT_EQ_INT(fsk_grid_layout(f, 4, &cons, &o, &pages, &count, &err), FSK_ELIMIT);
    TKIT_EQ_STR(err.msg, "a plate of at most 15 patches cannot hold the 16 single-filament "
                         "stacks of 4 filaments in 4 layers");
    o = (fsk_grid_layout_options){.bed_mm = {256, 256}, .patch_mm = 6.05, .gap_mm = -1};
    TKIT_EQ_INT(fsk_grid_layout(f, 4, &cons, &o, &pages, &count, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "patch size 6.05 mm: expected a multiple of 0.1 mm from 1 to 50");
    o = (fsk_grid_layout_options){.bed_mm = {256, 256}, .gap_mm = 0.25};
    TKIT_EQ_INT(fsk_grid_layout(f, 4, &cons, &o, &pages, &count, &err), FSK_EINVAL);
    o = (fsk_grid_layout_options){.bed_mm = {256, 256}, .gap_mm = -1, .pages = true};
    cons.color_layers = 8; /* 87380 sequences: a subset can be chosen, pages cannot */
    TKIT_EQ_INT(fsk_grid_layout(f, 4, &cons, &o, &pages, &count, &err), FSK_ELIMIT);
    TKIT_EQ_STR(err.msg, "4 filaments in 8 layers make 87380 sequences, more than the 65000 "
                         "a calibration holds");
}

static void test_marks_and_base(void)
{
    /* Black and white, opaque enough: over a white backing the black stack
     * contrasts most, over a black backing the white one. */
    fsk_filament f[2] = {0};
    snprintf(f[0].name, sizeof f[0].name, "White");
    memset(f[0].rgb, 255, 3);
    snprintf(f[1].name, sizeof f[1].name, "Black");
    f[1].td_mm = 0.5;
    f[0].td_mm = 1;
    fsk_construction cons = construction(3, 1);
    TKIT_EQ_INT(fsk_grid_base_filament(f, 2, &cons), 1);
    TKIT_EQ_INT(fsk_grid_mark_filament(f, 2, &cons), 2);
    cons.backing_filament = 2;
    TKIT_EQ_INT(fsk_grid_mark_filament(f, 2, &cons), 1);
    /* No backing: the lightest filament is the base, marks in the other. */
    cons = construction(3, 0);
    TKIT_EQ_INT(fsk_grid_base_filament(f, 2, &cons), 1);
    TKIT_EQ_INT(fsk_grid_mark_filament(f, 2, &cons), 2);
}

/* Label at the center of rect r. */
static uint16_t label_at(const uint16_t *labels, int w, double pixel, const double r[4])
{
    int x = (int)((r[0] + r[2] / 2) / pixel), y = (int)((r[1] + r[3] / 2) / pixel);
    return labels[(size_t)y * (size_t)w + (size_t)x];
}

static void check_labels(const fsk_grid *g)
{
    fsk_calibration *cal = NULL;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_grid_print_calibration(g, &cal, &err), 0);
    if (!cal)
        return;
    double pixel;
    TKIT_EQ_INT(fsk_grid_pixel_mm(g, &pixel, NULL), 0);
    uint16_t *labels = NULL;
    int w = 0, h = 0;
    TKIT_EQ_INT(fsk_grid_labels(g, cal, pixel, &labels, &w, &h, &err), 0);
    if (!labels) {
        fsk_calibration_free(cal);
        return;
    }
    TKIT_EQ_INT(w, (int)lround(g->size_mm[0] / pixel));
    TKIT_EQ_INT(h, (int)lround(g->size_mm[1] / pixel));
    int wrong = 0;
    for (size_t i = 0; i < g->patch_count; i++) {
        uint16_t l = label_at(labels, w, pixel, g->patches[i].rect_mm);
        wrong += l != i; /* entry i is patch i */
        /* The patch's corner pixels, inside by half a pixel. */
        const double *r = g->patches[i].rect_mm;
        int x0 = (int)lround(r[0] / pixel), y0 = (int)lround(r[1] / pixel);
        int x1 = (int)lround((r[0] + r[2]) / pixel) - 1, y1 = (int)lround((r[1] + r[3]) / pixel) - 1;
        wrong += labels[(size_t)y0 * w + x0] != i || labels[(size_t)y1 * w + x1] != i;
        /* Outside it the base, except for the patch that is the base's own
         * stack (without backing): it merges with its surroundings. */
        if (labels[0] != i)
            wrong += labels[(size_t)y0 * w + x0 - 1] == i ||
                     labels[(size_t)(y1 + 1) * w + x1] == i;
    }
    TKIT_EQ_INT(wrong, 0);
    uint16_t mark = label_at(labels, w, pixel, g->marks[0].rect_mm);
    TKIT_TRUE(mark < cal->entry_count);
    if (mark < cal->entry_count)
        for (int j = 0; j < g->construction.color_layers; j++)
            TKIT_EQ_INT(cal->entries[mark].sequence[j], g->marks[0].filament);
    uint16_t corner = labels[0], gap = labels[(size_t)(h - 1) * w + (w - 1)];
    if (g->construction.backing_filament > 0) {
        TKIT_EQ_INT(corner, FSK_LABEL_BACKING);
        TKIT_EQ_INT(gap, FSK_LABEL_BACKING);
    } else {
        TKIT_TRUE(corner < cal->entry_count && corner == gap);
        if (corner < cal->entry_count)
            for (int j = 0; j < g->construction.color_layers; j++)
                TKIT_EQ_INT(cal->entries[corner].sequence[j], g->base_filament);
    }
    free(labels);
    fsk_calibration_free(cal);
}

static void test_labels_and_predict(void)
{
    fsk_filament f[4];
    filaments4(f);
    fsk_grid_layout_options o = {.bed_mm = {256, 256}, .gap_mm = -1, .max_patches = 40};
    for (int backing = 4; backing >= 0; backing -= 4) {
        fsk_construction cons = construction(4, backing);
        fsk_grid *g = one_page(f, 4, &cons, &o, NULL);
        TKIT_TRUE(g != NULL);
        if (!g)
            continue;
        check_labels(g);
        fsk_calibration *cal = NULL;
        TKIT_EQ_INT(fsk_grid_predict(g, &cal, NULL), 0);
        if (cal) {
            TKIT_EQ_INT(cal->entry_count, g->patch_count);
            TKIT_EQ_STR(cal->source.kind, "predicted");
            TKIT_EQ_INT(fsk_calibration_check("predicted", cal, NULL), 0);
            fsk_model model;
            fsk_model_from_filaments(f, 4, &model);
            int wrong = 0;
            for (size_t i = 0; i < cal->entry_count; i++) {
                fsk_cal_entry e = {0};
                memcpy(e.sequence, g->patches[i].sequence, sizeof e.sequence);
                fsk_model_predict_entry(&model, &cons, &e);
                wrong += memcmp(cal->entries[i].sequence, e.sequence, sizeof e.sequence) != 0 ||
                         cal->entries[i].rgb[1] != e.rgb[1] ||
                         cal->entries[i].origin != FSK_ORIGIN_PREDICTED;
            }
            TKIT_EQ_INT(wrong, 0);
        }
        fsk_calibration_free(cal);
        fsk_grid_free(g);
    }
}

int main(void)
{
    TKIT_RUN(test_all_sequences);
    TKIT_RUN(test_default_plate);
    TKIT_RUN(test_subset);
    TKIT_RUN(test_pages);
    TKIT_RUN(test_errors);
    TKIT_RUN(test_marks_and_base);
    TKIT_RUN(test_labels_and_predict);
    return TKIT_DONE();
}
