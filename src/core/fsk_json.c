/*
 * fsk_json.c — cJSON loading with line numbers and path-aware field readers.
 */
#include "fsk_json.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"

static int line_of(const char *data, const char *at)
{
    int line = 1;
    for (const char *p = data; p < at; p++)
        if (*p == '\n')
            line++;
    return line;
}

/* True when the text ends inside a string or an unclosed array or object:
 * the file was cut short rather than written wrongly. */
static bool ends_unclosed(const char *p, const char *end)
{
    long depth = 0;
    bool in_string = false;
    for (; p < end; p++) {
        if (in_string) {
            if (*p == '\\' && p + 1 < end)
                p++;
            else if (*p == '"')
                in_string = false;
        } else if (*p == '"') {
            in_string = true;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
    }
    return in_string || depth > 0;
}

static bool only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (!isspace((unsigned char)*p))
            return false;
    return true;
}

cJSON *fsk_json_parse(const char *name, const char *data, size_t size,
                      fsk_err *err)
{
    if (memchr(data, '\0', size)) {
        const char *nul = memchr(data, '\0', size);
        fsk_err_set(err, FSK_EFORMAT, "%s: line %d: not a JSON text (NUL byte)",
                    name, line_of(data, nul));
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, size, &end, false);
    if (!root) {
        const char *at = end ? end : data + size;
        if (at > data + size)
            at = data + size;
        if (at >= data + size || only_space(at, data + size) ||
            ends_unclosed(data, data + size))
            fsk_err_set(err, FSK_EFORMAT,
                        "%s: line %d: unexpected end of file (truncated JSON)",
                        name, line_of(data, data + size));
        else
            fsk_err_set(err, FSK_EFORMAT, "%s: line %d: malformed JSON", name,
                        line_of(data, at));
        return NULL;
    }
    if (end && !only_space(end, data + size)) {
        fsk_err_set(err, FSK_EFORMAT, "%s: line %d: unexpected text after JSON",
                    name, line_of(data, end));
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

cJSON *fsk_json_load(const char *path, fsk_err *err)
{
    unsigned char *data;
    size_t size;
    if (fsk_file_read(path, FSK_JSON_MAX_BYTES, &data, &size, err) != 0)
        return NULL;
    cJSON *root = fsk_json_parse(path, (const char *)data, size, err);
    free(data);
    return root;
}

/* Appends as much of s as fits (keeping the terminating NUL) at buf + at;
 * the new length. */
static size_t append_cut(char *buf, size_t cap, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n >= cap)
        n = cap - 1 - at;
    memcpy(buf + at, s, n);
    buf[at + n] = '\0';
    return at + n;
}

/* Every field read formats its path (for a message it may need), so this
 * copies instead of going through printf. */
const char *fsk_json_path(char *buf, size_t cap, const char *path,
                          const char *key)
{
    if (cap == 0)
        return buf;
    size_t at = 0;
    if (path && path[0]) {
        at = append_cut(buf, cap, at, path);
        at = append_cut(buf, cap, at, ".");
    }
    append_cut(buf, cap, at, key);
    return buf;
}

int fsk_json_type_error(const char *file, const char *path, const char *what,
                        const cJSON *item, fsk_err *err)
{
    char shown[48] = "nothing";
    if (item) {
        char *txt = cJSON_PrintUnformatted(item);
        if (txt) {
            size_t n = strlen(txt);
            if (n >= sizeof shown)
                snprintf(shown, sizeof shown, "%.40s...", txt);
            else
                memcpy(shown, txt, n + 1);
            cJSON_free(txt);
        }
    }
    return fsk_err_set(err, FSK_EINVAL, "%s: %s: expected %s, got %s", file,
                       path, what, shown);
}

static const cJSON *member(const char *file, const char *path, const cJSON *obj,
                           const char *key, bool required, char *where,
                           size_t where_cap, fsk_err *err)
{
    fsk_json_path(where, where_cap, path, key);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item && required)
        fsk_err_set(err, FSK_EINVAL, "%s: %s: missing", file, where);
    return item;
}

int fsk_json_string(const char *file, const char *path, const cJSON *obj,
                    const char *key, bool required, char *out, size_t cap,
                    fsk_err *err)
{
    char where[256];
    const cJSON *item = member(file, path, obj, key, required, where,
                               sizeof where, err);
    if (!item)
        return required ? FSK_EINVAL : 0;
    if (!cJSON_IsString(item) || !item->valuestring[0])
        return fsk_json_type_error(file, where, "a non-empty string", item, err);
    size_t n = strlen(item->valuestring);
    if (n >= cap)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: %s: longer than %zu characters", file, where,
                           cap - 1);
    memcpy(out, item->valuestring, n + 1);
    return 0;
}

int fsk_json_number(const char *file, const char *path, const cJSON *obj,
                    const char *key, bool required, double min, double max,
                    double *out, fsk_err *err)
{
    char where[256];
    const cJSON *item = member(file, path, obj, key, required, where,
                               sizeof where, err);
    if (!item)
        return required ? FSK_EINVAL : 0;
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
        return fsk_json_type_error(file, where, "a number", item, err);
    double v = item->valuedouble;
    if (v < min || v > max)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: %s: expected a number from %g to %g, got %g",
                           file, where, min, max, v);
    *out = v;
    return 0;
}

int fsk_json_int(const char *file, const char *path, const cJSON *obj,
                 const char *key, bool required, int min, int max, int *out,
                 fsk_err *err)
{
    char where[256];
    const cJSON *item = member(file, path, obj, key, required, where,
                               sizeof where, err);
    if (!item)
        return required ? FSK_EINVAL : 0;
    if (!cJSON_IsNumber(item) || item->valuedouble != floor(item->valuedouble))
        return fsk_json_type_error(file, where, "an integer", item, err);
    double v = item->valuedouble;
    if (v < min || v > max)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: %s: expected an integer from %d to %d, got %g",
                           file, where, min, max, v);
    *out = (int)v;
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int fsk_json_color(const char *file, const char *path, const cJSON *obj,
                   const char *key, bool required, unsigned char rgb[3],
                   fsk_err *err)
{
    char where[256];
    const cJSON *item = member(file, path, obj, key, required, where,
                               sizeof where, err);
    if (!item)
        return required ? FSK_EINVAL : 0;
    const char *s = cJSON_IsString(item) ? item->valuestring : NULL;
    bool ok = s && s[0] == '#' && strlen(s) == 7;
    for (int i = 0; ok && i < 6; i++)
        ok = hex_digit(s[1 + i]) >= 0;
    if (!ok)
        return fsk_json_type_error(file, where, "\"#RRGGBB\"", item, err);
    for (int i = 0; i < 3; i++)
        rgb[i] = (unsigned char)(hex_digit(s[1 + 2 * i]) * 16 +
                                 hex_digit(s[2 + 2 * i]));
    return 0;
}

const cJSON *fsk_json_array(const char *file, const char *path,
                            const cJSON *obj, const char *key, bool required,
                            int want_len, fsk_err *err)
{
    char where[256];
    fsk_err_clear(err);
    const cJSON *item = member(file, path, obj, key, required, where,
                               sizeof where, err);
    if (!item)
        return NULL;
    if (!cJSON_IsArray(item)) {
        fsk_json_type_error(file, where, "an array", item, err);
        return NULL;
    }
    if (want_len >= 0 && cJSON_GetArraySize(item) != want_len) {
        char what[48];
        snprintf(what, sizeof what, "an array of %d elements", want_len);
        fsk_json_type_error(file, where, what, item, err);
        return NULL;
    }
    return item;
}

const cJSON *fsk_json_array_sized(const char *file, const cJSON *obj, const char *key,
                                  int min, int max, const char *what, int *count,
                                  fsk_err *err)
{
    const cJSON *list = fsk_json_array(file, "", obj, key, true, -1, err);
    if (!list)
        return NULL;
    int n = cJSON_GetArraySize(list);
    if (n < min || n > max) {
        fsk_err_set(err, FSK_EINVAL, "%s: %s: expected %d to %d %s, got %d", file, key, min,
                    max, what, n);
        return NULL;
    }
    *count = n;
    return list;
}
