/*
 * cmd_scan.c — `filastack scan`: lists the scanners SANE finds, or scans one
 * image and writes it as a PNG carrying its resolution. Ctrl-C and
 * --timeout cancel the scan cleanly; nothing is written unless the whole
 * image arrived.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_scan.h"
#include "commands.h"
#include "fsk_image.h"
#include "fsk_scan.h"

enum { OPT_LIST = 1, OPT_MODE, OPT_OUTPUT };

static const cli_option scan_options[] = {
    {"list", 0, NULL, "list the scanners and exit", OPT_LIST},
    CLI_SCAN_OPTIONS,
    {"mode", 0, "MODE", "color or gray (default color)", OPT_MODE},
    {"output", 'o', "FILE", "write the scan to FILE as a PNG", OPT_OUTPUT},
    {0},
};

static int scan_to_file(cli_ctx *ctx, cli_scan_args *a, const char *output)
{
    fsk_scan_image img;
    int rc = cli_scan_image(ctx, a, &img);
    if (rc)
        return rc;
    fsk_err err = {0};
    fsk_png_spec spec = {.width = img.width, .height = img.height, .channels = img.channels,
                         .bits = img.bits, .dpi = img.dpi};
    if (fsk_png_write(output, &spec, img.pixels, img.stride, &err) != 0) {
        fsk_scan_image_free(&img);
        return cli_fail(&err);
    }
    if (img.dpi > 0)
        cli_info(ctx, "wrote '%s': %dx%d pixels, %s, %d-bit, %g dpi, from '%s'", output,
                 img.width, img.height, img.channels == 3 ? "color" : "gray", img.bits,
                 img.dpi, img.device);
    else
        cli_info(ctx, "wrote '%s': %dx%d pixels, %s, %d-bit, resolution unknown, from '%s'",
                 output, img.width, img.height, img.channels == 3 ? "color" : "gray",
                 img.bits, img.device);
    fsk_scan_image_free(&img);
    return CLI_EXIT_OK;
}

static int run_scan(cli_ctx *ctx, int argc, char **argv)
{
    cli_parser p;
    if (cli_parser_init(&p, ctx, &cmd_scan, argc, argv))
        return CLI_EXIT_FAILURE;
    cli_scan_args sa;
    if (cli_scan_args_init(&sa, argc)) {
        cli_parser_free(&p);
        return CLI_EXIT_FAILURE;
    }
    const char *output = NULL;
    int list = 0, rc = 0, id = 0;
    const char *arg;
    while (rc == 0 && (id = cli_next_option(&p, &arg)) > 0) {
        switch (id) {
        case OPT_LIST: list = 1; break;
        case OPT_MODE:
            if (strcmp(arg, "color") == 0)
                sa.opts.mode = FSK_SCAN_COLOR;
            else if (strcmp(arg, "gray") == 0)
                sa.opts.mode = FSK_SCAN_GRAY;
            else
                rc = cli_usage_error(&cmd_scan, "option '--mode': '%s' is not color or gray",
                                     arg);
            break;
        case OPT_OUTPUT: output = arg; break;
        default:
            rc = cli_scan_option(&cmd_scan, id, arg, &sa);
            rc = rc == 1 ? 0 : rc;
            break;
        }
    }
    if (rc == 0) {
        int first = cli_operands(&p);
        if (id == CLI_OPT_HELP)
            rc = -1;
        else if (id == CLI_OPT_ERROR)
            rc = CLI_EXIT_USAGE;
        else if (first < argc)
            rc = cli_usage_error(&cmd_scan, "unexpected argument '%s'", argv[first]);
        else if (!list && !output)
            rc = cli_usage_error(&cmd_scan, "no output file given (-o SCAN.png)");
    }
    cli_parser_free(&p);
    if (rc == 0)
        rc = list ? cli_scan_list() : scan_to_file(ctx, &sa, output);
    else if (rc < 0)
        rc = CLI_EXIT_OK; /* --help */
    cli_scan_args_free(&sa);
    return rc;
}

const cli_command cmd_scan = {
    .name = "scan",
    .summary = "scan an image through SANE into a PNG",
    .description =
        "Scans one image with a SANE scanner and writes it to FILE as a PNG that\n"
        "records the resolution. With --list, lists the scanners instead. A scan\n"
        "canceled with Ctrl-C, stopped by --timeout or failing leaves no file.",
    .options = scan_options,
    .run = run_scan,
};
