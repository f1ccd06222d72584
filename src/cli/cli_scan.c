/*
 * cli_scan.c — scanner options, progress, Ctrl-C and messages for the
 * commands that scan (see cli_scan.h).
 */
#include "cli_scan.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_scan_args_init(cli_scan_args *a, int argc)
{
    memset(a, 0, sizeof *a);
    /* --set may come many times; there are never more than argc. */
    a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
    if (!a->sets) {
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    a->opts.set = a->sets;
    return 0;
}

void cli_scan_args_free(cli_scan_args *a)
{
    free(a->sets);
    a->sets = NULL;
}

/* "X,Y,W,H" in mm: X, Y >= 0, W, H > 0. */
static int parse_area(const cli_command *cmd, const char *text, double area[4])
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
    return cli_usage_error(cmd,
                           "option '--area': '%s' is not X,Y,W,H in mm (width and height "
                           "above 0)",
                           text);
}

int cli_scan_option(const cli_command *cmd, int id, const char *arg, cli_scan_args *a)
{
    fsk_scan_opts *o = &a->opts;
    long depth;
    switch (id) {
    case CLI_OPT_SCAN_DEVICE: o->device = arg; return 1;
    case CLI_OPT_SCAN_RESOLUTION:
        return cli_parse_double(cmd, "--resolution", arg, 1, 100000, &o->resolution_dpi)
                   ? CLI_EXIT_USAGE : 1;
    case CLI_OPT_SCAN_DEPTH:
        if (cli_parse_int(cmd, "--depth", arg, 8, 16, &depth))
            return CLI_EXIT_USAGE;
        if (depth != 8 && depth != 16)
            return cli_usage_error(cmd, "option '--depth': %ld is not 8 or 16", depth);
        o->depth = (int)depth;
        return 1;
    case CLI_OPT_SCAN_AREA:
        o->has_area = 1;
        return parse_area(cmd, arg, o->area_mm) ? CLI_EXIT_USAGE : 1;
    case CLI_OPT_SCAN_SET:
        if (arg[0] == '=' || arg[0] == '\0')
            return cli_usage_error(cmd, "option '--set': '%s' is not OPTION=VALUE", arg);
        a->sets[o->set_count++] = arg;
        return 1;
    case CLI_OPT_SCAN_TIMEOUT:
        return cli_parse_double(cmd, "--timeout", arg, 0.001, 1e6, &o->timeout_s)
                   ? CLI_EXIT_USAGE : 1;
    default: return 0;
    }
}

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

int cli_scan_list(void)
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

int cli_scan_image(cli_ctx *ctx, cli_scan_args *a, fsk_scan_image *img)
{
    fsk_scan_opts *opts = &a->opts;
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
    int rc = fsk_scan(opts, img, &err);
    end_bar(&ui);
    if (rc == 0 && interrupted) {
        fsk_scan_image_free(img);
        rc = fsk_err_set(&err, FSK_ECANCELED, "scan canceled");
    }
    sigaction(SIGINT, &old, NULL);
    if (rc && strcmp(err.msg, fsk_scan_no_device_msg) == 0) {
        no_device_help();
        return CLI_EXIT_FAILURE;
    }
    return rc ? cli_fail(&err) : 0;
}
