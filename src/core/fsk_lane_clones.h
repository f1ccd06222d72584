/*
 * fsk_lane_clones.h — the attribute that gives a function working on
 * vectors of colors an AVX2 copy beside the default one on x86-64 (chosen
 * at load time), for the files that compute several colors at once.
 */
#ifndef FSK_LANE_CLONES_H
#define FSK_LANE_CLONES_H

#if defined(__x86_64__) && !defined(__clang__)
#define FSK_LANE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FSK_LANE_CLONES
#endif

#endif
