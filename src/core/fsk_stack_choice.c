/*
 * fsk_stack_choice.c — the stack of each color that makes the simplest
 * solids (fsk_stack_choice.h).
 *
 * The measure is the corner count of fsk_corner_count.h. Only the labels
 * of the four pixels around a lattice point matter, so the map is reduced
 * once to its distinct 2x2 neighbourhoods (quads) with their counts;
 * points whose four pixels agree have no corner and are skipped. Colors
 * are numbered by slot (first appearance in entry order), quads hold
 * slots, and the stack table holds each slot's current stack.
 */
#include "fsk_stack_choice.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_corner_count.h"
#include "fsk_labels.h"

#define NO_SLOT FSK_STACK_NONE
#define MAX_PASSES 32
/* Distinct quads beyond which the choice is left out (a finely dithered
 * huge print): keeps the tables under 40 MiB. */
#define MAX_QUADS (1u << 20)
#define TOO_MANY 1

/* The distinct quads of a map: open addressing on the packed key. */
typedef struct quads {
    uint64_t *key;   /* four 16-bit slots, top-left in the low bits; 0 = free */
    uint32_t *count; /* points, at most (width + 1) * (height + 1) < 2^32 */
    size_t cap, len;
} quads;

typedef struct chooser {
    const fsk_calibration *cal;
    size_t slots;
    uint16_t *entry;   /* slot -> entry it prints with now */
    fsk_stack_table stacks; /* slot -> that entry's stack */
    quads q;
    uint16_t *slot_of; /* entry -> slot, NO_SLOT when absent */
    const uint16_t **twins; /* slot -> the twins of its original entry */
    size_t *twin_count;
    /* Corner counts of quads, keyed by the entries they print with: the
     * same few thousand recur as twins are tried. */
    fsk_corner_memo memo;
} chooser;

#define MEMO_LOG2 16

static uint64_t hash_key(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
}

static int quads_grow(quads *q)
{
    size_t cap = q->cap ? 2 * q->cap : 1024;
    uint64_t *key = calloc(cap, sizeof *key);
    uint32_t *count = malloc(cap * sizeof *count);
    if (!key || !count) {
        free(key);
        free(count);
        return FSK_ENOMEM;
    }
    for (size_t i = 0; i < q->cap; i++) {
        if (!q->key[i])
            continue;
        size_t h = hash_key(q->key[i]) & (cap - 1);
        while (key[h])
            h = (h + 1) & (cap - 1);
        key[h] = q->key[i];
        count[h] = q->count[i];
    }
    free(q->key);
    free(q->count);
    q->key = key;
    q->count = count;
    q->cap = cap;
    return 0;
}

/* Adds one point with the packed key k (never 0: at least one slot is
 * NO_SLOT or the four differ, and slots are below NO_SLOT). Returns 0,
 * TOO_MANY or FSK_ENOMEM. */
static int quads_add(quads *q, uint64_t k)
{
    if (2 * (q->len + 1) > q->cap) {
        if (q->len >= MAX_QUADS)
            return TOO_MANY;
        if (quads_grow(q))
            return FSK_ENOMEM;
    }
    size_t h = hash_key(k) & (q->cap - 1);
    while (q->key[h] && q->key[h] != k)
        h = (h + 1) & (q->cap - 1);
    if (!q->key[h]) {
        q->key[h] = k;
        q->count[h] = 0;
        q->len++;
    }
    q->count[h]++;
    return 0;
}

static void quads_free(quads *q)
{
    free(q->key);
    free(q->count);
}

static void set_stack(chooser *c, size_t slot, uint16_t entry)
{
    c->entry[slot] = entry;
    fsk_stack_table_set(&c->stacks, slot, c->cal->entries[entry].sequence);
}

static uint16_t slot_at(const chooser *c, const uint16_t *labels, int width, int height,
                        int x, int y)
{
    if (x < 0 || y < 0 || x >= width || y >= height)
        return NO_SLOT;
    uint16_t label = labels[(size_t)y * (size_t)width + (size_t)x];
    return fsk_label_is_transparent(label) ? NO_SLOT : c->slot_of[label];
}

/* Numbers the map's entries (slots in entry order) and sets their stacks. */
static int number_slots(chooser *c, const uint16_t *labels, size_t n,
                        const fsk_calibration *cal)
{
    memset(c, 0, sizeof *c);
    c->cal = cal;
    size_t entries = cal->entry_count;
    c->slot_of = malloc((entries ? entries : 1) * sizeof *c->slot_of);
    if (!c->slot_of)
        return FSK_ENOMEM;
    for (size_t e = 0; e < entries; e++)
        c->slot_of[e] = NO_SLOT;
    for (size_t i = 0; i < n; i++)
        if (!fsk_label_is_transparent(labels[i]))
            c->slot_of[labels[i]] = 0;
    for (size_t e = 0; e < entries; e++)
        if (c->slot_of[e] == 0)
            c->slot_of[e] = (uint16_t)c->slots++;
    size_t s = c->slots ? c->slots : 1;
    c->entry = malloc(s * sizeof *c->entry);
    if (!c->entry || fsk_stack_table_init(&c->stacks, cal, s))
        return FSK_ENOMEM;
    for (size_t e = 0; e < entries; e++)
        if (c->slot_of[e] != NO_SLOT)
            set_stack(c, c->slot_of[e], (uint16_t)e);
    return 0;
}

/* Row y of the map as slots into row[1 .. width], with NO_SLOT at
 * row[0], row[width + 1] and for the rows outside the map. */
static void slot_row(const chooser *c, const uint16_t *labels, int width, int height, int y,
                     uint16_t *row)
{
    row[0] = row[width + 1] = NO_SLOT;
    for (int x = 0; x < width; x++)
        row[x + 1] = slot_at(c, labels, width, height, x, y);
}

/* The distinct quads of the map and how many points have each; TOO_MANY
 * past MAX_QUADS, FSK_ENOMEM. The map is read a row of slots at a time:
 * point (x, y) sees slots x and x + 1 of rows y - 1 and y. */
static int gather_quads(chooser *c, const uint16_t *labels, int width, int height)
{
    uint16_t *above = malloc(2 * ((size_t)width + 2) * sizeof *above);
    if (!above)
        return FSK_ENOMEM;
    uint16_t *below = above + (size_t)width + 2;
    slot_row(c, labels, width, height, -1, above);
    int rc = 0;
    for (int y = 0; y <= height && !rc; y++) {
        slot_row(c, labels, width, height, y, below);
        for (int x = 0; x <= width && !rc; x++) {
            uint16_t q[4] = {above[x], above[x + 1], below[x], below[x + 1]};
            if (q[0] == q[1] && q[0] == q[2] && q[0] == q[3])
                continue;
            rc = quads_add(&c->q, fsk_stack_quad_key(q));
        }
        uint16_t *t = above;
        above = below;
        below = t;
    }
    free(above < below ? above : below);
    return rc;
}

/* Each slot's twins (from its entry as matched); the number of slots with
 * a choice. */
static int find_twins(chooser *c, const fsk_matcher *m, int *with_twins)
{
    size_t s = c->slots ? c->slots : 1;
    c->twins = malloc(s * sizeof *c->twins);
    c->twin_count = malloc(s * sizeof *c->twin_count);
    if (!c->twins || !c->twin_count)
        return FSK_ENOMEM;
    *with_twins = 0;
    for (size_t k = 0; k < c->slots; k++) {
        c->twins[k] = fsk_matcher_twins(m, c->entry[k], &c->twin_count[k]);
        *with_twins += c->twin_count[k] > 1;
    }
    return 0;
}

static void chooser_free(chooser *c)
{
    free(c->slot_of);
    free(c->entry);
    fsk_stack_table_free(&c->stacks);
    free(c->twins);
    free(c->twin_count);
    fsk_corner_memo_free(&c->memo);
    quads_free(&c->q);
}

/* fsk_stack_corners_at of a quad of slots, through the memo. */
static unsigned quad_corners(chooser *c, uint64_t key)
{
    uint16_t s[4], e[4];
    fsk_stack_quad_unpack(key, s);
    for (int k = 0; k < 4; k++)
        e[k] = s[k] == NO_SLOT ? NO_SLOT : c->entry[s[k]];
    return fsk_corner_memo_get(&c->memo, &c->stacks, fsk_stack_quad_key(e), s);
}

static uint64_t quad_set_corners(chooser *c, const uint32_t *list, size_t len)
{
    uint64_t total = 0;
    for (size_t i = 0; i < len; i++)
        total += (uint64_t)c->q.count[list[i]] * quad_corners(c, c->q.key[list[i]]);
    return total;
}

static uint64_t all_corners(chooser *c)
{
    uint64_t total = 0;
    for (size_t i = 0; i < c->q.cap; i++)
        if (c->q.key[i])
            total += (uint64_t)c->q.count[i] * quad_corners(c, c->q.key[i]);
    return total;
}

int fsk_stack_corners(const uint16_t *labels, int width, int height,
                      const fsk_calibration *cal, uint64_t *corners, fsk_err *err)
{
    chooser c;
    int rc = number_slots(&c, labels, (size_t)width * (size_t)height, cal);
    if (!rc)
        rc = fsk_corner_memo_init(&c.memo, MEMO_LOG2);
    if (!rc)
        rc = gather_quads(&c, labels, width, height);
    if (!rc)
        *corners = all_corners(&c);
    chooser_free(&c);
    if (rc == TOO_MANY)
        return fsk_err_set(err, FSK_ELIMIT, "more than %u distinct 2x2 neighbourhoods",
                           MAX_QUADS);
    return rc ? fsk_err_set(err, FSK_ENOMEM, "out of memory") : 0;
}

/* Per slot, the quads it is part of: start[s] .. start[s + 1] in list. */
static int quads_by_slot(const chooser *c, size_t **start_out, uint32_t **list_out)
{
    size_t *start = calloc(c->slots + 2, sizeof *start);
    uint32_t *list = malloc((4 * c->q.len + 1) * sizeof *list);
    if (!start || !list) {
        free(start);
        free(list);
        return FSK_ENOMEM;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->q.cap; i++) {
            if (!c->q.key[i])
                continue;
            uint16_t s[4];
            fsk_stack_quad_unpack(c->q.key[i], s);
            for (int k = 0; k < 4; k++) {
                bool seen = s[k] == NO_SLOT;
                for (int j = 0; j < k && !seen; j++)
                    seen = s[j] == s[k];
                if (seen)
                    continue;
                if (pass == 0)
                    start[s[k] + 2]++;
                else
                    list[start[s[k] + 1]++] = (uint32_t)i;
            }
        }
        if (pass == 0)
            for (size_t r = 0; r < c->slots; r++)
                start[r + 2] += start[r + 1];
    }
    *start_out = start;
    *list_out = list;
    return 0;
}

/* Marks the slots that share a quad with slot s (s too) for a new look. */
static void mark_neighbours(const chooser *c, const size_t *start, const uint32_t *list,
                            size_t s, bool *dirty)
{
    for (size_t i = start[s]; i < start[s + 1]; i++) {
        uint16_t q[4];
        fsk_stack_quad_unpack(c->q.key[list[i]], q);
        for (int k = 0; k < 4; k++)
            if (q[k] != NO_SLOT)
                dirty[q[k]] = true;
    }
}

/* Descent: each slot with twins takes the one with the fewest corners in
 * the quads it touches (the first in preference order among equals, the
 * current one unless another is strictly better). A slot whose quads have
 * not changed since it was last looked at would keep its choice, so it is
 * not looked at again (dirty holds a flag per slot, all set at first). */
static void descend(chooser *c, const size_t *start, const uint32_t *list, bool *dirty,
                    fsk_stack_choice_stats *st)
{
    int passes = 0;
    for (bool changed = true; changed && passes < MAX_PASSES; passes++) {
        changed = false;
        for (size_t s = 0; s < c->slots; s++) {
            size_t count = c->twin_count[s];
            const uint16_t *twins = c->twins[s];
            if (count < 2 || !dirty[s])
                continue;
            dirty[s] = false;
            const uint32_t *mine = list + start[s];
            size_t len = start[s + 1] - start[s];
            uint16_t keep = c->entry[s], best = keep;
            uint64_t best_corners = quad_set_corners(c, mine, len);
            for (size_t t = 0; t < count; t++) {
                if (twins[t] == keep)
                    continue;
                set_stack(c, s, twins[t]);
                uint64_t n = quad_set_corners(c, mine, len);
                if (n < best_corners) {
                    best_corners = n;
                    best = twins[t];
                }
            }
            set_stack(c, s, best);
            if (best != keep) {
                changed = true;
                mark_neighbours(c, start, list, s, dirty);
            }
        }
    }
    st->passes = passes;
}

int fsk_stack_choice_apply(uint16_t *labels, int width, int height,
                           const fsk_calibration *cal, const fsk_matcher *m,
                           fsk_stack_choice_stats *stats, fsk_err *err)
{
    fsk_stack_choice_stats st = {0};
    size_t n = (size_t)width * (size_t)height;
    chooser c;
    size_t *start = NULL;
    uint32_t *list = NULL;
    int rc = number_slots(&c, labels, n, cal);
    if (!rc)
        rc = fsk_corner_memo_init(&c.memo, MEMO_LOG2);
    if (!rc)
        rc = find_twins(&c, m, &st.colors_with_twins);
    bool work = !rc && st.colors_with_twins;
    if (work) {
        rc = gather_quads(&c, labels, width, height);
        if (rc == TOO_MANY) {
            st.skipped = true;
            rc = 0;
            work = false;
        }
    }
    if (work && !rc)
        rc = quads_by_slot(&c, &start, &list);
    bool *dirty = NULL;
    if (work && !rc) {
        dirty = malloc(c.slots * sizeof *dirty);
        if (!dirty)
            rc = FSK_ENOMEM;
    }
    if (work && !rc) {
        for (size_t s = 0; s < c.slots; s++)
            dirty[s] = true;
        st.corners_before = all_corners(&c);
        descend(&c, start, list, dirty, &st);
        st.corners_after = all_corners(&c);
        /* Slots are numbered in entry order, so slot_of still maps each
         * original entry to the stack chosen for it. */
        for (size_t s = 0; s < c.slots; s++)
            st.colors_changed += c.twin_count[s] && c.entry[s] != c.twins[s][0];
        for (size_t i = 0; i < n; i++)
            if (!fsk_label_is_transparent(labels[i]))
                labels[i] = c.entry[c.slot_of[labels[i]]];
    }
    free(dirty);
    free(start);
    free(list);
    chooser_free(&c);
    if (rc)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    if (stats)
        *stats = st;
    return 0;
}
