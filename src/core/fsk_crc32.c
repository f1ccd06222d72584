/*
 * fsk_crc32.c — CRC-32 (fsk_crc32.h). On x86-64 processors with PCLMULQDQ
 * the data is folded 64 bytes at a time by carry-less multiplication and
 * the remainder reduced by Barrett's method, as in Intel's "Fast CRC
 * Computation for Generic Polynomials Using PCLMULQDQ Instruction"
 * (Gopal et al., 2009), for the bit-reflected polynomial 0xEDB88320;
 * shorter pieces, the bytes past the last 16, and other processors go
 * through zlib.
 */
#include "fsk_crc32.h"

#include <zlib.h>

/* zlib's crc32 takes uInt lengths. */
static uint32_t crc32_zlib(uint32_t crc, const unsigned char *data, size_t len)
{
    while (len > 0) {
        uInt n = len > (1u << 30) ? 1u << 30 : (uInt)len;
        crc = (uint32_t)crc32(crc, data, n);
        data += n;
        len -= n;
    }
    return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <stdbool.h>

#define FOLD_TARGET __attribute__((target("pclmul,sse4.1")))

/* x^k mod P for the folding distances, bit-reflected: 4 x 128 + 32 and
 * 4 x 128 - 32 bits (folding 64 bytes ahead), 128 + 32 and 128 - 32 (16
 * bytes), 64 (from 64 bits to 32), and P with mu = x^64 / P for the
 * reduction. */
#define K_FOLD4_LO 0x154442bd4ull
#define K_FOLD4_HI 0x1c6e41596ull
#define K_FOLD1_LO 0x1751997d0ull
#define K_FOLD1_HI 0x0ccaa009eull
#define K_64_TO_32 0x163cd6124ull
#define K_POLY 0x1db710641ull
#define K_MU 0x1f7011641ull

/* a's low half times k's low half, xored with a's high half times k's
 * high half, xored with the next 16 bytes: a moved 128 bits ahead. */
FOLD_TARGET static inline __m128i fold(__m128i a, __m128i k, __m128i next)
{
    __m128i lo = _mm_clmulepi64_si128(a, k, 0x00);
    __m128i hi = _mm_clmulepi64_si128(a, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

/* The CRC register (not inverted) over len >= 64 bytes, a multiple of 16. */
FOLD_TARGET static uint32_t fold_crc(uint32_t reg, const unsigned char *p, size_t len)
{
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
    __m128i x4 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)reg));
    p += 64;
    len -= 64;
    const __m128i k4 = _mm_set_epi64x((long long)K_FOLD4_HI, (long long)K_FOLD4_LO);
    for (; len >= 64; p += 64, len -= 64) {
        x1 = fold(x1, k4, _mm_loadu_si128((const __m128i *)(const void *)p));
        x2 = fold(x2, k4, _mm_loadu_si128((const __m128i *)(const void *)(p + 16)));
        x3 = fold(x3, k4, _mm_loadu_si128((const __m128i *)(const void *)(p + 32)));
        x4 = fold(x4, k4, _mm_loadu_si128((const __m128i *)(const void *)(p + 48)));
    }
    const __m128i k1 = _mm_set_epi64x((long long)K_FOLD1_HI, (long long)K_FOLD1_LO);
    x1 = fold(x1, k1, x2);
    x1 = fold(x1, k1, x3);
    x1 = fold(x1, k1, x4);
    for (; len >= 16; p += 16, len -= 16)
        x1 = fold(x1, k1, _mm_loadu_si128((const __m128i *)(const void *)p));
    /* 128 bits to 64: the low half moved 64 bits ahead onto the high. */
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k1, 0x10), _mm_srli_si128(x1, 8));
    /* 64 bits to 32. */
    const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
    const __m128i k64 = _mm_set_epi64x(0, (long long)K_64_TO_32);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k64, 0x00),
                       _mm_srli_si128(x1, 4));
    /* Barrett: the remainder of the 64 bits by P. */
    const __m128i pmu = _mm_set_epi64x((long long)K_MU, (long long)K_POLY);
    __m128i t = _mm_and_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), pmu, 0x10),
                              mask32);
    x1 = _mm_xor_si128(x1, _mm_clmulepi64_si128(t, pmu, 0x00));
    return (uint32_t)_mm_extract_epi32(x1, 1);
}

uint32_t fsk_crc32(uint32_t crc, const unsigned char *data, size_t len)
{
    /* The processor's features, which the runtime reads before main. */
    bool usable = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    if (!usable || len < 64)
        return crc32_zlib(crc, data, len);
    size_t whole = len & ~(size_t)15;
    crc = ~fold_crc(~crc, data, whole);
    return crc32_zlib(crc, data + whole, len - whole);
}

#else

uint32_t fsk_crc32(uint32_t crc, const unsigned char *data, size_t len)
{
    return crc32_zlib(crc, data, len);
}

#endif
