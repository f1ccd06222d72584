/*
 * fsk_stack_choice.h — among stacks of practically the same color, the ones
 * that make the simplest solids.
 *
 * A calibration often holds several sequences with the same color: an
 * opaque filament looks alike in three layers or four, and the averaging
 * model of the reference pipeline gives [C, M] and [M, C, M, C] one color.
 * The matcher keeps one of them (fsk_matcher_twins lists the others). Which
 * one a color prints with does not change how it looks, but it changes the
 * geometry: where neighbouring colors share a filament in the same layer,
 * their border needs no wall there. This stage picks, for every color of a
 * label map, the twin that minimises the number of corner points of all
 * parts' surfaces (points where a surface is not locally flat or a straight
 * edge: every exact mesh has a vertex there), by iterated local descent:
 * each color in turn takes the twin that lowers the count most, given the
 * others, until no color changes. Deterministic; one pass costs
 * O(distinct 2x2 neighbourhoods x twins).
 */
#ifndef FSK_STACK_CHOICE_H
#define FSK_STACK_CHOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_match.h"

typedef struct fsk_stack_choice_stats {
    uint64_t corners_before; /* corner points of the parts' surfaces, matcher's stacks */
    uint64_t corners_after;  /* the same with the chosen stacks */
    int colors_with_twins;   /* colors of the map that had a choice */
    int colors_changed;      /* colors now printed with another stack */
    int passes;              /* descent passes until nothing changed */
    bool skipped;            /* over 2^20 distinct 2x2 neighbourhoods: no choice made */
} fsk_stack_choice_stats;

/*
 * Replaces, in the width x height label map (fsk_labels.h), every entry by
 * the twin chosen for it (fsk_matcher_twins of m, built on cal). Entries
 * that are not candidates of m and the transparent labels stay as they
 * are. A map with more than 2^20 distinct 2x2 neighbourhoods (a finely
 * dithered huge print) is left as it is, with stats->skipped set, so the
 * memory stays bounded. stats may be NULL. Errors: out of memory (the map
 * is then unchanged).
 */
int fsk_stack_choice_apply(uint16_t *labels, int width, int height,
                           const fsk_calibration *cal, const fsk_matcher *m,
                           fsk_stack_choice_stats *stats, fsk_err *err);

/*
 * Corner points, as above, of the parts' surfaces of a label map, counted
 * over the color layers (the backing part is left out): the measure the
 * choice minimises, for tests and reports. Errors: out of memory,
 * FSK_ELIMIT past 2^20 distinct 2x2 neighbourhoods.
 */
int fsk_stack_corners(const uint16_t *labels, int width, int height,
                      const fsk_calibration *cal, uint64_t *corners, fsk_err *err);

#endif
