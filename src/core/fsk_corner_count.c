/*
 * fsk_corner_count.c — corner points around a lattice point
 * (fsk_corner_count.h). With the layer masks of the four pixels the test
 * runs for all levels at once: a bit per level says "varies along x",
 * "along y", "along z", and the corners are the levels where all three
 * hold.
 */
#include "fsk_corner_count.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_bits.h"
#include "fsk_error.h"

int fsk_stack_table_init(fsk_stack_table *t, const fsk_calibration *cal, size_t count)
{
    memset(t, 0, sizeof *t);
    t->layers = cal->construction.color_layers;
    t->filaments = cal->filament_count;
    t->count = count;
    size_t n = count ? count : 1;
    t->filaments_of = calloc(n, sizeof *t->filaments_of);
    t->mask = calloc(n * (size_t)(t->filaments + 1), sizeof *t->mask);
    if (!t->filaments_of || !t->mask) {
        fsk_stack_table_free(t);
        return FSK_ENOMEM;
    }
    return 0;
}

void fsk_stack_table_free(fsk_stack_table *t)
{
    free(t->filaments_of);
    free(t->mask);
    t->filaments_of = NULL;
    t->mask = NULL;
}

int fsk_corner_memo_init(fsk_corner_memo *m, int log2)
{
    size_t n = (size_t)1 << log2;
    m->log2 = log2;
    m->key = malloc(n * sizeof *m->key);
    m->corners = calloc(n, sizeof *m->corners);
    if (!m->key || !m->corners) {
        fsk_corner_memo_free(m);
        return FSK_ENOMEM;
    }
    memset(m->key, 0xFF, n * sizeof *m->key);
    return 0;
}

void fsk_corner_memo_free(fsk_corner_memo *m)
{
    free(m->key);
    free(m->corners);
    m->key = NULL;
    m->corners = NULL;
}

void fsk_stack_table_set(fsk_stack_table *t, size_t index, const uint8_t *sequence)
{
    uint32_t *mask = t->mask + index * (size_t)(t->filaments + 1);
    memset(mask, 0, (size_t)(t->filaments + 1) * sizeof *mask);
    uint32_t fil = 0;
    for (int l = 0; l < t->layers; l++)
        if (sequence[l]) {
            mask[sequence[l]] |= 1u << l;
            fil |= 1u << sequence[l];
        }
    t->filaments_of[index] = fil;
}

unsigned fsk_stack_corners_at(const fsk_stack_table *t, const uint16_t idx[4])
{
    const size_t stride = (size_t)t->filaments + 1;
    const uint32_t levels = (t->layers >= 31 ? ~0u : (2u << t->layers) - 1u);
    uint32_t fil = 0;
    for (int i = 0; i < 4; i++)
        if (idx[i] != FSK_STACK_NONE)
            fil |= t->filaments_of[idx[i]];
    unsigned corners = 0;
    while (fil) {
        int f = __builtin_ctz(fil);
        fil &= fil - 1;
        uint32_t hi[4], lo[4]; /* bit z: occupied just above / below level z */
        for (int i = 0; i < 4; i++) {
            hi[i] = idx[i] == FSK_STACK_NONE ? 0 : t->mask[idx[i] * stride + (size_t)f];
            lo[i] = hi[i] << 1;
        }
        uint32_t along_x = (lo[0] ^ lo[1]) | (lo[2] ^ lo[3]) | (hi[0] ^ hi[1]) | (hi[2] ^ hi[3]);
        uint32_t along_y = (lo[0] ^ lo[2]) | (lo[1] ^ lo[3]) | (hi[0] ^ hi[2]) | (hi[1] ^ hi[3]);
        uint32_t along_z = (lo[0] ^ hi[0]) | (lo[1] ^ hi[1]) | (lo[2] ^ hi[2]) | (lo[3] ^ hi[3]);
        uint32_t at = along_x & along_y & along_z & levels;
        if (at)
            corners += (unsigned)fsk_popcount64(at);
    }
    return corners;
}
