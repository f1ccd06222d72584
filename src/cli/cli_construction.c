/*
 * cli_construction.c — filaments and construction from the command line
 * (see cli_construction.h), with the model's defaults.
 */
#include "cli_construction.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fsk_model.h"

int cli_construction_option(const cli_command *cmd, int id, const char *arg,
                            cli_construction_args *a)
{
    switch (id) {
    case CLI_OPT_SET: a->set = arg; return 1;
    case CLI_OPT_FILAMENTS: a->filaments = arg; return 1;
    case CLI_OPT_LAYERS:
        return cli_parse_int(cmd, "--layers", arg, 1, FSK_MAX_COLOR_LAYERS, &a->layers)
                   ? CLI_EXIT_USAGE : 1;
    case CLI_OPT_LAYER_HEIGHT:
        return cli_parse_double(cmd, "--layer-height-mm", arg, 0.01, 1.0, &a->layer_height_mm)
                   ? CLI_EXIT_USAGE : 1;
    case CLI_OPT_BACKING: a->backing = arg; return 1;
    case CLI_OPT_NO_BACKING: a->no_backing = true; return 1;
    case CLI_OPT_VIEW:
        if (strcmp(arg, "top") != 0 && strcmp(arg, "bottom") != 0)
            return cli_usage_error(cmd, "option '--view': expected top or bottom, got '%s'", arg);
        a->view = arg;
        return 1;
    default: return 0;
    }
}

static int resolve_filaments(cli_ctx *ctx, const cli_command *cmd, const fsk_printer *printer,
                             const cli_construction_args *a, fsk_filament out[], int *count)
{
    fsk_profiles *store = cli_profiles(ctx);
    if (!store)
        return CLI_EXIT_FAILURE;
    fsk_err err = {0};
    if (a->set && a->filaments)
        return cli_usage_error(cmd, "give --set or --filaments, not both");
    if (!a->filaments) {
        const char *name = a->set ? a->set : printer->default_set;
        const fsk_filament_set *set = fsk_profiles_find_set(store, name);
        if (!set) {
            cli_error("no filament set named '%s' (see 'filastack profiles list')", name);
            return CLI_EXIT_FAILURE;
        }
        int n = fsk_profiles_resolve_set(store, set, out, &err);
        if (n < 0)
            return cli_fail(&err);
        *count = n;
        return 0;
    }
    char *list = strdup(a->filaments);
    if (!list) {
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    int n = 0, rc = 0;
    char *save = NULL;
    for (char *name = strtok_r(list, ",", &save); name && !rc;
         name = strtok_r(NULL, ",", &save)) {
        const fsk_filament *f = fsk_profiles_find_filament(store, name);
        if (n == FSK_MAX_FILAMENTS)
            rc = cli_usage_error(cmd, "more than %d filaments", FSK_MAX_FILAMENTS);
        else if (!f) {
            cli_error("no filament named '%s' (see 'filastack profiles list')", name);
            rc = CLI_EXIT_FAILURE;
        } else
            out[n++] = *f;
    }
    free(list);
    if (!rc && n == 0)
        rc = cli_usage_error(cmd, "option '--filaments': no filament named");
    *count = n;
    return rc;
}

/* The backing of "--backing FILAMENT:MM": a filament of the list by name or slot. */
static int parse_backing(const cli_command *cmd, const char *text, const fsk_filament *f,
                         int n, int *filament, double *mm)
{
    const char *colon = strrchr(text, ':');
    if (!colon)
        return cli_usage_error(cmd, "option '--backing': expected FILAMENT:MM, got '%s'", text);
    char name[FSK_NAME_MAX];
    snprintf(name, sizeof name, "%.*s", (int)(colon - text), text);
    if (cli_parse_double(cmd, "--backing", colon + 1, 0.01, 20, mm))
        return CLI_EXIT_USAGE;
    char *end;
    long slot = strtol(name, &end, 10);
    if (*name && !*end && slot >= 1 && slot <= n) {
        *filament = (int)slot;
        return 0;
    }
    for (int k = 0; k < n; k++)
        if (strcasecmp(f[k].name, name) == 0 || strcasecmp(f[k].id, name) == 0) {
            *filament = k + 1;
            return 0;
        }
    return cli_usage_error(cmd, "option '--backing': '%s' is not one of the filaments", name);
}

int cli_construction_resolve(cli_ctx *ctx, const cli_command *cmd, const fsk_printer *printer,
                             const cli_construction_args *a,
                             fsk_filament out[FSK_MAX_FILAMENTS], int *count,
                             fsk_construction *cons)
{
    int rc = resolve_filaments(ctx, cmd, printer, a, out, count);
    if (rc)
        return rc;
    if (a->backing && a->no_backing)
        return cli_usage_error(cmd, "give --backing or --no-backing, not both");
    double h = a->layer_height_mm > 0 ? a->layer_height_mm : printer->layer_height_mm;
    fsk_model_default_construction(out, *count, h, cons);
    if (a->layers > 0)
        cons->color_layers = (int)a->layers;
    if (a->view && strcmp(a->view, "bottom") == 0)
        cons->view = FSK_VIEW_BOTTOM;
    if (a->no_backing) {
        cons->backing_filament = 0;
        cons->backing_mm = 0;
    } else if (a->backing) {
        double mm;
        if ((rc = parse_backing(cmd, a->backing, out, *count, &cons->backing_filament, &mm)))
            return rc;
        double layers = round(mm / h);
        if (layers < 1 || fabs(layers * h - mm) > 1e-6)
            return cli_usage_error(cmd, "option '--backing': %g mm is not a whole number of "
                                   "%g mm layers", mm, h);
        cons->backing_mm = layers * h;
    }
    return 0;
}
