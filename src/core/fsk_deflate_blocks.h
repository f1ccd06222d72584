/*
 * fsk_deflate_blocks.h — raw deflate of a long byte stream in independent
 * blocks, compressed by worker threads and delivered in order.
 *
 * The stream is cut into blocks of FSK_DEFLATE_BLOCK bytes. Each block is
 * deflated on its own, primed with the 32 KiB before it as the dictionary
 * (so matches still reach back across the cut), and ends with a sync flush,
 * the last with the final block: the concatenation is one valid raw
 * deflate stream (the scheme of pigz). The output depends only on the data
 * and the level, never on the number of threads or their timing.
 *
 * The CRC-32 of the data is computed alongside, per block, and combined.
 * Compressed bytes are handed to the caller's sink in stream order, always
 * on the caller's thread, from within fsk_deflate_blocks_write and
 * fsk_deflate_blocks_finish.
 */
#ifndef FSK_DEFLATE_BLOCKS_H
#define FSK_DEFLATE_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"

#define FSK_DEFLATE_BLOCK (512 * 1024)

typedef struct fsk_deflate_blocks fsk_deflate_blocks;

/* Receives compressed bytes in order; returns 0, or a negative FSK_E* code
 * to stop the stream (that code is then returned by write and finish). */
typedef int (*fsk_deflate_sink)(void *ctx, const unsigned char *data, size_t n);

/*
 * A compressor with `threads` worker threads (0: compress on the caller's
 * thread; at most 16). Returns NULL when memory or threads are short (err
 * says which). Caller frees with fsk_deflate_blocks_free.
 */
fsk_deflate_blocks *fsk_deflate_blocks_create(int threads, fsk_err *err);

/* Starts a stream at deflate level 1..9 into sink: level 1 is the fast
 * encoder (fsk_deflate_fast), 2..9 are zlib's levels. The previous stream
 * must have been finished (or have failed). */
void fsk_deflate_blocks_begin(fsk_deflate_blocks *d, int level, fsk_deflate_sink sink,
                              void *ctx);

/* Adds n bytes. Returns 0, the sink's code, FSK_ENOMEM or FSK_EINVAL
 * (zlib refused); after an error the stream is dead until the next begin. */
int fsk_deflate_blocks_write(fsk_deflate_blocks *d, const void *data, size_t n);

/* Ends the stream: the rest is compressed and delivered; *crc receives
 * the CRC-32 of all the data. Errors as for write. */
int fsk_deflate_blocks_finish(fsk_deflate_blocks *d, uint32_t *crc);

/* Stops the workers and frees d; NULL is a no-op. */
void fsk_deflate_blocks_free(fsk_deflate_blocks *d);

#endif
