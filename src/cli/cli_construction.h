/*
 * cli_construction.h — the options that choose filaments and how each
 * pixel's stack is built, shared by `calibrate grid` and `calibrate predict`:
 * --set / --filaments, --layers, --layer-height-mm, --backing / --no-backing,
 * --view. Put CLI_CONSTRUCTION_OPTIONS in the command's option table and
 * pass every option id to cli_construction_option.
 */
#ifndef FSK_CLI_CONSTRUCTION_H
#define FSK_CLI_CONSTRUCTION_H

#include <stdbool.h>

#include "cli.h"
#include "fsk_calibration.h"

enum {
    CLI_OPT_SET = 200, CLI_OPT_FILAMENTS, CLI_OPT_LAYERS, CLI_OPT_LAYER_HEIGHT,
    CLI_OPT_BACKING, CLI_OPT_NO_BACKING, CLI_OPT_VIEW
};

#define CLI_CONSTRUCTION_OPTIONS                                                          \
    {"set", 0, "NAME", "filament set (default: the printer's)", CLI_OPT_SET},              \
    {"filaments", 0, "A,B,...", "filaments by name, in slot order, instead of a set",     \
     CLI_OPT_FILAMENTS},                                                                  \
    {"layers", 0, "M", "color layers per pixel (default 4)", CLI_OPT_LAYERS},              \
    {"layer-height-mm", 0, "H", "layer height (default: the printer's)",                  \
     CLI_OPT_LAYER_HEIGHT},                                                               \
    {"backing", 0, "FILAMENT:MM", "backing filament (name or slot) and thickness",        \
     CLI_OPT_BACKING},                                                                    \
    {"no-backing", 0, NULL, "print the color layers without a backing", CLI_OPT_NO_BACKING}, \
    {"view", 0, "SIDE", "top (default) or bottom: the side the print is seen from",       \
     CLI_OPT_VIEW}

typedef struct cli_construction_args {
    const char *set;
    const char *filaments;
    long layers;             /* 0: default */
    double layer_height_mm;  /* 0: the printer's */
    const char *backing;     /* "FILAMENT:MM", NULL: the lightest filament */
    bool no_backing;
    const char *view;        /* NULL: top */
} cli_construction_args;

/*
 * Takes option id with its argument when it is one of the construction
 * options: returns 1 when taken, 0 when id is not one of them, or
 * CLI_EXIT_USAGE after printing a usage error.
 */
int cli_construction_option(const cli_command *cmd, int id, const char *arg,
                            cli_construction_args *a);

/*
 * Resolves the filaments (out, *count) and the construction for printer.
 * Prints the error and returns CLI_EXIT_FAILURE or CLI_EXIT_USAGE.
 */
int cli_construction_resolve(cli_ctx *ctx, const cli_command *cmd, const fsk_printer *printer,
                             const cli_construction_args *a,
                             fsk_filament out[FSK_MAX_FILAMENTS], int *count,
                             fsk_construction *construction);

#endif
