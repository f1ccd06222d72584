/*
 * fsk_slug.h — file-name-safe slugs from filament names, for output file
 * names such as "logo_cyan-pla.stl".
 */
#ifndef FSK_SLUG_H
#define FSK_SLUG_H

#include <stddef.h>

/*
 * Writes into out (cap bytes, cap >= 2) a slug of name: ASCII letters
 * lowercased, digits kept, every other run of bytes (spaces, punctuation,
 * non-ASCII) becomes one '-', with no '-' at either end; the result holds
 * only [a-z0-9-] and is cut to cap-1 bytes (again without a trailing '-').
 * A name with no letters or digits (or NULL) gives "filament". Returns out.
 * "Cyan PLA" -> "cyan-pla", "  Bambu  PLA+ (Matte) " -> "bambu-pla-matte".
 */
char *fsk_slug(const char *name, char *out, size_t cap);

#endif
