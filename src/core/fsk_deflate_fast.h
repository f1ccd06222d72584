/*
 * fsk_deflate_fast.h — a fast raw deflate encoder (RFC 1951) for long
 * machine-written text such as the 3MF model: greedy LZ77 over a hash
 * table of the last position of each 4-byte string, then per block the
 * cheapest of a dynamic Huffman, the fixed Huffman or a stored block.
 *
 * It compresses one piece of a stream at a time: the piece's data may be
 * preceded by up to 32 KiB that matches reach back into (the data of the
 * previous piece), and each piece ends on a byte boundary, either with an
 * empty stored block (as zlib's Z_SYNC_FLUSH) or, for the last piece, with
 * the final block, so pieces compressed apart concatenate into one stream.
 * The output depends only on the data.
 */
#ifndef FSK_DEFLATE_FAST_H
#define FSK_DEFLATE_FAST_H

#include <stdbool.h>
#include <stddef.h>

/* The window deflate matches may reach back: 32 KiB. */
#define FSK_DEFLATE_WINDOW 32768

/* The longest piece (dictionary included) fsk_deflate_fast_piece takes. */
#define FSK_DEFLATE_FAST_MAX ((size_t)1 << 30)

typedef struct fsk_deflate_fast fsk_deflate_fast;

/* An encoder's working memory (about 0.3 MiB), reused from piece to
 * piece; NULL when memory is short. Caller frees with
 * fsk_deflate_fast_free. */
fsk_deflate_fast *fsk_deflate_fast_create(void);

/* Frees z; NULL is a no-op. */
void fsk_deflate_fast_free(fsk_deflate_fast *z);

/* The most bytes fsk_deflate_fast_piece writes for len bytes of data. */
size_t fsk_deflate_fast_bound(size_t len);

/*
 * Compresses data[dict .. dict + len) into out (room for
 * fsk_deflate_fast_bound(len) bytes), matches reaching back into
 * data[0 .. dict) as well (dict at most FSK_DEFLATE_WINDOW; dict + len at
 * most FSK_DEFLATE_FAST_MAX). `last` ends the stream with the final block;
 * otherwise the piece ends with an empty stored block. Returns the number
 * of bytes written.
 */
size_t fsk_deflate_fast_piece(fsk_deflate_fast *z, const unsigned char *data, size_t dict,
                              size_t len, bool last, unsigned char *out);

#endif
