/*
 * cli_options.c — the table-driven option parser (over getopt_long) and the
 * `COMMAND --help` text generated from the same table.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { ID_HELP = 0x10000, ID_VERBOSE, ID_QUIET };

static const cli_option common_options[] = {
    {"help", 'h', NULL, "show this help and exit", ID_HELP},
    {"verbose", 'v', NULL, "say more about what is done", ID_VERBOSE},
    {"quiet", 'q', NULL, "print errors only", ID_QUIET},
    {0},
};

typedef struct parser_state {
    struct option *longopts;
    char *shortopts;
    const cli_option **by_index; /* longopts[i] -> table entry */
    size_t count;
} parser_state;

static size_t table_len(const cli_option *t)
{
    size_t n = 0;
    while (t && t[n].long_name)
        n++;
    return n;
}

int cli_parser_init(cli_parser *p, cli_ctx *ctx, const cli_command *cmd,
                    int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->ctx = ctx;
    p->argc = argc;
    p->argv = argv;
    size_t n_cmd = table_len(cmd->options), n = n_cmd + table_len(common_options);
    parser_state *s = calloc(1, sizeof *s);
    if (!s)
        goto nomem;
    p->state = s;
    s->count = n;
    s->longopts = calloc(n + 1, sizeof *s->longopts);
    s->by_index = calloc(n, sizeof *s->by_index);
    s->shortopts = calloc(3 * n + 3, 1);
    if (!s->longopts || !s->by_index || !s->shortopts)
        goto nomem;
    /* '+' would stop at the first operand; GNU permutation lets options
     * follow operands, which users expect. ':' reports missing arguments. */
    char *sp = s->shortopts;
    *sp++ = ':';
    for (size_t i = 0; i < n; i++) {
        const cli_option *o = i < n_cmd ? &cmd->options[i] : &common_options[i - n_cmd];
        s->by_index[i] = o;
        s->longopts[i].name = o->long_name;
        s->longopts[i].has_arg = o->arg ? required_argument : no_argument;
        s->longopts[i].val = 0x20000 + (int)i;
        if (o->short_name) {
            *sp++ = o->short_name;
            if (o->arg)
                *sp++ = ':';
        }
    }
    optind = 0; /* GNU: full reinitialisation, so a second command can parse */
    opterr = 0;
    return 0;
nomem:
    cli_parser_free(p);
    cli_error("out of memory");
    return CLI_EXIT_FAILURE;
}

void cli_parser_free(cli_parser *p)
{
    parser_state *s = p->state;
    if (s) {
        free(s->longopts);
        free(s->shortopts);
        free(s->by_index);
        free(s);
    }
    p->state = NULL;
}

static const cli_option *by_short(const parser_state *s, int c)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->by_index[i]->short_name == c)
            return s->by_index[i];
    return NULL;
}

int cli_next_option(cli_parser *p, const char **arg)
{
    parser_state *s = p->state;
    for (;;) {
        int idx = -1;
        int c = getopt_long(p->argc, p->argv, s->shortopts, s->longopts, &idx);
        *arg = optarg;
        if (c == -1) {
            p->first_operand = optind;
            return CLI_OPT_END;
        }
        const cli_option *o = NULL;
        if (c >= 0x20000 && (size_t)(c - 0x20000) < s->count)
            o = s->by_index[c - 0x20000];
        else if (c != '?' && c != ':')
            o = by_short(s, c);
        if (c == ':' || c == '?') {
            const char *word = p->argv[optind - 1];
            if (c == ':')
                cli_usage_error(p->cmd, "option '%s' needs an argument",
                                optopt ? (char[]){'-', (char)optopt, 0} : word);
            else if (optopt)
                cli_usage_error(p->cmd, "unknown option '-%c'", optopt);
            else
                cli_usage_error(p->cmd, "unknown option '%s'", word);
            return CLI_OPT_ERROR;
        }
        if (!o)
            continue;
        switch (o->id) {
        case ID_HELP:
            cli_print_command_help(p->cmd, stdout);
            return CLI_OPT_HELP;
        case ID_VERBOSE:
            p->ctx->verbosity = 2;
            continue;
        case ID_QUIET:
            p->ctx->verbosity = 0;
            continue;
        default:
            return o->id;
        }
    }
}

int cli_operands(const cli_parser *p) { return p->first_operand; }

static void print_option(const cli_option *o, FILE *out)
{
    char left[80];
    int n;
    if (o->short_name)
        n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
    else
        n = snprintf(left, sizeof left, "    --%s", o->long_name);
    if (o->arg && n > 0 && (size_t)n < sizeof left)
        snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg);
    if (strlen(left) <= 26)
        fprintf(out, "  %-26s  %s\n", left, o->help);
    else
        fprintf(out, "  %s\n  %-26s  %s\n", left, "", o->help);
}

void cli_print_command_help(const cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: filastack %s [OPTIONS]%s%s\n\n", cmd->name,
            cmd->operands ? " " : "", cmd->operands ? cmd->operands : "");
    fprintf(out, "%s\n", cmd->description ? cmd->description : cmd->summary);
    fputs("\noptions:\n", out);
    for (const cli_option *o = cmd->options; o && o->long_name; o++)
        print_option(o, out);
    for (const cli_option *o = common_options; o->long_name; o++)
        print_option(o, out);
}

int cli_parse_double(const cli_command *cmd, const char *option,
                     const char *text, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v))
        return cli_usage_error(cmd, "option '%s': '%s' is not a number", option, text);
    if (v < min || v > max)
        return cli_usage_error(cmd, "option '%s': %s is out of range (%g to %g)",
                               option, text, min, max);
    *out = v;
    return 0;
}

int cli_parse_int(const cli_command *cmd, const char *option, const char *text,
                  long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end)
        return cli_usage_error(cmd, "option '%s': '%s' is not an integer", option, text);
    if (v < min || v > max)
        return cli_usage_error(cmd, "option '%s': %s is out of range (%ld to %ld)",
                               option, text, min, max);
    *out = v;
    return 0;
}
