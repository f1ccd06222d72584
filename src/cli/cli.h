/*
 * cli.h — what the command-line front end shares between its commands:
 * the context (verbosity, profiles), messages, the command and option
 * tables and the table-driven option parser.
 *
 * Every command describes its options in one cli_option table; the same
 * table drives parsing, `COMMAND --help` and (through a test) the man page.
 */
#ifndef FSK_CLI_H
#define FSK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "fsk_error.h"
#include "fsk_print_files.h"
#include "fsk_profile.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILURE = 1, CLI_EXIT_USAGE = 2 };

typedef struct cli_ctx {
    int verbosity;              /* 0 quiet, 1 normal, 2 verbose */
    fsk_profiles *profiles;     /* loaded on first use, see cli_profiles */
} cli_ctx;

typedef struct cli_option {
    const char *long_name; /* without the leading "--" */
    char short_name;       /* 0 when there is none */
    const char *arg;       /* argument name for help, NULL for a flag */
    const char *help;      /* one line */
    int id;                /* what cli_next_option returns; > 0 */
} cli_option;

typedef struct cli_command {
    const char *name;     /* "convert" or "profiles list" */
    const char *operands; /* usage after [OPTIONS], e.g. "FILE..." */
    const char *summary;  /* one line for the command list */
    const char *description; /* a paragraph for COMMAND --help, or NULL */
    const cli_option *options; /* command options, ended by {0}; may be NULL */
    int (*run)(cli_ctx *ctx, int argc, char **argv);
} cli_command;

/* The commands, ended by NULL; defined in cli_main.c. */
extern const cli_command *const cli_commands[];

/* Messages on stderr, prefixed "filastack: ". Errors always show. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_info(const cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_verbose(const cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Reports a usage error: "filastack: error: MESSAGE" and the hint
 * "try 'filastack [COMMAND] --help'"; returns CLI_EXIT_USAGE.
 */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "filastack: error: MSG" for a library error; returns CLI_EXIT_FAILURE. */
int cli_fail(const fsk_err *err);

/* Writes `filastack COMMAND --help` to out. */
void cli_print_command_help(const cli_command *cmd, FILE *out);

/* Option parsing over a command's table plus -h, -v and -q. */
typedef struct cli_parser {
    const cli_command *cmd;
    cli_ctx *ctx;
    int argc;
    char **argv;
    int first_operand; /* set when cli_next_option returns CLI_OPT_END */
    void *state;       /* getopt tables, owned */
} cli_parser;

enum {
    CLI_OPT_END = 0,   /* no more options; operands start at cli_operands */
    CLI_OPT_HELP = -1, /* help was printed; the command returns CLI_EXIT_OK */
    CLI_OPT_ERROR = -2 /* a usage error was printed; return CLI_EXIT_USAGE */
};

/* argv[0] is the command's last word. Returns 0 or CLI_EXIT_FAILURE (memory). */
int cli_parser_init(cli_parser *p, cli_ctx *ctx, const cli_command *cmd,
                    int argc, char **argv);
/* Next option id (> 0) with its argument in *arg, or a CLI_OPT_* value. */
int cli_next_option(cli_parser *p, const char **arg);
/* Index into argv of the first operand, valid after CLI_OPT_END. */
int cli_operands(const cli_parser *p);
void cli_parser_free(cli_parser *p);

/*
 * Option argument helpers: parse or report a usage error naming the option
 * (return CLI_EXIT_USAGE) or 0 on success.
 */
int cli_parse_double(const cli_command *cmd, const char *option,
                     const char *text, double min, double max, double *out);
int cli_parse_int(const cli_command *cmd, const char *option, const char *text,
                  long min, long max, long *out);

/*
 * The profile store, loaded on first use from the profile folder (see
 * cli_profile_dir). Returns NULL after printing the error.
 */
fsk_profiles *cli_profiles(cli_ctx *ctx);

/*
 * The profile folder: $FILASTACK_PROFILES_DIR, else the source tree's
 * profiles/ when this binary runs from its build tree, else
 * BINDIR/../share/filastack/profiles, else the configured install path.
 */
const char *cli_profile_dir(void);

/*
 * The printer of `--printer ARG`: ARG is a path to a printer profile when
 * it contains '/' or ends in ".json", else a printer id or name of the
 * profile store. With ARG NULL, the default printer: bambu-x1c-ams when
 * the store has it, else its first printer in id order. Copies it into
 * *out and returns 0, or prints the error and returns CLI_EXIT_FAILURE.
 */
int cli_printer(cli_ctx *ctx, const char *arg, fsk_printer *out);

/*
 * The 3MF flavor of `--3mf ARG` (prusa, bambu, core or none); with ARG
 * NULL, the printer's slicer. Returns 0, or CLI_EXIT_USAGE after reporting
 * an unknown value as a usage error of cmd.
 */
int cli_threemf_kind(const cli_command *cmd, const char *arg, const fsk_printer *printer,
                     fsk_threemf_kind *out);

#endif
