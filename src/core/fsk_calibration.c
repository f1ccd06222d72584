/*
 * fsk_calibration.c — the calibration file ("filastack-calibration",
 * version 1): parsing with path-aware errors, checking, and deterministic
 * saving (fixed key order and number formatting, one entry per line).
 */
#include "fsk_calibration.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_file.h"
#include "fsk_json.h"

#define FORMAT_NAME "filastack-calibration"
#define FORMAT_VERSION 1

#define TRY(expr)                                                              \
    do {                                                                       \
        int rc_ = (expr);                                                      \
        if (rc_)                                                               \
            return rc_;                                                        \
    } while (0)

const char *fsk_view_name(fsk_view view)
{
    return view == FSK_VIEW_BOTTOM ? "bottom" : "top";
}

const char *fsk_origin_name(fsk_origin origin)
{
    switch (origin) {
    case FSK_ORIGIN_SCAN: return "scan";
    case FSK_ORIGIN_PREDICTED: return "predicted";
    case FSK_ORIGIN_MODEL: return "model";
    }
    return "scan";
}

static const char *const source_kinds[] = {"scan", "predicted", "reference", NULL};

fsk_calibration *fsk_calibration_new(size_t entry_count, fsk_err *err)
{
    if (entry_count > FSK_CAL_MAX_ENTRIES) {
        fsk_err_set(err, FSK_ELIMIT, "calibration has %zu entries, more than %d",
                    entry_count, FSK_CAL_MAX_ENTRIES);
        return NULL;
    }
    fsk_calibration *cal = calloc(1, sizeof *cal);
    if (cal && entry_count) {
        cal->entries = calloc(entry_count, sizeof *cal->entries);
        if (!cal->entries) {
            free(cal);
            cal = NULL;
        }
    }
    if (!cal) {
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    cal->entry_count = entry_count;
    return cal;
}

void fsk_calibration_free(fsk_calibration *cal)
{
    if (!cal)
        return;
    free(cal->entries);
    free(cal);
}

/* ---- checking --------------------------------------------------------- */

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

static int check_sequences(const char *name, const fsk_calibration *cal,
                           fsk_err *err)
{
    int m = cal->construction.color_layers, n = cal->filament_count;
    for (size_t i = 0; i < cal->entry_count; i++) {
        const uint8_t *seq = cal->entries[i].sequence;
        if (fsk_sequence_valid(seq, m, n))
            continue;
        for (int s = 0; s < m; s++)
            if (seq[s] > n)
                return fsk_err_set(err, FSK_EINVAL,
                                   "%s: entries[%zu].sequence[%d]: expected an "
                                   "integer from 0 to %d, got %u",
                                   name, i, s, n, (unsigned)seq[s]);
        if (seq[0] == 0 && fsk_sequence_layers(seq, m) == 0)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: entries[%zu].sequence: all slots are empty",
                               name, i);
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: entries[%zu].sequence: empty slot below a "
                           "filled one",
                           name, i);
    }
    keyed *order = calloc(cal->entry_count, sizeof *order);
    if (!order)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t i = 0; i < cal->entry_count; i++) {
        memcpy(order[i].seq, cal->entries[i].sequence, (size_t)m);
        order[i].index = i;
    }
    qsort(order, cal->entry_count, sizeof *order, cmp_keyed);
    int rc = 0;
    for (size_t k = 1; k < cal->entry_count && rc == 0; k++) {
        if (memcmp(order[k - 1].seq, order[k].seq, sizeof order[k].seq) == 0) {
            char text[FSK_MAX_COLOR_LAYERS * 5 + 4];
            format_sequence(text, sizeof text, order[k].seq, m);
            rc = fsk_err_set(err, FSK_EINVAL,
                             "%s: entries[%zu].sequence: %s is listed twice, "
                             "also at entries[%zu]",
                             name, order[k].index, text, order[k - 1].index);
        }
    }
    free(order);
    return rc;
}

/* True when v is a whole multiple of step, allowing for decimal rounding. */
static bool multiple_of(double v, double step)
{
    double k = round(v / step);
    return k >= 1 && fabs(v - k * step) <= 1e-6 * (1 + v);
}

int fsk_calibration_check(const char *name, const fsk_calibration *cal,
                          fsk_err *err)
{
    const fsk_construction *c = &cal->construction;
    if (cal->filament_count < 1 || cal->filament_count > FSK_MAX_FILAMENTS)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: filaments: expected 1 to %d filaments, got %d",
                           name, FSK_MAX_FILAMENTS, cal->filament_count);
    for (int i = 0; i < cal->filament_count; i++)
        if (!cal->filaments[i].name[0])
            return fsk_err_set(err, FSK_EINVAL, "%s: filaments[%d].name: missing",
                               name, i);
    bool kind_ok = false;
    for (int i = 0; source_kinds[i]; i++)
        kind_ok = kind_ok || strcmp(cal->source.kind, source_kinds[i]) == 0;
    if (!kind_ok)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: source.kind: expected \"scan\", \"predicted\" or "
                           "\"reference\", got \"%s\"",
                           name, cal->source.kind);
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
    if (c->backing_filament < 0 || c->backing_filament > cal->filament_count)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.backing.filament: expected an "
                           "integer from 1 to %d, got %d",
                           name, cal->filament_count, c->backing_filament);
    if (c->backing_filament > 0 &&
        !(c->backing_mm <= 20.0 && multiple_of(c->backing_mm, c->layer_height_mm)))
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.backing.thickness: expected a "
                           "multiple of the layer height %g up to 20, got %g",
                           name, c->layer_height_mm, c->backing_mm);
    if (cal->entry_count < 1 || cal->entry_count > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: entries: expected 1 to %d entries, got %zu", name,
                           FSK_CAL_MAX_ENTRIES, cal->entry_count);
    return check_sequences(name, cal, err);
}

/* ---- parsing ---------------------------------------------------------- */

static int expect_object(const char *file, const char *path, const cJSON *item,
                         fsk_err *err)
{
    return cJSON_IsObject(item) ? 0
                                : fsk_json_type_error(file, path, "an object",
                                                      item, err);
}

/* One of names (NULL-terminated) as its index. */
static int read_choice(const char *file, const char *path, const cJSON *obj,
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

/* An array of count numbers in [min, max]. */
static int read_numbers(const char *file, const char *path, const cJSON *obj,
                        const char *key, bool required, int count, double min,
                        double max, double *out, fsk_err *err)
{
    const cJSON *arr = fsk_json_array(file, path, obj, key, required, count, err);
    if (!arr)
        return err && err->code ? err->code : (required ? FSK_EINVAL : 0);
    char where[256], elem[300];
    fsk_json_path(where, sizeof where, path, key);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        snprintf(elem, sizeof elem, "%s[%d]", where, i);
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
            return fsk_json_type_error(file, elem, "a number", it, err);
        if (it->valuedouble < min || it->valuedouble > max)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: %s: expected a number from %g to %g, got %g",
                               file, elem, min, max, it->valuedouble);
        out[i] = it->valuedouble;
    }
    return 0;
}

static int parse_filament(const char *file, const char *path, const cJSON *obj,
                          fsk_filament *f, fsk_err *err)
{
    TRY(expect_object(file, path, obj, err));
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

static int parse_filaments(const char *file, const cJSON *root,
                           fsk_calibration *cal, fsk_err *err)
{
    const cJSON *list = fsk_json_array(file, "", root, "filaments", true, -1, err);
    if (!list)
        return err ? err->code : FSK_EINVAL;
    int n = cJSON_GetArraySize(list);
    if (n < 1 || n > FSK_MAX_FILAMENTS)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: filaments: expected 1 to %d filaments, got %d", file,
                           FSK_MAX_FILAMENTS, n);
    int i = 0;
    for (const cJSON *it = list->child; it; it = it->next, i++) {
        char where[32];
        snprintf(where, sizeof where, "filaments[%d]", i);
        TRY(parse_filament(file, where, it, &cal->filaments[i], err));
    }
    cal->filament_count = n;
    return 0;
}

static int parse_construction(const char *file, const cJSON *root,
                              fsk_calibration *cal, fsk_err *err)
{
    static const char *const views[] = {"top", "bottom", NULL};
    fsk_construction *c = &cal->construction;
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "construction");
    if (!obj)
        return fsk_err_set(err, FSK_EINVAL, "%s: construction: missing", file);
    TRY(expect_object(file, "construction", obj, err));
    TRY(fsk_json_number(file, "construction", obj, "layer_height", true, 0.01, 2.0,
                        &c->layer_height_mm, err));
    TRY(fsk_json_int(file, "construction", obj, "color_layers", true, 1,
                     FSK_MAX_COLOR_LAYERS, &c->color_layers, err));
    int view = 0;
    TRY(read_choice(file, "construction", obj, "view", true, views,
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
                     cal->filament_count, &c->backing_filament, err));
    TRY(fsk_json_number(file, "construction.backing", backing, "thickness", true,
                        0.01, 20.0, &c->backing_mm, err));
    if (!multiple_of(c->backing_mm, c->layer_height_mm))
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: construction.backing.thickness: %g mm is not a "
                           "multiple of the layer height %g mm",
                           file, c->backing_mm, c->layer_height_mm);
    return 0;
}

static int parse_source(const char *file, const cJSON *root,
                        fsk_calibration *cal, fsk_err *err)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "source");
    if (!obj)
        return fsk_err_set(err, FSK_EINVAL, "%s: source: missing", file);
    TRY(expect_object(file, "source", obj, err));
    int kind = 0;
    TRY(read_choice(file, "source", obj, "kind", true, source_kinds,
                    "\"scan\", \"predicted\" or \"reference\"", &kind, err));
    snprintf(cal->source.kind, sizeof cal->source.kind, "%s", source_kinds[kind]);
    TRY(fsk_json_string(file, "source", obj, "device", false, cal->source.device,
                        sizeof cal->source.device, err));
    TRY(fsk_json_number(file, "source", obj, "dpi", false, 0, 100000,
                        &cal->source.dpi, err));
    TRY(fsk_json_int(file, "source", obj, "scans", false, 0, 1000000, &cal->source.scans,
                     err));
    const cJSON *flat = cJSON_GetObjectItemCaseSensitive(obj, "flat_field");
    if (flat) {
        TRY(expect_object(file, "source.flat_field", flat, err));
        TRY(fsk_json_number(file, "source.flat_field", flat, "min_gain", true, 0.01, 100,
                            &cal->source.flat_field[0], err));
        TRY(fsk_json_number(file, "source.flat_field", flat, "max_gain", true, 0.01, 100,
                            &cal->source.flat_field[1], err));
        if (cal->source.flat_field[0] > cal->source.flat_field[1])
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: source.flat_field: min_gain %g is above max_gain %g", file,
                               cal->source.flat_field[0], cal->source.flat_field[1]);
    }
    return 0;
}

static int parse_entry(const char *file, size_t index, const cJSON *obj,
                       fsk_calibration *cal, fsk_err *err)
{
    static const char *const origins[] = {"scan", "predicted", "model", NULL};
    char path[48];
    snprintf(path, sizeof path, "entries[%zu]", index);
    TRY(expect_object(file, path, obj, err));
    fsk_cal_entry *e = &cal->entries[index];
    int m = cal->construction.color_layers, n = cal->filament_count;

    const cJSON *seq = fsk_json_array(file, path, obj, "sequence", true, m, err);
    if (!seq)
        return err ? err->code : FSK_EINVAL;
    int s = 0;
    for (const cJSON *it = seq->child; it; it = it->next, s++) {
        char where[80];
        snprintf(where, sizeof where, "%s.sequence[%d]", path, s);
        if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble))
            return fsk_json_type_error(file, where, "an integer", it, err);
        if (it->valuedouble < 0 || it->valuedouble > n)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: %s: expected an integer from 0 to %d, got %g",
                               file, where, n, it->valuedouble);
        e->sequence[s] = (uint8_t)it->valuedouble;
    }
    TRY(read_numbers(file, path, obj, "rgb", true, 3, 0, 255, e->rgb, err));
    if (cJSON_GetObjectItemCaseSensitive(obj, "lab")) {
        TRY(read_numbers(file, path, obj, "lab", true, 3, -200, 200, e->lab, err));
        if (e->lab[0] < 0 || e->lab[0] > 100)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: %s.lab[0]: expected a number from 0 to 100, "
                               "got %g",
                               file, path, e->lab[0]);
    } else {
        fsk_srgb255_to_lab(e->rgb, e->lab);
    }
    e->spread = 0;
    TRY(fsk_json_number(file, path, obj, "spread", false, 0, 1000, &e->spread, err));
    int origin = strcmp(cal->source.kind, "scan") == 0 ? FSK_ORIGIN_SCAN
                                                      : FSK_ORIGIN_PREDICTED;
    TRY(read_choice(file, path, obj, "origin", false, origins,
                    "\"scan\", \"predicted\" or \"model\"", &origin, err));
    e->origin = (fsk_origin)origin;
    return 0;
}

static int parse_root(const char *file, const cJSON *root, fsk_calibration **out,
                      fsk_err *err)
{
    static const char *const formats[] = {FORMAT_NAME, NULL};
    TRY(expect_object(file, "(root)", root, err));
    int format = 0, version = 0;
    TRY(read_choice(file, "", root, "format", true, formats,
                    "\"" FORMAT_NAME "\"", &format, err));
    TRY(fsk_json_int(file, "", root, "version", true, 0, 1000000, &version, err));
    if (version != FORMAT_VERSION)
        return fsk_err_set(err, FSK_EUNSUPPORTED,
                           "%s: version: version %d is not supported", file,
                           version);
    const cJSON *entries = fsk_json_array(file, "", root, "entries", true, -1, err);
    if (!entries)
        return err ? err->code : FSK_EINVAL;
    int count = cJSON_GetArraySize(entries);
    if (count < 1 || count > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_ELIMIT,
                           "%s: entries: expected 1 to %d entries, got %d", file,
                           FSK_CAL_MAX_ENTRIES, count);
    fsk_calibration *cal = fsk_calibration_new((size_t)count, err);
    if (!cal)
        return err ? err->code : FSK_ENOMEM;
    int rc = parse_filaments(file, root, cal, err);
    if (!rc)
        rc = parse_construction(file, root, cal, err);
    if (!rc)
        rc = parse_source(file, root, cal, err);
    size_t i = 0;
    for (const cJSON *it = entries->child; it && !rc; it = it->next, i++)
        rc = parse_entry(file, i, it, cal, err);
    if (!rc)
        rc = fsk_calibration_check(file, cal, err);
    if (rc) {
        fsk_calibration_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}

int fsk_calibration_parse(const char *name, const char *json, size_t size,
                          fsk_calibration **out, fsk_err *err)
{
    *out = NULL;
    cJSON *root = fsk_json_parse(name, json, size, err);
    if (!root)
        return err && err->code ? err->code : FSK_EFORMAT;
    int rc = parse_root(name, root, out, err);
    cJSON_Delete(root);
    return rc;
}

int fsk_calibration_load(const char *path, fsk_calibration **out, fsk_err *err)
{
    *out = NULL;
    cJSON *root = fsk_json_load(path, err);
    if (!root)
        return err && err->code ? err->code : FSK_EIO;
    int rc = parse_root(path, root, out, err);
    cJSON_Delete(root);
    return rc;
}

/* ---- saving ----------------------------------------------------------- */

/* A number with at most `decimals` decimals, trailing zeros dropped, and
 * never "-0": the same value always prints the same way. */
static const char *num(char *buf, size_t cap, double v, int decimals)
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

static void put_string(FILE *f, const char *s)
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

static void put_triple(FILE *f, const double v[3], int decimals)
{
    char a[40], b[40], c[40];
    fprintf(f, "[%s, %s, %s]", num(a, sizeof a, v[0], decimals),
            num(b, sizeof b, v[1], decimals), num(c, sizeof c, v[2], decimals));
}

static void write_calibration(FILE *f, const fsk_calibration *cal)
{
    char b1[40], b2[40];
    const fsk_construction *c = &cal->construction;
    int m = c->color_layers;
    fprintf(f, "{\n  \"format\": \"" FORMAT_NAME "\",\n  \"version\": %d,\n",
            FORMAT_VERSION);
    fprintf(f, "  \"filaments\": [\n");
    for (int i = 0; i < cal->filament_count; i++) {
        const fsk_filament *fl = &cal->filaments[i];
        fprintf(f, "    {\"name\": ");
        put_string(f, fl->name);
        fprintf(f, ", \"color\": \"#%02X%02X%02X\"", fl->rgb[0], fl->rgb[1],
                fl->rgb[2]);
        if (fl->brand[0]) {
            fprintf(f, ", \"brand\": ");
            put_string(f, fl->brand);
        }
        if (fl->material[0]) {
            fprintf(f, ", \"material\": ");
            put_string(f, fl->material);
        }
        if (fl->td_mm > 0)
            fprintf(f, ", \"td_mm\": %s", num(b1, sizeof b1, fl->td_mm, 4));
        if (fl->density_g_cm3 > 0)
            fprintf(f, ", \"density_g_cm3\": %s",
                    num(b1, sizeof b1, fl->density_g_cm3, 4));
        fprintf(f, "}%s\n", i + 1 < cal->filament_count ? "," : "");
    }
    fprintf(f, "  ],\n");
    fprintf(f, "  \"construction\": {\"layer_height\": %s, \"color_layers\": %d, ",
            num(b1, sizeof b1, c->layer_height_mm, 6), m);
    if (c->backing_filament > 0)
        fprintf(f, "\"backing\": {\"filament\": %d, \"thickness\": %s}, ",
                c->backing_filament, num(b2, sizeof b2, c->backing_mm, 6));
    else
        fprintf(f, "\"backing\": null, ");
    fprintf(f, "\"view\": \"%s\"},\n", fsk_view_name(c->view));
    fprintf(f, "  \"source\": {\"kind\": ");
    put_string(f, cal->source.kind);
    if (cal->source.device[0]) {
        fprintf(f, ", \"device\": ");
        put_string(f, cal->source.device);
    }
    if (cal->source.dpi > 0)
        fprintf(f, ", \"dpi\": %s", num(b1, sizeof b1, cal->source.dpi, 3));
    if (cal->source.scans > 0)
        fprintf(f, ", \"scans\": %d", cal->source.scans);
    if (cal->source.flat_field[1] > 0)
        fprintf(f, ", \"flat_field\": {\"min_gain\": %s, \"max_gain\": %s}",
                num(b1, sizeof b1, cal->source.flat_field[0], 4),
                num(b2, sizeof b2, cal->source.flat_field[1], 4));
    fprintf(f, "},\n  \"entries\": [\n");
    for (size_t i = 0; i < cal->entry_count; i++) {
        const fsk_cal_entry *e = &cal->entries[i];
        fprintf(f, "    {\"sequence\": [");
        for (int s = 0; s < m; s++)
            fprintf(f, "%s%u", s ? ", " : "", (unsigned)e->sequence[s]);
        fprintf(f, "], \"rgb\": ");
        put_triple(f, e->rgb, 3);
        fprintf(f, ", \"lab\": ");
        put_triple(f, e->lab, 4);
        fprintf(f, ", \"spread\": %s, \"origin\": \"%s\"}%s\n",
                num(b1, sizeof b1, e->spread, 3), fsk_origin_name(e->origin),
                i + 1 < cal->entry_count ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
}

int fsk_calibration_save(const char *path, const fsk_calibration *cal,
                         fsk_err *err)
{
    int rc = fsk_calibration_check(path, cal, err);
    if (rc)
        return rc;
    fsk_out *out = fsk_out_open(path, err);
    if (!out)
        return err && err->code ? err->code : FSK_EIO;
    write_calibration(fsk_out_stream(out), cal);
    return fsk_out_commit(out, err);
}
