/*
 * cmd_calibrate_scan.c — `filastack calibrate scan`: scans a printed
 * calibration grid through SANE and reads it into a calibration file in
 * one step, keeping the scan next to the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_analyze.h"
#include "cli_scan.h"
#include "commands.h"
#include "fsk_image.h"

enum { OPT_GRID = 1, OPT_OUTPUT, OPT_OVERLAY };

static const cli_option options[] = {
    {"grid", 0, "GRID.json", "the grid that was printed", OPT_GRID},
    CLI_SCAN_OPTIONS,
    {"output", 'o', "FILE", "the calibration file to write (the scan goes to FILE_scan.png)",
     OPT_OUTPUT},
    {"overlay", 0, "FILE.png", "also write the scan with what was read drawn over it",
     OPT_OVERLAY},
    {0},
};

/* "cal.json" -> "cal_scan.png"; "cal" -> "cal_scan.png". */
static void scan_path(const char *output, char *buf, size_t cap)
{
    const char *slash = strrchr(output, '/'), *dot = strrchr(output, '.');
    if (!dot || (slash && dot < slash))
        dot = output + strlen(output);
    snprintf(buf, cap, "%.*s_scan.png", (int)(dot - output), output);
}

static int run_calibrate_scan(cli_ctx *ctx, int argc, char **argv)
{
    const cli_command *cmd = &cmd_calibrate_scan;
    cli_parser p;
    if (cli_parser_init(&p, ctx, cmd, argc, argv))
        return CLI_EXIT_FAILURE;
    cli_scan_args sa;
    const char **grids = calloc((size_t)argc + 1, sizeof *grids);
    if (!grids || cli_scan_args_init(&sa, argc)) {
        free(grids);
        cli_parser_free(&p);
        return CLI_EXIT_FAILURE;
    }
    cli_analyze_args a = {.grids = grids};
    const char *arg;
    int id, rc = 0;
    while (rc == 0 && (id = cli_next_option(&p, &arg)) > 0) {
        if (id == OPT_GRID)
            grids[a.grid_count++] = arg;
        else if (id == OPT_OUTPUT)
            a.output = arg;
        else if (id == OPT_OVERLAY)
            a.overlay = arg;
        else if ((rc = cli_scan_option(cmd, id, arg, &sa)) == 1)
            rc = 0;
    }
    int first = cli_operands(&p);
    cli_parser_free(&p);
    if (rc)
        ;
    else if (id == CLI_OPT_HELP)
        rc = -1;
    else if (id == CLI_OPT_ERROR)
        rc = CLI_EXIT_USAGE;
    else if (first < argc)
        rc = cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    else if (a.grid_count == 0)
        rc = cli_usage_error(cmd, "no grid given (--grid GRID.json)");
    else if (!a.output)
        rc = cli_usage_error(cmd, "no output file given (-o CALIBRATION.json)");
    if (rc == 0) {
        fsk_scan_image img;
        rc = cli_scan_image(ctx, &sa, &img);
        if (rc == 0) {
            char path[4200];
            scan_path(a.output, path, sizeof path);
            fsk_err err = {0};
            fsk_png_spec spec = {.width = img.width, .height = img.height,
                                 .channels = img.channels, .bits = img.bits, .dpi = img.dpi};
            rc = fsk_png_write(path, &spec, img.pixels, img.stride, &err);
            if (rc) {
                rc = cli_fail(&err);
            } else {
                cli_info(ctx, "wrote '%s': %dx%d pixels, %g dpi, from '%s'", path, img.width,
                         img.height, img.dpi, img.device);
                const char *scans[1] = {path};
                rc = cli_analyze_scans(ctx, &a, scans, 1, img.device);
            }
            fsk_scan_image_free(&img);
        }
    } else if (rc < 0) {
        rc = CLI_EXIT_OK; /* --help */
    }
    cli_scan_args_free(&sa);
    free(grids);
    return rc;
}

const cli_command cmd_calibrate_scan = {
    .name = "calibrate scan",
    .summary = "scan a printed calibration grid and read it into a calibration",
    .description =
        "Scans the printed grid of GRID.json through SANE (as 'filastack scan'),\n"
        "keeps the scan as FILE_scan.png next to the output, and reads it into a\n"
        "calibration as 'filastack calibrate analyze' does.",
    .options = options,
    .run = run_calibrate_scan,
};
