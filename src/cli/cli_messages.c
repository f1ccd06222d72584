/*
 * cli_messages.c — every line the command line writes to stderr, with the
 * "filastack: " prefix and the verbosity rules (errors always show).
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

static void vmessage(const char *level, const char *fmt, va_list ap)
{
    fputs("filastack: ", stderr);
    if (level)
        fprintf(stderr, "%s: ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("error", fmt, ap);
    va_end(ap);
}

void cli_warn(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->verbosity < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning", fmt, ap);
    va_end(ap);
}

void cli_info(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->verbosity < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(NULL, fmt, ap);
    va_end(ap);
}

void cli_verbose(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->verbosity < 2)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(NULL, fmt, ap);
    va_end(ap);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("error", fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "try 'filastack %s --help'\n", cmd->name);
    else
        fputs("try 'filastack --help'\n", stderr);
    return CLI_EXIT_USAGE;
}

int cli_fail(const fsk_err *err)
{
    cli_error("%s", err->msg[0] ? err->msg : fsk_strerror(err->code));
    return CLI_EXIT_FAILURE;
}
