/*
 * cli_scan.h — the scanner options and the scan itself (progress bar,
 * Ctrl-C, messages), shared by `filastack scan` and `filastack calibrate
 * scan`. Put CLI_SCAN_OPTIONS in the command's option table and pass every
 * option id to cli_scan_option.
 */
#ifndef FSK_CLI_SCAN_H
#define FSK_CLI_SCAN_H

#include "cli.h"
#include "fsk_scan.h"

enum {
    CLI_OPT_SCAN_DEVICE = 300, CLI_OPT_SCAN_RESOLUTION, CLI_OPT_SCAN_DEPTH, CLI_OPT_SCAN_AREA,
    CLI_OPT_SCAN_SET, CLI_OPT_SCAN_TIMEOUT
};

#define CLI_SCAN_OPTIONS                                                                      \
    {"device", 'd', "DEVICE", "the scanner to use (default: the first listed)",               \
     CLI_OPT_SCAN_DEVICE},                                                                    \
    {"resolution", 0, "DPI", "resolution in dots per inch (default 300)",                     \
     CLI_OPT_SCAN_RESOLUTION},                                                                \
    {"depth", 0, "BITS", "bits per sample, 8 or 16 (default 8)", CLI_OPT_SCAN_DEPTH},          \
    {"area", 0, "X,Y,W,H", "scan only this area, in mm from the top-left corner",            \
     CLI_OPT_SCAN_AREA},                                                                      \
    {"set", 0, "OPTION=VALUE", "set a scanner option by its SANE name (repeatable)",         \
     CLI_OPT_SCAN_SET},                                                                       \
    {"timeout", 0, "S", "cancel the scan after S seconds", CLI_OPT_SCAN_TIMEOUT}

/* The scan options being parsed: opts plus room for the --set values. */
typedef struct cli_scan_args {
    fsk_scan_opts opts;
    const char **sets; /* argc entries, owned; see cli_scan_args_init */
} cli_scan_args;

/* Returns 0, or CLI_EXIT_FAILURE after printing "out of memory". */
int cli_scan_args_init(cli_scan_args *a, int argc);
void cli_scan_args_free(cli_scan_args *a);

/*
 * Takes option id with its argument when it is a scan option: returns 1
 * when taken, 0 when id is not one of them, or CLI_EXIT_USAGE after
 * printing a usage error.
 */
int cli_scan_option(const cli_command *cmd, int id, const char *arg, cli_scan_args *a);

/*
 * Scans one image with a->opts, with a progress bar on a terminal and
 * Ctrl-C canceling cleanly. Returns 0 with *img filled (free with
 * fsk_scan_image_free), or an exit status after printing the error
 * (with how to check when no scanner is found).
 */
int cli_scan_image(cli_ctx *ctx, cli_scan_args *a, fsk_scan_image *img);

/* Lists the scanners on stdout; returns an exit status. */
int cli_scan_list(void);

#endif
