/*
 * fsk_bits.h — population count inlined: without the popcnt instruction
 * in the target (the x86-64 baseline), __builtin_popcount compiles to a
 * call into libgcc, which costs more than the count in the hot loops that
 * use it (ranks in the color set, corners, mesh lattice bits).
 */
#ifndef FSK_BITS_H
#define FSK_BITS_H

#include <stdint.h>

static inline int fsk_popcount64(uint64_t v)
{
#ifdef __POPCNT__
    return __builtin_popcountll(v);
#else
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((v * 0x0101010101010101ull) >> 56);
#endif
}

#endif
