/*
 * fsk_cleanup.c — minimum-feature cleanup (see fsk_cleanup.h).
 *
 * The map is cut into 4-connected regions once (a flood fill); after that
 * the regions are nodes of a union-find forest, so absorbing an island is a
 * union and never touches the pixels until the final relabel. Each region
 * keeps a linked list of its pixels; an island's neighbours and shared
 * border lengths are counted from its own pixels when it is taken from the
 * queue, which costs O(island size) < min_pixels. The queue is a binary
 * heap of (size, region id) with lazy deletion: an entry is stale when its
 * region was absorbed or has grown since.
 */
#include "fsk_cleanup.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_labels.h"
#include "fsk_union_find.h"

typedef struct heap_item {
    int32_t size, id;
} heap_item;

typedef struct cleanup {
    int width, height;
    int min_pixels;
    int32_t *comp;    /* region id of each pixel (row-major first-pixel order) */
    int32_t *next;    /* next pixel of the same region's list, -1 at the end */
    uint32_t *parent; /* union-find over region ids (fsk_union_find.h) */
    int32_t *size;    /* pixels of a root's region */
    int32_t *head, *tail; /* pixel list of a root's region */
    int32_t *border;  /* scratch: edges shared with the island, per root */
    uint16_t *label;  /* label of a root's region */
    int32_t *nb;      /* scratch: distinct neighbour roots of the island */
    size_t nb_cap;
    heap_item *heap;
    size_t heap_len, heap_cap;
} cleanup;

static int heap_less(heap_item a, heap_item b)
{
    return a.size < b.size || (a.size == b.size && a.id < b.id);
}

static int heap_push(cleanup *c, int32_t size, int32_t id)
{
    if (c->heap_len == c->heap_cap) {
        size_t cap = c->heap_cap ? c->heap_cap * 2 : 256;
        heap_item *h = realloc(c->heap, cap * sizeof *h);
        if (!h)
            return FSK_ENOMEM;
        c->heap = h;
        c->heap_cap = cap;
    }
    size_t i = c->heap_len++;
    heap_item it = {size, id};
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!heap_less(it, c->heap[up]))
            break;
        c->heap[i] = c->heap[up];
        i = up;
    }
    c->heap[i] = it;
    return 0;
}

static heap_item heap_pop(cleanup *c)
{
    heap_item top = c->heap[0];
    heap_item last = c->heap[--c->heap_len];
    size_t i = 0, n = c->heap_len;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        heap_item best = last;
        if (l < n && heap_less(c->heap[l], best)) {
            m = l;
            best = c->heap[l];
        }
        if (l + 1 < n && heap_less(c->heap[l + 1], best))
            m = l + 1;
        if (m == i)
            break;
        c->heap[i] = c->heap[m];
        i = m;
    }
    if (n > 0)
        c->heap[i] = last;
    return top;
}

/* The 4-connected neighbours of pixel p in a w x h map into q; their count. */
static int neighbours4(int32_t p, int w, int h, int32_t q[4])
{
    int x = p % w, y = p / w, k = 0;
    if (x > 0)
        q[k++] = p - 1;
    if (x + 1 < w)
        q[k++] = p + 1;
    if (y > 0)
        q[k++] = p - w;
    if (y + 1 < h)
        q[k++] = p + w;
    return k;
}

/*
 * Cuts the map into regions, numbered in row-major order of their first
 * pixel. Each row is cut into runs of one label (numbered in row-major
 * order too), and a run joins each run above it that it touches with the
 * same label; a region's runs then form a tree whose root is its first
 * run, numbered in the order roots come. next[] holds the forest. Returns
 * the region count.
 */
static int32_t find_regions(cleanup *c, const uint16_t *labels)
{
    int w = c->width, h = c->height;
    /* Run and region numbers are below 2^28: comp and next seen unsigned. */
    uint32_t *comp = (uint32_t *)c->comp, *parent = (uint32_t *)c->next;
    uint32_t runs = 0;
    for (int y = 0; y < h; y++) {
        const size_t row = (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            uint16_t lab = labels[row + x];
            uint32_t id = runs++, above = UINT32_MAX;
            parent[id] = id;
            do {
                comp[row + x] = id;
                if (y > 0 && labels[row - w + x] == lab && comp[row - w + x] != above) {
                    above = comp[row - w + x];
                    fsk_uf_join(parent, id, above);
                }
                x++;
            } while (x < w && labels[row + x] == lab);
        }
    }
    /* Parents are lower than their children: in increasing order, a run's
     * parent already holds its region's number. */
    uint32_t regions = 0;
    for (uint32_t r = 0; r < runs; r++)
        parent[r] = parent[r] == r ? regions++ : parent[parent[r]];
    size_t n = (size_t)w * (size_t)h;
    for (size_t p = 0; p < n; p++)
        comp[p] = parent[comp[p]];
    return (int32_t)regions;
}

/* Counts, per neighbouring root, the pixel edges the island r shares with
 * it; fills c->nb and c->border. Returns the neighbour count or -1. */
static long count_neighbours(cleanup *c, int32_t r)
{
    int w = c->width, h = c->height;
    long count = 0;
    for (int32_t p = c->head[r]; p >= 0; p = c->next[p]) {
        int32_t q[4];
        int k = neighbours4(p, w, h, q);
        for (int j = 0; j < k; j++) {
            int32_t s = (int32_t)fsk_uf_root(c->parent, (uint32_t)c->comp[q[j]]);
            if (s == r)
                continue;
            if (c->border[s]++ == 0) {
                if ((size_t)count == c->nb_cap) {
                    size_t cap = c->nb_cap ? c->nb_cap * 2 : 64;
                    int32_t *nb = realloc(c->nb, cap * sizeof *nb);
                    if (!nb)
                        return -1;
                    c->nb = nb;
                    c->nb_cap = cap;
                }
                c->nb[count++] = s;
            }
        }
    }
    return count;
}

/* The neighbour that island r joins (see the rule in fsk_cleanup.h). */
static int32_t choose_target(const cleanup *c, long count)
{
    int any_colored = 0;
    for (long i = 0; i < count; i++)
        if (!fsk_label_is_transparent(c->label[c->nb[i]]))
            any_colored = 1;
    int32_t best = -1;
    for (long i = 0; i < count; i++) {
        int32_t s = c->nb[i];
        if (any_colored && fsk_label_is_transparent(c->label[s]))
            continue;
        if (best < 0) {
            best = s;
            continue;
        }
        if (c->border[s] != c->border[best]) {
            if (c->border[s] > c->border[best])
                best = s;
        } else if (c->size[s] != c->size[best]) {
            if (c->size[s] > c->size[best])
                best = s;
        } else if (c->label[s] != c->label[best]) {
            if (c->label[s] < c->label[best])
                best = s;
        } else if (s < best) {
            best = s;
        }
    }
    return best;
}

/* Unites root a into root b's region (b's label wins); returns the new root.
 * Pixel lists are only kept for regions still small enough to be queued. */
static int32_t unite(cleanup *c, int32_t a, int32_t b)
{
    int32_t root = a < b ? a : b, other = a < b ? b : a;
    uint16_t lab = c->label[b];
    int32_t size = c->size[a] + c->size[b];
    int32_t head = -1, tail = -1;
    if (size < c->min_pixels) {
        head = c->head[root];
        tail = c->tail[other];
        c->next[c->tail[root]] = c->head[other];
    }
    c->parent[other] = (uint32_t)root;
    c->label[root] = lab;
    c->size[root] = size;
    c->head[root] = head;
    c->tail[root] = tail;
    return root;
}

/* Takes island r (a root) out of the map; returns 1 if it was absorbed,
 * 0 if it has no neighbour, or FSK_ENOMEM. */
static int absorb(cleanup *c, int32_t r)
{
    long count = count_neighbours(c, r);
    if (count < 0) {
        return FSK_ENOMEM;
    }
    if (count == 0)
        return 0;
    int32_t target = choose_target(c, count);
    int32_t root = unite(c, r, target);
    /* Regions of the target's label that touched the island now touch the
     * target: they are one region. They never touched the target before,
     * as two touching regions never share a label. */
    for (long i = 0; i < count; i++) {
        int32_t s = c->nb[i];
        if (s != target && c->label[s] == c->label[root])
            root = unite(c, s, root);
    }
    for (long i = 0; i < count; i++)
        c->border[c->nb[i]] = 0;
    if (!fsk_label_is_transparent(c->label[root]) && c->size[root] < c->min_pixels)
        if (heap_push(c, c->size[root], root) != 0)
            return FSK_ENOMEM;
    return 1;
}

static void cleanup_free(cleanup *c)
{
    free(c->comp);
    free(c->next);
    free(c->parent);
    free(c->size);
    free(c->head);
    free(c->tail);
    free(c->border);
    free(c->label);
    free(c->nb);
    free(c->heap);
}

int fsk_cleanup_min_feature(uint16_t *labels, int width, int height,
                            int min_pixels, fsk_cleanup_stats *stats,
                            fsk_err *err)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!labels || width < 1 || height < 1)
        return fsk_err_set(err, FSK_EINVAL,
                           "minimum-feature cleanup: invalid label map %dx%d",
                           width, height);
    size_t n = (size_t)width * (size_t)height;
    if ((uint64_t)width * (uint64_t)height > ((uint64_t)1 << 28))
        return fsk_err_set(err, FSK_ELIMIT,
                           "minimum-feature cleanup: label map of %dx%d pixels "
                           "exceeds the limit of 2^28 pixels", width, height);
    if (min_pixels <= 1)
        return 0;

    cleanup c = {.width = width, .height = height, .min_pixels = min_pixels};
    c.comp = malloc(n * sizeof *c.comp);
    c.next = malloc(n * sizeof *c.next);
    if (!c.comp || !c.next)
        goto nomem;
    int32_t regions = find_regions(&c, labels);
    size_t rn = (size_t)regions;
    c.parent = malloc(rn * sizeof *c.parent);
    c.size = calloc(rn, sizeof *c.size);
    c.head = malloc(rn * sizeof *c.head);
    c.tail = malloc(rn * sizeof *c.tail);
    c.border = calloc(rn, sizeof *c.border);
    c.label = malloc(rn * sizeof *c.label);
    if (!c.parent || !c.size || !c.head || !c.tail || !c.border || !c.label)
        goto nomem;
    for (int32_t r = 0; r < regions; r++) {
        c.parent[r] = (uint32_t)r;
        c.head[r] = -1;
    }
    for (size_t p = 0; p < n; p++) {
        int32_t r = c.comp[p];
        if (c.head[r] < 0) {
            c.head[r] = (int32_t)p;
            c.label[r] = labels[p];
        } else {
            c.next[c.tail[r]] = (int32_t)p;
        }
        c.tail[r] = (int32_t)p;
        c.next[p] = -1;
        c.size[r]++;
    }
    for (int32_t r = 0; r < regions; r++)
        if (!fsk_label_is_transparent(c.label[r]) && c.size[r] < min_pixels)
            if (heap_push(&c, c.size[r], r) != 0)
                goto nomem;

    uint64_t removed = 0;
    while (c.heap_len > 0) {
        heap_item it = heap_pop(&c);
        if (c.parent[it.id] != (uint32_t)it.id || c.size[it.id] != it.size)
            continue;
        int rc = absorb(&c, it.id);
        if (rc < 0)
            goto nomem;
        removed += (uint64_t)rc;
    }

    /* Each region's final label, in the lists' heads (no longer needed). */
    int32_t *final_label = c.head;
    for (int32_t r = 0; r < regions; r++)
        final_label[r] = c.label[fsk_uf_root(c.parent, (uint32_t)r)];
    uint64_t changed = 0;
    for (size_t p = 0; p < n; p++) {
        uint16_t lab = (uint16_t)final_label[c.comp[p]];
        if (lab != labels[p]) {
            labels[p] = lab;
            changed++;
        }
    }
    if (stats) {
        stats->pixels_changed = changed;
        stats->islands_removed = removed;
    }
    cleanup_free(&c);
    return 0;

nomem:
    cleanup_free(&c);
    return fsk_err_set(err, FSK_ENOMEM,
                       "minimum-feature cleanup: out of memory for %dx%d pixels",
                       width, height);
}
