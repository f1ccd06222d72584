/*
 * fsk_scan.c — the SANE adapter, the only file that calls libsane (loaded
 * on the first scan, fsk_sane_lib.h).
 *
 * One call is one SANE session: sane_init, sane_get_devices (when no device
 * is named), sane_open, the options (each looked up by name from fresh
 * descriptors, since setting one may reload the others), sane_start,
 * sane_get_parameters and the read loop for every frame, sane_cancel,
 * sane_close, sane_exit. SANE statuses become one-line messages naming the
 * device; the frames themselves are assembled by fsk_scan_frames.c.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sane/sane.h>
#include <sane/saneopts.h>

#include "fsk_scan.h"
#include "fsk_scan_frames.h"
#include "fsk_sane_lib.h"

const char fsk_scan_no_device_msg[] =
    "no scanner found (check 'scanimage -L', the 'scanner' group or udev rules, "
    "and SANE_CONFIG_DIR)";

enum { READ_CHUNK = 64 * 1024 };

/* What a SANE status means to the user, or NULL for an unknown one. */
static const char *status_text(SANE_Status st)
{
    switch ((int)st) {
    case SANE_STATUS_GOOD: return "no error";
    case SANE_STATUS_UNSUPPORTED: return "the scanner does not support this operation";
    case SANE_STATUS_CANCELLED: return "the scan was canceled at the scanner";
    case SANE_STATUS_DEVICE_BUSY:
        return "scanner is busy (another program may be using it; try again later)";
    case SANE_STATUS_INVAL: return "the scanner driver rejected the request as invalid";
    case SANE_STATUS_EOF: return "the scanner has nothing (more) to scan";
    case SANE_STATUS_JAMMED: return "the document feeder is jammed";
    case SANE_STATUS_NO_DOCS: return "no document to scan (the document feeder is empty)";
    case SANE_STATUS_COVER_OPEN: return "the scanner cover is open";
    case SANE_STATUS_IO_ERROR:
        return "input/output error talking to the scanner (check its cable or network)";
    case SANE_STATUS_NO_MEM: return "the scanner driver ran out of memory";
    case SANE_STATUS_ACCESS_DENIED:
        return "access to the scanner was denied (check the 'scanner' group or udev rules)";
    /* 12 and 13 are reserved in sane.h for later versions; some backends
     * already return them. */
    case 12: return "the scanner lamp is warming up; try again soon";
    case 13: return "the scanner head is locked for transport";
    default: return NULL;
    }
}

/* Sets err to "CONTEXT: what the status means"; context is already formatted. */
static int status_fail(fsk_err *err, SANE_Status st, const char *context)
{
    const char *text = status_text(st);
    int code = st == SANE_STATUS_NO_MEM ? FSK_ENOMEM : FSK_EDEVICE;
    if (text)
        return fsk_err_set(err, code, "%s: %s", context, text);
    return fsk_err_set(err, code, "%s: unknown SANE status %d", context, (int)st);
}

static void copy_text(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int start_sane(fsk_err *err)
{
    int rc = fsk_sane_load(err);
    if (rc)
        return rc;
    SANE_Int version = 0;
    SANE_Status st = fsk_sane->init(&version, NULL);
    if (st != SANE_STATUS_GOOD)
        return status_fail(err, st, "cannot start SANE");
    return 0;
}

int fsk_scan_list(fsk_scan_device **devices, size_t *count, fsk_err *err)
{
    *devices = NULL;
    *count = 0;
    int rc = start_sane(err);
    if (rc)
        return rc;
    const SANE_Device **list = NULL;
    SANE_Status st = fsk_sane->get_devices(&list, SANE_FALSE);
    if (st != SANE_STATUS_GOOD) {
        fsk_sane->exit();
        return status_fail(err, st, "cannot list the scanners");
    }
    size_t n = 0;
    while (list && list[n])
        n++;
    if (n > 0) {
        fsk_scan_device *d = calloc(n, sizeof *d);
        if (!d) {
            fsk_sane->exit();
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            copy_text(d[i].name, sizeof d[i].name, list[i]->name);
            copy_text(d[i].vendor, sizeof d[i].vendor, list[i]->vendor);
            copy_text(d[i].model, sizeof d[i].model, list[i]->model);
            copy_text(d[i].type, sizeof d[i].type, list[i]->type);
        }
        *devices = d;
        *count = n;
    }
    fsk_sane->exit();
    return 0;
}

void fsk_scan_image_free(fsk_scan_image *img)
{
    if (!img)
        return;
    free(img->pixels);
    memset(img, 0, sizeof *img);
}

/* ---- one open scanner ---------------------------------------------------- */

typedef struct session {
    SANE_Handle h;
    char device[128];
    const fsk_scan_opts *o;
    struct timespec started;
    uint64_t done, total;
    fsk_err *err;
} session;

static void notice(const session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void notice(const session *s, const char *fmt, ...)
{
    if (!s->o->notice)
        return;
    char msg[FSK_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->o->notice(s->o->ctx, msg);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* FSK_ECANCELED when the user canceled or the time is up, else 0. */
static int check_stop(const session *s)
{
    if (s->o->cancel && *s->o->cancel)
        return fsk_err_set(s->err, FSK_ECANCELED, "scan canceled");
    if (s->o->timeout_s > 0 && seconds_since(&s->started) >= s->o->timeout_s)
        return fsk_err_set(s->err, FSK_ECANCELED, "scan timed out after %g s",
                           s->o->timeout_s);
    return 0;
}

/* A SANE failure during the scan; a cancel or timeout explains it better. */
static int scan_fail(const session *s, SANE_Status st, const char *what)
{
    int rc = check_stop(s);
    if (rc)
        return rc;
    char context[256];
    snprintf(context, sizeof context, "%s '%s'", what, s->device);
    return status_fail(s->err, st, context);
}

/* ---- options ------------------------------------------------------------- */

static SANE_Int option_count(const session *s)
{
    SANE_Int n = 0;
    if (fsk_sane->control_option(s->h, 0, SANE_ACTION_GET_VALUE, &n, NULL) != SANE_STATUS_GOOD)
        return 0;
    return n;
}

/* The option named name, with a fresh descriptor in *d; -1 when there is none. */
static SANE_Int find_option(const session *s, const char *name,
                            const SANE_Option_Descriptor **d)
{
    SANE_Int n = option_count(s);
    for (SANE_Int i = 1; i < n; i++) {
        const SANE_Option_Descriptor *od = fsk_sane->get_option_descriptor(s->h, i);
        if (od && od->type != SANE_TYPE_GROUP && od->name && strcmp(od->name, name) == 0) {
            *d = od;
            return i;
        }
    }
    return -1;
}

/* Finds an option the frontend may set now, or explains why it cannot. */
static int settable_option(const session *s, const char *name, SANE_Int *index,
                           const SANE_Option_Descriptor **d)
{
    *index = find_option(s, name, d);
    if (*index < 0)
        return fsk_err_set(s->err, FSK_EINVAL,
                           "scanner '%s' has no option '%s' (scanimage -d '%s' -A lists them)",
                           s->device, name, s->device);
    if (!SANE_OPTION_IS_ACTIVE((*d)->cap))
        return fsk_err_set(s->err, FSK_EINVAL,
                           "option '%s' of scanner '%s' is inactive in the current "
                           "settings (another option may enable it)",
                           name, s->device);
    if (!SANE_OPTION_IS_SETTABLE((*d)->cap))
        return fsk_err_set(s->err, FSK_EINVAL,
                           "option '%s' of scanner '%s' cannot be set by software", name,
                           s->device);
    return 0;
}

static size_t word_count(const SANE_Option_Descriptor *d)
{
    size_t n = (size_t)d->size / sizeof(SANE_Word);
    return n ? n : 1;
}

static void format_word(const SANE_Option_Descriptor *d, SANE_Word w, char *out, size_t n)
{
    if (d->type == SANE_TYPE_FIXED)
        snprintf(out, n, "%g", SANE_UNFIX(w));
    else if (d->type == SANE_TYPE_BOOL)
        snprintf(out, n, "%s", w ? "yes" : "no");
    else
        snprintf(out, n, "%d", (int)w);
}

/* The value in buf as text: "300", "yes", "Color", "1,2,3". */
static void format_value(const SANE_Option_Descriptor *d, const void *buf, char *out,
                         size_t n)
{
    out[0] = 0;
    if (d->type == SANE_TYPE_STRING) {
        snprintf(out, n, "%.*s", d->size > 0 ? (int)d->size : 0, (const char *)buf);
        return;
    }
    if (d->type == SANE_TYPE_BUTTON)
        return;
    const SANE_Word *w = buf;
    size_t len = 0, count = word_count(d);
    for (size_t i = 0; i < count && len + 16 < n; i++) {
        if (i)
            out[len++] = ',';
        format_word(d, w[i], out + len, n - len);
        len += strlen(out + len);
        if (i == 7 && count > 8) {
            snprintf(out + len, n - len, ",...");
            break;
        }
    }
}

/* A list of the allowed words for a message: "1, 8, 16". */
static void format_word_list(const SANE_Option_Descriptor *d, char *out, size_t n)
{
    const SANE_Word *list = d->constraint.word_list;
    size_t len = 0;
    out[0] = 0;
    for (SANE_Int i = 1; i <= list[0] && len + 20 < n; i++) {
        if (i > 1) {
            snprintf(out + len, n - len, ", ");
            len += 2;
        }
        format_word(d, list[i], out + len, n - len);
        len += strlen(out + len);
    }
}

static void format_string_list(const SANE_Option_Descriptor *d, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; d->constraint.string_list[i] && len + 4 < n; i++) {
        snprintf(out + len, n - len, "%s'%s'", i ? ", " : "", d->constraint.string_list[i]);
        len += strlen(out + len);
    }
}

/* 0 when w satisfies the option's constraint, else an error naming both. */
static int check_word(const session *s, const char *name, const SANE_Option_Descriptor *d,
                      SANE_Word w)
{
    char v[32], a[32], b[32], q[32], list[400];
    format_word(d, w, v, sizeof v);
    if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
        const SANE_Range *r = d->constraint.range;
        format_word(d, r->min, a, sizeof a);
        format_word(d, r->max, b, sizeof b);
        if (w < r->min || w > r->max)
            return fsk_err_set(s->err, FSK_EINVAL,
                               "option '%s' of scanner '%s': %s is out of range (%s to %s)",
                               name, s->device, v, a, b);
        if (r->quant > 0 && ((int64_t)w - r->min) % r->quant != 0) {
            format_word(d, r->quant, q, sizeof q);
            return fsk_err_set(s->err, FSK_EINVAL,
                               "option '%s' of scanner '%s': %s is not a step of the "
                               "range (%s to %s in steps of %s)",
                               name, s->device, v, a, b, q);
        }
    } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list) {
        const SANE_Word *l = d->constraint.word_list;
        for (SANE_Int i = 1; i <= l[0]; i++)
            if (l[i] == w)
                return 0;
        format_word_list(d, list, sizeof list);
        return fsk_err_set(s->err, FSK_EINVAL,
                           "option '%s' of scanner '%s': %s is not one of %s", name,
                           s->device, v, list);
    }
    return 0;
}

/*
 * Sets option index to the value in buf (asked is its text for messages).
 * When the backend answers SANE_INFO_INEXACT, reads back and reports the
 * value it used. SANE_INFO_RELOAD_OPTIONS needs nothing here: descriptors
 * are looked up afresh for every option; SANE_INFO_RELOAD_PARAMS neither:
 * the parameters are read only after sane_start.
 */
static int apply_option(const session *s, SANE_Int index, const char *name, void *buf,
                        const char *asked)
{
    SANE_Int info = 0;
    SANE_Status st = fsk_sane->control_option(s->h, index, SANE_ACTION_SET_VALUE, buf, &info);
    if (st != SANE_STATUS_GOOD) {
        char context[300];
        snprintf(context, sizeof context, "cannot set option '%s' of scanner '%s' to '%s'",
                 name, s->device, asked);
        int rc = status_fail(s->err, st, context);
        if (st == SANE_STATUS_INVAL)
            s->err->code = rc = FSK_EINVAL;
        return rc;
    }
    if (!(info & SANE_INFO_INEXACT) || !buf)
        return 0;
    const SANE_Option_Descriptor *d = NULL;
    if (find_option(s, name, &d) != index)
        return 0; /* the options were rebuilt; nothing sensible to report */
    if (d->cap & SANE_CAP_SOFT_DETECT)
        fsk_sane->control_option(s->h, index, SANE_ACTION_GET_VALUE, buf, NULL);
    char used[128];
    format_value(d, buf, used, sizeof used);
    notice(s, "option '%s': the scanner uses %s (asked %s)", name, used, asked);
    return 0;
}

static int parse_bool(const char *t, SANE_Word *w)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(t, yes[i]) == 0) {
            *w = SANE_TRUE;
            return 0;
        }
        if (strcasecmp(t, no[i]) == 0) {
            *w = SANE_FALSE;
            return 0;
        }
    }
    return -1;
}

/* One number of an int or fixed option. */
static int parse_word(const SANE_Option_Descriptor *d, const char *t, size_t len,
                      SANE_Word *w)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, t, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    if (d->type == SANE_TYPE_INT) {
        long v = strtol(buf, &end, 10);
        if (errno || *end || v < INT32_MIN || v > INT32_MAX)
            return -1;
        *w = (SANE_Word)v;
    } else {
        double v = strtod(buf, &end);
        if (errno || *end || !isfinite(v) || fabs(v) >= 32768.0)
            return -1;
        *w = (SANE_Word)lround(v * 65536.0);
    }
    return 0;
}

/* Parses "v" or "v1,v2,...": one value for every element, or one for all. */
static int parse_words(const session *s, const char *name, const SANE_Option_Descriptor *d,
                       const char *text, SANE_Word *words)
{
    size_t count = word_count(d), k = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (k == count)
            return fsk_err_set(s->err, FSK_EINVAL,
                               "option '%s' of scanner '%s' takes %zu value%s, not more",
                               name, s->device, count, count == 1 ? "" : "s");
        if (parse_word(d, p, len, &words[k]) != 0)
            return fsk_err_set(s->err, FSK_EINVAL,
                               "option '%s' of scanner '%s': '%.*s' is not %s", name,
                               s->device, (int)len, p,
                               d->type == SANE_TYPE_INT ? "an integer" : "a number");
        int rc = check_word(s, name, d, words[k]);
        if (rc)
            return rc;
        k++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (k == 1)
        for (size_t i = 1; i < count; i++)
            words[i] = words[0];
    else if (k != count)
        return fsk_err_set(s->err, FSK_EINVAL,
                           "option '%s' of scanner '%s' takes 1 or %zu values, not %zu", name,
                           s->device, count, k);
    return 0;
}

static int parse_string(const session *s, const char *name, const SANE_Option_Descriptor *d,
                        const char *text, char *buf)
{
    if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST && d->constraint.string_list) {
        const SANE_String_Const *l = d->constraint.string_list;
        const char *match = NULL;
        for (size_t i = 0; l[i] && !match; i++)
            if (strcmp(l[i], text) == 0)
                match = l[i];
        for (size_t i = 0; l[i] && !match; i++)
            if (strcasecmp(l[i], text) == 0)
                match = l[i];
        if (!match) {
            char list[400];
            format_string_list(d, list, sizeof list);
            return fsk_err_set(s->err, FSK_EINVAL,
                               "option '%s' of scanner '%s': '%s' is not one of %s", name,
                               s->device, text, list);
        }
        text = match;
    }
    if (strlen(text) + 1 > (size_t)d->size)
        return fsk_err_set(s->err, FSK_EINVAL,
                           "option '%s' of scanner '%s': '%s' is longer than %d characters",
                           name, s->device, text, (int)d->size - 1);
    strcpy(buf, text);
    return 0;
}

/*
 * Sets a backend option from text (--set NAME=VALUE; value NULL when no
 * '=' was given), checking its type and constraint first.
 */
static int set_option_text(const session *s, const char *name, const char *value)
{
    SANE_Int index;
    const SANE_Option_Descriptor *d;
    int rc = settable_option(s, name, &index, &d);
    if (rc)
        return rc;
    if (d->type == SANE_TYPE_BUTTON) {
        if (value && *value)
            return fsk_err_set(s->err, FSK_EINVAL,
                               "option '%s' of scanner '%s' is a button and takes no value",
                               name, s->device);
        return apply_option(s, index, name, NULL, "");
    }
    if (!value)
        return fsk_err_set(s->err, FSK_EINVAL,
                           "option '%s' of scanner '%s' needs a value (NAME=VALUE)", name,
                           s->device);
    if (d->size <= 0 || d->size > (1 << 20))
        return fsk_err_set(s->err, FSK_EDEVICE,
                           "option '%s' of scanner '%s' has an impossible size %d", name,
                           s->device, (int)d->size);
    /* Room for a terminator the backend might not write, word-aligned by calloc. */
    void *buf = calloc(1, (size_t)d->size + sizeof(SANE_Word));
    if (!buf)
        return fsk_err_set(s->err, FSK_ENOMEM, "out of memory");
    switch (d->type) {
    case SANE_TYPE_BOOL:
        if (parse_bool(value, buf) != 0)
            rc = fsk_err_set(s->err, FSK_EINVAL,
                             "option '%s' of scanner '%s': '%s' is not yes or no", name,
                             s->device, value);
        break;
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED:
        rc = parse_words(s, name, d, value, buf);
        break;
    case SANE_TYPE_STRING:
        rc = parse_string(s, name, d, value, buf);
        break;
    default:
        rc = fsk_err_set(s->err, FSK_EINVAL, "option '%s' of scanner '%s' cannot be set",
                         name, s->device);
    }
    if (rc == 0)
        rc = apply_option(s, index, name, buf, value);
    free(buf);
    return rc;
}

/* Reads a single-word int or fixed option as a double; NAN when unreadable. */
static double get_number(const session *s, const char *name)
{
    const SANE_Option_Descriptor *d;
    SANE_Int index = find_option(s, name, &d);
    if (index < 0 || !SANE_OPTION_IS_ACTIVE(d->cap) || d->size != sizeof(SANE_Word) ||
        (d->type != SANE_TYPE_INT && d->type != SANE_TYPE_FIXED))
        return NAN;
    SANE_Word w = 0;
    if (fsk_sane->control_option(s->h, index, SANE_ACTION_GET_VALUE, &w, NULL) != SANE_STATUS_GOOD)
        return NAN;
    return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : (double)w;
}

static SANE_Word to_word(const SANE_Option_Descriptor *d, double v)
{
    if (d->type == SANE_TYPE_FIXED)
        return (SANE_Word)lround(v * 65536.0);
    return (SANE_Word)lround(v);
}

/*
 * The allowed word nearest to want, and whether want lies within the
 * constraint's span (a range's ends, widened by half a step).
 */
static SANE_Word nearest_word(const SANE_Option_Descriptor *d, double want, int *inside)
{
    SANE_Word w = to_word(d, want);
    *inside = 1;
    if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
        const SANE_Range *r = d->constraint.range;
        int64_t half = r->quant > 0 ? r->quant / 2 : 0;
        *inside = (int64_t)w >= (int64_t)r->min - half && (int64_t)w <= (int64_t)r->max + half;
        int64_t v = w < r->min ? r->min : w > r->max ? r->max : w;
        if (r->quant > 0) {
            v = r->min + ((v - r->min + half) / r->quant) * r->quant;
            if (v > r->max)
                v -= r->quant;
        }
        return (SANE_Word)v;
    }
    if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list &&
        d->constraint.word_list[0] > 0) {
        const SANE_Word *l = d->constraint.word_list;
        SANE_Word best = l[1];
        for (SANE_Int i = 2; i <= l[0]; i++)
            if (llabs((int64_t)l[i] - w) < llabs((int64_t)best - w))
                best = l[i];
        return best;
    }
    return w;
}

/* Finds a numeric single-word option the frontend may set now. */
static int numeric_option(const session *s, const char *name, SANE_Int *index,
                          const SANE_Option_Descriptor **d)
{
    int rc = settable_option(s, name, index, d);
    if (rc)
        return rc;
    if (((*d)->type != SANE_TYPE_INT && (*d)->type != SANE_TYPE_FIXED) ||
        (*d)->size != sizeof(SANE_Word))
        return fsk_err_set(s->err, FSK_EDEVICE,
                           "option '%s' of scanner '%s' is not a number", name, s->device);
    return 0;
}

static int set_resolution(session *s, double dpi)
{
    SANE_Int index;
    const SANE_Option_Descriptor *d;
    if (find_option(s, SANE_NAME_SCAN_RESOLUTION, &d) < 0) {
        notice(s, "scanner '%s' has no 'resolution' option; scanning at its own", s->device);
        return 0;
    }
    int rc = numeric_option(s, SANE_NAME_SCAN_RESOLUTION, &index, &d);
    if (rc)
        return rc;
    int inside;
    SANE_Word w = nearest_word(d, dpi, &inside);
    char asked[32], used[32];
    snprintf(asked, sizeof asked, "%g", dpi);
    format_word(d, w, used, sizeof used);
    if (w != to_word(d, dpi))
        notice(s, "resolution: %g dpi is not available on '%s', using %s dpi", dpi,
               s->device, used);
    return apply_option(s, index, SANE_NAME_SCAN_RESOLUTION, &w, asked);
}

/* Whether text contains word, ignoring case. */
static int contains_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (; *text; text++)
        if (strncasecmp(text, word, n) == 0)
            return 1;
    return 0;
}

/* The scan mode the scanner calls color or gray: exact name first, else a
 * list entry containing it ("24bit Color", "True Gray"). */
static const char *pick_mode(const SANE_String_Const *list, fsk_scan_mode mode)
{
    const char *const names[2][3] = {{"Color", "Colour", NULL}, {"Gray", "Grey", "Grayscale"}};
    const char *const *want = names[mode == FSK_SCAN_GRAY];
    for (size_t i = 0; list[i]; i++)
        for (size_t k = 0; k < 3 && want[k]; k++)
            if (strcasecmp(list[i], want[k]) == 0)
                return list[i];
    for (size_t i = 0; list[i]; i++)
        for (size_t k = 0; k < 2; k++)
            if (contains_word(list[i], want[k]) && !contains_word(list[i], "lineart") &&
                !contains_word(list[i], "halftone"))
                return list[i];
    return NULL;
}

static int set_mode(session *s, fsk_scan_mode mode)
{
    SANE_Int index;
    const SANE_Option_Descriptor *d;
    if (find_option(s, SANE_NAME_SCAN_MODE, &d) < 0)
        return 0; /* a scanner with one mode; the frame format tells which */
    int rc = settable_option(s, SANE_NAME_SCAN_MODE, &index, &d);
    if (rc)
        return rc;
    if (d->type != SANE_TYPE_STRING)
        return fsk_err_set(s->err, FSK_EDEVICE, "option 'mode' of scanner '%s' is not text",
                           s->device);
    const char *value = mode == FSK_SCAN_GRAY ? SANE_VALUE_SCAN_MODE_GRAY
                                              : SANE_VALUE_SCAN_MODE_COLOR;
    if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST && d->constraint.string_list) {
        value = pick_mode(d->constraint.string_list, mode);
        if (!value) {
            char list[400];
            format_string_list(d, list, sizeof list);
            return fsk_err_set(s->err, FSK_EINVAL, "scanner '%s' has no %s mode (modes: %s)",
                               s->device, mode == FSK_SCAN_GRAY ? "gray" : "color", list);
        }
    }
    return set_option_text(s, SANE_NAME_SCAN_MODE, value);
}

static int set_depth(session *s, int depth)
{
    const SANE_Option_Descriptor *d;
    if (find_option(s, SANE_NAME_BIT_DEPTH, &d) < 0) {
        if (depth == 8)
            return 0; /* the scanner's only depth; 8 bits is the common one */
        return fsk_err_set(s->err, FSK_EINVAL,
                           "scanner '%s' has no 'depth' option, so no %d-bit scans",
                           s->device, depth);
    }
    char text[8];
    snprintf(text, sizeof text, "%d", depth);
    return set_option_text(s, SANE_NAME_BIT_DEPTH, text);
}

/* Sets one scan-area corner coordinate in millimetres. */
static int set_coordinate(session *s, const char *name, double mm, double dpi)
{
    SANE_Int index;
    const SANE_Option_Descriptor *d;
    if (find_option(s, name, &d) < 0)
        return fsk_err_set(s->err, FSK_EINVAL,
                           "scanner '%s' has no option '%s', so no scan area can be chosen",
                           s->device, name);
    int rc = numeric_option(s, name, &index, &d);
    if (rc)
        return rc;
    double value = mm;
    if (d->unit == SANE_UNIT_PIXEL) {
        if (!(dpi > 0))
            return fsk_err_set(s->err, FSK_EDEVICE,
                               "scanner '%s' gives its scan area in pixels but no resolution",
                               s->device);
        value = mm / 25.4 * dpi;
    } else if (d->unit != SANE_UNIT_MM) {
        return fsk_err_set(s->err, FSK_EDEVICE,
                           "option '%s' of scanner '%s' is in an unknown unit", name,
                           s->device);
    }
    const char *unit = d->unit == SANE_UNIT_MM ? "mm" : "px";
    int inside;
    SANE_Word w = nearest_word(d, value, &inside);
    char asked[32], used[32];
    snprintf(asked, sizeof asked, "%g", value);
    if (!inside) {
        const SANE_Range *r = d->constraint.range;
        char a[32], b[32];
        format_word(d, r->min, a, sizeof a);
        format_word(d, r->max, b, sizeof b);
        return fsk_err_set(s->err, FSK_EINVAL,
                           "scan area: '%s' %s %s is outside what scanner '%s' reaches "
                           "(%s to %s %s)",
                           name, asked, unit, s->device, a, b, unit);
    }
    format_word(d, w, used, sizeof used);
    if (w != to_word(d, value))
        notice(s, "scan area: '%s' %s %s is not available on '%s', using %s %s", name, asked,
               unit, s->device, used, unit);
    return apply_option(s, index, name, &w, asked);
}

static int set_area(session *s, const double a[4])
{
    double dpi = get_number(s, SANE_NAME_SCAN_RESOLUTION);
    const char *names[4] = {SANE_NAME_SCAN_TL_X, SANE_NAME_SCAN_TL_Y, SANE_NAME_SCAN_BR_X,
                            SANE_NAME_SCAN_BR_Y};
    double mm[4] = {a[0], a[1], a[0] + a[2], a[1] + a[3]};
    for (int i = 0; i < 4; i++) {
        int rc = set_coordinate(s, names[i], mm[i], dpi);
        if (rc)
            return rc;
    }
    return 0;
}

static int set_options(session *s)
{
    const fsk_scan_opts *o = s->o;
    int rc = set_mode(s, o->mode);
    if (!rc)
        rc = set_depth(s, o->depth ? o->depth : 8);
    if (!rc)
        rc = set_resolution(s, o->resolution_dpi > 0 ? o->resolution_dpi : 300.0);
    if (!rc && o->has_area)
        rc = set_area(s, o->area_mm);
    for (size_t i = 0; !rc && i < o->set_count; i++) {
        const char *eq = strchr(o->set[i], '=');
        char name[128];
        size_t len = eq ? (size_t)(eq - o->set[i]) : strlen(o->set[i]);
        if (len == 0 || len >= sizeof name)
            return fsk_err_set(s->err, FSK_EINVAL, "'%s' is not NAME=VALUE", o->set[i]);
        memcpy(name, o->set[i], len);
        name[len] = 0;
        rc = set_option_text(s, name, eq ? eq + 1 : NULL);
    }
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

static int frame_params(const session *s, fsk_frame_params *fp)
{
    SANE_Parameters p;
    memset(&p, 0, sizeof p);
    SANE_Status st = fsk_sane->get_parameters(s->h, &p);
    if (st != SANE_STATUS_GOOD)
        return scan_fail(s, st, "cannot read the scan parameters of");
    switch (p.format) {
    case SANE_FRAME_GRAY: fp->format = FSK_FRAME_GRAY; break;
    case SANE_FRAME_RGB: fp->format = FSK_FRAME_RGB; break;
    case SANE_FRAME_RED: fp->format = FSK_FRAME_RED; break;
    case SANE_FRAME_GREEN: fp->format = FSK_FRAME_GREEN; break;
    case SANE_FRAME_BLUE: fp->format = FSK_FRAME_BLUE; break;
    default:
        return fsk_err_set(s->err, FSK_EUNSUPPORTED,
                           "scanner '%s' sends frames of format %d, which filastack does "
                           "not read",
                           s->device, (int)p.format);
    }
    fp->last_frame = p.last_frame;
    fp->bytes_per_line = p.bytes_per_line;
    fp->pixels_per_line = p.pixels_per_line;
    fp->lines = p.lines < 0 ? -1 : p.lines;
    fp->depth = p.depth;
    return 0;
}

static void report_progress(const session *s)
{
    if (s->o->progress)
        s->o->progress(s->o->ctx, s->done, s->total);
}

/* One sane_read, kept apart so that leak checkers can name memory the
 * backend allocates inside it (tests/data/sane/lsan.supp). */
static SANE_Status read_chunk(const session *s, unsigned char *chunk, SANE_Int *len)
{
    return fsk_sane->read(s->h, chunk, READ_CHUNK, len);
}

/* Reads one frame to its end into fr. */
static int read_frame(session *s, fsk_scan_frames *fr, unsigned char *chunk)
{
    for (;;) {
        int rc = check_stop(s);
        if (rc)
            return rc;
        SANE_Int len = 0;
        SANE_Status st = read_chunk(s, chunk, &len);
        if (st == SANE_STATUS_EOF)
            break;
        if (st != SANE_STATUS_GOOD)
            return scan_fail(s, st, "scan failed on");
        if (len <= 0) {
            /* No data yet (a non-blocking backend); do not spin. */
            nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000}, NULL);
            continue;
        }
        if (len > READ_CHUNK)
            return fsk_err_set(s->err, FSK_EDEVICE,
                               "scanner '%s' returned more data than asked for", s->device);
        rc = fsk_scan_frames_feed(fr, chunk, (size_t)len, s->err);
        if (rc)
            return fsk_err_prefix(s->err, "scan failed on '%s'", s->device);
        s->done += (uint64_t)len;
        report_progress(s);
    }
    if (fsk_scan_frames_end(fr, s->err))
        return fsk_err_prefix(s->err, "scan failed on '%s'", s->device);
    return 0;
}

/* sane_start to sane_cancel: every frame of one image. */
static int read_image(session *s, fsk_scan_image *img)
{
    int rc = check_stop(s);
    if (rc)
        return rc;
    fsk_scan_frames *fr = fsk_scan_frames_create(
        s->o->max_bytes ? s->o->max_bytes : FSK_SCAN_DEFAULT_MAX_BYTES);
    unsigned char *chunk = malloc(READ_CHUNK);
    if (!fr || !chunk) {
        fsk_scan_frames_free(fr);
        free(chunk);
        return fsk_err_set(s->err, FSK_ENOMEM, "out of memory");
    }
    SANE_Status st = fsk_sane->start(s->h);
    if (st != SANE_STATUS_GOOD) {
        rc = scan_fail(s, st, "cannot start the scan on");
        goto done;
    }
    for (int frame = 0;; frame++) {
        fsk_frame_params fp;
        rc = frame_params(s, &fp);
        if (rc)
            break;
        if (frame == 0 && fp.lines > 0) {
            int frames = fp.format >= FSK_FRAME_RED && !fp.last_frame ? 3 : 1;
            s->total = (uint64_t)fp.bytes_per_line * (uint64_t)fp.lines * (uint64_t)frames;
        }
        if (frame == 0)
            report_progress(s);
        if (fsk_scan_frames_begin(fr, &fp, s->err)) {
            rc = fsk_err_prefix(s->err, "scan failed on '%s'", s->device);
            break;
        }
        rc = read_frame(s, fr, chunk);
        if (rc || fp.last_frame)
            break;
        st = fsk_sane->start(s->h); /* the next frame of a three-pass scan */
        if (st != SANE_STATUS_GOOD) {
            rc = scan_fail(s, st, "cannot start the next frame on");
            break;
        }
    }
    if (!rc && fsk_scan_frames_finish(fr, img, s->err))
        rc = fsk_err_prefix(s->err, "scan failed on '%s'", s->device);
done:
    /* Ends the scan after the last frame as after an error or a cancel. */
    fsk_sane->cancel(s->h);
    fsk_scan_frames_free(fr);
    free(chunk);
    return rc;
}

/* Picks and opens the device; fills s->device and s->h. */
static int open_device(session *s)
{
    const char *name = s->o->device;
    if (!name || !*name) {
        const SANE_Device **list = NULL;
        SANE_Status st = fsk_sane->get_devices(&list, SANE_FALSE);
        if (st != SANE_STATUS_GOOD)
            return status_fail(s->err, st, "cannot list the scanners");
        if (!list || !list[0])
            return fsk_err_set(s->err, FSK_EDEVICE, "%s", fsk_scan_no_device_msg);
        name = list[0]->name;
    }
    copy_text(s->device, sizeof s->device, name);
    SANE_Status st = fsk_sane->open(s->device, &s->h);
    if (st != SANE_STATUS_GOOD)
        s->h = NULL;
    if (st == SANE_STATUS_INVAL)
        return fsk_err_set(s->err, FSK_EDEVICE,
                           "cannot open scanner '%s': no such scanner (scanimage -L lists "
                           "them)",
                           s->device);
    if (st != SANE_STATUS_GOOD) {
        char context[200];
        snprintf(context, sizeof context, "cannot open scanner '%s'", s->device);
        return status_fail(s->err, st, context);
    }
    return 0;
}

static int check_opts(const fsk_scan_opts *o, fsk_err *err)
{
    if (o->depth != 0 && o->depth != 8 && o->depth != 16)
        return fsk_err_set(err, FSK_EINVAL, "sample depth %d is not 8 or 16", o->depth);
    if (o->mode != FSK_SCAN_COLOR && o->mode != FSK_SCAN_GRAY)
        return fsk_err_set(err, FSK_EINVAL, "unknown scan mode %d", (int)o->mode);
    if (!(o->resolution_dpi >= 0 && o->resolution_dpi <= 100000))
        return fsk_err_set(err, FSK_EINVAL, "resolution %g dpi is out of range",
                           o->resolution_dpi);
    if (o->has_area && !(o->area_mm[0] >= 0 && o->area_mm[1] >= 0 && o->area_mm[2] > 0 &&
                         o->area_mm[3] > 0 && o->area_mm[0] + o->area_mm[2] < 10000 &&
                         o->area_mm[1] + o->area_mm[3] < 10000))
        return fsk_err_set(err, FSK_EINVAL, "scan area must start at 0 or more and have a "
                                            "positive width and height (mm)");
    if (!(o->timeout_s >= 0))
        return fsk_err_set(err, FSK_EINVAL, "timeout must not be negative");
    return 0;
}

int fsk_scan(const fsk_scan_opts *opts, fsk_scan_image *img, fsk_err *err)
{
    memset(img, 0, sizeof *img);
    int rc = check_opts(opts, err);
    if (rc)
        return rc;
    session s = {.o = opts, .err = err};
    clock_gettime(CLOCK_MONOTONIC, &s.started);
    rc = start_sane(err);
    if (rc)
        return rc;
    rc = open_device(&s);
    if (!rc)
        rc = set_options(&s);
    double dpi = rc ? 0 : get_number(&s, SANE_NAME_SCAN_RESOLUTION);
    if (!rc)
        rc = read_image(&s, img);
    if (s.h)
        fsk_sane->close(s.h);
    fsk_sane->exit();
    if (rc) {
        fsk_scan_image_free(img);
        return rc;
    }
    img->dpi = isnan(dpi) ? 0 : dpi;
    copy_text(img->device, sizeof img->device, s.device);
    if ((img->channels == 1) != (opts->mode == FSK_SCAN_GRAY))
        notice(&s, "scanner '%s' sent a %s image: it has no %s mode", s.device,
               img->channels == 1 ? "gray" : "color",
               opts->mode == FSK_SCAN_GRAY ? "gray" : "color");
    return 0;
}
