/*
 * fsk_deflate_fast.c — fast raw deflate (fsk_deflate_fast.h): the LZ77
 * parse gathers symbols and their frequencies, a block at a time; each
 * block is then written with the cheapest of its three encodings.
 */
#include "fsk_deflate_fast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_huffman.h"

#define HASH_BITS 15
#define MIN_MATCH 4          /* shorter repeats rarely pay in deflate */
#define MAX_MATCH 258
#define BLOCK_SYMBOLS 32768  /* symbols per deflate block */
#define STORED_MAX 65535     /* bytes per stored block */
#define LITLEN_SYMBOLS 286
#define DIST_SYMBOLS 30
#define END_OF_BLOCK 256
#define MATCH_FLAG 0x80000000u
/* Positions are stored plus this, so that an empty slot (0) is always
 * farther back than the window. */
#define POS_BIAS (FSK_DEFLATE_WINDOW + 1)

/* Code lengths and bit-reversed codes of a block's two alphabets, with
 * room for the fixed code's 288 and 32 symbols. */
typedef struct code_set {
    uint8_t litlen_len[LITLEN_SYMBOLS + 2], dist_len[DIST_SYMBOLS + 2];
    uint16_t litlen_code[LITLEN_SYMBOLS + 2], dist_code[DIST_SYMBOLS + 2];
} code_set;

struct fsk_deflate_fast {
    uint32_t head[1u << HASH_BITS]; /* last position + POS_BIAS of each hash */
    /* A literal byte, or MATCH_FLAG | distance code << 26 | (length - 3) << 15
     * | (distance - 1): the parse that counts a distance's code keeps it. */
    uint32_t symbol[BLOCK_SYMBOLS];
    uint32_t litlen_freq[LITLEN_SYMBOLS], dist_freq[DIST_SYMBOLS];
    uint8_t length_code[256]; /* by length - 3: code - 257 */
    uint16_t length_base[29], dist_base[DIST_SYMBOLS]; /* least value of each code */
    uint8_t length_extra[29], dist_extra[DIST_SYMBOLS]; /* extra bits of each code */
    code_set fixed; /* RFC 1951's fixed Huffman codes */
};

/* ---- codes of lengths and distances ------------------------------------ */

static int length_extra_bits(int code) /* code - 257 */
{
    return code < 8 || code == 28 ? 0 : (code - 4) / 4;
}

static int dist_extra_bits(int code)
{
    return code < 4 ? 0 : code / 2 - 1;
}

static int floor_log2(uint32_t x)
{
    return 31 - __builtin_clz(x);
}

/* The distance code of distance - 1 (0 .. 32767). */
static int dist_code(uint32_t d)
{
    if (d < 4)
        return (int)d;
    int l = floor_log2(d);
    return 2 * l + (int)(d >> (l - 1) & 1);
}

/* RFC 1951 3.2.6. */
static void fixed_codes(code_set *c)
{
    for (int s = 0; s < LITLEN_SYMBOLS + 2; s++)
        c->litlen_len[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    for (int s = 0; s < DIST_SYMBOLS + 2; s++)
        c->dist_len[s] = 5;
    fsk_huffman_codes(c->litlen_len, LITLEN_SYMBOLS + 2, c->litlen_code);
    fsk_huffman_codes(c->dist_len, DIST_SYMBOLS + 2, c->dist_code);
}

static void fill_tables(fsk_deflate_fast *z)
{
    for (int c = 0; c < 29; c++)
        z->length_extra[c] = (uint8_t)length_extra_bits(c);
    for (int c = 0; c < DIST_SYMBOLS; c++)
        z->dist_extra[c] = (uint8_t)dist_extra_bits(c);
    z->length_base[0] = 3;
    for (int c = 1; c < 28; c++)
        z->length_base[c] = (uint16_t)(z->length_base[c - 1] + (1 << z->length_extra[c - 1]));
    z->length_base[28] = 258;
    z->dist_base[0] = 1;
    for (int c = 1; c < DIST_SYMBOLS; c++)
        z->dist_base[c] = (uint16_t)(z->dist_base[c - 1] + (1 << z->dist_extra[c - 1]));
    uint8_t *length_code = z->length_code;
    for (uint32_t x = 0; x < 256; x++) {
        if (x < 8) {
            length_code[x] = (uint8_t)x;
        } else {
            int l = floor_log2(x);
            length_code[x] = (uint8_t)(4 * (l - 1) + (int)(x >> (l - 2) & 3));
        }
    }
    length_code[255] = 28; /* 258 has a code of its own */
}

fsk_deflate_fast *fsk_deflate_fast_create(void)
{
    fsk_deflate_fast *z = malloc(sizeof *z);
    if (z) {
        fill_tables(z);
        fixed_codes(&z->fixed);
    }
    return z;
}

void fsk_deflate_fast_free(fsk_deflate_fast *z)
{
    free(z);
}

size_t fsk_deflate_fast_bound(size_t len)
{
    /* Stored blocks at worst: up to 6 bytes of headers per stored block,
     * a block at least every BLOCK_SYMBOLS bytes and every STORED_MAX
     * bytes, plus the closing blocks and padding. */
    return len + len / 2048 + 64;
}

/* ---- bit output ---------------------------------------------------------- */

typedef struct bit_writer {
    uint64_t buf;
    int count; /* bits waiting in buf, < 32 between calls */
    unsigned char *out;
} bit_writer;

/* Adds n <= 32 bits, least significant first. */
static inline void put(bit_writer *w, uint32_t bits, int n)
{
    w->buf |= (uint64_t)bits << w->count;
    w->count += n;
    if (w->count >= 32) {
        uint32_t v = (uint32_t)w->buf;
        unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                              (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
        memcpy(w->out, b, 4);
        w->out += 4;
        w->buf >>= 32;
        w->count -= 32;
    }
}

/* Pads to a byte boundary and writes out every whole byte. */
static void align(bit_writer *w)
{
    put(w, 0, (8 - w->count % 8) % 8);
    while (w->count > 0) {
        *w->out++ = (unsigned char)w->buf;
        w->buf >>= 8;
        w->count -= 8;
    }
    w->buf = 0;
    w->count = 0;
}

/* ---- one block ----------------------------------------------------------- */


/* The code lengths run-length coded as deflate writes them (symbols
 * 0..15, 16 = repeat the last 3..6 times, 17 = 3..10 zeros, 18 = 11..138
 * zeros), each with its extra bits. */
typedef struct header {
    int hlit, hdist, hclen;
    int count;
    uint8_t symbol[LITLEN_SYMBOLS + DIST_SYMBOLS], extra[LITLEN_SYMBOLS + DIST_SYMBOLS];
    uint8_t cl_len[19];
    uint16_t cl_code[19];
} header;

static const uint8_t cl_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
static const int cl_extra_bits[19] = {[16] = 2, [17] = 3, [18] = 7};

static void add_run_symbol(header *h, uint32_t *freq, int symbol, int extra)
{
    h->symbol[h->count] = (uint8_t)symbol;
    h->extra[h->count++] = (uint8_t)extra;
    freq[symbol]++;
}

static void run_length_code(header *h, const uint8_t *lens, int n, uint32_t *freq)
{
    for (int i = 0; i < n;) {
        int v = lens[i], run = 1;
        while (i + run < n && lens[i + run] == v)
            run++;
        i += run;
        if (v == 0) {
            for (; run >= 11; run -= run < 138 ? run : 138)
                add_run_symbol(h, freq, 18, (run < 138 ? run : 138) - 11);
            if (run >= 3) {
                add_run_symbol(h, freq, 17, run - 3);
                run = 0;
            }
        } else {
            add_run_symbol(h, freq, v, 0);
            for (run--; run >= 3; run -= run < 6 ? run : 6)
                add_run_symbol(h, freq, 16, (run < 6 ? run : 6) - 3);
        }
        for (; run > 0; run--)
            add_run_symbol(h, freq, v, 0);
    }
}

/* The dynamic header of the codes and its size in bits. */
static uint64_t plan_header(const code_set *c, header *h)
{
    h->hlit = LITLEN_SYMBOLS;
    while (h->hlit > 257 && !c->litlen_len[h->hlit - 1])
        h->hlit--;
    h->hdist = DIST_SYMBOLS;
    while (h->hdist > 1 && !c->dist_len[h->hdist - 1])
        h->hdist--;
    uint8_t lens[LITLEN_SYMBOLS + DIST_SYMBOLS];
    memcpy(lens, c->litlen_len, (size_t)h->hlit);
    memcpy(lens + h->hlit, c->dist_len, (size_t)h->hdist);
    uint32_t freq[19] = {0};
    h->count = 0;
    run_length_code(h, lens, h->hlit + h->hdist, freq);
    fsk_huffman_lengths(freq, 19, 7, h->cl_len);
    fsk_huffman_codes(h->cl_len, 19, h->cl_code);
    h->hclen = 19;
    while (h->hclen > 4 && !h->cl_len[cl_order[h->hclen - 1]])
        h->hclen--;
    uint64_t bits = 3 + 5 + 5 + 4 + 3 * (uint64_t)h->hclen;
    for (int s = 0; s < 19; s++)
        bits += (uint64_t)freq[s] * (h->cl_len[s] + (uint64_t)cl_extra_bits[s]);
    return bits;
}

static void write_header(bit_writer *w, const header *h, bool final)
{
    put(w, final ? 1u : 0u, 1);
    put(w, 2, 2);
    put(w, (uint32_t)(h->hlit - 257), 5);
    put(w, (uint32_t)(h->hdist - 1), 5);
    put(w, (uint32_t)(h->hclen - 4), 4);
    for (int i = 0; i < h->hclen; i++)
        put(w, h->cl_len[cl_order[i]], 3);
    for (int i = 0; i < h->count; i++) {
        int s = h->symbol[i];
        put(w, h->cl_code[s], h->cl_len[s]);
        if (cl_extra_bits[s])
            put(w, h->extra[i], cl_extra_bits[s]);
    }
}

/* Bits of the block's symbols under code lengths ll and dl, extra bits
 * left out (they are the same under every code). */
static uint64_t symbol_bits(const fsk_deflate_fast *z, const uint8_t *ll, const uint8_t *dl)
{
    uint64_t bits = 0;
    for (int s = 0; s < LITLEN_SYMBOLS; s++)
        bits += (uint64_t)z->litlen_freq[s] * ll[s];
    for (int s = 0; s < DIST_SYMBOLS; s++)
        bits += (uint64_t)z->dist_freq[s] * dl[s];
    return bits;
}

static uint64_t extra_bits(const fsk_deflate_fast *z)
{
    uint64_t bits = 0;
    for (int s = 257; s < LITLEN_SYMBOLS; s++)
        bits += (uint64_t)z->litlen_freq[s] * z->length_extra[s - 257];
    for (int s = 0; s < DIST_SYMBOLS; s++)
        bits += (uint64_t)z->dist_freq[s] * z->dist_extra[s];
    return bits;
}

static void write_symbols(bit_writer *w, const fsk_deflate_fast *z, size_t n, const code_set *c)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t s = z->symbol[i];
        if (!(s & MATCH_FLAG)) {
            put(w, c->litlen_code[s], c->litlen_len[s]);
            continue;
        }
        uint32_t x = s >> 15 & 0xFF, d = s & 0x7FFF;
        int lc = z->length_code[x], dc = (int)(s >> 26 & 0x1F);
        int ls = 257 + lc;
        put(w, c->litlen_code[ls] | (x + 3 - z->length_base[lc]) << c->litlen_len[ls],
            c->litlen_len[ls] + z->length_extra[lc]);
        put(w, c->dist_code[dc] | (d + 1 - z->dist_base[dc]) << c->dist_len[dc],
            c->dist_len[dc] + z->dist_extra[dc]);
    }
    put(w, c->litlen_code[END_OF_BLOCK], c->litlen_len[END_OF_BLOCK]);
}

static void write_stored(bit_writer *w, const unsigned char *raw, size_t len, bool final)
{
    do {
        size_t n = len < STORED_MAX ? len : STORED_MAX;
        put(w, final && n == len ? 1u : 0u, 1);
        put(w, 0, 2);
        align(w);
        unsigned char b[4] = {(unsigned char)n, (unsigned char)(n >> 8),
                              (unsigned char)~n, (unsigned char)(~n >> 8)};
        memcpy(w->out, b, 4);
        memcpy(w->out + 4, raw, n);
        w->out += 4 + n;
        raw += n;
        len -= n;
    } while (len > 0);
}

/* Writes the n gathered symbols, standing for raw[0 .. raw_len), as one
 * block in its cheapest encoding. */
static void write_block(bit_writer *w, fsk_deflate_fast *z, size_t n, const unsigned char *raw,
                        size_t raw_len, bool final)
{
    z->litlen_freq[END_OF_BLOCK] = 1;
    code_set dyn;
    const code_set *fixed = &z->fixed;
    fsk_huffman_lengths(z->litlen_freq, LITLEN_SYMBOLS, 15, dyn.litlen_len);
    fsk_huffman_lengths(z->dist_freq, DIST_SYMBOLS, 15, dyn.dist_len);
    header h;
    uint64_t extra = extra_bits(z);
    uint64_t dyn_bits = plan_header(&dyn, &h) + symbol_bits(z, dyn.litlen_len, dyn.dist_len);
    uint64_t fixed_bits = 3 + symbol_bits(z, fixed->litlen_len, fixed->dist_len);
    uint64_t stored_bits = (uint64_t)(raw_len / STORED_MAX + 1) * (3 + 7 + 32) + 8 * (uint64_t)raw_len;
    if (stored_bits < dyn_bits + extra && stored_bits < fixed_bits + extra) {
        write_stored(w, raw, raw_len, final);
    } else if (fixed_bits <= dyn_bits) {
        put(w, final ? 1u : 0u, 1);
        put(w, 1, 2);
        write_symbols(w, z, n, fixed);
    } else {
        fsk_huffman_codes(dyn.litlen_len, LITLEN_SYMBOLS, dyn.litlen_code);
        fsk_huffman_codes(dyn.dist_len, DIST_SYMBOLS, dyn.dist_code);
        write_header(w, &h, final);
        write_symbols(w, z, n, &dyn);
    }
    memset(z->litlen_freq, 0, sizeof z->litlen_freq);
    memset(z->dist_freq, 0, sizeof z->dist_freq);
}

/* ---- the parse ----------------------------------------------------------- */

static uint32_t load32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint32_t hash4(uint32_t v)
{
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* How many bytes a and b have in common, up to max. */
static size_t common_length(const unsigned char *a, const unsigned char *b, size_t max)
{
    size_t n = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; n + 8 <= max; n += 8) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y)
            return n + (size_t)(__builtin_ctzll(x ^ y) >> 3);
    }
#endif
    while (n < max && a[n] == b[n])
        n++;
    return n;
}

/*
 * Whether a match may start at a byte. Not in a number: the 3MF model is
 * markup around numbers, and a repeat found at a digit is short (a few
 * digits and a quote) and uses up the start of the markup after it, whose
 * own repeat is long. Numbers are written as literals and matches start
 * at the markup, which made the benchmark photo's model XML a quarter
 * smaller (2,547,833 -> 1,865,793 bytes) and its compression a fifth
 * faster. Other data loses only the repeats that start at these 11 byte
 * values.
 */
static inline bool may_start(unsigned char c)
{
    return (unsigned)(c - '0') >= 10 && c != '.';
}

/* Remembers the string at pos, where a match may start. */
static void insert(fsk_deflate_fast *z, const unsigned char *data, size_t pos)
{
    if (may_start(data[pos]))
        z->head[hash4(load32(data + pos))] = (uint32_t)(pos + POS_BIAS);
}

size_t fsk_deflate_fast_piece(fsk_deflate_fast *z, const unsigned char *data, size_t dict,
                              size_t len, bool last, unsigned char *out)
{
    bit_writer w = {.out = out};
    const size_t end = dict + len;
    memset(z->head, 0, sizeof z->head);
    memset(z->litlen_freq, 0, sizeof z->litlen_freq);
    memset(z->dist_freq, 0, sizeof z->dist_freq);
    for (size_t p = 0; p < dict && p + MIN_MATCH <= end; p++)
        insert(z, data, p);
    size_t n = 0, pos = dict, block_start = dict;
    while (pos < end) {
        uint32_t s = data[pos];
        size_t step = 1;
        if (pos + MIN_MATCH <= end && may_start(data[pos])) {
            uint32_t v = load32(data + pos), h = hash4(v);
            size_t cand = z->head[h];
            z->head[h] = (uint32_t)(pos + POS_BIAS);
            size_t dist = pos + POS_BIAS - cand;
            if (dist <= FSK_DEFLATE_WINDOW && load32(data + pos - dist) == v) {
                size_t max = end - pos < MAX_MATCH ? end - pos : MAX_MATCH;
                step = MIN_MATCH + common_length(data + pos - dist + MIN_MATCH,
                                                 data + pos + MIN_MATCH, max - MIN_MATCH);
                uint32_t dc = (uint32_t)dist_code((uint32_t)(dist - 1));
                s = MATCH_FLAG | dc << 26 | (uint32_t)(step - 3) << 15 | (uint32_t)(dist - 1);
                z->litlen_freq[257 + z->length_code[step - 3]]++;
                z->dist_freq[dc]++;
                /* The last two strings of the match, for the repeats that
                 * follow. Those inside it cost more time than they save
                 * bytes, even in short matches: the 3MF model's markup
                 * between two numbers is found again from its first byte
                 * (inserting every string of matches up to 8 bytes, as
                 * before, cost the benchmark ladybird's model 7 % more
                 * instructions for 16 bytes less of its 614 KB). */
                for (size_t p = pos + step - 2; p < pos + step && p + MIN_MATCH <= end; p++)
                    insert(z, data, p);
            }
        }
        if (step == 1)
            z->litlen_freq[s]++;
        z->symbol[n++] = s;
        pos += step;
        if (n == BLOCK_SYMBOLS && pos < end) {
            write_block(&w, z, n, data + block_start, pos - block_start, false);
            n = 0;
            block_start = pos;
        }
    }
    if (n > 0 || last)
        write_block(&w, z, n, data + block_start, pos - block_start, last);
    if (!last) {
        put(&w, 0, 3); /* an empty stored block: the sync marker */
        align(&w);
        static const unsigned char marker[4] = {0, 0, 0xFF, 0xFF};
        memcpy(w.out, marker, 4);
        w.out += 4;
    } else {
        align(&w);
    }
    return (size_t)(w.out - out);
}
