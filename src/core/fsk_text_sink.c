/*
 * fsk_text_sink.c — buffered, formatted text streamed into a ZIP entry.
 * Integers and millimetres have their own formatters: a million-triangle
 * model is tens of millions of numbers, and printf is the slow part.
 */
#include "fsk_text_sink.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fsk_sink_begin(fsk_text_sink *sink, fsk_zip *zip, const char *name, int level,
                   fsk_err *err)
{
    sink->zip = zip;
    sink->err = err;
    sink->len = 0;
    sink->rc = fsk_zip_begin(zip, name, level, err);
    return sink->rc;
}

static void flush(fsk_text_sink *sink)
{
    if (sink->rc == 0 && sink->len)
        sink->rc = fsk_zip_write(sink->zip, sink->buf, sink->len, sink->err);
    sink->len = 0;
}

/* Makes room for n more bytes (n <= FSK_SINK_BUF); false after an error. */
static int reserve(fsk_text_sink *sink, size_t n)
{
    if (sink->len + n > FSK_SINK_BUF)
        flush(sink);
    return sink->rc == 0;
}

void fsk_sink_put(fsk_text_sink *sink, const char *text, size_t n)
{
    while (n > 0 && sink->rc == 0) {
        if (sink->len == FSK_SINK_BUF)
            flush(sink);
        size_t room = FSK_SINK_BUF - sink->len;
        size_t part = n < room ? n : room;
        memcpy(sink->buf + sink->len, text, part);
        sink->len += part;
        text += part;
        n -= part;
    }
}

void fsk_sink_str(fsk_text_sink *sink, const char *text)
{
    fsk_sink_put(sink, text, strlen(text));
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if it is not one. */
static int utf8_length(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
          : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    /* Overlong forms, surrogates and code points past U+10FFFF are refused. */
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (int i = 1; i < n; i++) {
        if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return n;
}

void fsk_sink_xml(fsk_text_sink *sink, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        const char *esc = NULL;
        switch (*p) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&apos;"; break;
        default: break;
        }
        int n = utf8_length(p);
        if (esc)
            fsk_sink_str(sink, esc);
        else if (n == 0 || *p < 0x20)
            fsk_sink_put(sink, n == 0 ? "?" : " ", 1); /* not allowed in XML */
        else
            fsk_sink_put(sink, (const char *)p, (size_t)n);
        p += n ? n : 1;
    }
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

/* Writes the decimal digits of v ending just before end, two at a time,
 * in 32-bit arithmetic once what is left fits; returns the start. */
static char *digits_before(char *end, uint64_t v)
{
    for (; v > UINT32_MAX; v /= 100) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * (v % 100), 2);
    }
    uint32_t w = (uint32_t)v;
    for (; w >= 100; w /= 100) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * (w % 100), 2);
    }
    if (w >= 10) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * w, 2);
    } else {
        *--end = (char)('0' + w);
    }
    return end;
}

/* The number of decimal digits of v: from its bit length (1233 / 4096
 * just above log10 2), one less when below that power of ten. */
static int decimal_digits(uint64_t v)
{
    static const uint64_t pow10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull,
                                       1000000ull, 10000000ull, 100000000ull, 1000000000ull,
                                       10000000000ull, 100000000000ull, 1000000000000ull,
                                       10000000000000ull, 100000000000000ull,
                                       1000000000000000ull, 10000000000000000ull,
                                       100000000000000000ull, 1000000000000000000ull,
                                       10000000000000000000ull};
    int t = (64 - __builtin_clzll(v | 1)) * 1233 >> 12;
    return t + 1 - (t > 0 && v < pow10[t]);
}

char *fsk_put_uint(char *p, uint64_t v)
{
    int n = decimal_digits(v);
    digits_before(p + n, v);
    return p + n;
}

char *fsk_sink_room(fsk_text_sink *sink, size_t n)
{
    return reserve(sink, n) ? sink->buf + sink->len : NULL;
}

void fsk_sink_uint(fsk_text_sink *sink, uint64_t v)
{
    char *p = fsk_sink_room(sink, 20);
    if (p)
        fsk_sink_wrote(sink, fsk_put_uint(p, v));
}

int fsk_format_mm(double v, char out[33])
{
    if (!isfinite(v) || fabs(v) >= 1e9)
        return snprintf(out, 33, "%.6g", v);
    /* Round half away from zero at 1e-6; integers keep it exact. */
    double scaled = v * 1e6;
    int neg = scaled < 0;
    uint64_t units = (uint64_t)((neg ? -scaled : scaled) + 0.5);
    if (units == 0)
        neg = 0;
    char tmp[32];
    char *end = tmp + sizeof tmp;
    uint64_t frac = units % 1000000, whole = units / 1000000;
    char *p = end;
    if (frac) {
        int w = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            w--;
        }
        for (int i = 0; i < w; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    p = digits_before(p, whole);
    if (neg)
        *--p = '-';
    int n = (int)(end - p);
    memcpy(out, p, (size_t)n);
    out[n] = '\0';
    return n;
}

void fsk_sink_mm(fsk_text_sink *sink, double v_mm)
{
    if (!reserve(sink, 33))
        return;
    char tmp[33];
    int n = fsk_format_mm(v_mm, tmp);
    memcpy(sink->buf + sink->len, tmp, (size_t)n);
    sink->len += (size_t)n;
}

void fsk_sink_printf(fsk_text_sink *sink, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    fsk_sink_put(sink, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

int fsk_sink_end(fsk_text_sink *sink)
{
    flush(sink);
    if (sink->rc == 0)
        sink->rc = fsk_zip_end_entry(sink->zip, sink->err);
    return sink->rc;
}
