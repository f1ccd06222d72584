/*
 * test_deflate_fast.c — the fast deflate encoder and its Huffman codes:
 * lengths within the limit and complete (Kraft sum 1) also when the limit
 * cuts a deep tree, optimal when it does not, RFC 1951's canonical code
 * example; zlib's inflate gives back text, noise, zeros and sizes around
 * the stored-block limit, whole or in pieces primed with the data before
 * them; each of the three block kinds is chosen where it is cheapest; the
 * output stays within the bound and is the same every time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_deflate_fast.h"
#include "fsk_huffman.h"
#include "inflate_check.h"
#include "tkit.h"

/* Sum of 2^(max - len) over the used symbols: 2^max for a complete code. */
static uint32_t kraft(const uint8_t *len, int n, int max)
{
    uint32_t sum = 0;
    for (int s = 0; s < n; s++)
        if (len[s])
            sum += 1u << (max - len[s]);
    return sum;
}

static void test_huffman_lengths(void)
{
    /* Fibonacci frequencies make a tree 29 deep: the limit must cut it. */
    uint32_t fib[30];
    uint8_t len[30];
    fib[0] = fib[1] = 1;
    for (int s = 2; s < 30; s++)
        fib[s] = fib[s - 1] + fib[s - 2];
    fsk_huffman_lengths(fib, 30, 15, len);
    int deepest = 0;
    for (int s = 0; s < 30; s++) {
        TKIT_TRUE(len[s] >= 1 && len[s] <= 15);
        deepest = len[s] > deepest ? len[s] : deepest;
        if (s > 0)
            TKIT_TRUE(len[s] <= len[s - 1]); /* commoner, never longer */
    }
    TKIT_EQ_INT(deepest, 15);
    TKIT_EQ_INT(kraft(len, 30, 15), 1u << 15);
    /* Same with the 7-bit limit of the code-length code. */
    fsk_huffman_lengths(fib, 19, 7, len);
    TKIT_EQ_INT(kraft(len, 19, 7), 1u << 7);

    /* Uncut: the optimal lengths; unused symbols get none. */
    const uint32_t freq[6] = {4, 0, 1, 1, 2, 0};
    fsk_huffman_lengths(freq, 6, 15, len);
    const uint8_t want[6] = {1, 0, 3, 3, 2, 0};
    TKIT_TRUE(memcmp(len, want, 6) == 0);

    /* One used symbol, or none: two codes of one bit all the same. */
    const uint32_t one[4] = {0, 0, 9, 0};
    fsk_huffman_lengths(one, 4, 15, len);
    TKIT_TRUE(len[0] == 1 && len[1] == 0 && len[2] == 1 && len[3] == 0);
    const uint32_t none[3] = {0, 0, 0};
    fsk_huffman_lengths(none, 3, 15, len);
    TKIT_TRUE(len[0] == 1 && len[1] == 1 && len[2] == 0);
}

static uint16_t bits_of(const char *msb_first)
{
    uint16_t v = 0;
    for (const char *p = msb_first; *p; p++)
        v = (uint16_t)(v << 1 | (*p == '1'));
    return v;
}

static uint16_t reverse(uint16_t v, int n)
{
    uint16_t r = 0;
    for (int i = 0; i < n; i++, v >>= 1)
        r = (uint16_t)(r << 1 | (v & 1));
    return r;
}

/* RFC 1951 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) for A..H. */
static void test_canonical_codes(void)
{
    const uint8_t len[8] = {3, 3, 3, 3, 3, 2, 4, 4};
    const char *const want[8] = {"010", "011", "100", "101", "110", "00", "1110", "1111"};
    uint16_t code[8];
    fsk_huffman_codes(len, 8, code);
    for (int s = 0; s < 8; s++)
        TKIT_EQ_INT(code[s], reverse(bits_of(want[s]), len[s]));
}

static unsigned char *make_text(size_t n)
{
    return model_like_text(n, 11);
}

static unsigned char *make_noise(size_t n, uint32_t seed)
{
    unsigned char *d = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        d[i] = (unsigned char)(seed >> 24);
    }
    return d;
}

/* Compresses data in pieces of `piece` bytes (0: whole), each primed with
 * up to 32 KiB before it; returns the stream (caller frees), *len its
 * size, and checks every piece against the bound. */
static unsigned char *compress_pieces(const unsigned char *data, size_t n, size_t piece,
                                      size_t *len)
{
    fsk_deflate_fast *z = fsk_deflate_fast_create();
    TKIT_TRUE(z != NULL);
    size_t step = piece ? piece : n;
    unsigned char *out = malloc(fsk_deflate_fast_bound(n) + (n / (step ? step : 1) + 1) * 64);
    size_t o = 0, off = 0;
    do {
        size_t part = n - off < step ? n - off : step;
        size_t dict = off < FSK_DEFLATE_WINDOW ? off : FSK_DEFLATE_WINDOW;
        size_t got = fsk_deflate_fast_piece(z, data + off - dict, dict, part, off + part == n,
                                            out + o);
        TKIT_TRUE(got <= fsk_deflate_fast_bound(part));
        o += got;
        off += part;
    } while (off < n);
    fsk_deflate_fast_free(z);
    *len = o;
    return out;
}

static int inflates_to(unsigned char *z, size_t zlen, const unsigned char *data, size_t n)
{
    return raw_inflates_to(z, zlen, data, n);
}

static void round_trip(const char *what, const unsigned char *data, size_t n, size_t piece,
                       double max_ratio)
{
    size_t len;
    unsigned char *z = compress_pieces(data, n, piece, &len);
    int ok = inflates_to(z, len, data, n);
    TKIT_TRUE(ok);
    if (!ok || (n && (double)len > max_ratio * (double)n))
        fprintf(stderr, "%s, %zu bytes in pieces of %zu: %zu compressed\n", what, n, piece, len);
    if (n)
        TKIT_TRUE((double)len <= max_ratio * (double)n);
    /* The same bytes every time. */
    size_t again_len;
    unsigned char *again = compress_pieces(data, n, piece, &again_len);
    TKIT_TRUE(again_len == len && memcmp(again, z, len) == 0);
    free(again);
    free(z);
}

static void test_round_trips(void)
{
    const size_t big = 3 * 512 * 1024 + 777;
    unsigned char *text = make_text(big), *noise = make_noise(big, 5);
    unsigned char *zeros = calloc(1, big);
    const size_t pieces[] = {0, 512 * 1024, 40000, 4096};
    for (int k = 0; k < 4; k++) {
        round_trip("text", text, big, pieces[k], 0.30);
        round_trip("noise", noise, big, pieces[k], 1.01);
        round_trip("zeros", zeros, big, pieces[k], 0.01);
    }
    /* Around the stored-block limit, and tiny sizes. */
    const size_t sizes[] = {0, 1, 2, 3, 4, 5, 65534, 65535, 65536, 131071, 131072, 131073};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        round_trip("noise", noise, sizes[i], 0, 1.01 + 16.0 / (double)(sizes[i] + 1));
        round_trip("text", text, sizes[i], 0, 1.01 + 16.0 / (double)(sizes[i] + 1));
    }
    free(text);
    free(noise);
    free(zeros);
}

/* Type of the first block: 0 stored, 1 fixed, 2 dynamic Huffman. */
static int first_block_type(const unsigned char *data, size_t n)
{
    size_t len;
    unsigned char *z = compress_pieces(data, n, 0, &len);
    int type = z[0] >> 1 & 3;
    TKIT_TRUE(inflates_to(z, len, data, n));
    free(z);
    return type;
}

static void test_cheapest_block_kind(void)
{
    unsigned char *noise = make_noise(100000, 9), *text = make_text(100000);
    const unsigned char hello[] = "hello, hello, hello";
    TKIT_EQ_INT(first_block_type(noise, 100000), 0);
    TKIT_EQ_INT(first_block_type(hello, sizeof hello - 1), 1);
    TKIT_EQ_INT(first_block_type(text, 100000), 2);
    free(noise);
    free(text);
}

/* A piece primed with the data before it finds repeats there: 16 KiB of
 * noise then the same again costs about one copy, not two. */
static void test_dictionary(void)
{
    unsigned char *d = make_noise(32768, 3);
    memcpy(d + 16384, d, 16384);
    fsk_deflate_fast *z = fsk_deflate_fast_create();
    unsigned char *out = malloc(fsk_deflate_fast_bound(16384));
    size_t primed = fsk_deflate_fast_piece(z, d, 16384, 16384, true, out);
    size_t cold = fsk_deflate_fast_piece(z, d + 16384, 0, 16384, true, out);
    TKIT_TRUE(primed < 1000);
    TKIT_TRUE(cold > 16000);
    fsk_deflate_fast_free(z);
    fsk_deflate_fast_free(NULL);
    free(out);
    free(d);
}

/* Markup around numbers, as in a 3MF model: vertices and triangles whose
 * indices wander slowly. */
static size_t make_markup(unsigned char *d, size_t cap)
{
    uint32_t seed = 7, base = 1000;
    size_t n = 0;
    while (n + 80 < cap) {
        seed = seed * 1664525u + 1013904223u;
        uint32_t r = seed >> 16;
        if ((r & 3) == 0) {
            n += (size_t)snprintf((char *)d + n, cap - n,
                                  "<vertex x=\"%u.%u\" y=\"%u.%u\" z=\"0.64\"/>\n", (r >> 2) % 200,
                                  (r >> 5) % 10, (r >> 8) % 133, (r >> 11) % 10);
        } else {
            base += (r >> 2) % 3;
            n += (size_t)snprintf((char *)d + n, cap - n,
                                  "<triangle v1=\"%u\" v2=\"%u\" v3=\"%u\"/>\n", base,
                                  base + 1 + (r >> 4) % 40, base - (r >> 9) % 300);
        }
    }
    return n;
}

/* Repeats start at the markup, not in the numbers: such text round-trips
 * and compresses below 0.19 of its size (0.209 when repeats could start
 * at any byte; 0.178 now), whole or in pieces. */
static void test_numeric_markup(void)
{
    size_t cap = 3 * 512 * 1024;
    unsigned char *d = malloc(cap);
    size_t n = make_markup(d, cap);
    round_trip("markup", d, n, 0, 0.19);
    round_trip("markup", d, n, 512 * 1024, 0.19);
    free(d);
}

int main(void)
{
    TKIT_RUN(test_huffman_lengths);
    TKIT_RUN(test_canonical_codes);
    TKIT_RUN(test_round_trips);
    TKIT_RUN(test_cheapest_block_kind);
    TKIT_RUN(test_dictionary);
    TKIT_RUN(test_numeric_markup);
    return TKIT_DONE();
}
