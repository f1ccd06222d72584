/*
 * fsk_huffman.c — length-limited Huffman codes for deflate
 * (fsk_huffman.h): a Huffman tree by the two-queue method over the sorted
 * frequencies, its depths cut to the limit and the Kraft sum repaired, the
 * lengths handed out longest-first to the rarest symbols.
 */
#include "fsk_huffman.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BITS 15

typedef struct leaf {
    uint32_t freq;
    uint16_t symbol;
} leaf;

static int rarer_first(const void *pa, const void *pb)
{
    const leaf *a = pa, *b = pb;
    if (a->freq != b->freq)
        return a->freq < b->freq ? -1 : 1;
    return (a->symbol > b->symbol) - (a->symbol < b->symbol);
}

/* How many of the n sorted leaves lie at each depth of their Huffman tree,
 * depths beyond max_len counted at max_len. */
static void count_depths(const leaf *leaves, int n, int max_len, int *at_depth)
{
    uint64_t weight[2 * FSK_HUFFMAN_MAX_SYMBOLS];
    int parent[2 * FSK_HUFFMAN_MAX_SYMBOLS], depth[2 * FSK_HUFFMAN_MAX_SYMBOLS];
    for (int i = 0; i < n; i++)
        weight[i] = leaves[i].freq;
    /* Leaves wait in one queue, joined nodes in another (made in order of
     * weight); the two lightest fronts are joined, leaves first on ties. */
    int next_leaf = 0, next_node = n;
    for (int k = n; k < 2 * n - 1; k++) {
        int pick[2];
        for (int j = 0; j < 2; j++) {
            if (next_leaf < n && (next_node >= k || weight[next_leaf] <= weight[next_node]))
                pick[j] = next_leaf++;
            else
                pick[j] = next_node++;
        }
        weight[k] = weight[pick[0]] + weight[pick[1]];
        parent[pick[0]] = parent[pick[1]] = k;
    }
    depth[2 * n - 2] = 0;
    for (int k = 2 * n - 3; k >= 0; k--)
        depth[k] = depth[parent[k]] + 1;
    for (int i = 0; i < n; i++)
        at_depth[depth[i] < max_len ? depth[i] : max_len]++;
}

/* Makes the counts a complete code again after depths were cut: each step
 * takes a code from the deepest level and splits a shallower one to make
 * room for it, lowering the Kraft sum (in units of 2^-max_len) by one. */
static void repair_kraft(int *at_depth, int max_len)
{
    uint32_t total = 0;
    for (int d = 1; d <= max_len; d++)
        total += (uint32_t)at_depth[d] << (max_len - d);
    for (; total > (1u << max_len); total--) {
        at_depth[max_len]--;
        for (int d = max_len - 1; d > 0; d--)
            if (at_depth[d]) {
                at_depth[d]--;
                at_depth[d + 1] += 2;
                break;
            }
    }
}

void fsk_huffman_lengths(const uint32_t *freq, int count, int max_len, uint8_t *len)
{
    leaf leaves[FSK_HUFFMAN_MAX_SYMBOLS];
    int n = 0;
    memset(len, 0, (size_t)count);
    for (int s = 0; s < count; s++)
        if (freq[s])
            leaves[n++] = (leaf){freq[s], (uint16_t)s};
    for (int s = 0; s < count && n < 2; s++)
        if (!freq[s])
            leaves[n++] = (leaf){0, (uint16_t)s};
    qsort(leaves, (size_t)n, sizeof *leaves, rarer_first);
    int at_depth[MAX_BITS + 1] = {0};
    count_depths(leaves, n, max_len, at_depth);
    repair_kraft(at_depth, max_len);
    int i = 0;
    for (int d = max_len; d >= 1; d--)
        for (int c = at_depth[d]; c > 0; c--)
            len[leaves[i++].symbol] = (uint8_t)d;
}

static uint16_t reversed(uint32_t code, int bits)
{
    uint32_t r = 0;
    for (int b = 0; b < bits; b++, code >>= 1)
        r = r << 1 | (code & 1);
    return (uint16_t)r;
}

void fsk_huffman_codes(const uint8_t *len, int count, uint16_t *code)
{
    int at_length[MAX_BITS + 1] = {0};
    for (int s = 0; s < count; s++)
        at_length[len[s]]++;
    at_length[0] = 0;
    uint32_t next[MAX_BITS + 1] = {0}, c = 0;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
        c = (c + (uint32_t)at_length[bits - 1]) << 1;
        next[bits] = c;
    }
    for (int s = 0; s < count; s++)
        code[s] = len[s] ? reversed(next[len[s]]++, len[s]) : 0;
}
