/*
 * test_crc32.c — fsk_crc32 gives zlib's crc32: every length from 0 to
 * 3000 at three alignments (short pieces, the folding loop, and the tail
 * past the last 16 bytes), from 0 and from another start value, chained
 * over uneven pieces, and over 4 MiB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "fsk_crc32.h"
#include "tkit.h"

static unsigned char *noise(size_t n)
{
    unsigned char *d = malloc(n);
    uint32_t s = 1;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        d[i] = (unsigned char)(s >> 24);
    }
    return d;
}

static void test_every_length(void)
{
    unsigned char *d = noise(3100);
    long differ = 0, cases = 0;
    for (size_t len = 0; len <= 3000; len++)
        for (int off = 0; off < 3; off++, cases += 2) {
            differ += fsk_crc32(0, d + off, len) != (uint32_t)crc32(0, d + off, (uInt)len);
            differ += fsk_crc32(0xDEADBEEF, d + off, len) !=
                      (uint32_t)crc32(0xDEADBEEF, d + off, (uInt)len);
        }
    TKIT_EQ_INT(differ, 0);
    TKIT_EQ_INT(cases, 3001 * 3 * 2);
    free(d);
}

static void test_chained_and_large(void)
{
    size_t n = (size_t)4 << 20;
    unsigned char *d = noise(n);
    uint32_t whole = (uint32_t)crc32(0, d, (uInt)n);
    TKIT_EQ_INT(fsk_crc32(0, d, n), whole);
    uint32_t c = 0;
    size_t at = 0, piece = 1;
    while (at < n) {
        size_t k = n - at < piece ? n - at : piece;
        c = fsk_crc32(c, d + at, k);
        at += k;
        piece = piece * 3 + 7;
    }
    TKIT_EQ_INT(c, whole);
    free(d);
}

int main(void)
{
    TKIT_RUN(test_every_length);
    TKIT_RUN(test_chained_and_large);
    return TKIT_DONE();
}
