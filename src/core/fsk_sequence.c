/*
 * fsk_sequence.c — layer sequences: validity, counting, the canonical
 * enumeration order and its inverse, layer and filament counts.
 *
 * Canonical order: sequences with fewer filled slots first; among those
 * with k filled slots, the k slots read as a k-digit number in base n
 * (slot 0, the bottom, most significant; filament 1 is digit 0).
 */
#include <stdint.h>

#include "fsk_calibration.h"

bool fsk_sequence_valid(const uint8_t *seq, int m, int n)
{
    if (m < 1 || m > FSK_MAX_COLOR_LAYERS || n < 1 || seq[0] == 0)
        return false;
    bool empty_seen = false;
    for (int i = 0; i < m; i++) {
        if (seq[i] > n)
            return false;
        if (seq[i] == 0)
            empty_seen = true;
        else if (empty_seen)
            return false;
    }
    return true;
}

uint64_t fsk_sequence_count(int n, int m)
{
    if (n < 1 || m < 1)
        return 0;
    uint64_t total = 0, block = 1;
    for (int k = 1; k <= m; k++) {
        if (block > UINT64_MAX / (uint64_t)n)
            return 0;
        block *= (uint64_t)n;
        if (total > UINT64_MAX - block)
            return 0;
        total += block;
    }
    return total;
}

void fsk_sequence_nth(int n, int m, uint64_t i, uint8_t *seq)
{
    int k = 1;
    uint64_t block = (uint64_t)n;
    while (k < m && i >= block) {
        i -= block;
        k++;
        block *= (uint64_t)n;
    }
    for (int s = m - 1; s >= 0; s--) {
        if (s >= k) {
            seq[s] = 0;
        } else {
            seq[s] = (uint8_t)(i % (uint64_t)n + 1);
            i /= (uint64_t)n;
        }
    }
}

uint64_t fsk_sequence_index(const uint8_t *seq, int m, int n)
{
    if (!fsk_sequence_valid(seq, m, n))
        return UINT64_MAX;
    int k = fsk_sequence_layers(seq, m);
    uint64_t below = fsk_sequence_count(n, k - 1 > 0 ? k - 1 : 0);
    if (k > 1 && below == 0)
        return UINT64_MAX;
    uint64_t digits = 0;
    for (int s = 0; s < k; s++) {
        if (digits > (UINT64_MAX - (uint64_t)(seq[s] - 1)) / (uint64_t)n)
            return UINT64_MAX;
        digits = digits * (uint64_t)n + (uint64_t)(seq[s] - 1);
    }
    if (digits > UINT64_MAX - 1 - below)
        return UINT64_MAX;
    return below + digits;
}

int fsk_sequence_layers(const uint8_t *seq, int m)
{
    int layers = 0;
    for (int i = 0; i < m; i++)
        layers += seq[i] != 0;
    return layers;
}

int fsk_sequence_filaments(const uint8_t *seq, int m)
{
    uint8_t seen[256] = {0};
    int count = 0;
    for (int i = 0; i < m; i++) {
        if (seq[i] != 0 && !seen[seq[i]]) {
            seen[seq[i]] = 1;
            count++;
        }
    }
    return count;
}
