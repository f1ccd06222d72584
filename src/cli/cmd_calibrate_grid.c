/*
 * cmd_calibrate_grid.c — `filastack calibrate grid`: the calibration grid
 * to print (grid.json, one STL per part, a 3MF, the predicted preview and
 * grid_README.txt), all published together into the output folder.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_construction.h"
#include "commands.h"
#include "fsk_grid_layout.h"
#include "fsk_grid_print.h"
#include "fsk_grid_readme.h"

enum { OPT_PRINTER = 1, OPT_PATCH, OPT_GAP, OPT_MAX_PATCHES, OPT_PAGES, OPT_3MF, OPT_OUTPUT };

static const cli_option options[] = {
    {"printer", 0, "NAME|FILE", "printer profile (default: bambu-x1c-ams)", OPT_PRINTER},
    CLI_CONSTRUCTION_OPTIONS,
    {"patch-mm", 0, "S", "patch side in mm, a multiple of 0.1 (default 6)", OPT_PATCH},
    {"gap-mm", 0, "G", "gap between patches in mm, a multiple of 0.1 (default 1.2)", OPT_GAP},
    {"max-patches", 0, "K", "at most K patches on a plate (default: as many as fit)",
     OPT_MAX_PATCHES},
    {"pages", 0, NULL, "print every sequence, on as many plates as needed", OPT_PAGES},
    {"3mf", 0, "FLAVOR", "prusa, bambu, core or none (default: the printer's slicer)", OPT_3MF},
    {"output", 'o', "DIR", "folder for the grid's files (created if missing)", OPT_OUTPUT},
    {0},
};

typedef struct grid_args {
    cli_construction_args ca;
    const char *printer, *threemf, *out_dir;
    double patch_mm, gap_mm;
    long max_patches;
    bool pages;
} grid_args;

static int parse_args(cli_ctx *ctx, int argc, char **argv, grid_args *a)
{
    const cli_command *cmd = &cmd_calibrate_grid;
    cli_parser p;
    if (cli_parser_init(&p, ctx, cmd, argc, argv))
        return CLI_EXIT_FAILURE;
    const char *arg;
    int id, rc = 0;
    while (!rc && (id = cli_next_option(&p, &arg)) > 0) {
        switch (id) {
        case OPT_PRINTER: a->printer = arg; break;
        case OPT_PATCH: rc = cli_parse_double(cmd, "--patch-mm", arg, 1, 50, &a->patch_mm); break;
        case OPT_GAP: rc = cli_parse_double(cmd, "--gap-mm", arg, 0, 20, &a->gap_mm); break;
        case OPT_MAX_PATCHES:
            rc = cli_parse_int(cmd, "--max-patches", arg, 1, FSK_CAL_MAX_ENTRIES, &a->max_patches);
            break;
        case OPT_PAGES: a->pages = true; break;
        case OPT_3MF: a->threemf = arg; break;
        case OPT_OUTPUT: a->out_dir = arg; break;
        default:
            if ((rc = cli_construction_option(cmd, id, arg, &a->ca)) == 1)
                rc = 0;
        }
    }
    int first = cli_operands(&p);
    cli_parser_free(&p);
    if (rc)
        return rc;
    if (id == CLI_OPT_HELP)
        return -1;
    if (id == CLI_OPT_ERROR)
        return CLI_EXIT_USAGE;
    if (first < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    if (!a->out_dir)
        return cli_usage_error(cmd, "no output folder given (-o DIR)");
    return 0;
}

/* The output folder, created when missing; *created says so. */
static int output_folder(const char *dir, bool *created)
{
    struct stat st;
    *created = false;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        cli_error("cannot write to '%s': not a folder", dir);
        return CLI_EXIT_FAILURE;
    }
    if (mkdir(dir, 0777) != 0) {
        cli_error("cannot create '%s': %s", dir, strerror(errno));
        return CLI_EXIT_FAILURE;
    }
    *created = true;
    return 0;
}

/* Writes every page's files and the README into the staging folder. */
static int write_pages(cli_ctx *ctx, fsk_staging *s, fsk_grid **pages, int count,
                       const fsk_printer *printer, fsk_threemf_kind kind, fsk_err *err)
{
    char (*stems)[32] = calloc((size_t)count, sizeof *stems);
    const char **stem_list = calloc((size_t)count, sizeof *stem_list);
    int rc = !stems || !stem_list ? fsk_err_set(err, FSK_ENOMEM, "out of memory") : 0;
    for (int p = 0; p < count && !rc; p++) {
        if (count > 1)
            snprintf(stems[p], sizeof stems[p], "grid_p%d", p + 1);
        else
            snprintf(stems[p], sizeof stems[p], "grid");
        stem_list[p] = stems[p];
        char name[64], path[4400];
        snprintf(name, sizeof name, "%s.json", stems[p]);
        rc = fsk_staging_path(s, name, path, sizeof path, err);
        if (!rc)
            rc = fsk_grid_save(path, pages[p], err);
        if (!rc)
            rc = fsk_staging_add(s, name, err);
        fsk_grid_print_stats st;
        if (!rc)
            rc = fsk_grid_write_print(s, stems[p], pages[p], kind, printer, &st, err);
        if (!rc) {
            cli_info(ctx, "%s: %zu patches on a %g x %g mm plate, %d x %d pixels of %g mm, "
                     "%d layers, %d parts, %llu triangles",
                     name, pages[p]->patch_count, pages[p]->size_mm[0], pages[p]->size_mm[1],
                     st.width_px, st.height_px, st.pixel_mm, st.layers, st.part_count,
                     (unsigned long long)st.triangles);
            for (int k = 1; k <= st.part_count; k++)
                cli_verbose(ctx, "  %s: %llu triangles, %.1f mm3", st.part[k].file,
                            (unsigned long long)st.part[k].triangles, st.part[k].volume_mm3);
        }
    }
    if (!rc) {
        char path[4400];
        rc = fsk_staging_path(s, "grid_README.txt", path, sizeof path, err);
        if (!rc)
            rc = fsk_grid_readme_write(path, (const fsk_grid *const *)pages, count, stem_list,
                                       printer, kind, err);
        if (!rc)
            rc = fsk_staging_add(s, "grid_README.txt", err);
    }
    free(stems);
    free(stem_list);
    return rc;
}

static int run_grid(cli_ctx *ctx, int argc, char **argv)
{
    const cli_command *cmd = &cmd_calibrate_grid;
    grid_args a = {.gap_mm = -1};
    int rc = parse_args(ctx, argc, argv, &a);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    fsk_printer printer;
    if ((rc = cli_printer(ctx, a.printer, &printer)) != 0)
        return rc;
    fsk_threemf_kind kind;
    if ((rc = cli_threemf_kind(cmd, a.threemf, &printer, &kind)) != 0)
        return rc;
    fsk_filament filaments[FSK_MAX_FILAMENTS];
    int n;
    fsk_construction cons;
    if ((rc = cli_construction_resolve(ctx, cmd, &printer, &a.ca, filaments, &n, &cons)) != 0)
        return rc;
    if (n > printer.filament_slots) {
        cli_error("%d filaments do not fit the %d filament slots of '%s'", n,
                  printer.filament_slots, printer.name);
        return CLI_EXIT_FAILURE;
    }
    fsk_grid_layout_options lo = {
        .bed_mm = {printer.bed_mm[0], printer.bed_mm[1]},
        .patch_mm = a.patch_mm, .gap_mm = a.gap_mm,
        .max_patches = (size_t)a.max_patches, .pages = a.pages,
        .wipe_tower = kind == FSK_3MF_PRUSA,
    };
    fsk_err err = {0};
    fsk_grid **pages = NULL;
    int count = 0;
    if (fsk_grid_layout(filaments, n, &cons, &lo, &pages, &count, &err) != 0)
        return cli_fail(&err);
    bool created;
    if ((rc = output_folder(a.out_dir, &created)) != 0) {
        fsk_grid_pages_free(pages, count);
        return rc;
    }
    fsk_staging s;
    rc = fsk_staging_open(&s, a.out_dir, &err);
    if (!rc)
        rc = write_pages(ctx, &s, pages, count, &printer, kind, &err);
    if (!rc)
        rc = fsk_staging_publish(&s, &err);
    fsk_staging_close(&s);
    fsk_grid_pages_free(pages, count);
    if (rc) {
        if (created)
            rmdir(a.out_dir);
        return cli_fail(&err);
    }
    return CLI_EXIT_OK;
}

const cli_command cmd_calibrate_grid = {
    .name = "calibrate grid",
    .summary = "make the calibration grid to print and scan",
    .description =
        "Writes DIR/grid.json, DIR/grid_FILAMENT.stl per filament and the backing,\n"
        "DIR/grid.3mf, DIR/grid_preview.png (the predicted look) and\n"
        "DIR/grid_README.txt (how to print and scan it): one patch per layer\n"
        "sequence, between three fiducial marks. When not every sequence fits the\n"
        "bed and a flatbed scanner's A4 glass, a subset that spans the colors is\n"
        "chosen, or with --pages every sequence on several plates (grid_pN.*).",
    .options = options,
    .run = run_grid,
};
