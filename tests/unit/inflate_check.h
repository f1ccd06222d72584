/*
 * inflate_check.h — for the deflate tests: text shaped like the 3MF model,
 * and zlib's own raw inflate as the judge of a compressed stream.
 */
#ifndef INFLATE_CHECK_H
#define INFLATE_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* n bytes of vertex lines with pseudo-random numbers (caller frees). */
static unsigned char *model_like_text(size_t n, uint32_t seed)
{
    unsigned char *d = malloc(n ? n : 1);
    for (size_t i = 0; i < n;) {
        char line[64];
        seed = seed * 1664525u + 1013904223u;
        int k = snprintf(line, sizeof line, "<vertex x=\"%u.%u\" y=\"%u\"/>\n",
                         seed >> 20, seed & 0xFF, (seed >> 8) & 0xFFF);
        for (int j = 0; j < k && i < n; j++)
            d[i++] = (unsigned char)line[j];
    }
    return d;
}

/* Raw inflate with zlib; true when z (zlen bytes) gives back exactly the
 * n bytes of data and nothing follows the final block. */
static int raw_inflates_to(unsigned char *z, size_t zlen, const unsigned char *data, size_t n)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -15) != Z_OK)
        return 0;
    unsigned char *back = malloc(n + 16);
    s.next_in = z;
    s.avail_in = (uInt)zlen;
    s.next_out = back;
    s.avail_out = (uInt)(n + 16);
    int zr = inflate(&s, Z_FINISH);
    int ok = zr == Z_STREAM_END && s.total_out == n && s.avail_in == 0 &&
             memcmp(back, data, n) == 0;
    inflateEnd(&s);
    free(back);
    return ok;
}

#endif
