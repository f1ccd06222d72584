/*
 * test_analyze.c — reading scans of calibration grids: the affine and
 * robust-statistics helpers, the model fit, and whole synthetic scans in
 * several poses (rotation, shear, mirroring, 150-600 dpi, JPEG, blur,
 * noise, dust, a fibre, uneven illumination), a picture that is not a grid,
 * a grid whose colors are shifted by one patch, a grid printed with other
 * filaments, two scans averaged, the overlay and the calibration's source.
 * The long pose sweep is tests/e2e/analyze_sweep.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsk_affine.h"
#include "fsk_analyze.h"
#include "fsk_color.h"
#include "fsk_linear_image.h"
#include "fsk_model_fit.h"
#include "fsk_overlay.h"
#include "fsk_sample.h"
#include "synth_scan.h"
#include "tkit.h"

static char tmpdir[256];

/* Base and mark colors of the last synth_colors call: the same perturbed
 * model as the patches (a pale mark, as 4 thin layers print). */
static double base_lin[3], mark_lin[3];
static const double lid_white[3] = {0.86, 0.86, 0.86};
static const double lid_dark[3] = {0.01, 0.01, 0.012};

static void test_affine(void)
{
    /* 2 px per mm, rotated 90 degrees, moved to (100, 50). */
    double p0[2] = {0, 0}, p1[2] = {10, 0}, q0[2] = {100, 50}, q1[2] = {100, 70};
    fsk_affine a, inv;
    TKIT_TRUE(fsk_affine_similarity(p0, p1, q0, q1, false, &a));
    double x, y;
    fsk_affine_apply(&a, 0, 10, &x, &y);
    TKIT_NEAR(x, 80, 1e-9);
    TKIT_NEAR(y, 50, 1e-9);
    TKIT_NEAR(fsk_affine_scale(&a), 2, 1e-12);
    TKIT_NEAR(fsk_affine_rotation_deg(&a), 90, 1e-9);
    TKIT_TRUE(!fsk_affine_mirrored(&a));
    TKIT_TRUE(fsk_affine_similarity(p0, p1, q0, q1, true, &a));
    fsk_affine_apply(&a, 0, 10, &x, &y);
    TKIT_NEAR(x, 120, 1e-9);
    TKIT_TRUE(fsk_affine_mirrored(&a));
    TKIT_TRUE(fsk_affine_invert(&a, &inv));
    double X, Y;
    fsk_affine_apply(&inv, 120, 50, &X, &Y);
    TKIT_NEAR(X, 0, 1e-9);
    TKIT_NEAR(Y, 10, 1e-9);
    /* A least-squares fit recovers an exact affine map with shear. */
    fsk_affine truth = {{5, 3, 0.2, -7, -0.1, 2.9}}, fit;
    double from[12], to[12];
    for (int i = 0; i < 6; i++) {
        from[2 * i] = (i * 37) % 11;
        from[2 * i + 1] = (i * 13) % 7;
        fsk_affine_apply(&truth, from[2 * i], from[2 * i + 1], &to[2 * i], &to[2 * i + 1]);
    }
    TKIT_TRUE(fsk_affine_fit(from, to, NULL, 6, &fit));
    for (int k = 0; k < 6; k++)
        TKIT_NEAR(fit.m[k], truth.m[k], 1e-9);
    /* The mapped axes (3, -0.1) and (0.2, 2.9) meet at acos(0.31 / |a| |b|). */
    double meet = acos(0.31 / (hypot(3, 0.1) * hypot(0.2, 2.9))) * 180 / SYNTH_PI;
    TKIT_NEAR(fsk_affine_shear_deg(&truth), meet - 90, 1e-9);
}

static void test_interquartile_mean(void)
{
    /* 1..8 plus two wild values: the middle half is 3..7 of the sorted 10. */
    float v[10] = {8, 1000, 3, 1, -500, 5, 2, 7, 4, 6};
    /* Sorted: -500 1 2 3 4 5 6 7 8 1000; quartiles at 2 and 7 -> 2..7. */
    TKIT_NEAR(fsk_interquartile_mean(v, 10), (2 + 3 + 4 + 5 + 6 + 7) / 6.0, 1e-6);
    float w[3] = {1, 2, 6};
    TKIT_NEAR(fsk_interquartile_mean(w, 3), 3, 1e-6);
}

/* The fit recovers colors made by a perturbed model, and predicts held-out ones. */
static void test_model_fit(void)
{
    fsk_grid *g = synth_grid(4, 3, 6, 1.5, 0);
    double(*rgb)[3] = malloc(g->patch_count * sizeof *rgb);
    uint8_t(*seq)[FSK_MAX_COLOR_LAYERS] = malloc(g->patch_count * sizeof *seq);
    synth_colors(g, NULL, 0.15, 0, 1, rgb, base_lin, mark_lin);
    for (size_t i = 0; i < g->patch_count; i++)
        memcpy(seq[i], g->patches[i].sequence, sizeof seq[i]);
    fsk_model prior, fitted;
    fsk_model_from_filaments(g->filaments, g->filament_count, &prior);
    fsk_fit_data d = {&g->construction, g->patch_count, (const uint8_t(*)[FSK_MAX_COLOR_LAYERS])seq,
                      (const double(*)[3])rgb, NULL};
    double before = fsk_model_mean_de00(&prior, &d, NULL);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_model_fit(&prior, &d, &fitted, &err), 0);
    double mx, after = fsk_model_mean_de00(&fitted, &d, &mx);
    printf("  model fit: nominal ΔE00 %.2f, fitted %.3f (max %.3f)\n", before, after, mx);
    TKIT_TRUE(before > 2);
    TKIT_TRUE(after < 0.3);
    double mean, p95, max;
    TKIT_EQ_INT(fsk_model_kfold(&prior, &d, 5, &mean, &p95, &max, &err), 0);
    printf("  5-fold ΔE00 mean %.3f p95 %.3f max %.3f\n", mean, p95, max);
    TKIT_TRUE(mean < 0.5);
    free(rgb);
    free(seq);
    synth_grid_free(g);
}

typedef struct run_stats {
    double mean, max;
    int rc;
    fsk_err err;
    fsk_scan_result res;
} run_stats;

/* 8-bit sRGB pixels of a rendering as a linear image, as the decoder
 * would give them (the file formats are tested through run's PNG and
 * JPEG cases). */
static void to_linear(const synth_image *im, fsk_linear_image *img)
{
    memset(img, 0, sizeof *img);
    img->width = im->w;
    img->height = im->h;
    img->dpi_x = img->dpi_y = im->dpi;
    img->rgb = malloc((size_t)im->w * (size_t)im->h * 3 * sizeof *img->rgb);
    const float *lin8 = fsk_srgb8_to_linear_table();
    for (size_t i = 0; img->rgb && i < (size_t)im->w * (size_t)im->h * 3; i++)
        img->rgb[i] = lin8[im->rgb[i]];
}

enum { IN_MEMORY = -1, AS_PNG = 0 }; /* else JPEG quality */

/* Renders g in pose p, hands it to the analyzer in memory, as a PNG or as
 * a JPEG of the given quality, and compares every measured patch with
 * truth. */
static void run(const fsk_grid *g, const double (*truth)[3], const double lid[3],
                const synth_pose *p, int format, run_stats *st)
{
    memset(st, 0, sizeof *st);
    synth_image im;
    if (synth_render(g, truth, base_lin, mark_lin, lid, p, &im) != 0) {
        st->rc = -99;
        return;
    }
    char path[300];
    snprintf(path, sizeof path, "%s/scan.%s", tmpdir, format > 0 ? "jpg" : "png");
    fsk_linear_image img;
    if (format == IN_MEMORY) {
        to_linear(&im, &img);
    } else {
        int w = format > 0 ? synth_write_jpeg(path, &im, format, true)
                           : synth_write_png(path, &im);
        TKIT_EQ_INT(w, 0);
        st->rc = fsk_linear_image_load(path, 0, 0, &img, &st->err);
        TKIT_EQ_INT(st->rc, 0);
    }
    free(im.rgb);
    if (st->rc)
        return;
    st->rc = fsk_analyze_scan(path, &img, &g, 1, &st->res, &st->err);
    fsk_linear_image_free(&img);
    if (st->rc)
        return;
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < g->patch_count; i++) {
        if (!st->res.patch[i].valid)
            continue;
        double a[3], b[3];
        fsk_linear_to_lab(truth[i], a);
        fsk_linear_to_lab(st->res.patch[i].rgb, b);
        double e = fsk_de2000(a, b);
        if (getenv("FSK_TEST_VERBOSE") && e > 0.4)
            printf("    patch %zu: true %.2f %.2f %.2f read %.2f %.2f %.2f ΔE00 %.2f spread %.2f\n",
                   i, a[0], a[1], a[2], b[0], b[1], b[2], e, st->res.patch[i].spread);
        sum += e;
        st->max = fmax(st->max, e);
        n++;
    }
    st->mean = n ? sum / (double)n : INFINITY;
    TKIT_EQ_INT(n, g->patch_count);
}

static void test_poses(void)
{
    fsk_grid *g = synth_grid(4, 3, 6, 1.5, 0);
    double(*truth)[3] = malloc(g->patch_count * sizeof *truth);
    synth_colors(g, NULL, 0.12, 2.0, 7, truth, base_lin, mark_lin);
    struct {
        synth_pose p;
        int format;
        const double *lid;
    } cases[] = {
        {{.dpi = 150, .margin_mm = 5, .seed = 1}, IN_MEMORY, lid_white},
        {{.dpi = 200, .angle_deg = 37, .margin_mm = 6, .blur_px = 0.8, .noise = 1.5, .seed = 2},
         AS_PNG, lid_dark},
        {{.dpi = 300, .angle_deg = 90, .mirror = true, .margin_mm = 3, .blur_px = 1.0,
          .noise = 2, .dust = 40, .fibre = true, .illum = 0.08, .seed = 3},
         90, lid_white},
        {{.dpi = 160, .angle_deg = 181.3, .shear_deg = 2, .shift_mm = {7, -4}, .margin_mm = 12,
          .blur_px = 0.6, .noise = 1, .illum = 0.1, .seed = 4},
         IN_MEMORY, lid_dark},
        {{.dpi = 220, .angle_deg = 271.5, .shear_deg = -1.5, .mirror = true, .margin_mm = 4,
          .blur_px = 1.2, .noise = 2.5, .dust = 25, .fibre = true, .illum = 0.06, .seed = 5},
         85, lid_white},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        run_stats st;
        run(g, (const double(*)[3])truth, cases[k].lid, &cases[k].p, cases[k].format, &st);
        printf("  pose %zu: %.0f dpi, %.1f deg%s: rc %d, ΔE00 mean %.3f max %.3f, shift margin "
               "%.1f %s\n",
               k, cases[k].p.dpi, cases[k].p.angle_deg, cases[k].p.mirror ? " mirrored" : "",
               st.rc, st.mean, st.max, st.res.shift.margin, st.rc ? st.err.msg : "");
        TKIT_EQ_INT(st.rc, 0);
        if (st.rc == 0) {
            TKIT_TRUE(st.mean <= 0.5);
            TKIT_TRUE(st.max <= 1.5);
            TKIT_EQ_INT(st.res.reg.marks_found, 3);
            TKIT_TRUE(st.res.shift.done);
            TKIT_TRUE(st.res.shift.margin >= FSK_SHIFT_MIN_MARGIN);
            TKIT_EQ_INT(fsk_affine_mirrored(&st.res.reg.map), cases[k].p.mirror);
            TKIT_NEAR(st.res.dpi, cases[k].p.dpi, 0.02 * cases[k].p.dpi);
            TKIT_EQ_INT(st.res.flagged, 0);
        }
        fsk_scan_result_free(&st.res);
    }
    free(truth);
    synth_grid_free(g);
}

/* A photo is not a grid. */
static void test_not_a_grid(void)
{
    fsk_grid *g = synth_grid(4, 3, 6, 1.5, 0);
    fsk_linear_image img;
    fsk_err err = {0};
    const char *path = FSK_TEST_SOURCE_DIR "/samples/sunset.png";
    TKIT_EQ_INT(fsk_linear_image_load(path, 0, 0, &img, &err), 0);
    fsk_scan_result res;
    const fsk_grid *gs[1] = {g};
    int rc = fsk_analyze_scan("sunset.png", &img, gs, 1, &res, &err);
    TKIT_EQ_INT(rc, FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "no calibration grid found in 'sunset.png': ");
    printf("  %s\n", err.msg);
    fsk_linear_image_free(&img);
    /* A blank page neither. */
    fsk_linear_image blank = {.width = 400, .height = 300};
    blank.rgb = malloc((size_t)400 * 300 * 3 * sizeof *blank.rgb);
    for (size_t i = 0; i < (size_t)400 * 300 * 3; i++)
        blank.rgb[i] = 0.8f;
    rc = fsk_analyze_scan("blank.png", &blank, gs, 1, &res, &err);
    TKIT_EQ_INT(rc, FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "no calibration grid found in 'blank.png': ");
    fsk_linear_image_free(&blank);
    synth_grid_free(g);
}

/* Patch colors printed one patch off: the marks fit, the colors do not. */
static void test_shifted_refused(void)
{
    fsk_grid *g = synth_grid(4, 3, 6, 1.5, 0);
    double(*truth)[3] = malloc(g->patch_count * sizeof *truth);
    double(*shifted)[3] = malloc(g->patch_count * sizeof *shifted);
    synth_colors(g, NULL, 0.12, 2.0, 7, truth, base_lin, mark_lin);
    for (size_t i = 0; i < g->patch_count; i++)
        memcpy(shifted[i], truth[(i + 1) % g->patch_count], sizeof shifted[i]);
    synth_pose p = {.dpi = 200, .angle_deg = 12, .margin_mm = 5, .blur_px = 0.7, .noise = 1,
                    .seed = 9};
    run_stats st;
    run(g, (const double(*)[3])shifted, lid_white, &p, IN_MEMORY, &st);
    printf("  %s\n", st.err.msg);
    TKIT_EQ_INT(st.rc, FSK_EFORMAT);
    TKIT_CONTAINS(st.err.msg, "cannot read the grid in '");
    TKIT_CONTAINS(st.err.msg, "one patch to the left");
    fsk_scan_result_free(&st.res);
    /* The same colors in place are read, with a clear margin. */
    run(g, (const double(*)[3])truth, lid_white, &p, IN_MEMORY, &st);
    TKIT_EQ_INT(st.rc, 0);
    printf("  in place: shift margin %.1f (model ΔE00 %.2f; best shifted %.2f, %s)\n",
           st.res.shift.margin, st.res.shift.de[1][1],
           st.res.shift.de[st.res.shift.best_dy + 1][st.res.shift.best_dx + 1],
           fsk_shift_name(st.res.shift.best_dx, st.res.shift.best_dy));
    fsk_scan_result_free(&st.res);
    free(truth);
    free(shifted);
    synth_grid_free(g);
}

/* Printed with green where the grid says yellow: read, but flagged. */
static void test_other_filaments_flagged(void)
{
    fsk_grid *g = synth_grid(4, 3, 6, 1.5, 0);
    fsk_filament printed[4];
    memcpy(printed, g->filaments, sizeof printed);
    synth_filament(&printed[2], "Green PLA", 0x00AE42, 2.0);
    double(*truth)[3] = malloc(g->patch_count * sizeof *truth);
    synth_colors(g, printed, 0.05, 1.0, 3, truth, base_lin, mark_lin);
    synth_pose p = {.dpi = 180, .angle_deg = -8, .margin_mm = 5, .noise = 1, .seed = 11};
    run_stats st;
    run(g, (const double(*)[3])truth, lid_white, &p, IN_MEMORY, &st);
    TKIT_EQ_INT(st.rc, 0);
    if (st.rc == 0) {
        TKIT_TRUE(st.max <= 1.5);
        const fsk_grid *gs[1] = {g};
        fsk_analysis an;
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_analyze_combine(gs, 1, &st.res, 1, NULL, &an, &err), 0);
        TKIT_EQ_INT(an.warning_count, 1);
        if (an.warning_count)
            printf("  %s\n", an.warnings[0]);
        TKIT_CONTAINS(an.warnings[0], "filament 3 'Yellow PLA'");
        fsk_analysis_free(&an);
    }
    fsk_scan_result_free(&st.res);
    /* The right filaments raise no warning. */
    synth_colors(g, NULL, 0.05, 1.0, 3, truth, base_lin, mark_lin);
    run(g, (const double(*)[3])truth, lid_white, &p, IN_MEMORY, &st);
    TKIT_EQ_INT(st.rc, 0);
    if (st.rc == 0) {
        const fsk_grid *gs[1] = {g};
        fsk_analysis an;
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_analyze_combine(gs, 1, &st.res, 1, NULL, &an, &err), 0);
        TKIT_EQ_INT(an.warning_count, 0);
        fsk_analysis_free(&an);
    }
    fsk_scan_result_free(&st.res);
    free(truth);
    synth_grid_free(g);
}

/*
 * A grid that leaves sequences out (every third), scanned twice: the
 * calibration holds every sequence, the scanned ones averaged, the others
 * from the fitted model; it saves and loads with its source.
 */
static void test_combine_and_fill(void)
{
    fsk_grid *full = synth_grid(4, 3, 6, 1.5, 0);
    fsk_grid *g = synth_grid(4, 3, 6, 1.5, 0);
    size_t kept = 0;
    for (size_t i = 0; i < full->patch_count; i++)
        if (i % 3 != 2) {
            memcpy(g->patches[kept].sequence, full->patches[i].sequence, FSK_MAX_COLOR_LAYERS);
            kept++;
        }
    g->patch_count = kept;
    double(*all)[3] = malloc(full->patch_count * sizeof *all);
    double(*truth)[3] = malloc(full->patch_count * sizeof *truth);
    synth_colors(full, NULL, 0.1, 0.0, 5, all, base_lin, mark_lin);
    kept = 0;
    for (size_t i = 0; i < full->patch_count; i++)
        if (i % 3 != 2)
            memcpy(truth[kept++], all[i], sizeof truth[0]);
    synth_pose p1 = {.dpi = 150, .angle_deg = 3, .margin_mm = 5, .noise = 1.5, .illum = 0.05,
                     .seed = 21};
    synth_pose p2 = {.dpi = 200, .angle_deg = 184, .margin_mm = 5, .noise = 1.5, .seed = 22};
    run_stats s[2];
    run(g, (const double(*)[3])truth, lid_white, &p1, IN_MEMORY, &s[0]);
    run(g, (const double(*)[3])truth, lid_white, &p2, IN_MEMORY, &s[1]);
    TKIT_EQ_INT(s[0].rc, 0);
    TKIT_EQ_INT(s[1].rc, 0);
    if (s[0].rc == 0 && s[1].rc == 0) {
        fsk_scan_result both[2] = {s[0].res, s[1].res};
        const fsk_grid *gs[1] = {g};
        fsk_analysis an;
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_analyze_combine(gs, 1, both, 2, "test:0", &an, &err), 0);
        TKIT_EQ_INT(an.cal->entry_count, full->patch_count);
        TKIT_EQ_INT(an.measured, kept);
        TKIT_EQ_INT(an.filled, full->patch_count - kept);
        TKIT_TRUE(an.kfold_done);
        printf("  fit ΔE00 %.3f, 5-fold mean %.3f p95 %.3f max %.3f\n", an.fit_mean_de00,
               an.kfold_mean_de00, an.kfold_p95_de00, an.kfold_max_de00);
        /* Model-filled entries against the colors that were printed. */
        double worst = 0, sum = 0;
        size_t nm = 0;
        for (size_t i = 0; i < an.cal->entry_count; i++) {
            const fsk_cal_entry *e = &an.cal->entries[i];
            double lab[3];
            fsk_linear_to_lab(all[i], lab);
            double d = fsk_de2000(lab, e->lab);
            TKIT_EQ_INT(e->origin, i % 3 == 2 ? FSK_ORIGIN_MODEL : FSK_ORIGIN_SCAN);
            if (e->origin == FSK_ORIGIN_MODEL) {
                worst = fmax(worst, d);
                sum += d;
                nm++;
            } else {
                TKIT_TRUE(d < 1.0);
            }
        }
        printf("  model-filled entries: ΔE00 mean %.3f max %.3f\n", sum / (double)nm, worst);
        TKIT_TRUE(worst < 1.0);
        TKIT_EQ_STR(an.cal->source.kind, "scan");
        TKIT_EQ_STR(an.cal->source.device, "test:0");
        TKIT_NEAR(an.cal->source.dpi, 150, 1e-9);
        TKIT_EQ_INT(an.cal->source.scans, 2);
        TKIT_TRUE(an.cal->source.flat_field[0] > 0.9 && an.cal->source.flat_field[0] < 1.0);
        TKIT_TRUE(an.cal->source.flat_field[1] > 1.0 && an.cal->source.flat_field[1] < 1.1);
        char path[300];
        snprintf(path, sizeof path, "%s/cal.json", tmpdir);
        TKIT_EQ_INT(fsk_calibration_save(path, an.cal, &err), 0);
        fsk_calibration *back = NULL;
        TKIT_EQ_INT(fsk_calibration_load(path, &back, &err), 0);
        if (back) {
            TKIT_EQ_INT(back->source.scans, 2);
            TKIT_NEAR(back->source.flat_field[0], an.cal->source.flat_field[0], 1e-4);
            TKIT_NEAR(back->source.flat_field[1], an.cal->source.flat_field[1], 1e-4);
            TKIT_EQ_INT(back->entries[2].origin, FSK_ORIGIN_MODEL);
        }
        fsk_calibration_free(back);
        fsk_analysis_free(&an);
    }
    fsk_scan_result_free(&s[0].res);
    fsk_scan_result_free(&s[1].res);
    free(all);
    free(truth);
    synth_grid_free(g);
    synth_grid_free(full);
}

/*
 * Two pages with the same layout and marks but different sequences: each
 * scan is matched to its page by its colors, and both make one
 * calibration.
 */
static void test_pages(void)
{
    fsk_grid *full = synth_grid(4, 3, 6, 1.5, 10);
    double(*all)[3] = malloc(full->patch_count * sizeof *all);
    synth_colors(full, NULL, 0.1, 1.0, 13, all, base_lin, mark_lin);
    size_t half = full->patch_count / 2;
    fsk_grid *page[2];
    run_stats st[2];
    for (int k = 0; k < 2; k++) {
        page[k] = synth_grid(4, 3, 6, 1.5, 10);
        page[k]->patch_count = half;
        page[k]->page = k + 1;
        page[k]->pages = 2;
        for (size_t i = 0; i < half; i++)
            memcpy(page[k]->patches[i].sequence, full->patches[k * half + i].sequence,
                   FSK_MAX_COLOR_LAYERS);
    }
    const fsk_grid *gs[2] = {page[0], page[1]};
    for (int k = 0; k < 2; k++) {
        synth_pose p = {.dpi = 150, .angle_deg = 30.0 + 100 * k, .margin_mm = 5, .noise = 1,
                        .seed = 40 + (uint64_t)k};
        synth_image im;
        TKIT_EQ_INT(synth_render(page[k], (const double(*)[3])(all + k * half), base_lin,
                                 mark_lin, lid_white, &p, &im),
                    0);
        fsk_linear_image img;
        to_linear(&im, &img);
        free(im.rgb);
        memset(&st[k], 0, sizeof st[k]);
        /* The second page is listed first: the colors, not the order, decide. */
        const fsk_grid *order[2] = {gs[1], gs[0]};
        st[k].rc = fsk_analyze_scan("page", &img, order, 2, &st[k].res, &st[k].err);
        TKIT_EQ_INT(st[k].rc, 0);
        TKIT_EQ_INT(st[k].res.grid, 1 - k);
        fsk_linear_image_free(&img);
        if (st[k].rc == 0)
            st[k].res.grid = (size_t)k; /* index into gs below */
    }
    if (st[0].rc == 0 && st[1].rc == 0) {
        fsk_scan_result both[2] = {st[0].res, st[1].res};
        fsk_analysis an;
        fsk_err err = {0};
        TKIT_EQ_INT(fsk_analyze_combine(gs, 2, both, 2, NULL, &an, &err), 0);
        TKIT_EQ_INT(an.measured, 2 * half);
        double worst = 0;
        for (size_t i = 0; an.cal && i < 2 * half; i++) {
            double lab[3];
            fsk_linear_to_lab(all[i], lab);
            worst = fmax(worst, fsk_de2000(lab, an.cal->entries[i].lab));
        }
        TKIT_TRUE(worst < 1.5);
        fsk_analysis_free(&an);
    }
    for (int k = 0; k < 2; k++) {
        fsk_scan_result_free(&st[k].res);
        synth_grid_free(page[k]);
    }
    free(all);
    synth_grid_free(full);
}

/* A patch with a big blot is flagged, and the overlay shows it. */
static void test_flag_and_overlay(void)
{
    fsk_grid *g = synth_grid(3, 3, 6, 1.5, 0);
    double(*truth)[3] = malloc(g->patch_count * sizeof *truth);
    synth_colors(g, NULL, 0.1, 1.0, 2, truth, base_lin, mark_lin);
    synth_pose p = {.dpi = 150, .angle_deg = 20, .margin_mm = 5, .noise = 1, .seed = 30};
    synth_image im;
    TKIT_EQ_INT(synth_render(g, (const double(*)[3])truth, base_lin, mark_lin, lid_white, &p,
                             &im),
                0);
    /* Half of patch 10 painted black. */
    synth_map m;
    synth_map_make(g, &p, im.w, im.h, &m);
    const double *r = g->patches[10].rect_mm;
    for (double Y = r[1] + 0.5; Y < r[1] + r[3] - 0.5; Y += 0.05)
        for (double X = r[0] + 0.5; X < r[0] + r[2] / 2; X += 0.05) {
            int x = (int)(m.a[0] + m.a[1] * X + m.a[2] * Y);
            int y = (int)(m.a[3] + m.a[4] * X + m.a[5] * Y);
            memset(im.rgb + ((size_t)y * (size_t)im.w + (size_t)x) * 3, 0, 3);
        }
    fsk_linear_image img;
    to_linear(&im, &img);
    free(im.rgb);
    fsk_scan_result res;
    fsk_err err = {0};
    const fsk_grid *gs[1] = {g};
    TKIT_EQ_INT(fsk_analyze_scan("blot.png", &img, gs, 1, &res, &err), 0);
    if (res.patch) {
        TKIT_TRUE(res.patch[10].flagged);
        TKIT_EQ_INT(res.flagged, 1);
        char path[300];
        snprintf(path, sizeof path, "%s/overlay.png", tmpdir);
        TKIT_EQ_INT(fsk_overlay_write(path, &img, g, &res, &err), 0);
        fsk_linear_image ov;
        TKIT_EQ_INT(fsk_linear_image_load(path, 0, 0, &ov, &err), 0);
        TKIT_EQ_INT(ov.width, img.width);
        TKIT_EQ_INT(ov.height, img.height);
        TKIT_NEAR(ov.dpi_x, 150, 0.05);
        /* The middle of patch 10's sampled area's top edge is red; patch 0's green. */
        for (int k = 0; k < 2; k++) {
            const double *pr = g->patches[k ? 0 : 10].rect_mm;
            double mm = fsk_sample_margin_mm(pr, 150 / 25.4), x, y;
            fsk_affine_apply(&res.reg.map, pr[0] + pr[2] / 2, pr[1] + mm, &x, &y);
            const float *px = ov.rgb + ((size_t)floor(y) * (size_t)ov.width + (size_t)floor(x)) * 3;
            TKIT_TRUE(k ? (px[1] > 0.5f && px[0] < 0.05f) : (px[0] > 0.9f && px[1] < 0.05f));
        }
        fsk_linear_image_free(&ov);
    }
    fsk_scan_result_free(&res);
    fsk_linear_image_free(&img);
    free(truth);
    synth_grid_free(g);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/fsk_test_analyze_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    TKIT_RUN(test_affine);
    TKIT_RUN(test_interquartile_mean);
    TKIT_RUN(test_model_fit);
    TKIT_RUN(test_poses);
    TKIT_RUN(test_not_a_grid);
    TKIT_RUN(test_shifted_refused);
    TKIT_RUN(test_other_filaments_flagged);
    TKIT_RUN(test_combine_and_fill);
    TKIT_RUN(test_pages);
    TKIT_RUN(test_flag_and_overlay);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    return TKIT_DONE();
}
