/*
 * fsk_color_answers.h — nearest entries already found for some of an
 * image's 8-bit colors (by the color collector, while the image is still
 * decoding), which the matching then takes instead of looking them up.
 */
#ifndef FSK_COLOR_ANSWERS_H
#define FSK_COLOR_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fsk_color_answer {
    uint32_t key;       /* the color (fsk_color_set.h) */
    uint32_t list;      /* provisional: the matcher's list it came from */
    uint32_t evaluated; /* distances computed for it */
    uint16_t entry;     /* its nearest entry */
    uint8_t single;     /* answered from a one-candidate cell */
    uint8_t provisional; /* to be confirmed (fsk_matcher_answer_stands) */
} fsk_color_answer;

typedef struct fsk_color_answers {
    fsk_color_answer *at;
    size_t count, cap;
} fsk_color_answers;

/* Appends an answer; false when out of memory (the answer is dropped, and
 * the color is then matched the usual way). */
bool fsk_color_answers_add(fsk_color_answers *a, const fsk_color_answer *answer);

/* Frees the array and empties a; NULL is a no-op. */
void fsk_color_answers_free(fsk_color_answers *a);

#endif
