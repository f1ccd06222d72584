/*
 * fsk_mm_texts.c — millimetre and index texts formatted once
 * (fsk_mm_texts.h).
 */
#include "fsk_mm_texts.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_error.h"
#include "fsk_text_sink.h" /* fsk_format_mm, fsk_put_uint */

int fsk_mm_texts_init(fsk_mm_texts *t, const double *values, double step, size_t count)
{
    memset(t, 0, sizeof *t);
    /* A text is at most 32 characters (fsk_format_mm). */
    if (count > UINT32_MAX / 32)
        return FSK_ENOMEM;
    /* Padded so that FSK_MM_TEXT_MAX bytes can be read from any start. */
    t->text = calloc(32 * count + FSK_MM_TEXT_MAX, 1);
    t->start = malloc((count + 1) * sizeof *t->start);
    if (!t->text || !t->start) {
        fsk_mm_texts_free(t);
        return FSK_ENOMEM;
    }
    uint32_t at = 0;
    t->start[0] = 0;
    for (size_t k = 0; k < count; k++) {
        char tmp[33];
        int n = fsk_format_mm(values ? values[k] : (double)k * step, tmp);
        memcpy(t->text + at, tmp, (size_t)n);
        at += (uint32_t)n;
        t->start[k + 1] = at;
    }
    t->count = count;
    return 0;
}

int fsk_index_texts_init(fsk_mm_texts *t, size_t count)
{
    memset(t, 0, sizeof *t);
    /* Room for every index as long as the last, which start[] must reach;
     * only what is written is touched. */
    char last[24];
    size_t width = (size_t)(fsk_put_uint(last, count ? count - 1 : 0) - last);
    if (count > (UINT32_MAX - FSK_MM_TEXT_MAX) / width)
        return FSK_ENOMEM;
    /* Padded so that FSK_MM_TEXT_MAX bytes can be read from any start. */
    t->text = malloc(count * width + FSK_MM_TEXT_MAX);
    t->start = malloc((count + 1) * sizeof *t->start);
    if (!t->text || !t->start) {
        fsk_mm_texts_free(t);
        return FSK_ENOMEM;
    }
    char *p = t->text;
    t->start[0] = 0;
    for (size_t k = 0; k < count; k++) {
        p = fsk_put_uint(p, k);
        t->start[k + 1] = (uint32_t)(p - t->text);
    }
    memset(p, 0, FSK_MM_TEXT_MAX);
    t->count = count;
    return 0;
}

void fsk_mm_texts_free(fsk_mm_texts *t)
{
    free(t->text);
    free(t->start);
    memset(t, 0, sizeof *t);
}
