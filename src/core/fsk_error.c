/*
 * fsk_error.c — formatting of caller-owned error records (see fsk_error.h).
 */
#include "fsk_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fsk_err_clear(fsk_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

int fsk_err_set(fsk_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

int fsk_err_prefix(fsk_err *err, const char *fmt, ...)
{
    if (!err)
        return FSK_EINVAL;
    char head[FSK_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    size_t h = strlen(head), m = strlen(err->msg);
    if (h + 2 >= sizeof err->msg)
        h = sizeof err->msg - 3;
    if (h + 2 + m >= sizeof err->msg)
        m = sizeof err->msg - 3 - h;
    memmove(err->msg + h + 2, err->msg, m);
    memcpy(err->msg, head, h);
    memcpy(err->msg + h, ": ", 2);
    err->msg[h + 2 + m] = '\0';
    return err->code;
}

const char *fsk_strerror(int code)
{
    switch (code) {
    case FSK_OK: return "success";
    case FSK_EINVAL: return "invalid input";
    case FSK_ENOMEM: return "out of memory";
    case FSK_EIO: return "input/output error";
    case FSK_EFORMAT: return "corrupt or unrecognized file";
    case FSK_ELIMIT: return "input exceeds a limit";
    case FSK_EUNSUPPORTED: return "not supported";
    case FSK_ECANCELED: return "canceled";
    case FSK_EDEVICE: return "device error";
    default: return "unknown error";
    }
}
