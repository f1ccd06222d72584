/*
 * cmd_profiles.c — `filastack profiles list|show|validate`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fsk_json.h"

/* Parses a command that has no options of its own; returns the first operand
 * index, or -(exit code) when the command is done. */
static int parse_plain(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
    cli_parser p;
    if (cli_parser_init(&p, ctx, cmd, argc, argv))
        return -CLI_EXIT_FAILURE;
    const char *arg;
    int id = cli_next_option(&p, &arg);
    int first = cli_operands(&p);
    cli_parser_free(&p);
    if (id == CLI_OPT_HELP)
        return -CLI_EXIT_OK;
    if (id != CLI_OPT_END)
        return -CLI_EXIT_USAGE;
    return first;
}

static int run_list(cli_ctx *ctx, int argc, char **argv)
{
    int first = parse_plain(ctx, &cmd_profiles_list, argc, argv);
    if (first < 0)
        return -first;
    if (first < argc)
        return cli_usage_error(&cmd_profiles_list, "unexpected argument '%s'", argv[first]);
    fsk_profiles *pr = cli_profiles(ctx);
    if (!pr)
        return CLI_EXIT_FAILURE;
    printf("printers (%s/printers):\n", fsk_profiles_dir(pr));
    for (size_t i = 0; i < fsk_profiles_printer_count(pr); i++) {
        const fsk_printer *p = fsk_profiles_printer(pr, i);
        printf("  %-22s %-34s %2d slots  %-5s  %.0fx%.0f mm  set %s\n", p->id, p->name,
               p->filament_slots, fsk_slicer_flavor_name(p->flavor), p->bed_mm[0],
               p->bed_mm[1], p->default_set);
    }
    printf("filaments (%s/filaments):\n", fsk_profiles_dir(pr));
    for (size_t i = 0; i < fsk_profiles_filament_count(pr); i++) {
        const fsk_filament *f = fsk_profiles_filament(pr, i);
        char td[24] = "TD ?";
        if (f->td_mm > 0)
            snprintf(td, sizeof td, "TD %.1f mm", f->td_mm);
        printf("  %-30s %-18s %-12s %-5s #%02X%02X%02X  %s\n", f->id, f->name, f->brand,
               f->material, f->rgb[0], f->rgb[1], f->rgb[2], td);
    }
    printf("filament sets (%s/sets):\n", fsk_profiles_dir(pr));
    for (size_t i = 0; i < fsk_profiles_set_count(pr); i++) {
        const fsk_filament_set *s = fsk_profiles_set(pr, i);
        printf("  %-22s %s:", s->id, s->name);
        for (int k = 0; k < s->count; k++)
            printf("%s %s", k ? "," : "", s->filaments[k]);
        putchar('\n');
    }
    return CLI_EXIT_OK;
}

static int print_profile_file(const fsk_profiles *pr, const char *sub, const char *id)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s/%s.json", fsk_profiles_dir(pr), sub, id);
    fsk_err err = {0};
    cJSON *root = fsk_json_load(path, &err);
    if (!root)
        return cli_fail(&err);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    printf("%s\n", text);
    cJSON_free(text);
    return CLI_EXIT_OK;
}

static int run_show(cli_ctx *ctx, int argc, char **argv)
{
    int first = parse_plain(ctx, &cmd_profiles_show, argc, argv);
    if (first < 0)
        return -first;
    if (first >= argc)
        return cli_usage_error(&cmd_profiles_show, "no profile name given");
    if (first + 1 < argc)
        return cli_usage_error(&cmd_profiles_show, "unexpected argument '%s'",
                               argv[first + 1]);
    fsk_profiles *pr = cli_profiles(ctx);
    if (!pr)
        return CLI_EXIT_FAILURE;
    const char *name = argv[first];
    const fsk_printer *p = fsk_profiles_find_printer(pr, name);
    if (p)
        return print_profile_file(pr, "printers", p->id);
    const fsk_filament_set *s = fsk_profiles_find_set(pr, name);
    if (s)
        return print_profile_file(pr, "sets", s->id);
    const fsk_filament *f = fsk_profiles_find_filament(pr, name);
    if (f)
        return print_profile_file(pr, "filaments", f->id);
    cli_error("no printer, filament or filament set named '%s' (see 'filastack profiles list')",
              name);
    return CLI_EXIT_FAILURE;
}

static int run_validate(cli_ctx *ctx, int argc, char **argv)
{
    int first = parse_plain(ctx, &cmd_profiles_validate, argc, argv);
    if (first < 0)
        return -first;
    if (first >= argc)
        return cli_usage_error(&cmd_profiles_validate, "no profile file given");
    /* References (a set's filaments, a printer's set) are checked against the
     * profile folder when it loads; a broken folder must not stop the check
     * of the files named here. */
    fsk_err err = {0};
    fsk_profiles *store = fsk_profiles_load(cli_profile_dir(), &err);
    if (!store)
        cli_warn(ctx, "references not checked: %s", err.msg);
    int failures = 0;
    for (int i = first; i < argc; i++) {
        fsk_profile_kind kind;
        fsk_err_clear(&err);
        if (fsk_profile_validate_file(argv[i], store, &kind, &err) != 0) {
            cli_fail(&err);
            failures++;
        } else if (ctx->verbosity > 0) {
            printf("%s: ok (%s)\n", argv[i], fsk_profile_kind_name(kind));
        }
    }
    fsk_profiles_free(store);
    return failures ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

const cli_command cmd_profiles_list = {
    .name = "profiles list",
    .summary = "list the printer, filament and filament-set profiles",
    .run = run_list,
};

const cli_command cmd_profiles_show = {
    .name = "profiles show",
    .operands = "NAME",
    .summary = "print one profile (printer, filament or filament set) as JSON",
    .description = "Prints the profile named NAME (its id, the file name without .json,\n"
                   "or its \"name\", ignoring case) as JSON.",
    .run = run_show,
};

const cli_command cmd_profiles_validate = {
    .name = "profiles validate",
    .operands = "FILE...",
    .summary = "check profile files and report the first problem of each",
    .description = "Checks each FILE: JSON syntax, schema version, kind, every field's type\n"
                   "and range, and its references to other profiles. Problems are reported\n"
                   "as FILE: JSON-PATH: what is wrong; the exit status is 1 if any file fails.",
    .run = run_validate,
};
