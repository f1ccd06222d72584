/*
 * cmd_scan.c — `filastack scan`: lists the scanners SANE finds, or scans one
 * image and writes it as a PNG carrying its resolution. Ctrl-C and
 * --timeout cancel the scan cleanly; nothing is written unless the whole
 * image arrived.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fsk_image.h"
#include "fsk_scan.h"

enum {
    OPT_LIST = 1,
    OPT_DEVICE,
    OPT_RESOLUTION,
    OPT_MODE,
    OPT_DEPTH,
    OPT_AREA,
    OPT_SET,
    OPT_TIMEOUT,
    OPT_OUTPUT
};

static const cli_option scan_options[] = {
    {"list", 0, NULL, "list the scanners and exit", OPT_LIST},
    {"device", 'd', "DEVICE", "the scanner to use (default: the first listed)", OPT_DEVICE},
    {"resolution", 0, "DPI", "resolution in dots per inch (default 300)", OPT_RESOLUTION},
    {"mode", 0, "MODE", "color or gray (default color)", OPT_MODE},
    {"depth", 0, "BITS", "bits per sample, 8 or 16 (default 8)", OPT_DEPTH},
    {"area", 0, "X,Y,W,H", "scan only this area, in mm from the top-left corner", OPT_AREA},
    {"set", 0, "OPTION=VALUE", "set a scanner option by its SANE name (repeatable)", OPT_SET},
    {"timeout", 0, "S", "cancel the scan after S seconds", OPT_TIMEOUT},
    {"output", 'o', "FILE", "write the scan to FILE as a PNG", OPT_OUTPUT},
    {0},
};

/* Set by the SIGINT handler, polled by the scan between reads. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* The progress bar and the notices, which must not share a line. */
typedef struct scan_ui {
    const cli_ctx *ctx;
    int bar;       /* draw a progress bar (stderr is a terminal) */
    int drawn;     /* a bar is on the current line */
    int last_step; /* percent, or tenths of a MB when the size is unknown */
} scan_ui;

static void end_bar(scan_ui *ui)
{
    if (ui->drawn)
        fputc('\n', stderr);
    ui->drawn = 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    scan_ui *ui = ctx;
    if (!ui->bar)
        return;
    static const char hashes[] = "##############################";
    const int width = (int)sizeof hashes - 1;
    int step = total ? (int)(done >= total ? 100 : done * 100 / total)
                     : (int)(done / (1024 * 1024 / 10));
    if (ui->drawn && step == ui->last_step)
        return;
    ui->last_step = step;
    if (total)
        fprintf(stderr, "\rscanning [%-*.*s] %3d%%", width, step * width / 100, hashes, step);
    else
        fprintf(stderr, "\rscanning %.1f MB", (double)done / (1024.0 * 1024.0));
    fflush(stderr);
    ui->drawn = 1;
}

static void on_notice(void *ctx, const char *msg)
{
    scan_ui *ui = ctx;
    end_bar(ui);
    cli_warn(ui->ctx, "%s", msg);
}

/* "no scanner found", and where SANE looked when SANE_CONFIG_DIR is set. */
static void no_device_help(void)
{
    cli_error("%s", fsk_scan_no_device_msg);
    const char *dir = getenv("SANE_CONFIG_DIR");
    if (dir && *dir)
        fprintf(stderr, "hint: SANE_CONFIG_DIR is '%s'; SANE reads dll.conf and the "
                        "backend settings there\n",
                dir);
}

static int list_devices(void)
{
    fsk_scan_device *devs;
    size_t n;
    fsk_err err = {0};
    if (fsk_scan_list(&devs, &n, &err))
        return cli_fail(&err);
    if (n == 0) {
        no_device_help();
        return CLI_EXIT_FAILURE;
    }
    int w = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(devs[i].name) > w)
            w = (int)strlen(devs[i].name);
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %s %s (%s)\n", w, devs[i].name, devs[i].vendor, devs[i].model,
               devs[i].type);
    free(devs);
    return CLI_EXIT_OK;
}

/* "X,Y,W,H" in mm: X, Y >= 0, W, H > 0. */
static int parse_area(const char *text, double area[4])
{
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        area[i] = strtod(p, &end);
        if (errno || end == p || !isfinite(area[i]) || *end != (i < 3 ? ',' : '\0'))
            goto bad;
        p = end + 1;
    }
    if (area[0] < 0 || area[1] < 0 || area[2] <= 0 || area[3] <= 0)
        goto bad;
    return 0;
bad:
    return cli_usage_error(&cmd_scan,
                           "option '--area': '%s' is not X,Y,W,H in mm (width and height "
                           "above 0)",
                           text);
}

static int scan_to_file(cli_ctx *ctx, fsk_scan_opts *opts, const char *output)
{
    scan_ui ui = {.ctx = ctx, .bar = ctx->verbosity > 0 && isatty(STDERR_FILENO)};
    opts->progress = on_progress;
    opts->notice = on_notice;
    opts->ctx = &ui;
    opts->cancel = &interrupted;

    /* No SA_RESTART: a read blocked in a backend returns and the scan sees
     * the flag. Not SA_RESETHAND: some senders deliver SIGINT twice (a
     * terminal's process group and timeout(1) both reach us). */
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);

    fsk_err err = {0};
    fsk_scan_image img;
    int rc = fsk_scan(opts, &img, &err);
    end_bar(&ui);
    if (rc == 0 && interrupted) {
        fsk_scan_image_free(&img);
        rc = fsk_err_set(&err, FSK_ECANCELED, "scan canceled");
    }
    if (rc == 0) {
        fsk_png_spec spec = {.width = img.width, .height = img.height,
                             .channels = img.channels, .bits = img.bits, .dpi = img.dpi};
        rc = fsk_png_write(output, &spec, img.pixels, img.stride, &err);
    }
    sigaction(SIGINT, &old, NULL);
    if (rc && strcmp(err.msg, fsk_scan_no_device_msg) == 0) {
        no_device_help();
        return CLI_EXIT_FAILURE;
    }
    if (rc)
        return cli_fail(&err);
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
    /* --set may come many times; there are never more than argc. */
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    if (!sets) {
        cli_parser_free(&p);
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    fsk_scan_opts opts = {0};
    const char *output = NULL;
    int list = 0, rc = 0, id = 0;
    const char *arg;
    long depth;
    while (rc == 0 && (id = cli_next_option(&p, &arg)) > 0) {
        switch (id) {
        case OPT_LIST: list = 1; break;
        case OPT_DEVICE: opts.device = arg; break;
        case OPT_RESOLUTION:
            rc = cli_parse_double(&cmd_scan, "--resolution", arg, 1, 100000,
                                  &opts.resolution_dpi);
            break;
        case OPT_MODE:
            if (strcmp(arg, "color") == 0)
                opts.mode = FSK_SCAN_COLOR;
            else if (strcmp(arg, "gray") == 0)
                opts.mode = FSK_SCAN_GRAY;
            else
                rc = cli_usage_error(&cmd_scan, "option '--mode': '%s' is not color or gray",
                                     arg);
            break;
        case OPT_DEPTH:
            rc = cli_parse_int(&cmd_scan, "--depth", arg, 8, 16, &depth);
            if (rc == 0 && depth != 8 && depth != 16)
                rc = cli_usage_error(&cmd_scan, "option '--depth': %ld is not 8 or 16", depth);
            opts.depth = (int)depth;
            break;
        case OPT_AREA:
            rc = parse_area(arg, opts.area_mm);
            opts.has_area = 1;
            break;
        case OPT_SET:
            if (arg[0] == '=' || arg[0] == '\0')
                rc = cli_usage_error(&cmd_scan, "option '--set': '%s' is not OPTION=VALUE", arg);
            sets[opts.set_count++] = arg;
            break;
        case OPT_TIMEOUT:
            rc = cli_parse_double(&cmd_scan, "--timeout", arg, 0.001, 1e6, &opts.timeout_s);
            break;
        case OPT_OUTPUT: output = arg; break;
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
    if (rc == 0) {
        opts.set = sets;
        rc = list ? list_devices() : scan_to_file(ctx, &opts, output);
    } else if (rc < 0) {
        rc = CLI_EXIT_OK; /* --help */
    }
    free(sets);
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
