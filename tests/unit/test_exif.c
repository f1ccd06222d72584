/*
 * test_exif.c — the EXIF reader on hand-built APP1 payloads, both byte
 * orders, and on hostile ones (offsets past the end, huge counts, every
 * truncation), which must fail cleanly without reading outside the data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_error.h"
#include "fsk_exif.h"
#include "tkit.h"

typedef struct builder {
    unsigned char b[512];
    size_t n;
    int big;
} builder;

static void put8(builder *w, unsigned v) { w->b[w->n++] = (unsigned char)v; }

static void put16(builder *w, unsigned v)
{
    if (w->big) {
        put8(w, v >> 8 & 0xFF);
        put8(w, v & 0xFF);
    } else {
        put8(w, v & 0xFF);
        put8(w, v >> 8 & 0xFF);
    }
}

static void put32(builder *w, uint32_t v)
{
    if (w->big) {
        put16(w, v >> 16);
        put16(w, v & 0xFFFF);
    } else {
        put16(w, v & 0xFFFF);
        put16(w, v >> 16);
    }
}

/* "Exif\0\0" and a TIFF header pointing at an IFD right after it. */
static void header(builder *w, int big, uint32_t ifd_offset)
{
    memset(w, 0, sizeof *w);
    w->big = big;
    memcpy(w->b, "Exif\0\0", 6);
    w->n = 6;
    if (big) {
        memcpy(w->b + 6, "MM\0*", 4);
    } else {
        memcpy(w->b + 6, "II*\0", 4);
    }
    w->n = 10;
    put32(w, ifd_offset);
}

/* An IFD entry whose SHORT value sits left-justified in the value field. */
static void entry_short(builder *w, unsigned tag, unsigned value)
{
    put16(w, tag);
    put16(w, 3);
    put32(w, 1);
    put16(w, value);
    put16(w, 0);
}

static void entry(builder *w, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    put16(w, tag);
    put16(w, type);
    put32(w, count);
    put32(w, value);
}

static void test_big_endian_orientation(void)
{
    builder w;
    header(&w, 1, 8);
    put16(&w, 1);
    entry_short(&w, 0x0112, 6);
    put32(&w, 0);
    fsk_exif e;
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), 0);
    TKIT_EQ_INT(e.orientation, 6);
    TKIT_NEAR(e.dpi_x, 0, 0);
}

static void test_little_endian_with_resolution(void)
{
    builder w;
    header(&w, 0, 8);
    put16(&w, 4);
    /* IFD at TIFF offset 8: 2 + 4*12 + 4 = 54 bytes, so data starts at 62. */
    entry(&w, 0x011A, 5, 1, 62);   /* XResolution 300/1 */
    entry(&w, 0x011B, 5, 1, 70);   /* YResolution 600/2 */
    entry_short(&w, 0x0128, 3);    /* centimetres */
    entry_short(&w, 0x0112, 8);
    put32(&w, 0);
    TKIT_EQ_INT(w.n - 6, 62);
    put32(&w, 300);
    put32(&w, 1);
    put32(&w, 600);
    put32(&w, 2);
    fsk_exif e;
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), 0);
    TKIT_EQ_INT(e.orientation, 8);
    TKIT_NEAR(e.dpi_x, 762.0, 1e-9); /* 300 per cm */
    TKIT_NEAR(e.dpi_y, 762.0, 1e-9);
}

static void test_resolution_default_unit_is_inch(void)
{
    builder w;
    header(&w, 1, 8);
    put16(&w, 2);
    entry(&w, 0x011A, 5, 1, 38);
    entry(&w, 0x011B, 5, 1, 38);
    put32(&w, 0);
    put32(&w, 72);
    put32(&w, 1);
    fsk_exif e;
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), 0);
    TKIT_EQ_INT(e.orientation, 0);
    TKIT_NEAR(e.dpi_x, 72.0, 1e-9);
}

static void test_bad_values_are_ignored(void)
{
    builder w;
    header(&w, 1, 8);
    put16(&w, 4);
    entry_short(&w, 0x0112, 9);               /* out of range */
    entry(&w, 0x011A, 5, 1, 0xFFFFFFFCu);     /* rational past the end (and near 2^32) */
    entry(&w, 0x011B, 5, 1, 0xFFFFFFFFu);
    entry_short(&w, 0x0128, 1);               /* no absolute unit */
    put32(&w, 0);
    fsk_exif e;
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), 0);
    TKIT_EQ_INT(e.orientation, 0);
    TKIT_NEAR(e.dpi_x, 0, 0);

    header(&w, 0, 8);
    put16(&w, 1);
    entry(&w, 0x0112, 5, 1, 3); /* orientation as a RATIONAL: wrong type */
    put32(&w, 0);
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), 0);
    TKIT_EQ_INT(e.orientation, 0);

    header(&w, 0, 8);
    put16(&w, 1);
    entry(&w, 0x0112, 4, 1, 5); /* as a LONG: accepted */
    put32(&w, 0);
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), 0);
    TKIT_EQ_INT(e.orientation, 5);
}

static void test_hostile_structure(void)
{
    builder w;
    fsk_exif e;
    /* IFD offset past the end, and one that would wrap a 32-bit sum. */
    header(&w, 1, 4000);
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), FSK_EFORMAT);
    header(&w, 0, 0xFFFFFFFFu);
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), FSK_EFORMAT);
    /* 65535 entries announced, one present: stops at the end. */
    header(&w, 1, 8);
    put16(&w, 0xFFFF);
    entry_short(&w, 0x0112, 3);
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), FSK_EFORMAT);
    TKIT_EQ_INT(e.orientation, 3); /* what was read before the problem */
    /* An IFD at offset 0 reads "MM" as a count of 19789 entries, which do
     * not fit. */
    header(&w, 1, 0);
    TKIT_EQ_INT(fsk_exif_parse(w.b, w.n, &e), FSK_EFORMAT);
    /* Not EXIF, bad byte order mark, too short. */
    TKIT_EQ_INT(fsk_exif_parse((const unsigned char *)"JFIF\0\0MM\0*\0\0\0\x08", 14, &e),
                FSK_EFORMAT);
    TKIT_EQ_INT(fsk_exif_parse((const unsigned char *)"Exif\0\0IM\0*\0\0\0\x08", 14, &e),
                FSK_EFORMAT);
    TKIT_EQ_INT(fsk_exif_parse((const unsigned char *)"Exif\0\0MM", 8, &e), FSK_EFORMAT);
    TKIT_EQ_INT(fsk_exif_parse((const unsigned char *)"", 0, &e), FSK_EFORMAT);
}

/* Every prefix of a valid payload, each copied to a buffer of exactly that
 * size so AddressSanitizer sees any read past it. */
static void test_every_truncation(void)
{
    builder w;
    header(&w, 0, 8);
    put16(&w, 2);
    entry(&w, 0x011A, 5, 1, 38);
    entry_short(&w, 0x0112, 7);
    put32(&w, 0);
    put32(&w, 96);
    put32(&w, 1);
    size_t orientation_end = 6 + 8 + 2 + 24; /* the orientation entry is complete here */
    for (size_t n = 0; n <= w.n; n++) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, w.b, n);
        fsk_exif e;
        int rc = fsk_exif_parse(copy, n, &e);
        if (n < orientation_end) {
            TKIT_EQ_INT(rc, FSK_EFORMAT);
            TKIT_EQ_INT(e.orientation, 0);
        } else {
            TKIT_EQ_INT(e.orientation, 7);
        }
        free(copy);
    }
}

int main(void)
{
    TKIT_RUN(test_big_endian_orientation);
    TKIT_RUN(test_little_endian_with_resolution);
    TKIT_RUN(test_resolution_default_unit_is_inch);
    TKIT_RUN(test_bad_values_are_ignored);
    TKIT_RUN(test_hostile_structure);
    TKIT_RUN(test_every_truncation);
    return TKIT_DONE();
}
