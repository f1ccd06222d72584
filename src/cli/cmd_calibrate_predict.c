/*
 * cmd_calibrate_predict.c — `filastack calibrate predict [GRID.json]`: a
 * calibration from the filament model, without printing anything: every
 * sequence of the chosen filaments, or one entry per patch of a grid.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_construction.h"
#include "commands.h"
#include "fsk_grid_print.h"
#include "fsk_model.h"

enum { OPT_PRINTER = 1, OPT_OUTPUT };

static const cli_option options[] = {
    {"printer", 0, "NAME|FILE", "printer profile (default: bambu-x1c-ams)", OPT_PRINTER},
    CLI_CONSTRUCTION_OPTIONS,
    {"output", 'o', "FILE", "the calibration file to write", OPT_OUTPUT},
    {0},
};

/* One predicted entry per patch of the grid at path. */
static int predict_grid(cli_ctx *ctx, const cli_command *cmd, const char *path,
                        const char *printer_arg, const cli_construction_args *ca,
                        const char *output)
{
    if (printer_arg || ca->set || ca->filaments || ca->layers || ca->layer_height_mm > 0 ||
        ca->backing || ca->no_backing || ca->view)
        return cli_usage_error(cmd, "'%s' sets the filaments and the construction; give no "
                               "other option than -o", path);
    fsk_err err = {0};
    fsk_grid *grid = NULL;
    fsk_calibration *cal = NULL;
    if (fsk_grid_load(path, &grid, &err) != 0 || fsk_grid_predict(grid, &cal, &err) != 0 ||
        fsk_calibration_save(output, cal, &err) != 0) {
        fsk_calibration_free(cal);
        fsk_grid_free(grid);
        return cli_fail(&err);
    }
    cli_info(ctx, "%s: %zu patches of %s (page %d of %d), predicted", output,
             cal->entry_count, path, grid->page, grid->pages);
    fsk_calibration_free(cal);
    fsk_grid_free(grid);
    return CLI_EXIT_OK;
}

static int run_predict(cli_ctx *ctx, int argc, char **argv)
{
    const cli_command *cmd = &cmd_calibrate_predict;
    cli_parser p;
    if (cli_parser_init(&p, ctx, cmd, argc, argv))
        return CLI_EXIT_FAILURE;
    cli_construction_args ca = {0};
    const char *printer_arg = NULL, *output = NULL, *arg;
    int id, rc = 0;
    while (!rc && (id = cli_next_option(&p, &arg)) > 0) {
        if (id == OPT_PRINTER)
            printer_arg = arg;
        else if (id == OPT_OUTPUT)
            output = arg;
        else if ((rc = cli_construction_option(cmd, id, arg, &ca)) == 1)
            rc = 0;
    }
    int first = cli_operands(&p);
    cli_parser_free(&p);
    if (rc)
        return rc;
    if (id == CLI_OPT_HELP)
        return CLI_EXIT_OK;
    if (id == CLI_OPT_ERROR)
        return CLI_EXIT_USAGE;
    if (first + 1 < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[first + 1]);
    if (!output)
        return cli_usage_error(cmd, "no output file given (-o FILE)");
    if (first < argc)
        return predict_grid(ctx, cmd, argv[first], printer_arg, &ca, output);
    fsk_printer printer;
    if ((rc = cli_printer(ctx, printer_arg, &printer)) != 0)
        return rc;
    fsk_filament filaments[FSK_MAX_FILAMENTS];
    int n;
    fsk_construction cons;
    if ((rc = cli_construction_resolve(ctx, cmd, &printer, &ca, filaments, &n, &cons)) != 0)
        return rc;
    fsk_err err = {0};
    fsk_calibration *cal = NULL;
    if (fsk_model_calibration(filaments, n, &cons, &cal, &err) != 0 ||
        fsk_calibration_save(output, cal, &err) != 0) {
        fsk_calibration_free(cal);
        return cli_fail(&err);
    }
    cli_info(ctx, "%s: %zu sequences of %d filaments in %d layers of %g mm, predicted",
             output, cal->entry_count, n, cons.color_layers, cons.layer_height_mm);
    fsk_calibration_free(cal);
    return CLI_EXIT_OK;
}

const cli_command cmd_calibrate_predict = {
    .name = "calibrate predict",
    .operands = "[GRID.json]",
    .summary = "predict a calibration from the filament model, without printing",
    .description =
        "Writes a calibration holding every valid sequence of the filaments, its color\n"
        "predicted by the layered light model from each filament's color and\n"
        "transmission distance (see filastack-calibrate(1)). With GRID.json, one\n"
        "entry per patch of that grid, with its filaments and construction.",
    .options = options,
    .run = run_predict,
};
