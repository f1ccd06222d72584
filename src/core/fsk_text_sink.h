/*
 * fsk_text_sink.h — buffered text output into one ZIP entry, with the
 * number and XML-escape formatting the 3MF writer needs.
 *
 * Text is collected in a fixed buffer and handed to the deflate stream
 * whenever it fills, so a document of any size is written in constant
 * memory. The put functions return nothing: the first error is kept in
 * the sink and reported by fsk_sink_end, and everything after it is
 * dropped.
 */
#ifndef FSK_TEXT_SINK_H
#define FSK_TEXT_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fsk_error.h"
#include "fsk_zip_write.h"

#define FSK_SINK_BUF (64 * 1024)

typedef struct fsk_text_sink {
    fsk_zip *zip;   /* borrowed */
    fsk_err *err;   /* borrowed, receives the first error */
    int rc;         /* first error code, 0 while all is well */
    size_t len;
    char buf[FSK_SINK_BUF];
} fsk_text_sink;

/*
 * Starts the entry name in zip, deflated at level (FSK_ZIP_DEFLATE, or
 * FSK_ZIP_FAST for large documents), and points sink at it (sink is caller
 * storage; about 64 KiB, so not for the stack). Returns 0 or the error of
 * fsk_zip_begin.
 */
int fsk_sink_begin(fsk_text_sink *sink, fsk_zip *zip, const char *name, int level,
                   fsk_err *err);

/* Appends n bytes / a NUL-terminated string. */
void fsk_sink_put(fsk_text_sink *sink, const char *text, size_t n);
void fsk_sink_str(fsk_text_sink *sink, const char *text);

/*
 * Appends text for XML text and attributes: &, <, >, " and ' escaped,
 * control characters as spaces, bytes that are not valid UTF-8 as '?'.
 */
void fsk_sink_xml(fsk_text_sink *sink, const char *text);

/* Appends an unsigned decimal. */
void fsk_sink_uint(fsk_text_sink *sink, uint64_t v);

/*
 * For writers that put a line at a time: fsk_sink_room returns where n
 * more bytes (n <= FSK_SINK_BUF) can be written, or NULL after an error;
 * fsk_sink_wrote then takes the text up to end as written.
 */
char *fsk_sink_room(fsk_text_sink *sink, size_t n);
static inline void fsk_sink_wrote(fsk_text_sink *sink, const char *end)
{
    sink->len = (size_t)(end - sink->buf);
}

/* Writes the decimal digits of v (at most 20) at p; returns their end. */
char *fsk_put_uint(char *p, uint64_t v);

/* Writes the string literal lit at p and moves p past it. */
#define FSK_PUT_LITERAL(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) += sizeof(lit) - 1)

/* Appends a length in millimetres as fsk_format_mm formats it. */
void fsk_sink_mm(fsk_text_sink *sink, double v_mm);

/* Appends printf-formatted text of at most 1023 bytes (for small things). */
void fsk_sink_printf(fsk_text_sink *sink, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Flushes the buffer and ends the entry; returns the first error or 0. */
int fsk_sink_end(fsk_text_sink *sink);

/*
 * Formats v (millimetres) in fixed point rounded to 6 decimals (1 nm),
 * without trailing zeros or a trailing '.', and "-0" as "0": 12.3 gives
 * "12.3", 0.08*3 gives "0.24", -1e-9 gives "0". Deterministic and exact for
 * |v| < 1e9; larger or non-finite values fall back to "%.6g". Writes at
 * most 32 bytes plus a NUL; returns the length.
 */
int fsk_format_mm(double v, char out[33]);

#endif
