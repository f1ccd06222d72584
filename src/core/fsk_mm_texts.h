/*
 * fsk_mm_texts.h — the texts of a list of numbers, formatted once: a
 * model's vertices repeat few distinct coordinates (the lattice's columns,
 * rows and layer heights, in millimetres) hundreds of thousands of times,
 * its triangles each vertex index about six times, and formatting a number
 * costs more than copying its text.
 */
#ifndef FSK_MM_TEXTS_H
#define FSK_MM_TEXTS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fsk_mm_texts {
    size_t count;
    char *text;     /* the texts back to back, no separators */
    uint32_t *start; /* count + 1 offsets: text k is text[start[k] .. start[k + 1]) */
} fsk_mm_texts;

/*
 * The texts of values[0..count-1] as fsk_format_mm writes them; or, when
 * values is NULL, of k * step for k = 0..count-1 (computed as
 * (double)k * step). Returns 0 or FSK_ENOMEM (t is then empty). Free with
 * fsk_mm_texts_free.
 */
int fsk_mm_texts_init(fsk_mm_texts *t, const double *values, double step, size_t count);

/* The decimal texts of the integers 0..count-1 (fsk_put_uint), for
 * vertex indices. Returns 0 or FSK_ENOMEM (t is then empty). */
int fsk_index_texts_init(fsk_mm_texts *t, size_t count);

void fsk_mm_texts_free(fsk_mm_texts *t);

/* The longest text, and what fsk_mm_text_put may write past its end. */
#define FSK_MM_TEXT_MAX 32

/* Writes text k of t at p, where FSK_MM_TEXT_MAX bytes are free (it copies
 * that many: one fixed-size move); returns the end of the text. */
static inline char *fsk_mm_text_put(char *p, const fsk_mm_texts *t, size_t k)
{
    memcpy(p, t->text + t->start[k], FSK_MM_TEXT_MAX);
    return p + (t->start[k + 1] - t->start[k]);
}

#endif
