/*
 * fsk_color_terms.h — pieces of the CIEDE2000 formula shared by the exact
 * function (fsk_color.c) and its bounds four pairs at a time
 * (fsk_color_range.c). Each is written once for any arithmetic type, double
 * or a GCC vector of doubles, so both files compute it with the same
 * operations in the same order.
 */
#ifndef FSK_COLOR_TERMS_H
#define FSK_COLOR_TERMS_H

#define FSK_PI 3.14159265358979323846
#define FSK_POW25_7 6103515625.0 /* 25^7, in G and RC */

/* x^7 with four multiplications. */
#define FSK_DEFINE_POW7(name, type)                                                     \
    static inline type name(type x)                                                     \
    {                                                                                   \
        type x2 = x * x;                                                                \
        return x2 * x2 * x2 * x;                                                        \
    }

/* CIEDE2000's hue weighting T from the cosine c1 and sine s1 of the mean
 * hue, by the multiple-angle formulas: no trigonometric call. */
#define FSK_DEFINE_DE2000_T(name, type)                                                 \
    static inline type name(type c1, type s1)                                           \
    {                                                                                   \
        const double COS30 = 0.86602540378443865, SIN30 = 0.5;                         \
        const double COS6 = 0.99452189536827329, SIN6 = 0.10452846326765347;            \
        const double COS63 = 0.45399049973954679, SIN63 = 0.89100652418836787;          \
        type c2 = c1 * c1 - s1 * s1, s2 = 2 * s1 * c1;                                  \
        type c3 = c2 * c1 - s2 * s1, s3 = s2 * c1 + c2 * s1;                            \
        type c4 = c2 * c2 - s2 * s2, s4 = 2 * s2 * c2;                                  \
        return 1.0 - 0.17 * (c1 * COS30 + s1 * SIN30) + 0.24 * c2 +                     \
               0.32 * (c3 * COS6 - s3 * SIN6) - 0.20 * (c4 * COS63 + s4 * SIN63);       \
    }

#endif
