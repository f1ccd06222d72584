/*
 * fixture_map.h — for tests on label maps: a small deterministic random
 * generator and the corner count of a map (fsk_stack_corners), checked.
 */
#ifndef FIXTURE_MAP_H
#define FIXTURE_MAP_H

#include <stdint.h>

#include "fsk_stack_choice.h"
#include "tkit.h"

/* A linear congruential generator; each test file seeds its own state. */
static inline uint32_t fixture_rng(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* fsk_stack_corners of the map, failing the test if it cannot count. */
static inline uint64_t fixture_corners(const uint16_t *map, int w, int h,
                                       const fsk_calibration *cal)
{
    uint64_t n = 0;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_stack_corners(map, w, h, cal, &n, &err), 0);
    return n;
}

#endif
