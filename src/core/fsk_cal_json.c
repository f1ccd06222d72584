/*
 * fsk_cal_json.c — filaments, construction and sequence lists as the
 * calibration file and grid.json hold them: reading with path-aware
 * errors, checking, and deterministic writing.
 */
#include "fsk_cal_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_json.h"

#define TRY(expr)                                                              \
    do {                                                                       \
        int rc_ = (expr);                                                      \
        if (rc_)                                                               \
            return rc_;                                                        \
    } while (0)

/* ---- generic readers -------------------------------------------------- */

int fsk_cal_json_expect_object(const char *file, const char *path, const cJSON *item,
                               fsk_err *err)
{
    return cJSON_IsObject(item) ? 0
                                : fsk_json_type_error(file, path, "an object",
                                                      item, err);
}

int fsk_cal_json_read_choice(const char *file, const char *path, const cJSON *obj,
                             const char *key, bool required, const char *const *names,
                             const char *what, int *out, fsk_err *err)
{
    char text[32] = "";
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    char where[256];
    fsk_json_path(where, sizeof where, path, key);
    if (!item) {
        if (required)
            return fsk_err_set(err, FSK_EINVAL, "%s: %s: missing", file, where);
        return 0;
    }
    if (cJSON_IsString(item) && strlen(item->valuestring) < sizeof text)
        memcpy(text, item->valuestring, strlen(item->valuestring) + 1);
    for (int i = 0; names[i]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return fsk_json_type_error(file, where, what, item, err);
}

int fsk_cal_json_read_numbers(const char *file, const char *path, const cJSON *obj,
                              const char *key, bool required, int count, double min,
                              double max, double *out, fsk_err *err)
{
    const cJSON *arr = fsk_json_array(file, path, obj, key, required, count, err);
    if (!arr)
        return err && err->code ? err->code : (required ? FSK_EINVAL : 0);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        bool number = cJSON_IsNumber(it) && isfinite(it->valuedouble);
        if (number && it->valuedouble >= min && it->valuedouble <= max) {
            out[i] = it->valuedouble;
            continue;
        }
        /* The element's path only for the message. */
        char where[256], elem[300];
        fsk_json_path(where, sizeof where, path, key);
        snprintf(elem, sizeof elem, "%s[%d]", where, i);
        if (!number)
            return fsk_json_type_error(file, elem, "a number", it, err);
        return fsk_err_set(err, FSK_EINVAL, "%s: %s: expected a number from %g to %g, got %g",
                           file, elem, min, max, it->valuedouble);
    }
    return 0;
}

/* ---- filaments and construction --------------------------------------- */

static int read_filament(const char *file, const char *path, const cJSON *obj,
                         fsk_filament *f, fsk_err *err)
{
    TRY(fsk_cal_json_expect_object(file, path, obj, err));
    memset(f, 0, sizeof *f);
    TRY(fsk_json_string(file, path, obj, "name", true, f->name, sizeof f->name, err));
    TRY(fsk_json_color(file, path, obj, "color", true, f->rgb, err));
    TRY(fsk_json_string(file, path, obj, "brand", false, f->brand, sizeof f->brand, err));
    TRY(fsk_json_string(file, path, obj, "material", false, f->material,
                        sizeof f->material, err));
    TRY(fsk_json_number(file, path, obj, "td_mm", false, 0.05, 100.0, &f->td_mm, err));
    TRY(fsk_json_number(file, path, obj, "density_g_cm3", false, 0.5, 3.0,
                        &f->density_g_cm3, err));
    return 0;
}

int fsk_cal_json_read_filaments(const char *file, const cJSON *root,
                                fsk_filament out[FSK_MAX_FILAMENTS], int *count,
                                fsk_err *err)
{
    int n;
    const cJSON *list = fsk_json_array_sized(file, root, "filaments", 1, FSK_MAX_FILAMENTS,
                                             "filaments", &n, err);
    if (!list)
        return err ? err->code : FSK_EINVAL;
    int i = 0;
    for (const cJSON *it = list->child; it; it = it->next, i++) {
        char where[32];
        snprintf(where, sizeof where, "filaments[%d]", i);
        TRY(read_filament(file, where, it, &out[i], err));
    }
    *count = n;
    return 0;
}

bool fsk_cal_json_multiple_of(double v, double step)
{
    double k = round(v / step);
    return k >= 1 && fabs(v - k * step) <= 1e-6 * (1 + v);
}

int fsk_cal_json_read_construction(const char *file, const cJSON *root,
                                   int filament_count, fsk_construction *c,
                                   fsk_err *err)
{
    static const char *const views[] = {"top", "bottom", NULL};
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "construction");
    if (!obj)
        return fsk_err_set(err, FSK_EINVAL, "%s: construction: missing", file);
    TRY(fsk_cal_json_expect_object(file, "construction", obj, err));
    TRY(fsk_json_number(file, "construction", obj, "layer_height", true, 0.01, 2.0,
                        &c->layer_height_mm, err));
    TRY(fsk_json_int(file, "construction", obj, "color_layers", true, 1,
                     FSK_MAX_COLOR_LAYERS, &c->color_layers, err));
    int view = 0;
    TRY(fsk_cal_json_read_choice(file, "construction", obj, "view", true, views,
                                 "\"top\" or \"bottom\"", &view, err));
    c->view = view == 1 ? FSK_VIEW_BOTTOM : FSK_VIEW_TOP;
    const cJSON *backing = cJSON_GetObjectItemCaseSensitive(obj, "backing");
    if (!backing)
        return fsk_err_set(err, FSK_EINVAL, "%s: construction.backing: missing", file);
    c->backing_filament = 0;
    c->backing_mm = 0;
    if (cJSON_IsNull(backing))
        return 0;
    if (!cJSON_IsObject(backing))
        return fsk_json_type_error(file, "construction.backing",
                                   "an object or null", backing, err);
    TRY(fsk_json_int(file, "construction.backing", backing, "filament", true, 1,
                     filament_count, &c->backing_filament, err));
    TRY(fsk_json_number(file, "construction.backing", backing, "thickness", true,
                        0.01, 20.0, &c->backing_mm, err));
    if (!fsk_cal_json_multiple_of(c->backing_mm, c->layer_height_mm))
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.backing.thickness: %g mm is not a "
                           "multiple of the layer height %g mm",
                           file, c->backing_mm, c->layer_height_mm);
    return 0;
}

int fsk_cal_json_check_filaments(const char *name, const fsk_filament *filaments,
                                 int count, fsk_err *err)
{
    if (count < 1 || count > FSK_MAX_FILAMENTS)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: filaments: expected 1 to %d filaments, got %d",
                           name, FSK_MAX_FILAMENTS, count);
    for (int i = 0; i < count; i++)
        if (!filaments[i].name[0])
            return fsk_err_set(err, FSK_EINVAL, "%s: filaments[%d].name: missing",
                               name, i);
    return 0;
}

int fsk_cal_json_check_construction(const char *name, const fsk_construction *c,
                                    int filament_count, fsk_err *err)
{
    if (!(c->layer_height_mm >= 0.01 && c->layer_height_mm <= 2.0))
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.layer_height: expected a number "
                           "from 0.01 to 2, got %g",
                           name, c->layer_height_mm);
    if (c->color_layers < 1 || c->color_layers > FSK_MAX_COLOR_LAYERS)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.color_layers: expected an integer "
                           "from 1 to %d, got %d",
                           name, FSK_MAX_COLOR_LAYERS, c->color_layers);
    if (c->backing_filament < 0 || c->backing_filament > filament_count)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.backing.filament: expected an "
                           "integer from 1 to %d, got %d",
                           name, filament_count, c->backing_filament);
    if (c->backing_filament > 0 &&
        !(c->backing_mm <= 20.0 &&
          fsk_cal_json_multiple_of(c->backing_mm, c->layer_height_mm)))
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.backing.thickness: expected a "
                           "multiple of the layer height %g up to 20, got %g",
                           name, c->layer_height_mm, c->backing_mm);
    return 0;
}

/* ---- sequence lists --------------------------------------------------- */

static void format_sequence(char *buf, size_t cap, const uint8_t *seq, int m)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < m && len + 6 < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%u", i ? ", " : "[",
                                (unsigned)seq[i]);
    snprintf(buf + len, cap - len, "]");
}

typedef struct keyed {
    uint8_t seq[FSK_MAX_COLOR_LAYERS]; /* unused slots zero */
    size_t index;
} keyed;

/* By sequence, then by index, so duplicates are adjacent and the first
 * occurrence comes first. */
static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = memcmp(a->seq, b->seq, sizeof a->seq);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

int fsk_cal_json_check_sequences(const char *name, const char *list,
                                 const void *records, size_t count, size_t stride,
                                 size_t seq_offset, int m, int n, fsk_err *err)
{
    const unsigned char *first = (const unsigned char *)records + seq_offset;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *seq = first + i * stride;
        if (fsk_sequence_valid(seq, m, n))
            continue;
        for (int s = 0; s < m; s++)
            if (seq[s] > n)
                return fsk_err_set(err, FSK_EINVAL,
                                   "%s: %s[%zu].sequence[%d]: expected an "
                                   "integer from 0 to %d, got %u",
                                   name, list, i, s, n, (unsigned)seq[s]);
        if (seq[0] == 0 && fsk_sequence_layers(seq, m) == 0)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: %s[%zu].sequence: all slots are empty", name,
                               list, i);
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: %s[%zu].sequence: empty slot below a filled one",
                           name, list, i);
    }
    if (count < 2)
        return 0;
    keyed *order = calloc(count, sizeof *order);
    if (!order)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        memcpy(order[i].seq, first + i * stride, (size_t)m);
        order[i].index = i;
    }
    qsort(order, count, sizeof *order, cmp_keyed);
    int rc = 0;
    for (size_t k = 1; k < count && rc == 0; k++) {
        if (memcmp(order[k - 1].seq, order[k].seq, sizeof order[k].seq) == 0) {
            char text[FSK_MAX_COLOR_LAYERS * 5 + 4];
            format_sequence(text, sizeof text, order[k].seq, m);
            rc = fsk_err_set(err, FSK_EINVAL,
                             "%s: %s[%zu].sequence: %s is listed twice, also at "
                             "%s[%zu]",
                             name, list, order[k].index, text, list,
                             order[k - 1].index);
        }
    }
    free(order);
    return rc;
}

/* ---- writing ---------------------------------------------------------- */

const char *fsk_cal_json_number(char *buf, size_t cap, double v, int decimals)
{
    snprintf(buf, cap, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, cap, "0");
    return buf;
}

void fsk_cal_json_write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void fsk_cal_json_write_filaments(FILE *f, const fsk_filament *filaments, int count)
{
    char b[40];
    fprintf(f, "  \"filaments\": [\n");
    for (int i = 0; i < count; i++) {
        const fsk_filament *fl = &filaments[i];
        fprintf(f, "    {\"name\": ");
        fsk_cal_json_write_string(f, fl->name);
        fprintf(f, ", \"color\": \"#%02X%02X%02X\"", fl->rgb[0], fl->rgb[1],
                fl->rgb[2]);
        if (fl->brand[0]) {
            fprintf(f, ", \"brand\": ");
            fsk_cal_json_write_string(f, fl->brand);
        }
        if (fl->material[0]) {
            fprintf(f, ", \"material\": ");
            fsk_cal_json_write_string(f, fl->material);
        }
        if (fl->td_mm > 0)
            fprintf(f, ", \"td_mm\": %s", fsk_cal_json_number(b, sizeof b, fl->td_mm, 4));
        if (fl->density_g_cm3 > 0)
            fprintf(f, ", \"density_g_cm3\": %s",
                    fsk_cal_json_number(b, sizeof b, fl->density_g_cm3, 4));
        fprintf(f, "}%s\n", i + 1 < count ? "," : "");
    }
    fprintf(f, "  ],\n");
}

void fsk_cal_json_write_construction(FILE *f, const fsk_construction *c)
{
    char b1[40], b2[40];
    fprintf(f, "  \"construction\": {\"layer_height\": %s, \"color_layers\": %d, ",
            fsk_cal_json_number(b1, sizeof b1, c->layer_height_mm, 6), c->color_layers);
    if (c->backing_filament > 0)
        fprintf(f, "\"backing\": {\"filament\": %d, \"thickness\": %s}, ",
                c->backing_filament, fsk_cal_json_number(b2, sizeof b2, c->backing_mm, 6));
    else
        fprintf(f, "\"backing\": null, ");
    fprintf(f, "\"view\": \"%s\"},\n", fsk_view_name(c->view));
}

void fsk_cal_json_write_sequence(FILE *f, const uint8_t *seq, int m)
{
    fputc('[', f);
    for (int s = 0; s < m; s++)
        fprintf(f, "%s%u", s ? ", " : "", (unsigned)seq[s]);
    fputc(']', f);
}
