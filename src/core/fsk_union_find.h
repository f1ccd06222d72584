/*
 * fsk_union_find.h — a union-find forest over 0..n-1 in a caller's array
 * (parent[i] == i at a root), joined under the lower root, so a tree's
 * root is its lowest member and parents stay below their children; paths
 * are halved as they are walked.
 */
#ifndef FSK_UNION_FIND_H
#define FSK_UNION_FIND_H

#include <stdint.h>

static inline uint32_t fsk_uf_root(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static inline void fsk_uf_join(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = fsk_uf_root(parent, a);
    b = fsk_uf_root(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

#endif
