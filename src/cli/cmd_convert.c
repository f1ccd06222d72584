/*
 * cmd_convert.c — `filastack convert INPUT...`: artwork to per-filament
 * STLs, a 3MF, a preview and a report (the pipeline is fsk_convert).
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fsk_convert.h"

enum {
    OPT_CALIBRATION = 1, OPT_PRINTER, OPT_WIDTH, OPT_HEIGHT, OPT_PIXEL, OPT_DITHER,
    OPT_METRIC, OPT_MAX_COLORS, OPT_SIMPLIFY, OPT_MIN_FEATURE, OPT_TRANSPARENT, OPT_OUTDIR, OPT_NAME,
    OPT_3MF, OPT_MAX_PIXELS, OPT_LAYER_HEIGHT, OPT_FORCE
};

static const cli_option options[] = {
    {"calibration", 'c', "FILE", "calibration to match colors with (default: the "
     "bundled one of the printer's filament set)", OPT_CALIBRATION},
    {"printer", 0, "NAME|FILE", "printer profile (default: bambu-x1c-ams)", OPT_PRINTER},
    {"width-mm", 0, "W", "print width in mm (default 100), height from the aspect", OPT_WIDTH},
    {"height-mm", 0, "H", "print height in mm instead, width from the aspect", OPT_HEIGHT},
    {"pixel-mm", 0, "P", "print pixel size in mm (default: the printer's nozzle)", OPT_PIXEL},
    {"dither", 0, "MODE", "none (default) or floyd-steinberg", OPT_DITHER},
    {"metric", 0, "NAME", "color difference: de2000 (default), de76 or rgb", OPT_METRIC},
    {"max-colors", 0, "K", "use at most K calibrated colors", OPT_MAX_COLORS},
    {"simplify", 0, "DE", "allow up to DE (CIEDE2000) more color error per pixel for "
     "simpler parts (default 1; 0: off)", OPT_SIMPLIFY},
    {"min-feature-mm", 0, "D", "smallest region side in mm (default: the nozzle; 0: off)",
     OPT_MIN_FEATURE},
    {"transparent", 0, "MODE", "where alpha < 50 %: empty (default) or backing", OPT_TRANSPARENT},
    {"output", 'o', "DIR", "folder for the outputs (default: the current folder)", OPT_OUTDIR},
    {"name", 0, "STEM", "output file name stem (default: the input's name)", OPT_NAME},
    {"3mf", 0, "FLAVOR", "prusa, bambu, core or none (default: the printer's slicer)", OPT_3MF},
    {"max-pixels", 0, "N", "refuse images with more pixels (default 100000000)", OPT_MAX_PIXELS},
    {"layer-height-mm", 0, "H", "require this layer height of the calibration", OPT_LAYER_HEIGHT},
    {"force-construction", 0, NULL, "use a calibration made for another layer height",
     OPT_FORCE},
    {0},
};

typedef struct convert_args {
    const char *calibration, *printer, *out_dir, *name;
    double width_mm, height_mm, pixel_mm, min_feature_mm, layer_height_mm;
    bool pixel_set, min_feature_set, force;
    long max_colors, max_pixels;
    const char *threemf;
    fsk_convert_options opt;
} convert_args;

static int parse_choice(const char *option, const char *text, const char *const *names,
                        int *out)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return 0;
        }
    return cli_usage_error(&cmd_convert, "option '%s': unknown value '%s'", option, text);
}

static int parse_args(cli_ctx *ctx, int argc, char **argv, convert_args *a, int *first)
{
    cli_parser p;
    if (cli_parser_init(&p, ctx, &cmd_convert, argc, argv))
        return CLI_EXIT_FAILURE;
    static const char *const dithers[] = {"none", "floyd-steinberg", NULL};
    static const char *const transparents[] = {"empty", "backing", NULL};
    const char *arg;
    int id, rc = 0, choice = 0;
    while (!rc && (id = cli_next_option(&p, &arg)) > 0) {
        switch (id) {
        case OPT_CALIBRATION: a->calibration = arg; break;
        case OPT_PRINTER: a->printer = arg; break;
        case OPT_WIDTH: rc = cli_parse_double(&cmd_convert, "--width-mm", arg, 1, 10000, &a->width_mm); break;
        case OPT_HEIGHT: rc = cli_parse_double(&cmd_convert, "--height-mm", arg, 1, 10000, &a->height_mm); break;
        case OPT_PIXEL:
            rc = cli_parse_double(&cmd_convert, "--pixel-mm", arg, 0.01, 100, &a->pixel_mm);
            a->pixel_set = true;
            break;
        case OPT_DITHER:
            rc = parse_choice("--dither", arg, dithers, &choice);
            a->opt.dither = choice == 1;
            break;
        case OPT_METRIC:
            if (fsk_metric_parse(arg, &a->opt.metric) != 0)
                rc = cli_usage_error(&cmd_convert, "option '--metric': unknown value '%s'", arg);
            break;
        case OPT_MAX_COLORS: rc = cli_parse_int(&cmd_convert, "--max-colors", arg, 1, 65000, &a->max_colors); break;
        case OPT_SIMPLIFY: rc = cli_parse_double(&cmd_convert, "--simplify", arg, 0, 100, &a->opt.simplify_de); break;
        case OPT_MIN_FEATURE:
            rc = cli_parse_double(&cmd_convert, "--min-feature-mm", arg, 0, 100, &a->min_feature_mm);
            a->min_feature_set = true;
            break;
        case OPT_TRANSPARENT:
            rc = parse_choice("--transparent", arg, transparents, &choice);
            a->opt.transparent_backing = choice == 1;
            break;
        case OPT_OUTDIR: a->out_dir = arg; break;
        case OPT_NAME: a->name = arg; break;
        case OPT_3MF: a->threemf = arg; break;
        case OPT_MAX_PIXELS: rc = cli_parse_int(&cmd_convert, "--max-pixels", arg, 1, LONG_MAX, &a->max_pixels); break;
        case OPT_LAYER_HEIGHT: rc = cli_parse_double(&cmd_convert, "--layer-height-mm", arg, 0.01, 1, &a->layer_height_mm); break;
        case OPT_FORCE: a->force = true; break;
        }
    }
    *first = cli_operands(&p);
    cli_parser_free(&p);
    if (rc)
        return rc;
    if (id == CLI_OPT_HELP)
        return -1;
    if (id == CLI_OPT_ERROR)
        return CLI_EXIT_USAGE;
    if (a->width_mm > 0 && a->height_mm > 0)
        return cli_usage_error(&cmd_convert, "give --width-mm or --height-mm, not both");
    if (*first >= argc)
        return cli_usage_error(&cmd_convert, "no input file given");
    if (a->name && argc - *first > 1)
        return cli_usage_error(&cmd_convert, "--name needs a single input file");
    return 0;
}

/* The output stem of an input: its base name without the extension. */
static void stem_of(const char *input, char *out, size_t cap)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    snprintf(out, cap, "%s", base);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

/* The bundled calibration of the printer's default filament set. */
static int default_calibration(cli_ctx *ctx, const fsk_printer *printer, char *path, size_t cap)
{
    fsk_profiles *store = cli_profiles(ctx);
    if (!store)
        return CLI_EXIT_FAILURE;
    const fsk_filament_set *set = fsk_profiles_find_set(store, printer->default_set);
    const char *id = set ? set->id : printer->default_set;
    snprintf(path, cap, "%s/calibrations/%s.json", fsk_profiles_dir(store), id);
    if (access(path, R_OK) != 0) {
        cli_error("no bundled calibration for filament set '%s' ('%s'); give one with -c",
                  id, path);
        return CLI_EXIT_FAILURE;
    }
    cli_verbose(ctx, "calibration '%s' (bundled for %s)", path, id);
    return 0;
}

static int check_construction(const convert_args *a, const fsk_calibration *cal, const char *file)
{
    if (a->layer_height_mm > 0 &&
        fabs(a->layer_height_mm - cal->construction.layer_height_mm) > 1e-9 && !a->force) {
        cli_error("calibration '%s' was made for %g mm layers, not %g mm; calibrate for this "
                  "layer height or pass --force-construction",
                  file, cal->construction.layer_height_mm, a->layer_height_mm);
        return CLI_EXIT_FAILURE;
    }
    return 0;
}

static void progress(void *ctx, fsk_stage stage)
{
    const char *input = *(const char *const *)ctx;
    fprintf(stderr, "\r\033[Kfilastack: %s: %s", input, fsk_stage_name(stage));
    fflush(stderr);
}

static int convert_one(cli_ctx *ctx, const char *input, const fsk_calibration *cal,
                       convert_args *a)
{
    char stem[FSK_NAME_MAX];
    if (a->name)
        snprintf(stem, sizeof stem, "%s", a->name);
    else
        stem_of(input, stem, sizeof stem);
    a->opt.stem = stem;
    bool show_progress = ctx->verbosity > 0 && isatty(STDERR_FILENO);
    a->opt.progress = show_progress ? progress : NULL;
    a->opt.progress_ctx = &input;
    fsk_convert_result res;
    fsk_err err = {0};
    int rc = fsk_convert(input, cal, &a->opt, &res, &err);
    if (show_progress)
        fputs("\r\033[K", stderr);
    if (rc)
        return cli_fail(&err);
    cli_info(ctx, "%s: %dx%d pixels of %g mm (%.1f x %.1f mm), %d colors, %d parts, "
             "%llu triangles, color error mean %.2f, p95 %.2f (CIEDE2000)",
             input, res.grid_width, res.grid_height, res.pixel_mm,
             res.grid_width * res.pixel_mm, res.grid_height * res.pixel_mm,
             res.color.colors_used, res.part_count, (unsigned long long)res.triangles,
             res.color.mean, res.color.p95);
    for (int i = 0; i < res.file_count; i++)
        cli_verbose(ctx, "wrote %s/%s", a->out_dir, res.files[i]);
    fsk_convert_result_free(&res);
    return CLI_EXIT_OK;
}

static int run_convert(cli_ctx *ctx, int argc, char **argv)
{
    convert_args a = {.out_dir = ".", .opt.metric = FSK_METRIC_DE2000, .opt.simplify_de = 1};
    int first;
    int rc = parse_args(ctx, argc, argv, &a, &first);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    fsk_printer printer;
    if ((rc = cli_printer(ctx, a.printer, &printer)) != 0)
        return rc;
    if ((rc = cli_threemf_kind(&cmd_convert, a.threemf, &printer, &a.opt.threemf)) != 0)
        return rc;
    char default_cal[PATH_MAX];
    if (!a.calibration) {
        if ((rc = default_calibration(ctx, &printer, default_cal, sizeof default_cal)) != 0)
            return rc;
        a.calibration = default_cal;
    }
    fsk_err err = {0};
    fsk_calibration *cal = NULL;
    if (fsk_calibration_load(a.calibration, &cal, &err) != 0)
        return cli_fail(&err);
    if ((rc = check_construction(&a, cal, a.calibration)) != 0) {
        fsk_calibration_free(cal);
        return rc;
    }
    struct stat st;
    if (stat(a.out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fsk_calibration_free(cal);
        cli_error("cannot write to '%s': not a folder", a.out_dir);
        return CLI_EXIT_FAILURE;
    }
    a.opt.grid.width_mm = a.height_mm > 0 ? 0 : (a.width_mm > 0 ? a.width_mm : 100);
    a.opt.grid.height_mm = a.height_mm;
    a.opt.grid.pixel_mm = a.pixel_set ? a.pixel_mm : printer.nozzle_mm;
    a.opt.grid.max_pixels = (uint64_t)a.max_pixels;
    a.opt.min_feature_mm = a.min_feature_set ? a.min_feature_mm : printer.nozzle_mm;
    a.opt.max_colors = (int)a.max_colors;
    a.opt.printer = &printer;
    a.opt.calibration_name = a.calibration;
    a.opt.out_dir = a.out_dir;
    int failures = 0;
    for (int i = first; i < argc; i++)
        failures += convert_one(ctx, argv[i], cal, &a) != CLI_EXIT_OK;
    fsk_calibration_free(cal);
    return failures ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

const cli_command cmd_convert = {
    .name = "convert",
    .operands = "INPUT...",
    .summary = "turn artwork into per-filament STLs, a 3MF, a preview and a report",
    .description =
        "Converts each INPUT (PNG or JPEG) into OUTDIR/STEM_FILAMENT.stl per filament,\n"
        "STEM.3mf, STEM_preview.png and STEM_report.json, matching every print pixel\n"
        "to the nearest color of the calibration (CIEDE2000).",
    .options = options,
    .run = run_convert,
};
