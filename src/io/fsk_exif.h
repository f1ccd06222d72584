/*
 * fsk_exif.h — the few EXIF fields filastack uses, read from a JPEG APP1
 * segment by a small bounds-checked TIFF parser (both byte orders).
 *
 * Only IFD0 is read: Orientation (0x0112), XResolution (0x011A),
 * YResolution (0x011B) and ResolutionUnit (0x0128). Every offset is checked
 * against the segment size, so hostile data can never make the parser read
 * outside it, and the work is bounded by the segment size.
 */
#ifndef FSK_EXIF_H
#define FSK_EXIF_H

#include <stddef.h>

typedef struct fsk_exif {
    int orientation;     /* 1..8; 0 when absent or out of range */
    double dpi_x, dpi_y; /* from X/YResolution and ResolutionUnit; 0 when unknown */
} fsk_exif;

/*
 * Parses an APP1 payload (the bytes after the marker length, starting with
 * "Exif\0\0"). Fills *out (fields that are missing stay 0) and returns 0, or
 * returns FSK_EFORMAT when the payload is not EXIF or its TIFF header or
 * IFD0 is malformed (*out then holds what was read before the problem).
 */
int fsk_exif_parse(const unsigned char *data, size_t size, fsk_exif *out);

#endif
