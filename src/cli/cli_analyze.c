/*
 * cli_analyze.c — scans to a calibration file, with messages (see
 * cli_analyze.h).
 */
#include "cli_analyze.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsk_affine.h"
#include "fsk_analyze.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"
#include "fsk_overlay.h"

/* The overlay path of scan k (0-based): the given path for the first,
 * STEM-(k+1).EXT after. */
static void overlay_path(const char *given, size_t k, char *buf, size_t cap)
{
    if (k == 0) {
        snprintf(buf, cap, "%s", given);
        return;
    }
    const char *slash = strrchr(given, '/'), *dot = strrchr(given, '.');
    if (!dot || (slash && dot < slash))
        dot = given + strlen(given);
    snprintf(buf, cap, "%.*s-%zu%s", (int)(dot - given), given, k + 1, dot);
}

static void report_scan(const cli_ctx *ctx, const char *name, const fsk_grid *g,
                        const fsk_scan_result *r, size_t grids)
{
    char page[64] = "";
    if (grids > 1 || g->pages > 1)
        snprintf(page, sizeof page, " (page %d of %d)", g->page, g->pages);
    const fsk_affine *m = &r->reg.map;
    cli_info(ctx,
             "'%s': grid found%s at %.0f dpi, turned %.1f degrees%s; %zu of %zu patches "
             "measured, %zu not uniform",
             name, page, r->dpi, fsk_affine_rotation_deg(m),
             fsk_affine_mirrored(m) ? ", mirrored" : "", r->measured, g->patch_count,
             r->flagged);
    if (r->flat.valid)
        cli_info(ctx, "'%s': uneven illumination corrected by gains of %.3f to %.3f", name,
                 r->flat.min_gain, r->flat.max_gain);
    if (r->shift.done)
        cli_info(ctx,
                 "'%s': the patch colors fit the filament model %.1f times better here than "
                 "one patch off (ΔE00 %.1f against %.1f at best)",
                 name, r->shift.margin, r->shift.de[1][1],
                 r->shift.de[r->shift.best_dy + 1][r->shift.best_dx + 1]);
    cli_verbose(ctx,
                "'%s': %zu of %zu marks found, %zu patch centres fitted (%.2f px rms), "
                "marks within %.2f mm, shear %.2f degrees, %.0f%% of %zu gap samples show the "
                "base",
                name, r->reg.marks_found, g->mark_count, r->reg.patches_used, r->reg.rms_px,
                r->reg.mark_err_mm, fsk_affine_shear_deg(m), 100 * r->gap_fraction,
                r->gap_samples);
    for (int k = 0; k < r->warning_count; k++)
        cli_warn(ctx, "%s", r->warnings[k]);
}

int cli_analyze_scans(cli_ctx *ctx, const cli_analyze_args *a, const char *const *scans,
                      size_t count, const char *device)
{
    fsk_err err = {0};
    int rc = CLI_EXIT_OK;
    fsk_grid **grids = calloc(a->grid_count ? a->grid_count : 1, sizeof *grids);
    fsk_scan_result *res = calloc(count ? count : 1, sizeof *res);
    char (*written)[4200] = calloc(count ? count : 1, sizeof *written);
    size_t nwritten = 0, nres = 0;
    fsk_analysis an = {0};
    if (!grids || !res || !written) {
        cli_error("out of memory");
        rc = CLI_EXIT_FAILURE;
        goto done;
    }
    for (size_t k = 0; k < a->grid_count; k++)
        if (fsk_grid_load(a->grids[k], &grids[k], &err) != 0) {
            rc = cli_fail(&err);
            goto done;
        }
    for (size_t s = 0; s < count; s++) {
        fsk_linear_image img;
        if (fsk_linear_image_load(scans[s], CLI_ANALYZE_MAX_PIXELS, 0, &img, &err) != 0) {
            rc = cli_fail(&err);
            goto done;
        }
        int r = fsk_analyze_scan(scans[s], &img, (const fsk_grid *const *)grids, a->grid_count,
                                 &res[s], &err);
        if (r == 0) {
            nres++;
            report_scan(ctx, scans[s], grids[res[s].grid], &res[s], a->grid_count);
            if (a->overlay) {
                overlay_path(a->overlay, s, written[nwritten], sizeof written[0]);
                r = fsk_overlay_write(written[nwritten], &img, grids[res[s].grid], &res[s],
                                      &err);
                nwritten += r == 0;
            }
        }
        fsk_linear_image_free(&img);
        if (r != 0) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    if (fsk_analyze_combine((const fsk_grid *const *)grids, a->grid_count, res, count, device,
                            &an, &err) != 0 ||
        fsk_calibration_save(a->output, an.cal, &err) != 0) {
        rc = cli_fail(&err);
        goto done;
    }
    for (int k = 0; k < an.warning_count; k++)
        cli_warn(ctx, "%s", an.warnings[k]);
    cli_info(ctx, "wrote '%s': %zu sequences measured on %zu scan%s, %zu filled in by the "
                  "model, %zu not uniform",
             a->output, an.measured, count, count == 1 ? "" : "s", an.filled, an.flagged);
    if (an.kfold_done)
        cli_info(ctx,
                 "the fitted filament model predicts patches it did not see within ΔE00 %.2f "
                 "on average (5-fold; 95%% within %.2f, worst %.2f)",
                 an.kfold_mean_de00, an.kfold_p95_de00, an.kfold_max_de00);
    for (size_t k = 0; k < nwritten; k++)
        cli_info(ctx, "wrote '%s'", written[k]);
done:
    if (rc != CLI_EXIT_OK)
        for (size_t k = 0; k < nwritten; k++)
            unlink(written[k]);
    fsk_analysis_free(&an);
    for (size_t s = 0; s < nres; s++)
        fsk_scan_result_free(&res[s]);
    for (size_t k = 0; grids && k < a->grid_count; k++)
        fsk_grid_free(grids[k]);
    free(grids);
    free(res);
    free(written);
    return rc;
}
