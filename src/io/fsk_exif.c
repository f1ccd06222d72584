/*
 * fsk_exif.c — a bounds-checked reader of IFD0 of the TIFF structure inside
 * an EXIF APP1 segment. Every read goes through get16/get32, which check
 * the position against the end of the TIFF data first.
 */
#include <stdint.h>
#include <string.h>

#include "fsk_error.h"
#include "fsk_exif.h"

enum {
    TAG_ORIENTATION = 0x0112,
    TAG_X_RESOLUTION = 0x011A,
    TAG_Y_RESOLUTION = 0x011B,
    TAG_RESOLUTION_UNIT = 0x0128,
    TYPE_SHORT = 3,
    TYPE_LONG = 4,
    TYPE_RATIONAL = 5
};

typedef struct tiff {
    const unsigned char *p;
    size_t size;
    int big_endian;
} tiff;

static int get16(const tiff *t, size_t pos, unsigned *v)
{
    if (pos > t->size || t->size - pos < 2)
        return -1;
    const unsigned char *b = t->p + pos;
    *v = t->big_endian ? (unsigned)(b[0] << 8 | b[1]) : (unsigned)(b[1] << 8 | b[0]);
    return 0;
}

static int get32(const tiff *t, size_t pos, uint32_t *v)
{
    if (pos > t->size || t->size - pos < 4)
        return -1;
    const unsigned char *b = t->p + pos;
    if (t->big_endian)
        *v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    else
        *v = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
    return 0;
}

/* The value of a SHORT or LONG entry whose value sits in the entry itself. */
static int entry_integer(const tiff *t, size_t entry, unsigned type, uint32_t *v)
{
    if (type == TYPE_SHORT) {
        unsigned s;
        if (get16(t, entry + 8, &s))
            return -1;
        *v = s;
        return 0;
    }
    if (type == TYPE_LONG)
        return get32(t, entry + 8, v);
    return -1;
}

/* A RATIONAL entry's value (stored at an offset) as a double; 0 when its
 * denominator is 0. */
static int entry_rational(const tiff *t, size_t entry, unsigned type, double *v)
{
    uint32_t off, num, den;
    if (type != TYPE_RATIONAL || get32(t, entry + 8, &off) || get32(t, off, &num) ||
        get32(t, (size_t)off + 4, &den))
        return -1;
    *v = den ? (double)num / den : 0;
    return 0;
}

int fsk_exif_parse(const unsigned char *data, size_t size, fsk_exif *out)
{
    memset(out, 0, sizeof *out);
    if (size < 6 || memcmp(data, "Exif\0\0", 6) != 0)
        return FSK_EFORMAT;
    tiff t = {data + 6, size - 6, 0};
    if (t.size < 8)
        return FSK_EFORMAT;
    if (memcmp(t.p, "II*\0", 4) == 0)
        t.big_endian = 0;
    else if (memcmp(t.p, "MM\0*", 4) == 0)
        t.big_endian = 1;
    else
        return FSK_EFORMAT;
    uint32_t ifd;
    unsigned count;
    if (get32(&t, 4, &ifd) || get16(&t, ifd, &count))
        return FSK_EFORMAT;
    double xres = 0, yres = 0;
    uint32_t unit = 2; /* TIFF's default: inches */
    /* count is at most 65535, so the loop is bounded; each entry is checked
     * before it is read. */
    for (unsigned i = 0; i < count; i++) {
        size_t entry = (size_t)ifd + 2 + (size_t)i * 12;
        unsigned tag, type;
        if (get16(&t, entry, &tag) || get16(&t, entry + 2, &type) ||
            entry + 12 > t.size)
            return FSK_EFORMAT;
        uint32_t v;
        switch (tag) {
        case TAG_ORIENTATION:
            if (entry_integer(&t, entry, type, &v) == 0 && v >= 1 && v <= 8)
                out->orientation = (int)v;
            break;
        case TAG_X_RESOLUTION:
            if (entry_rational(&t, entry, type, &xres))
                xres = 0;
            break;
        case TAG_Y_RESOLUTION:
            if (entry_rational(&t, entry, type, &yres))
                yres = 0;
            break;
        case TAG_RESOLUTION_UNIT:
            if (entry_integer(&t, entry, type, &v))
                v = 0;
            unit = v;
            break;
        default:
            break;
        }
    }
    /* Unit 1 means "no absolute unit": the numbers are only an aspect. */
    double per_inch = unit == 2 ? 1.0 : unit == 3 ? 2.54 : 0.0;
    if (xres > 0 && yres > 0 && per_inch > 0 && xres * per_inch <= 1e6 &&
        yres * per_inch <= 1e6) {
        out->dpi_x = xres * per_inch;
        out->dpi_y = yres * per_inch;
    }
    return 0;
}
