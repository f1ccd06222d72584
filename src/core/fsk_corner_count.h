/*
 * fsk_corner_count.h — corner points of the parts' surfaces around one
 * lattice point of a label map: the measure of geometric complexity that
 * the stages choosing stacks and simplifying boundaries minimise.
 *
 * Around a lattice point (x, y) lie four pixels; each prints, per
 * filament, a column of color layers. At level z (between layer z-1 and
 * layer z) the point has eight voxels around it, and a filament's surface
 * has a corner there unless that 2x2x2 occupancy is constant along some
 * axis (then the point is inside a face, on a straight edge, or away from
 * the surface). Every exact mesh of the voxels has a vertex at each corner
 * point, so with F ~ 2V for triangulated closed surfaces the corner count
 * predicts the triangle count. The backing part is left out.
 *
 * A table holds stacks (the per-filament layer masks of a sequence) under
 * small indices that the caller chooses: calibration entries, or slots
 * whose stack changes.
 */
#ifndef FSK_CORNER_COUNT_H
#define FSK_CORNER_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"

/* The index of "nothing printed" (outside the map, transparent pixels). */
#define FSK_STACK_NONE ((uint16_t)0xFFFF)

typedef struct fsk_stack_table {
    int layers, filaments;
    size_t count;
    uint32_t *filaments_of; /* index -> bit f set when filament f is in the stack */
    uint32_t *mask;         /* index x (filaments + 1) -> layers of that filament */
} fsk_stack_table;

/* A table of count stacks for cal's construction, all empty. Returns 0
 * or FSK_ENOMEM. */
int fsk_stack_table_init(fsk_stack_table *t, const fsk_calibration *cal, size_t count);
void fsk_stack_table_free(fsk_stack_table *t);

/* Index takes the stack of a sequence (cal's color_layers slots). */
void fsk_stack_table_set(fsk_stack_table *t, size_t index, const uint8_t *sequence);

/* The four stack indices of a 2x2 neighbourhood (top-left, top-right,
 * bottom-left, bottom-right) as one key, top-left in the low bits, and
 * back. */
static inline uint64_t fsk_stack_quad_key(const uint16_t idx[4])
{
    return (uint64_t)idx[0] | (uint64_t)idx[1] << 16 | (uint64_t)idx[2] << 32 |
           (uint64_t)idx[3] << 48;
}

static inline void fsk_stack_quad_unpack(uint64_t key, uint16_t idx[4])
{
    for (int i = 0; i < 4; i++)
        idx[i] = (uint16_t)(key >> (16 * i));
}

/* Corner points at one lattice point whose four pixels (top-left,
 * top-right, bottom-left, bottom-right) print the stacks idx[0..3]
 * (FSK_STACK_NONE for none), over all filaments and levels. */
unsigned fsk_stack_corners_at(const fsk_stack_table *t, const uint16_t idx[4]);

/*
 * fsk_stack_corners_at remembered by a key of the quad, direct mapped in
 * 2^log2 slots: the same few thousand neighbourhoods recur along a map's
 * boundaries. Every slot starts as the all-empty quad (key all ones),
 * which has no corner.
 */
typedef struct fsk_corner_memo {
    uint64_t *key;
    uint16_t *corners;
    int log2;
} fsk_corner_memo;

/* Returns 0 or FSK_ENOMEM (then m holds nothing to free). */
int fsk_corner_memo_init(fsk_corner_memo *m, int log2);
void fsk_corner_memo_free(fsk_corner_memo *m);

/* The corners at a quad of stacks idx of t, remembered under key (which
 * must tell apart the quads the memo sees: fsk_stack_quad_key of what
 * they print). */
static inline unsigned fsk_corner_memo_get(fsk_corner_memo *m, const fsk_stack_table *t,
                                           uint64_t key, const uint16_t idx[4])
{
    size_t slot = (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - m->log2));
    if (m->key[slot] != key) {
        m->key[slot] = key;
        m->corners[slot] = (uint16_t)fsk_stack_corners_at(t, idx);
    }
    return m->corners[slot];
}

#endif
