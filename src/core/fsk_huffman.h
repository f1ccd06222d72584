/*
 * fsk_huffman.h — length-limited Huffman codes for deflate (RFC 1951):
 * code lengths from symbol frequencies, and the canonical codes of those
 * lengths, bit-reversed for deflate's least-significant-bit-first order.
 */
#ifndef FSK_HUFFMAN_H
#define FSK_HUFFMAN_H

#include <stdint.h>

/* The most symbols a deflate alphabet has (literal/length: 286 used of
 * 288). */
#define FSK_HUFFMAN_MAX_SYMBOLS 288

/*
 * Code lengths for count symbols (count <= FSK_HUFFMAN_MAX_SYMBOLS) of the
 * given frequencies, none longer than max_len (7 or 15 in deflate; 2^max_len
 * must be at least count). A symbol of frequency 0 gets length 0. Fewer
 * than two used symbols are padded with the lowest unused ones, so every
 * code has at least two codes of length 1 or more (what decoders such as
 * zlib's require). The code is optimal when no length had to be cut, and
 * complete (Kraft sum exactly 1) always. Ties are broken by symbol number:
 * the result depends only on the input.
 */
void fsk_huffman_lengths(const uint32_t *freq, int count, int max_len, uint8_t *len);

/*
 * The canonical code of each symbol from its length (RFC 1951 3.2.2),
 * bit-reversed so that it can be written least significant bit first.
 * Lengths are at most 15; symbols of length 0 get code 0.
 */
void fsk_huffman_codes(const uint8_t *len, int count, uint16_t *code);

#endif
