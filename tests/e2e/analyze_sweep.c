/*
 * analyze_sweep.c — the long pose sweep of the scan analyzer: a real
 * grid.json (from `filastack calibrate grid`) rendered as synthetic scans
 * in many poses — every 15 degrees and odd angles, either side up, shear,
 * 150 to 600 dpi, PNG and JPEG (with and without a resolution), blur,
 * noise, dust, a fibre, uneven illumination — and read back; every patch
 * must come back within ΔE00 mean 0.5 and max 1.5 of what was printed.
 *
 *   analyze_sweep GRID.json WORKDIR [FIRST [COUNT]]
 *
 * Prints one line per pose and a summary; exits 1 when any pose fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_analyze.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"
#include "synth_scan.h"

typedef struct pose_case {
    synth_pose p;
    int jpeg;     /* quality, 0 for PNG */
    int with_dpi;
    int dark_lid;
} pose_case;

static int make_cases(pose_case *c, int cap)
{
    static const double dpis[] = {150, 200, 300, 400, 250, 600};
    static const double shears[] = {0, 1.5, -2, 3, -1, 0.5};
    static const double odd[] = {7.3, 44.9, 91.7, 133.3, 222.2, 359.1, 301.01, 178.6};
    int n = 0;
    for (int k = 0; k < 24 + 8 && n < cap; k++, n++) {
        pose_case *pc = &c[n];
        memset(pc, 0, sizeof *pc);
        synth_pose *p = &pc->p;
        p->angle_deg = k < 24 ? 15.0 * k : odd[k - 24];
        p->dpi = dpis[k % 6];
        /* Keep 600 dpi to a few poses: they are slow to render. */
        if (p->dpi == 600 && k % 12 != 5)
            p->dpi = 350;
        p->shear_deg = shears[k % 6];
        p->mirror = k % 2 == 1;
        p->margin_mm = 4 + k % 5 * 3;
        p->shift_mm[0] = (k % 3 - 1) * 5.0;
        p->shift_mm[1] = (k % 4 - 1.5) * 3.0;
        p->blur_px = (0.4 + 0.25 * (k % 4)) * p->dpi / 300;
        p->noise = 1 + (k % 3);
        p->dust = 20 + 10 * (k % 5);
        p->fibre = k % 2 == 0;
        p->illum = 0.04 + 0.02 * (k % 4);
        p->seed = (uint64_t)k + 100;
        pc->jpeg = k % 3 == 2 ? 85 + 5 * (k % 3) : 0;
        pc->with_dpi = k % 7 != 3;
        pc->dark_lid = k % 5 == 4;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: analyze_sweep GRID.json WORKDIR [FIRST [COUNT]]\n");
        return 2;
    }
    fsk_grid *g = NULL;
    fsk_err err = {0};
    if (fsk_grid_load(argv[1], &g, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    pose_case cases[64];
    int n = make_cases(cases, 64);
    int first = argc > 3 ? atoi(argv[3]) : 0, count = argc > 4 ? atoi(argv[4]) : n;
    double(*truth)[3] = malloc(g->patch_count * sizeof *truth);
    static const double lid_white[3] = {0.86, 0.86, 0.86}, lid_dark[3] = {0.01, 0.01, 0.012};
    int failed = 0, done = 0;
    double sum_mean = 0, worst = 0, min_margin = INFINITY, worst_mean = 0;
    for (int k = first; k < n && k < first + count; k++) {
        const pose_case *pc = &cases[k];
        double base[3], mark[3];
        synth_colors(g, NULL, 0.12, 2.0, pc->p.seed, truth, base, mark);
        synth_image im;
        if (synth_render(g, (const double(*)[3])truth, base, mark,
                         pc->dark_lid ? lid_dark : lid_white, &pc->p, &im) != 0) {
            fprintf(stderr, "out of memory\n");
            return 2;
        }
        if (!pc->with_dpi)
            im.dpi = 0;
        int img_w = im.w, img_h = im.h;
        char path[4200];
        snprintf(path, sizeof path, "%s/pose%02d.%s", argv[2], k, pc->jpeg ? "jpg" : "png");
        int w = pc->jpeg ? synth_write_jpeg(path, &im, pc->jpeg, pc->with_dpi)
                         : synth_write_png(path, &im);
        free(im.rgb);
        fsk_linear_image img;
        fsk_scan_result res;
        const fsk_grid *gs[1] = {g};
        int rc = w != 0 ? -1 : fsk_linear_image_load(path, 0, 0, &img, &err);
        if (rc == 0) {
            rc = fsk_analyze_scan(path, &img, gs, 1, &res, &err);
            fsk_linear_image_free(&img);
        }
        remove(path);
        double sum = 0, mx = 0;
        size_t m = 0;
        if (rc == 0) {
            for (size_t i = 0; i < g->patch_count; i++) {
                if (!res.patch[i].valid)
                    continue;
                double a[3], b[3];
                fsk_linear_to_lab(truth[i], a);
                fsk_linear_to_lab(res.patch[i].rgb, b);
                double e = fsk_de2000(a, b);
                if (getenv("FSK_SWEEP_VERBOSE") && e > 1.0)
                    printf("  patch %zu at %.1f,%.1f mm: printed %.1f %.1f %.1f read %.1f %.1f "
                           "%.1f, ΔE00 %.2f, spread %.2f, %d px\n",
                           i, g->patches[i].rect_mm[0], g->patches[i].rect_mm[1], a[0], a[1],
                           a[2], b[0], b[1], b[2], e, res.patch[i].spread, res.patch[i].pixels);
                sum += e;
                mx = fmax(mx, e);
                m++;
            }
        }
        double mean = m ? sum / (double)m : INFINITY;
        if (rc == 0 && getenv("FSK_SWEEP_VERBOSE")) {
            /* Where the fitted map puts the plate's corners against the truth. */
            synth_map tm;
            synth_map_make(g, &pc->p, img_w, img_h, &tm);
            double worst_px = 0;
            for (int c = 0; c < 4; c++) {
                double X = (c & 1) * g->size_mm[0], Y = (c >> 1) * g->size_mm[1], x, y;
                fsk_affine_apply(&res.reg.map, X, Y, &x, &y);
                double tx = tm.a[0] + tm.a[1] * X + tm.a[2] * Y, ty = tm.a[3] + tm.a[4] * X + tm.a[5] * Y;
                worst_px = fmax(worst_px, hypot(x - tx, y - ty));
            }
            printf("  map: %zu patches, rms %.2f px, corners off by up to %.2f px\n",
                   res.reg.patches_used, res.reg.rms_px, worst_px);
        }
        bool ok = rc == 0 && m == g->patch_count && mean <= 0.5 && mx <= 1.5 &&
                  fsk_affine_mirrored(&res.reg.map) == pc->p.mirror && res.flagged == 0;
        printf("pose %2d: %3.0f dpi %6.1f deg shear %4.1f%s %s%s: ", k, pc->p.dpi,
               pc->p.angle_deg, pc->p.shear_deg, pc->p.mirror ? " mirrored" : "",
               pc->jpeg ? "JPEG" : "PNG", pc->with_dpi ? "" : " (no dpi)");
        if (rc == 0)
            printf("ΔE00 mean %.3f max %.3f, %zu flagged, shift margin %.1f, read at %.1f dpi%s\n",
                   mean, mx, res.flagged, res.shift.margin, res.dpi, ok ? "" : "  FAILED");
        else
            printf("%s  FAILED\n", err.msg);
        if (rc == 0) {
            sum_mean += mean;
            worst = fmax(worst, mx);
            worst_mean = fmax(worst_mean, mean);
            min_margin = fmin(min_margin, res.shift.margin);
            fsk_scan_result_free(&res);
        }
        failed += !ok;
        done++;
    }
    printf("%d poses, %d failed; ΔE00 mean over poses %.3f, worst pose mean %.3f, worst patch "
           "%.3f; smallest shift margin %.1f\n",
           done, failed, done ? sum_mean / done : 0, worst_mean, worst, min_margin);
    free(truth);
    fsk_grid_free(g);
    return failed ? 1 : 0;
}
