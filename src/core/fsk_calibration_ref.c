/*
 * fsk_calibration_ref.c — converts the reference pipeline's calibration
 * JSON (see fsk_calibration_ref.h) into a filastack calibration.
 */
#include "fsk_calibration_ref.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_json.h"

/* An array of 3 numbers 0..255, as doubles; path names it in messages. */
static int read_rgb(const char *file, const char *path, const cJSON *obj,
                    double rgb[3], fsk_err *err)
{
    const cJSON *arr = fsk_json_array(file, path, obj, "rgb", true, 3, err);
    if (!arr)
        return err ? err->code : FSK_EINVAL;
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char where[80];
        snprintf(where, sizeof where, "%s.rgb[%d]", path, i);
        if (!cJSON_IsNumber(it) || !(it->valuedouble >= 0 && it->valuedouble <= 255))
            return fsk_json_type_error(file, where, "a number from 0 to 255", it,
                                       err);
        rgb[i] = it->valuedouble;
    }
    return 0;
}

static int convert(const char *name, const cJSON *root, double layer_height_mm,
                   fsk_calibration **out, fsk_err *err)
{
    if (!cJSON_IsObject(root))
        return fsk_json_type_error(name, "(root)", "an object", root, err);
    int m = 0;
    int rc = fsk_json_int(name, "", root, "layers", true, 1, FSK_MAX_COLOR_LAYERS,
                          &m, err);
    if (rc)
        return rc;
    const cJSON *fils = fsk_json_array(name, "", root, "filaments", true, -1, err);
    const cJSON *ents = fils ? fsk_json_array(name, "", root, "entries", true, -1, err)
                             : NULL;
    if (!ents)
        return err ? err->code : FSK_EINVAL;
    int n = cJSON_GetArraySize(fils);
    if (n < 1 || n > FSK_MAX_FILAMENTS)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: filaments: expected 1 to %d filaments, got %d", name,
                           FSK_MAX_FILAMENTS, n);
    int count = cJSON_GetArraySize(ents);
    if (count < 1 || count > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_ELIMIT,
                           "%s: entries: expected 1 to %d entries, got %d", name,
                           FSK_CAL_MAX_ENTRIES, count);
    fsk_calibration *cal = fsk_calibration_new((size_t)count, err);
    if (!cal)
        return err ? err->code : FSK_ENOMEM;
    cal->filament_count = n;
    cal->construction.layer_height_mm = layer_height_mm;
    cal->construction.color_layers = m;
    cal->construction.view = FSK_VIEW_TOP;
    snprintf(cal->source.kind, sizeof cal->source.kind, "reference");

    int i = 0;
    for (const cJSON *it = fils->child; it && !rc; it = it->next, i++) {
        char path[32];
        snprintf(path, sizeof path, "filaments[%d]", i);
        double rgb[3];
        if (!cJSON_IsObject(it)) {
            rc = fsk_json_type_error(name, path, "an object", it, err);
            break;
        }
        fsk_filament *f = &cal->filaments[i];
        rc = fsk_json_string(name, path, it, "name", true, f->name, sizeof f->name,
                             err);
        if (!rc)
            rc = read_rgb(name, path, it, rgb, err);
        for (int c = 0; c < 3 && !rc; c++)
            f->rgb[c] = (unsigned char)lround(rgb[c]);
    }
    i = 0;
    for (const cJSON *it = ents->child; it && !rc; it = it->next, i++) {
        char path[48];
        snprintf(path, sizeof path, "entries[%d]", i);
        if (!cJSON_IsObject(it)) {
            rc = fsk_json_type_error(name, path, "an object", it, err);
            break;
        }
        fsk_cal_entry *e = &cal->entries[i];
        rc = read_rgb(name, path, it, e->rgb, err);
        const cJSON *seq = rc ? NULL
                              : fsk_json_array(name, path, it, "sequence", true, m, err);
        if (!rc && !seq)
            rc = err ? err->code : FSK_EINVAL;
        int s = 0;
        for (const cJSON *v = seq ? seq->child : NULL; v && !rc; v = v->next, s++) {
            char where[80];
            snprintf(where, sizeof where, "%s.sequence[%d]", path, s);
            if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
                rc = fsk_json_type_error(name, where, "an integer", v, err);
            else if (v->valuedouble < 0 || v->valuedouble > n)
                rc = fsk_err_set(err, FSK_EINVAL,
                                 "%s: %s: expected an integer from 0 to %d, got %g",
                                 name, where, n, v->valuedouble);
            else
                e->sequence[s] = (uint8_t)v->valuedouble;
        }
        fsk_srgb255_to_lab(e->rgb, e->lab);
        e->origin = FSK_ORIGIN_PREDICTED;
    }
    if (!rc)
        rc = fsk_calibration_check(name, cal, err);
    if (rc) {
        fsk_calibration_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}

int fsk_calibration_from_reference(const char *name, const char *json,
                                   size_t size, double layer_height_mm,
                                   fsk_calibration **out, fsk_err *err)
{
    *out = NULL;
    cJSON *root = fsk_json_parse(name, json, size, err);
    if (!root)
        return err && err->code ? err->code : FSK_EFORMAT;
    int rc = convert(name, root, layer_height_mm, out, err);
    cJSON_Delete(root);
    return rc;
}
