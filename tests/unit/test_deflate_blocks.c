/*
 * test_deflate_blocks.c — block-parallel deflate: zlib's own inflate gives
 * back the data and its CRC for sizes around the block edges; the bytes
 * are the same for 0..4 worker threads and fed in any pieces; blocks are
 * primed with the data before them (repeats across a cut cost nothing); a
 * sink error stops the stream and the next stream works.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fsk_deflate_blocks.h"
#include "inflate_check.h"
#include "tkit.h"

#define BLOCK FSK_DEFLATE_BLOCK

typedef struct buffer {
    unsigned char *data;
    size_t len, cap;
    size_t fail_after; /* sink fails once this many bytes came; 0: never */
} buffer;

static int sink(void *ctx, const unsigned char *data, size_t n)
{
    buffer *b = ctx;
    if (b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2;
        unsigned char *p = realloc(b->data, cap);
        if (!p)
            return FSK_ENOMEM;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return b->fail_after && b->len >= b->fail_after ? FSK_ELIMIT : 0;
}

static unsigned char *make_text(size_t n)
{
    return model_like_text(n, 7);
}

/* Compresses data in pieces of `step` bytes (0: at once). */
static int deflate_all(int threads, int level, const unsigned char *data, size_t n, size_t step,
                    buffer *out, uint32_t *crc)
{
    fsk_err err = {0};
    fsk_deflate_blocks *d = fsk_deflate_blocks_create(threads, &err);
    if (!d)
        return -1;
    memset(out, 0, sizeof *out);
    fsk_deflate_blocks_begin(d, level, sink, out);
    int rc = 0;
    for (size_t off = 0; off < n && rc == 0;) {
        size_t part = step && step < n - off ? step : n - off;
        rc = fsk_deflate_blocks_write(d, data + off, part);
        off += part;
    }
    if (rc == 0)
        rc = fsk_deflate_blocks_finish(d, crc);
    fsk_deflate_blocks_free(d);
    return rc;
}

static int inflates_to(const buffer *z, const unsigned char *data, size_t n)
{
    return raw_inflates_to(z->data, z->len, data, n);
}

static void test_round_trip_and_thread_independence(void)
{
    const size_t sizes[] = {0, 1, 1000, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK,
                            7 * BLOCK + 12345};
    unsigned char *data = make_text(7 * BLOCK + 12345);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        buffer ref;
        uint32_t ref_crc = 0;
        TKIT_EQ_INT(deflate_all(0, 1, data, n, 0, &ref, &ref_crc), 0);
        TKIT_TRUE(inflates_to(&ref, data, n));
        TKIT_EQ_INT(ref_crc, crc32(0L, data, (uInt)n));
        const int threads[] = {1, 2, 4, 2};
        const size_t steps[] = {0, 7, 65536 + 3, BLOCK};
        for (int k = 0; k < 4; k++) {
            buffer b;
            uint32_t crc = 0;
            TKIT_EQ_INT(deflate_all(threads[k], 1, data, n, steps[k], &b, &crc), 0);
            TKIT_TRUE(b.len == ref.len && memcmp(b.data, ref.data, b.len) == 0);
            TKIT_EQ_INT(crc, ref_crc);
            free(b.data);
        }
        free(ref.data);
    }
    /* Another level: other bytes, still a valid stream. */
    buffer six;
    uint32_t crc = 0;
    TKIT_EQ_INT(deflate_all(2, 6, data, 3 * BLOCK + 5, 4096, &six, &crc), 0);
    TKIT_TRUE(inflates_to(&six, data, 3 * BLOCK + 5));
    free(six.data);
    free(data);
}

/* 16 KiB of noise repeated: each block finds the previous copy in its
 * dictionary, so the whole costs about as much as one stream, not a copy
 * per block. */
static void test_blocks_see_the_data_before_them(void)
{
    const size_t period = 16384, n = 80 * period;
    unsigned char *data = malloc(n);
    uint32_t seed = 99;
    for (size_t i = 0; i < period; i++) {
        seed = seed * 1664525u + 1013904223u;
        data[i] = (unsigned char)(seed >> 24);
    }
    for (size_t i = period; i < n; i++)
        data[i] = data[i - period];
    buffer b;
    uint32_t crc = 0;
    TKIT_EQ_INT(deflate_all(2, 1, data, n, 0, &b, &crc), 0);
    TKIT_TRUE(inflates_to(&b, data, n));
    printf("%zu bytes of repeated noise in %zu blocks: %zu compressed\n", n,
           (n + BLOCK - 1) / BLOCK, b.len);
    /* Unprimed, every block would pay for a whole copy: 5 * 16 KiB. */
    TKIT_TRUE(b.len < 3 * period);
    free(b.data);
    free(data);
}

static void test_sink_error_stops_the_stream(void)
{
    unsigned char *data = make_text(6 * BLOCK);
    for (int threads = 0; threads <= 2; threads++) {
        fsk_err err = {0};
        fsk_deflate_blocks *d = fsk_deflate_blocks_create(threads, &err);
        TKIT_TRUE(d != NULL);
        buffer b = {.fail_after = 1000};
        fsk_deflate_blocks_begin(d, 1, sink, &b);
        int rc = 0;
        for (size_t off = 0; off < 6 * BLOCK && rc == 0; off += 4096)
            rc = fsk_deflate_blocks_write(d, data + off, 4096);
        uint32_t crc;
        int frc = fsk_deflate_blocks_finish(d, &crc);
        TKIT_EQ_INT(frc, FSK_ELIMIT);
        /* The next stream starts clean. */
        buffer ok = {0};
        fsk_deflate_blocks_begin(d, 1, sink, &ok);
        TKIT_EQ_INT(fsk_deflate_blocks_write(d, data, 2 * BLOCK + 3), 0);
        TKIT_EQ_INT(fsk_deflate_blocks_finish(d, &crc), 0);
        TKIT_TRUE(inflates_to(&ok, data, 2 * BLOCK + 3));
        TKIT_EQ_INT(crc, crc32(0L, data, 2 * BLOCK + 3));
        fsk_deflate_blocks_free(d);
        free(b.data);
        free(ok.data);
    }
    fsk_err err = {0};
    TKIT_TRUE(fsk_deflate_blocks_create(17, &err) == NULL);
    TKIT_EQ_INT(err.code, FSK_EINVAL);
    fsk_deflate_blocks_free(NULL);
    free(data);
}

int main(void)
{
    TKIT_RUN(test_round_trip_and_thread_independence);
    TKIT_RUN(test_blocks_see_the_data_before_them);
    TKIT_RUN(test_sink_error_stops_the_stream);
    return TKIT_DONE();
}
