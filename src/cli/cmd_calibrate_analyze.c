/*
 * cmd_calibrate_analyze.c — `filastack calibrate analyze`: scans of printed
 * calibration grids (PNG or JPEG) into a calibration file.
 */
#include <stdlib.h>

#include "cli.h"
#include "cli_analyze.h"
#include "commands.h"

enum { OPT_GRID = 1, OPT_OUTPUT, OPT_OVERLAY };

static const cli_option options[] = {
    {"grid", 0, "GRID.json", "the grid that was printed (repeat for pages)", OPT_GRID},
    {"output", 'o', "FILE", "the calibration file to write", OPT_OUTPUT},
    {"overlay", 0, "FILE.png", "also write the scan with what was read drawn over it",
     OPT_OVERLAY},
    {0},
};

static int run_analyze(cli_ctx *ctx, int argc, char **argv)
{
    const cli_command *cmd = &cmd_calibrate_analyze;
    cli_parser p;
    if (cli_parser_init(&p, ctx, cmd, argc, argv))
        return CLI_EXIT_FAILURE;
    const char **grids = calloc((size_t)argc + 1, sizeof *grids);
    if (!grids) {
        cli_parser_free(&p);
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    cli_analyze_args a = {.grids = grids};
    const char *arg;
    int id;
    while ((id = cli_next_option(&p, &arg)) > 0) {
        if (id == OPT_GRID)
            grids[a.grid_count++] = arg;
        else if (id == OPT_OUTPUT)
            a.output = arg;
        else if (id == OPT_OVERLAY)
            a.overlay = arg;
    }
    int first = cli_operands(&p);
    cli_parser_free(&p);
    int rc;
    if (id == CLI_OPT_HELP)
        rc = CLI_EXIT_OK;
    else if (id == CLI_OPT_ERROR)
        rc = CLI_EXIT_USAGE;
    else if (first >= argc)
        rc = cli_usage_error(cmd, "no scan given (SCAN.png or SCAN.jpg)");
    else if (a.grid_count == 0)
        rc = cli_usage_error(cmd, "no grid given (--grid GRID.json)");
    else if (!a.output)
        rc = cli_usage_error(cmd, "no output file given (-o CALIBRATION.json)");
    else
        rc = cli_analyze_scans(ctx, &a, (const char *const *)argv + first,
                               (size_t)(argc - first), NULL);
    free(grids);
    return rc;
}

const cli_command cmd_calibrate_analyze = {
    .name = "calibrate analyze",
    .operands = "SCAN...",
    .summary = "read scans of a printed calibration grid into a calibration",
    .description =
        "Finds the grid of GRID.json in each scan (PNG or JPEG, any rotation, either\n"
        "side up), checks that it was read right, measures every patch and writes a\n"
        "calibration. Several scans (pages, or repeated scans to average) make one\n"
        "calibration; sequences the grid left out get a value from the fitted\n"
        "filament model (see filastack-calibrate(1)).",
    .options = options,
    .run = run_analyze,
};
