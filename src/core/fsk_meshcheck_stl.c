/*
 * fsk_meshcheck_stl.c — the mesh checker's STL reader: binary and ASCII
 * STL, with triangle corners welded into shared vertices by exact
 * coordinates through an open-addressing hash table.
 */
#include "fsk_meshcheck_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STL_HEADER_BYTES 84
#define STL_RECORD_BYTES 50

/* Vertex index by coordinates; slots hold index + 1, 0 is empty. */
typedef struct weld_table {
    uint32_t *slot;
    size_t mask;
} weld_table;

static uint64_t hash_point(const double p[3])
{
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (int k = 0; k < 3; k++) {
        float f = (float)p[k];
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        h = (h ^ bits) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    return h;
}

static int weld_grow(weld_table *w, const fsk_mc_builder *b)
{
    size_t cap = w->slot ? (w->mask + 1) * 2 : 4096;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return FSK_ENOMEM;
    for (size_t i = 0; i < b->nv; i++) {
        size_t h = (size_t)hash_point(b->v[i]) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)(i + 1);
    }
    free(w->slot);
    w->slot = slot;
    w->mask = cap - 1;
    return 0;
}

/* Index of the vertex at p, adding it when new. Coordinates are finite. */
static int weld(weld_table *w, fsk_mc_builder *b, const double p[3], uint32_t *index,
                fsk_err *err)
{
    /* Keep the table at most half full. */
    if (!w->slot || b->nv + 1 > (w->mask + 1) / 2)
        if (weld_grow(w, b))
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    size_t h = (size_t)hash_point(p) & w->mask;
    for (; w->slot[h]; h = (h + 1) & w->mask) {
        const double *q = b->v[w->slot[h] - 1];
        if (q[0] == p[0] && q[1] == p[1] && q[2] == p[2]) {
            *index = w->slot[h] - 1;
            return 0;
        }
    }
    int rc = fsk_mc_push_vertex(b, p[0], p[1], p[2], err);
    if (rc)
        return rc;
    w->slot[h] = (uint32_t)b->nv;
    *index = (uint32_t)(b->nv - 1);
    return 0;
}

/* Welds the three corners (mm, finite) and adds the triangle. */
static int add_corners(weld_table *w, fsk_mc_builder *b, double c[3][3], fsk_err *err)
{
    uint32_t idx[3];
    for (int k = 0; k < 3; k++) {
        for (int a = 0; a < 3; a++)
            c[k][a] += 0.0; /* -0 and +0 are one point */
        int rc = weld(w, b, c[k], &idx[k], err);
        if (rc)
            return rc;
    }
    return fsk_mc_push_triangle(b, idx[0], idx[1], idx[2], err);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int read_binary(const unsigned char *data, size_t size, weld_table *w,
                       fsk_mc_builder *b, fsk_meshcheck_report *report, fsk_err *err)
{
    uint32_t count = rd32(data + 80);
    uint64_t want = STL_HEADER_BYTES + (uint64_t)count * STL_RECORD_BYTES;
    if (want != size)
        return fsk_err_set(err, FSK_EFORMAT,
                           "%s binary STL: the header says %lu triangles (%llu bytes), the file has %zu bytes",
                           want > size ? "truncated" : "malformed", (unsigned long)count,
                           (unsigned long long)want, size);
    if (count > FSK_MESHCHECK_MAX_TRIANGLES)
        return fsk_err_set(err, FSK_ELIMIT, "more than %zu triangles",
                           FSK_MESHCHECK_MAX_TRIANGLES);
    const unsigned char *p = data + STL_HEADER_BYTES;
    for (uint32_t i = 0; i < count; i++, p += STL_RECORD_BYTES) {
        double c[3][3];
        for (int k = 0; k < 9; k++) {
            uint32_t bits = rd32(p + 12 + 4 * k);
            float f;
            memcpy(&f, &bits, sizeof f);
            if (!isfinite(f))
                return fsk_err_set(err, FSK_EFORMAT,
                                   "triangle %lu has a coordinate that is not a finite number",
                                   (unsigned long)i);
            c[k / 3][k % 3] = f;
        }
        int rc = add_corners(w, b, c, err);
        if (rc)
            return rc;
    }
    report->format = FSK_MESH_STL_BINARY;
    return fsk_mc_finish(b, "", report, err);
}

/* A cursor over ASCII STL text that counts lines for messages. */
typedef struct text_cursor {
    const unsigned char *p, *end;
    size_t line;
} text_cursor;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void skip_space(text_cursor *t)
{
    for (; t->p < t->end && is_space(*t->p); t->p++)
        if (*t->p == '\n')
            t->line++;
}

/* The next word, at most cap-1 bytes (longer words are cut, still consumed). */
static size_t next_word(text_cursor *t, char *out, size_t cap)
{
    skip_space(t);
    size_t n = 0;
    for (; t->p < t->end && !is_space(*t->p); t->p++)
        if (n + 1 < cap)
            out[n++] = (char)*t->p;
    out[n] = '\0';
    return n;
}

static int word_is(const char *w, const char *keyword)
{
    for (; *w && *keyword; w++, keyword++)
        if ((*w | 0x20) != *keyword)
            return 0;
    return !*w && !*keyword;
}

static int expect(text_cursor *t, const char *keyword, fsk_err *err)
{
    char w[32];
    if (!next_word(t, w, sizeof w))
        return fsk_err_set(err, FSK_EFORMAT, "ASCII STL: line %zu: unexpected end of file, expected '%s'",
                           t->line, keyword);
    if (!word_is(w, keyword))
        return fsk_err_set(err, FSK_EFORMAT, "ASCII STL: line %zu: expected '%s', got '%s'",
                           t->line, keyword, w);
    return 0;
}

static int read_number(text_cursor *t, double *out, fsk_err *err)
{
    char w[64];
    if (!next_word(t, w, sizeof w))
        return fsk_err_set(err, FSK_EFORMAT, "ASCII STL: line %zu: unexpected end of file, expected a number",
                           t->line);
    char *end;
    double v = strtod(w, &end);
    if (end == w || *end || !isfinite(v) || !isfinite((float)v))
        return fsk_err_set(err, FSK_EFORMAT, "ASCII STL: line %zu: '%s' is not a finite number",
                           t->line, w);
    /* Binary STL holds float32; round the same way so both forms weld alike. */
    *out = (float)v;
    return 0;
}

/* The rest of the current line, trimmed, as the solid's name. */
static void read_name(text_cursor *t, char *out, size_t cap)
{
    while (t->p < t->end && (*t->p == ' ' || *t->p == '\t'))
        t->p++;
    size_t n = 0;
    for (; t->p < t->end && *t->p != '\n' && *t->p != '\r'; t->p++)
        if (n + 1 < cap)
            out[n++] = *t->p >= 0x20 && *t->p < 0x7F ? (char)*t->p : '?';
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
}

static int read_ascii(const unsigned char *data, size_t size, weld_table *w,
                      fsk_mc_builder *b, fsk_meshcheck_report *report, fsk_err *err)
{
    report->format = FSK_MESH_STL_ASCII;
    text_cursor t = {data, data + size, 1};
    char word[32];
    int rc;
    while (next_word(&t, word, sizeof word)) {
        if (!word_is(word, "solid"))
            return fsk_err_set(err, FSK_EFORMAT, "ASCII STL: line %zu: expected 'solid', got '%s'",
                               t.line, word);
        char name[FSK_MESHCHECK_NAME_MAX];
        read_name(&t, name, sizeof name);
        for (;;) {
            if (!next_word(&t, word, sizeof word))
                return fsk_err_set(err, FSK_EFORMAT,
                                   "ASCII STL: line %zu: unexpected end of file in solid '%s'",
                                   t.line, name);
            if (word_is(word, "endsolid")) {
                char ignored[FSK_MESHCHECK_NAME_MAX];
                read_name(&t, ignored, sizeof ignored);
                break;
            }
            if (!word_is(word, "facet"))
                return fsk_err_set(err, FSK_EFORMAT,
                                   "ASCII STL: line %zu: expected 'facet' or 'endsolid', got '%s'",
                                   t.line, word);
            double normal, c[3][3];
            if ((rc = expect(&t, "normal", err)))
                return rc;
            for (int k = 0; k < 3; k++)
                if ((rc = read_number(&t, &normal, err)))
                    return rc;
            if ((rc = expect(&t, "outer", err)) || (rc = expect(&t, "loop", err)))
                return rc;
            for (int v = 0; v < 3; v++) {
                if ((rc = expect(&t, "vertex", err)))
                    return rc;
                for (int k = 0; k < 3; k++)
                    if ((rc = read_number(&t, &c[v][k], err)))
                        return rc;
            }
            if ((rc = expect(&t, "endloop", err)) || (rc = expect(&t, "endfacet", err)))
                return rc;
            if ((rc = add_corners(w, b, c, err)))
                return rc;
        }
        if ((rc = fsk_mc_finish(b, name, report, err)))
            return rc;
        /* Each solid welds on its own. */
        if (w->slot)
            memset(w->slot, 0, (w->mask + 1) * sizeof *w->slot);
    }
    if (report->mesh_count == 0)
        return fsk_err_set(err, FSK_EFORMAT, "ASCII STL: no solid in the file");
    return 0;
}

/* Text that begins with "solid" and has no control bytes in its first 1 KiB. */
static int looks_ascii(const unsigned char *data, size_t size)
{
    size_t i = 0;
    while (i < size && is_space(data[i]))
        i++;
    /* Some exporters shout: "SOLID". */
    if (size - i < 5 || strncasecmp((const char *)data + i, "solid", 5) != 0)
        return 0;
    size_t n = size < 1024 ? size : 1024;
    for (size_t k = 0; k < n; k++)
        if (data[k] < 0x20 && !is_space(data[k]))
            return 0;
    return 1;
}

int fsk_meshcheck_read_stl(const unsigned char *data, size_t size,
                           fsk_meshcheck_report *report, fsk_err *err)
{
    int binary_size_fits = size >= STL_HEADER_BYTES &&
        STL_HEADER_BYTES + (uint64_t)rd32(data + 80) * STL_RECORD_BYTES == size;
    int ascii = !binary_size_fits && looks_ascii(data, size);
    /* A header count beyond the limit is no truncated STL but some other
     * kind of file (text has counts of 0x20202020 and up). */
    if (!binary_size_fits && !ascii &&
        (size < STL_HEADER_BYTES || rd32(data + 80) > FSK_MESHCHECK_MAX_TRIANGLES))
        return fsk_err_set(err, FSK_EFORMAT,
                           "not an STL or 3MF file (neither ASCII STL nor binary STL of a matching size)");
    weld_table w = {0};
    fsk_mc_builder b = {0};
    int rc = ascii ? read_ascii(data, size, &w, &b, report, err)
                   : read_binary(data, size, &w, &b, report, err);
    free(w.slot);
    fsk_mc_builder_free(&b);
    return rc;
}
