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

#include "fsk_cal_json.h"
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

int fsk_calibration_check(const char *name, const fsk_calibration *cal,
                          fsk_err *err)
{
    TRY(fsk_cal_json_check_filaments(name, cal->filaments, cal->filament_count, err));
    bool kind_ok = false;
    for (int i = 0; source_kinds[i]; i++)
        kind_ok = kind_ok || strcmp(cal->source.kind, source_kinds[i]) == 0;
    if (!kind_ok)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: source.kind: expected \"scan\", \"predicted\" or "
                           "\"reference\", got \"%s\"",
                           name, cal->source.kind);
    TRY(fsk_cal_json_check_construction(name, &cal->construction, cal->filament_count,
                                        err));
    if (cal->entry_count < 1 || cal->entry_count > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: entries: expected 1 to %d entries, got %zu", name,
                           FSK_CAL_MAX_ENTRIES, cal->entry_count);
    return fsk_cal_json_check_sequences(name, "entries", cal->entries, cal->entry_count,
                                        sizeof cal->entries[0],
                                        offsetof(fsk_cal_entry, sequence),
                                        cal->construction.color_layers,
                                        cal->filament_count, err);
}

/* ---- parsing ---------------------------------------------------------- */

static int parse_source(const char *file, const cJSON *root,
                        fsk_calibration *cal, fsk_err *err)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "source");
    if (!obj)
        return fsk_err_set(err, FSK_EINVAL, "%s: source: missing", file);
    TRY(fsk_cal_json_expect_object(file, "source", obj, err));
    int kind = 0;
    TRY(fsk_cal_json_read_choice(file, "source", obj, "kind", true, source_kinds,
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
        TRY(fsk_cal_json_expect_object(file, "source.flat_field", flat, err));
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
    TRY(fsk_cal_json_expect_object(file, path, obj, err));
    fsk_cal_entry *e = &cal->entries[index];
    int m = cal->construction.color_layers, n = cal->filament_count;

    const cJSON *seq = fsk_json_array(file, path, obj, "sequence", true, m, err);
    if (!seq)
        return err ? err->code : FSK_EINVAL;
    int s = 0;
    for (const cJSON *it = seq->child; it; it = it->next, s++) {
        bool integer = cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble);
        if (integer && it->valuedouble >= 0 && it->valuedouble <= n) {
            e->sequence[s] = (uint8_t)it->valuedouble;
            continue;
        }
        char where[80];
        snprintf(where, sizeof where, "%s.sequence[%d]", path, s);
        if (!integer)
            return fsk_json_type_error(file, where, "an integer", it, err);
        return fsk_err_set(err, FSK_EINVAL, "%s: %s: expected an integer from 0 to %d, got %g",
                           file, where, n, it->valuedouble);
    }
    TRY(fsk_cal_json_read_numbers(file, path, obj, "rgb", true, 3, 0, 255, e->rgb, err));
    if (cJSON_GetObjectItemCaseSensitive(obj, "lab")) {
        TRY(fsk_cal_json_read_numbers(file, path, obj, "lab", true, 3, -200, 200, e->lab, err));
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
    TRY(fsk_cal_json_read_choice(file, path, obj, "origin", false, origins,
                    "\"scan\", \"predicted\" or \"model\"", &origin, err));
    e->origin = (fsk_origin)origin;
    return 0;
}

static int parse_root(const char *file, const cJSON *root, fsk_calibration **out,
                      fsk_err *err)
{
    static const char *const formats[] = {FORMAT_NAME, NULL};
    TRY(fsk_cal_json_expect_object(file, "(root)", root, err));
    int format = 0, version = 0;
    TRY(fsk_cal_json_read_choice(file, "", root, "format", true, formats,
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
    int rc = fsk_cal_json_read_filaments(file, root, cal->filaments,
                                         &cal->filament_count, err);
    if (!rc)
        rc = fsk_cal_json_read_construction(file, root, cal->filament_count,
                                            &cal->construction, err);
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

int fsk_calibration_parse(const char *name, const char *json, size_t size, fsk_calibration **out,
                          fsk_err *err)
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
    unsigned char *data;
    size_t size;
    int rc = fsk_file_read(path, FSK_JSON_MAX_BYTES, &data, &size, err);
    if (rc)
        return rc;
    rc = fsk_calibration_parse(path, (const char *)data, size, out, err);
    free(data);
    return rc;
}

/* ---- saving ----------------------------------------------------------- */

static void put_triple(FILE *f, const double v[3], int decimals)
{
    char a[40], b[40], c[40];
    fprintf(f, "[%s, %s, %s]", fsk_cal_json_number(a, sizeof a, v[0], decimals),
            fsk_cal_json_number(b, sizeof b, v[1], decimals),
            fsk_cal_json_number(c, sizeof c, v[2], decimals));
}

static void write_calibration(FILE *f, const fsk_calibration *cal)
{
    char b1[40];
    int m = cal->construction.color_layers;
    fprintf(f, "{\n  \"format\": \"" FORMAT_NAME "\",\n  \"version\": %d,\n",
            FORMAT_VERSION);
    fsk_cal_json_write_filaments(f, cal->filaments, cal->filament_count);
    fsk_cal_json_write_construction(f, &cal->construction);
    fprintf(f, "  \"source\": {\"kind\": ");
    fsk_cal_json_write_string(f, cal->source.kind);
    if (cal->source.device[0]) {
        fprintf(f, ", \"device\": ");
        fsk_cal_json_write_string(f, cal->source.device);
    }
    if (cal->source.dpi > 0)
        fprintf(f, ", \"dpi\": %s",
                fsk_cal_json_number(b1, sizeof b1, cal->source.dpi, 3));
    if (cal->source.scans > 0)
        fprintf(f, ", \"scans\": %d", cal->source.scans);
    if (cal->source.flat_field[1] > 0) {
        char b2[40];
        fprintf(f, ", \"flat_field\": {\"min_gain\": %s, \"max_gain\": %s}",
                fsk_cal_json_number(b1, sizeof b1, cal->source.flat_field[0], 4),
                fsk_cal_json_number(b2, sizeof b2, cal->source.flat_field[1], 4));
    }
    fprintf(f, "},\n  \"entries\": [\n");
    for (size_t i = 0; i < cal->entry_count; i++) {
        const fsk_cal_entry *e = &cal->entries[i];
        fprintf(f, "    {\"sequence\": ");
        fsk_cal_json_write_sequence(f, e->sequence, m);
        fprintf(f, ", \"rgb\": ");
        put_triple(f, e->rgb, 3);
        fprintf(f, ", \"lab\": ");
        put_triple(f, e->lab, 4);
        fprintf(f, ", \"spread\": %s, \"origin\": \"%s\"}%s\n",
                fsk_cal_json_number(b1, sizeof b1, e->spread, 3),
                fsk_origin_name(e->origin),
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
