/*
 * synth_scan.c — a synthetic flatbed scan of a grid.json, for the
 * command-line and end-to-end tests of `filastack calibrate analyze` and
 * `calibrate scan` (through SANE's pnm backend), and a checker that
 * compares a calibration with the colors that were "printed".
 *
 *   fsk_synth_scan GRID.json OUT.png|OUT.jpg|OUT.ppm [POSE] [COLORS]
 *   fsk_synth_scan GRID.json --check CAL.json [COLORS] [--max-mean X] [--max Y]
 *
 * POSE: --dpi D (300) --angle DEG --shear DEG --mirror --shift-mm X,Y
 *       --margin-mm M (8) --blur PX --noise N --dust K --fibre --illum A
 *       --quality Q (JPEG, 92) --no-dpi --lid white|dark
 * COLORS (the same for rendering and checking): --seed S (1) --perturb P
 *       (0.12) --jitter J (2) --shift-colors (patch i shows patch i+1's
 *       color) --printed K=RRGGBB (filament K printed in another color)
 *
 * --check prints "ΔE00 mean M max X over N patches" and exits 1 when over
 * the limits (defaults 0.5 and 1.5). Exit 2 on bad arguments or files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_calibration.h"
#include "fsk_grid.h"
#include "synth_scan.h"

static int usage(const char *msg)
{
    fprintf(stderr, "fsk_synth_scan: %s\n", msg);
    return 2;
}

static const char *ext(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : "";
}

static int check(const fsk_grid *g, const double (*truth)[3], const char *cal_path,
                 double max_mean, double max_de)
{
    fsk_calibration *cal = NULL;
    fsk_err err = {0};
    if (fsk_calibration_load(cal_path, &cal, &err) != 0)
        return usage(err.msg);
    double sum = 0, worst = 0;
    size_t n = 0, missing = 0;
    for (size_t i = 0; i < g->patch_count; i++) {
        const fsk_cal_entry *e = NULL;
        for (size_t k = 0; k < cal->entry_count && !e; k++)
            if (memcmp(cal->entries[k].sequence, g->patches[i].sequence,
                       (size_t)g->construction.color_layers) == 0)
                e = &cal->entries[k];
        if (!e || e->origin != FSK_ORIGIN_SCAN) {
            missing++;
            continue;
        }
        double lab[3];
        fsk_linear_to_lab(truth[i], lab);
        double d = fsk_de2000(lab, e->lab);
        sum += d;
        worst = fmax(worst, d);
        n++;
    }
    fsk_calibration_free(cal);
    double mean = n ? sum / (double)n : 0;
    printf("ΔE00 mean %.3f max %.3f over %zu patches\n", mean, worst, n);
    if (missing) {
        printf("%zu patches were not measured\n", missing);
        return 1;
    }
    return mean <= max_mean && worst <= max_de ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage("usage: fsk_synth_scan GRID.json OUT|--check CAL.json [OPTIONS]");
    fsk_grid *g = NULL;
    fsk_err err = {0};
    if (fsk_grid_load(argv[1], &g, &err) != 0)
        return usage(err.msg);
    synth_pose p = {.dpi = 300, .margin_mm = 8, .seed = 1};
    int quality = 92, with_dpi = 1, shift_colors = 0;
    const char *out = NULL, *check_path = NULL;
    double perturb = 0.12, jitter = 2, max_mean = 0.5, max_de = 1.5;
    const double *lid = NULL;
    static const double lid_white[3] = {0.86, 0.86, 0.86}, lid_dark[3] = {0.01, 0.01, 0.012};
    fsk_filament printed[FSK_MAX_FILAMENTS];
    memcpy(printed, g->filaments, sizeof printed);
    int any_printed = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NUM(name, dst)                                                                             \
    if (strcmp(a, name) == 0 && v) {                                                               \
        dst = atof(v);                                                                             \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        NUM("--dpi", p.dpi)
        NUM("--angle", p.angle_deg)
        NUM("--shear", p.shear_deg)
        NUM("--margin-mm", p.margin_mm)
        NUM("--blur", p.blur_px)
        NUM("--noise", p.noise)
        NUM("--illum", p.illum)
        NUM("--perturb", perturb)
        NUM("--jitter", jitter)
        NUM("--max-mean", max_mean)
        NUM("--max", max_de)
#undef NUM
        if (strcmp(a, "--dust") == 0 && v) {
            p.dust = atoi(v);
            i++;
        } else if (strcmp(a, "--quality") == 0 && v) {
            quality = atoi(v);
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            p.seed = strtoull(v, NULL, 10);
            i++;
        } else if (strcmp(a, "--shift-mm") == 0 && v) {
            if (sscanf(v, "%lf,%lf", &p.shift_mm[0], &p.shift_mm[1]) != 2)
                return usage("--shift-mm takes X,Y");
            i++;
        } else if (strcmp(a, "--lid") == 0 && v) {
            lid = strcmp(v, "dark") == 0 ? lid_dark : lid_white;
            i++;
        } else if (strcmp(a, "--printed") == 0 && v) {
            int k;
            unsigned rgb;
            if (sscanf(v, "%d=%x", &k, &rgb) != 2 || k < 1 || k > g->filament_count)
                return usage("--printed takes K=RRGGBB");
            synth_filament(&printed[k - 1], "printed", rgb, g->filaments[k - 1].td_mm);
            any_printed = 1;
            i++;
        } else if (strcmp(a, "--check") == 0 && v) {
            check_path = v;
            i++;
        } else if (strcmp(a, "--mirror") == 0) {
            p.mirror = true;
        } else if (strcmp(a, "--fibre") == 0) {
            p.fibre = true;
        } else if (strcmp(a, "--no-dpi") == 0) {
            with_dpi = 0;
        } else if (strcmp(a, "--shift-colors") == 0) {
            shift_colors = 1;
        } else if (a[0] != '-' && !out) {
            out = a;
        } else {
            fprintf(stderr, "fsk_synth_scan: unknown argument '%s'\n", a);
            return 2;
        }
    }
    double(*truth)[3] = malloc((g->patch_count ? g->patch_count : 1) * sizeof *truth);
    double(*shown)[3] = malloc((g->patch_count ? g->patch_count : 1) * sizeof *shown);
    double base[3], mark[3];
    synth_colors(g, any_printed ? printed : NULL, perturb, jitter, p.seed, truth, base, mark);
    for (size_t i = 0; i < g->patch_count; i++)
        memcpy(shown[i], truth[(i + (size_t)shift_colors) % g->patch_count], sizeof shown[i]);
    int rc;
    if (check_path) {
        rc = check(g, (const double(*)[3])shown, check_path, max_mean, max_de);
    } else if (!out) {
        rc = usage("no output file");
    } else {
        synth_image im;
        rc = 2;
        if (synth_render(g, (const double(*)[3])shown, base, mark, lid ? lid : lid_white, &p,
                         &im) == 0) {
            if (!with_dpi)
                im.dpi = 0;
            const char *e = ext(out);
            int w = strcmp(e, "ppm") == 0                          ? synth_write_ppm(out, &im)
                    : strcmp(e, "jpg") == 0 || strcmp(e, "jpeg") == 0 ? synth_write_jpeg(out, &im, quality, with_dpi)
                                                                     : synth_write_png(out, &im);
            rc = w == 0 ? 0 : 2;
            if (rc)
                fprintf(stderr, "fsk_synth_scan: cannot write '%s'\n", out);
            free(im.rgb);
        }
    }
    free(truth);
    free(shown);
    fsk_grid_free(g);
    return rc;
}
