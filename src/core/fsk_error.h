/*
 * fsk_error.h — the error convention shared by every filastack library.
 *
 * Library functions return 0 on success or a negative FSK_E* code, and write
 * a one-line, human-readable explanation into a caller-owned fsk_err passed
 * as the last argument (which may be NULL when the caller does not care).
 * The library never prints and never exits; the command line decides what
 * to show and which exit status to use.
 *
 * Message style (git's): lowercase, no final full stop, what went wrong
 * first, file names quoted: "cannot read 'logo.png': not a PNG or JPEG file".
 */
#ifndef FSK_ERROR_H
#define FSK_ERROR_H

#include <stddef.h>

enum {
    FSK_OK = 0,
    FSK_EINVAL = -1,       /* invalid argument or invalid input data */
    FSK_ENOMEM = -2,       /* allocation failed */
    FSK_EIO = -3,          /* the operating system refused a read or write */
    FSK_EFORMAT = -4,      /* a file is corrupt, truncated or of the wrong kind */
    FSK_ELIMIT = -5,       /* an input exceeds a configured limit */
    FSK_EUNSUPPORTED = -6, /* valid input that filastack does not handle */
    FSK_ECANCELED = -7,    /* the user or a timeout canceled the operation */
    FSK_EDEVICE = -8       /* a device (scanner) reported a failure */
};

#define FSK_ERR_MSG_MAX 512

typedef struct fsk_err {
    int code;                  /* last FSK_E* code, 0 when no error was set */
    char msg[FSK_ERR_MSG_MAX]; /* NUL-terminated message, "" when none */
} fsk_err;

/* Clears err (no-op on NULL). */
void fsk_err_clear(fsk_err *err);

/*
 * Sets err->code to code and formats the message; returns code so callers
 * can write `return fsk_err_set(err, FSK_EINVAL, "...")`. err may be NULL.
 */
int fsk_err_set(fsk_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Prefixes the existing message with formatted context plus ": ", keeping
 * the code; returns err->code (or FSK_EINVAL when err is NULL).
 */
int fsk_err_prefix(fsk_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A short generic description of an FSK_E* code ("out of memory"). */
const char *fsk_strerror(int code);

#endif
