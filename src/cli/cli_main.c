/*
 * cli_main.c — the entry point: global options, the command table and
 * dispatch to `filastack COMMAND [SUBCOMMAND]`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fsk_memory.h"
#include "fsk_version.h"

const cli_command *const cli_commands[] = {
    &cmd_calibrate_analyze,
    &cmd_calibrate_grid,
    &cmd_calibrate_predict,
    &cmd_calibrate_scan,
    &cmd_check,
    &cmd_convert,
    &cmd_profiles_list,
    &cmd_profiles_show,
    &cmd_profiles_validate,
    &cmd_render,
    &cmd_scan,
    NULL,
};

static void print_main_help(FILE *out)
{
    fputs("usage: filastack [--version] [-h] [-v | -q] COMMAND [OPTIONS] [ARGS]\n\n"
          "filastack prepares color artwork for multi-filament FDM printers: it\n"
          "stacks thin layers of the filaments you have to print the colors you\n"
          "don't, from a calibration of your own filaments.\n\n"
          "commands:\n",
          out);
    for (size_t k = 0; cli_commands[k]; k++)
        fprintf(out, "  %-20s  %s\n", cli_commands[k]->name, cli_commands[k]->summary);
    fputs("\noptions:\n"
          "  -h, --help            show this help and exit\n"
          "      --version         show the version and exit\n"
          "  -v, --verbose         say more about what is done\n"
          "  -q, --quiet           print errors only\n\n"
          "Run 'filastack COMMAND --help' for the options of a command.\n",
          out);
}

/* Length of the first word of a command name ("profiles list" -> 8). */
static size_t group_len(const char *name)
{
    const char *sp = strchr(name, ' ');
    return sp ? (size_t)(sp - name) : strlen(name);
}

static bool is_group(const char *word)
{
    for (size_t k = 0; cli_commands[k]; k++) {
        const char *name = cli_commands[k]->name;
        if (strchr(name, ' ') && group_len(name) == strlen(word) &&
            strncmp(name, word, strlen(word)) == 0)
            return true;
    }
    return false;
}

static void print_group_help(const char *group, FILE *out)
{
    fprintf(out, "usage: filastack %s SUBCOMMAND [OPTIONS] [ARGS]\n\nsubcommands:\n",
            group);
    for (size_t k = 0; cli_commands[k]; k++) {
        const cli_command *c = cli_commands[k];
        if (group_len(c->name) == strlen(group) &&
            strncmp(c->name, group, strlen(group)) == 0)
            fprintf(out, "  %-20s  %s\n", c->name, c->summary);
    }
    fprintf(out, "\nRun 'filastack %s SUBCOMMAND --help' for its options.\n", group);
}

static const cli_command *find_command(const char *word, const char *sub)
{
    for (size_t k = 0; cli_commands[k]; k++) {
        const cli_command *c = cli_commands[k];
        size_t g = group_len(c->name);
        if (strlen(word) != g || strncmp(c->name, word, g) != 0)
            continue;
        if (!c->name[g])
            return c;
        if (sub && strcmp(c->name + g + 1, sub) == 0)
            return c;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    fsk_memory_keep_freed();
    cli_ctx ctx = {.verbosity = 1};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_main_help(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("filastack %s\n", FSK_VERSION);
            return CLI_EXIT_OK;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ctx.verbosity = 2;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            ctx.verbosity = 0;
        } else {
            return cli_usage_error(NULL, "unknown option '%s'", a);
        }
    }
    if (i >= argc)
        return cli_usage_error(NULL, "no command given");
    const char *word = argv[i];
    const char *sub = i + 1 < argc ? argv[i + 1] : NULL;
    const cli_command *cmd = find_command(word, sub);
    if (!cmd && is_group(word)) {
        if (sub && (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)) {
            print_group_help(word, stdout);
            return CLI_EXIT_OK;
        }
        const cli_command group = {.name = word};
        if (!sub)
            return cli_usage_error(&group, "'%s' needs a subcommand", word);
        return cli_usage_error(&group, "'%s %s' is not a filastack command", word, sub);
    }
    if (!cmd)
        return cli_usage_error(NULL, "'%s' is not a filastack command", word);
    int first = strchr(cmd->name, ' ') ? i + 1 : i;
    int rc = cmd->run(&ctx, argc - first, argv + first);
    fsk_profiles_free(ctx.profiles);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) {
        cli_error("cannot write to standard output");
        rc = CLI_EXIT_FAILURE;
    }
    return rc;
}
