/*
 * fsk_slug.c — file-name-safe slugs of filament names.
 */
#include "fsk_slug.h"

#include <string.h>

char *fsk_slug(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    int pending_dash = 0;
    for (const char *p = name ? name : ""; *p && n + 1 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            /* The dash is written only when a letter follows it and fits,
             * so the slug never starts or ends with one. */
            if (pending_dash && n > 0) {
                if (n + 2 >= cap)
                    break;
                out[n++] = '-';
            }
            pending_dash = 0;
            out[n++] = (char)c;
        } else {
            pending_dash = 1;
        }
    }
    if (n == 0) {
        static const char fallback[] = "filament";
        n = strlen(fallback) < cap - 1 ? strlen(fallback) : cap - 1;
        memcpy(out, fallback, n);
    }
    out[n] = '\0';
    return out;
}
