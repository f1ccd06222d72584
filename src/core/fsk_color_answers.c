/*
 * fsk_color_answers.c — a growing list of colors' nearest entries
 * (fsk_color_answers.h).
 */
#include "fsk_color_answers.h"

#include <stdlib.h>

bool fsk_color_answers_add(fsk_color_answers *a, const fsk_color_answer *answer)
{
    if (a->count == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 4096;
        fsk_color_answer *grown = realloc(a->at, cap * sizeof *grown);
        if (!grown)
            return false;
        a->at = grown;
        a->cap = cap;
    }
    a->at[a->count++] = *answer;
    return true;
}

void fsk_color_answers_free(fsk_color_answers *a)
{
    if (!a)
        return;
    free(a->at);
    *a = (fsk_color_answers){0};
}
