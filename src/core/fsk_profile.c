/*
 * fsk_profile.c — parsing, validating and looking up profiles.
 */
#include "fsk_profile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fsk_json.h"

const char *fsk_profile_kind_name(fsk_profile_kind kind)
{
    switch (kind) {
    case FSK_PROFILE_PRINTER: return "printer";
    case FSK_PROFILE_FILAMENT: return "filament";
    case FSK_PROFILE_FILAMENT_SET: return "filament-set";
    }
    return "?";
}

const char *fsk_slicer_flavor_name(fsk_slicer_flavor flavor)
{
    return flavor == FSK_FLAVOR_BAMBU ? "bambu" : "prusa";
}

void fsk_profile_id_from_path(const char *path, char id[FSK_NAME_MAX])
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    if (n >= FSK_NAME_MAX)
        n = FSK_NAME_MAX - 1;
    memcpy(id, base, n);
    id[n] = '\0';
}

static void copy_id(char dst[FSK_NAME_MAX], const char *id)
{
    snprintf(dst, FSK_NAME_MAX, "%s", id ? id : "");
}

/* Members a profile may carry; anything else is reported as a likely typo. */
static int check_members(const char *file, const cJSON *root,
                         const char *const *allowed, fsk_err *err)
{
    for (const cJSON *it = root->child; it; it = it->next) {
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, it->string) == 0;
        if (!known)
            return fsk_err_set(err, FSK_EINVAL, "%s: %s: unknown member", file,
                               it->string);
    }
    return 0;
}

int fsk_profile_kind_of(const char *file, const cJSON *root,
                        fsk_profile_kind *kind, fsk_err *err)
{
    if (!cJSON_IsObject(root))
        return fsk_json_type_error(file, "(root)", "an object", root, err);
    int schema = 0;
    if (fsk_json_int(file, "", root, "schema", true, 0, 1000, &schema, err))
        return err ? err->code : FSK_EINVAL;
    if (schema != FSK_PROFILE_SCHEMA)
        return fsk_err_set(err, FSK_EUNSUPPORTED,
                           "%s: schema: version %d is not supported (this "
                           "filastack reads version %d)",
                           file, schema, FSK_PROFILE_SCHEMA);
    char k[32];
    if (fsk_json_string(file, "", root, "kind", true, k, sizeof k, err))
        return err ? err->code : FSK_EINVAL;
    static const fsk_profile_kind kinds[] = {FSK_PROFILE_PRINTER,
                                             FSK_PROFILE_FILAMENT,
                                             FSK_PROFILE_FILAMENT_SET};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(k, fsk_profile_kind_name(kinds[i])) == 0) {
            *kind = kinds[i];
            return 0;
        }
    }
    return fsk_json_type_error(file, "kind",
                               "\"printer\", \"filament\" or \"filament-set\"",
                               cJSON_GetObjectItemCaseSensitive(root, "kind"),
                               err);
}

static int expect_kind(const char *file, const cJSON *root,
                       fsk_profile_kind want, fsk_err *err)
{
    fsk_profile_kind kind;
    int rc = fsk_profile_kind_of(file, root, &kind, err);
    if (rc)
        return rc;
    if (kind != want)
        return fsk_err_set(err, FSK_EINVAL, "%s: kind: expected \"%s\", got \"%s\"",
                           file, fsk_profile_kind_name(want),
                           fsk_profile_kind_name(kind));
    return 0;
}

#define TRY(call)                                                              \
    do {                                                                       \
        int rc_ = (call);                                                      \
        if (rc_)                                                               \
            return rc_;                                                        \
    } while (0)

int fsk_printer_parse(const char *file, const char *id, const cJSON *root,
                      fsk_printer *out, fsk_err *err)
{
    static const char *const allowed[] = {
        "schema", "kind", "name", "nozzle_mm", "layer_height_mm",
        "first_layer_height_mm", "bed_mm", "filament_slots", "slicer_flavor",
        "default_filament_set", "notes", NULL};
    TRY(expect_kind(file, root, FSK_PROFILE_PRINTER, err));
    TRY(check_members(file, root, allowed, err));
    memset(out, 0, sizeof *out);
    copy_id(out->id, id);
    TRY(fsk_json_string(file, "", root, "name", true, out->name, sizeof out->name, err));
    TRY(fsk_json_number(file, "", root, "nozzle_mm", true, 0.1, 2.0, &out->nozzle_mm, err));
    TRY(fsk_json_number(file, "", root, "layer_height_mm", true, 0.01, 1.0,
                        &out->layer_height_mm, err));
    TRY(fsk_json_number(file, "", root, "first_layer_height_mm", true, 0.01, 1.0,
                        &out->first_layer_height_mm, err));
    if (out->layer_height_mm > out->nozzle_mm)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: layer_height_mm: %g is more than the nozzle (%g mm)",
                           file, out->layer_height_mm, out->nozzle_mm);
    const cJSON *bed = fsk_json_array(file, "", root, "bed_mm", true, 2, err);
    if (!bed)
        return err ? err->code : FSK_EINVAL;
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetArrayItem(bed, i);
        if (!cJSON_IsNumber(v) || v->valuedouble < 10 || v->valuedouble > 2000) {
            char where[32];
            snprintf(where, sizeof where, "bed_mm[%d]", i);
            return fsk_json_type_error(file, where, "a size from 10 to 2000 mm", v, err);
        }
        out->bed_mm[i] = v->valuedouble;
    }
    TRY(fsk_json_int(file, "", root, "filament_slots", true, 1, FSK_MAX_FILAMENTS,
                     &out->filament_slots, err));
    char flavor[16];
    TRY(fsk_json_string(file, "", root, "slicer_flavor", true, flavor, sizeof flavor, err));
    if (strcmp(flavor, "prusa") == 0)
        out->flavor = FSK_FLAVOR_PRUSA;
    else if (strcmp(flavor, "bambu") == 0)
        out->flavor = FSK_FLAVOR_BAMBU;
    else
        return fsk_json_type_error(file, "slicer_flavor", "\"prusa\" or \"bambu\"",
                                   cJSON_GetObjectItemCaseSensitive(root, "slicer_flavor"),
                                   err);
    TRY(fsk_json_string(file, "", root, "default_filament_set", true, out->default_set,
                        sizeof out->default_set, err));
    return 0;
}

int fsk_filament_parse(const char *file, const char *id, const cJSON *root,
                       fsk_filament *out, fsk_err *err)
{
    static const char *const allowed[] = {
        "schema", "kind", "name", "brand", "material", "color", "td_mm",
        "density_g_cm3", "sources", "notes", NULL};
    TRY(expect_kind(file, root, FSK_PROFILE_FILAMENT, err));
    TRY(check_members(file, root, allowed, err));
    memset(out, 0, sizeof *out);
    copy_id(out->id, id);
    TRY(fsk_json_string(file, "", root, "name", true, out->name, sizeof out->name, err));
    TRY(fsk_json_string(file, "", root, "brand", true, out->brand, sizeof out->brand, err));
    TRY(fsk_json_string(file, "", root, "material", true, out->material,
                        sizeof out->material, err));
    TRY(fsk_json_color(file, "", root, "color", true, out->rgb, err));
    TRY(fsk_json_number(file, "", root, "td_mm", false, 0.05, 100.0, &out->td_mm, err));
    TRY(fsk_json_number(file, "", root, "density_g_cm3", true, 0.5, 3.0,
                        &out->density_g_cm3, err));
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (src) {
        static const char *const src_allowed[] = {"color", "td_mm", NULL};
        if (!cJSON_IsObject(src))
            return fsk_json_type_error(file, "sources", "an object", src, err);
        for (const cJSON *it = src->child; it; it = it->next) {
            bool known = false;
            for (const char *const *a = src_allowed; *a && !known; a++)
                known = strcmp(*a, it->string) == 0;
            if (!known)
                return fsk_err_set(err, FSK_EINVAL, "%s: sources.%s: unknown member",
                                   file, it->string);
        }
        TRY(fsk_json_string(file, "sources", src, "color", false, out->color_source,
                            sizeof out->color_source, err));
        TRY(fsk_json_string(file, "sources", src, "td_mm", false, out->td_source,
                            sizeof out->td_source, err));
    }
    return 0;
}

int fsk_filament_set_parse(const char *file, const char *id, const cJSON *root,
                           fsk_filament_set *out, fsk_err *err)
{
    static const char *const allowed[] = {"schema", "kind", "name", "filaments",
                                          "notes", NULL};
    TRY(expect_kind(file, root, FSK_PROFILE_FILAMENT_SET, err));
    TRY(check_members(file, root, allowed, err));
    memset(out, 0, sizeof *out);
    copy_id(out->id, id);
    TRY(fsk_json_string(file, "", root, "name", true, out->name, sizeof out->name, err));
    int n;
    const cJSON *list = fsk_json_array_sized(file, root, "filaments", 1, FSK_MAX_FILAMENTS,
                                             "filaments", &n, err);
    if (!list)
        return err ? err->code : FSK_EINVAL;
    int i = 0;
    for (const cJSON *it = list->child; it; it = it->next, i++) {
        char where[32];
        snprintf(where, sizeof where, "filaments[%d]", i);
        if (!cJSON_IsString(it) || !it->valuestring[0] ||
            strlen(it->valuestring) >= FSK_NAME_MAX)
            return fsk_json_type_error(file, where, "a filament name", it, err);
        for (int j = 0; j < i; j++)
            if (strcasecmp(out->filaments[j], it->valuestring) == 0)
                return fsk_err_set(err, FSK_EINVAL,
                                   "%s: %s: \"%s\" is already filament %d of the set",
                                   file, where, it->valuestring, j + 1);
        snprintf(out->filaments[i], FSK_NAME_MAX, "%s", it->valuestring);
    }
    out->count = n;
    return 0;
}

/* ------------------------------------------------------------------ store */

struct fsk_profiles {
    char *dir;
    fsk_printer *printers;
    size_t n_printers;
    fsk_filament *filaments;
    size_t n_filaments;
    fsk_filament_set *sets;
    size_t n_sets;
};

void fsk_profiles_free(fsk_profiles *p)
{
    if (!p)
        return;
    free(p->dir);
    free(p->printers);
    free(p->filaments);
    free(p->sets);
    free(p);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the *.json files of a folder in name order; a missing folder is empty. */
static int list_json(const char *dir, char ***names, size_t *count, fsk_err *err)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        if (*count == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = realloc(*names, cap * sizeof **names);
            if (!grown)
                goto nomem;
            *names = grown;
        }
        if (!((*names)[*count] = strdup(e->d_name)))
            goto nomem;
        (*count)++;
    }
    closedir(d);
    if (*count)
        qsort(*names, *count, sizeof **names, cmp_names);
    return 0;
nomem:
    closedir(d);
    for (size_t i = 0; i < *count; i++)
        free((*names)[i]);
    free(*names);
    *names = NULL;
    *count = 0;
    return fsk_err_set(err, FSK_ENOMEM, "out of memory");
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* Loads one sub-folder: parse(file, id, root, slot) into an array of elem_size. */
typedef int (*parse_fn)(const char *file, const char *id, const cJSON *root,
                        void *out, fsk_err *err);

static int parse_printer_v(const char *f, const char *id, const cJSON *r, void *o, fsk_err *e)
{
    return fsk_printer_parse(f, id, r, o, e);
}
static int parse_filament_v(const char *f, const char *id, const cJSON *r, void *o, fsk_err *e)
{
    return fsk_filament_parse(f, id, r, o, e);
}
static int parse_set_v(const char *f, const char *id, const cJSON *r, void *o, fsk_err *e)
{
    return fsk_filament_set_parse(f, id, r, o, e);
}

static int load_folder(const char *dir, const char *sub, parse_fn parse,
                       size_t elem_size, void **items, size_t *count, fsk_err *err)
{
    char folder[4096];
    snprintf(folder, sizeof folder, "%s/%s", dir, sub);
    char **names;
    size_t n;
    int rc = list_json(folder, &names, &n, err);
    if (rc)
        return rc;
    *items = n ? calloc(n, elem_size) : NULL;
    if (n && !*items) {
        free_names(names, n);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", folder, names[i]);
        cJSON *root = fsk_json_load(path, err);
        if (!root) {
            rc = err ? err->code : FSK_EFORMAT;
            break;
        }
        char id[FSK_NAME_MAX];
        fsk_profile_id_from_path(path, id);
        rc = parse(path, id, root, (char *)*items + i * elem_size, err);
        cJSON_Delete(root);
    }
    free_names(names, n);
    *count = rc ? 0 : n;
    return rc;
}

#define FIND(array, count, name)                                               \
    do {                                                                       \
        for (size_t i_ = 0; i_ < (count); i_++)                                \
            if (strcasecmp((array)[i_].id, (name)) == 0 ||                     \
                strcasecmp((array)[i_].name, (name)) == 0)                     \
                return &(array)[i_];                                           \
        return NULL;                                                           \
    } while (0)

const fsk_printer *fsk_profiles_find_printer(const fsk_profiles *p, const char *name)
{
    FIND(p->printers, p->n_printers, name);
}

const fsk_filament *fsk_profiles_find_filament(const fsk_profiles *p, const char *name)
{
    FIND(p->filaments, p->n_filaments, name);
}

const fsk_filament_set *fsk_profiles_find_set(const fsk_profiles *p, const char *name)
{
    FIND(p->sets, p->n_sets, name);
}

static int check_set_refs(const fsk_profiles *p, const char *file,
                          const fsk_filament_set *set, fsk_err *err)
{
    for (int i = 0; i < set->count; i++)
        if (!fsk_profiles_find_filament(p, set->filaments[i]))
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: filaments[%d]: no filament profile named \"%s\"",
                               file, i, set->filaments[i]);
    return 0;
}

static int check_printer_refs(const fsk_profiles *p, const char *file,
                              const fsk_printer *printer, fsk_err *err)
{
    const fsk_filament_set *set = fsk_profiles_find_set(p, printer->default_set);
    if (!set)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: default_filament_set: no filament set named \"%s\"",
                           file, printer->default_set);
    if (set->count > printer->filament_slots)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: default_filament_set: \"%s\" has %d filaments but "
                           "the printer has %d slots",
                           file, printer->default_set, set->count,
                           printer->filament_slots);
    return 0;
}

fsk_profiles *fsk_profiles_load(const char *dir, fsk_err *err)
{
    fsk_profiles *p = calloc(1, sizeof *p);
    if (!p || !(p->dir = strdup(dir))) {
        free(p);
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    void *items = NULL;
    int rc = load_folder(dir, "printers", parse_printer_v, sizeof(fsk_printer),
                         &items, &p->n_printers, err);
    p->printers = items;
    if (!rc) {
        rc = load_folder(dir, "filaments", parse_filament_v, sizeof(fsk_filament),
                         &items, &p->n_filaments, err);
        p->filaments = items;
    }
    if (!rc) {
        rc = load_folder(dir, "sets", parse_set_v, sizeof(fsk_filament_set), &items,
                         &p->n_sets, err);
        p->sets = items;
    }
    for (size_t i = 0; !rc && i < p->n_sets; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s/sets/%s.json", dir, p->sets[i].id);
        rc = check_set_refs(p, file, &p->sets[i], err);
    }
    for (size_t i = 0; !rc && i < p->n_printers; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s/printers/%s.json", dir, p->printers[i].id);
        rc = check_printer_refs(p, file, &p->printers[i], err);
    }
    if (!rc && p->n_printers == 0)
        rc = fsk_err_set(err, FSK_EINVAL, "no printer profiles in '%s/printers'", dir);
    if (rc) {
        fsk_profiles_free(p);
        return NULL;
    }
    return p;
}

const char *fsk_profiles_dir(const fsk_profiles *p) { return p->dir; }
size_t fsk_profiles_printer_count(const fsk_profiles *p) { return p->n_printers; }
const fsk_printer *fsk_profiles_printer(const fsk_profiles *p, size_t i)
{
    return i < p->n_printers ? &p->printers[i] : NULL;
}
size_t fsk_profiles_filament_count(const fsk_profiles *p) { return p->n_filaments; }
const fsk_filament *fsk_profiles_filament(const fsk_profiles *p, size_t i)
{
    return i < p->n_filaments ? &p->filaments[i] : NULL;
}
size_t fsk_profiles_set_count(const fsk_profiles *p) { return p->n_sets; }
const fsk_filament_set *fsk_profiles_set(const fsk_profiles *p, size_t i)
{
    return i < p->n_sets ? &p->sets[i] : NULL;
}

int fsk_profile_validate_file(const char *path, const fsk_profiles *profiles,
                              fsk_profile_kind *kind_out, fsk_err *err)
{
    cJSON *root = fsk_json_load(path, err);
    if (!root)
        return err ? err->code : FSK_EFORMAT;
    char id[FSK_NAME_MAX];
    fsk_profile_id_from_path(path, id);
    fsk_profile_kind kind;
    int rc = fsk_profile_kind_of(path, root, &kind, err);
    if (!rc) {
        switch (kind) {
        case FSK_PROFILE_PRINTER: {
            fsk_printer pr;
            rc = fsk_printer_parse(path, id, root, &pr, err);
            if (!rc && profiles)
                rc = check_printer_refs(profiles, path, &pr, err);
            break;
        }
        case FSK_PROFILE_FILAMENT: {
            fsk_filament f;
            rc = fsk_filament_parse(path, id, root, &f, err);
            break;
        }
        case FSK_PROFILE_FILAMENT_SET: {
            fsk_filament_set s;
            rc = fsk_filament_set_parse(path, id, root, &s, err);
            if (!rc && profiles)
                rc = check_set_refs(profiles, path, &s, err);
            break;
        }
        }
    }
    cJSON_Delete(root);
    if (!rc && kind_out)
        *kind_out = kind;
    return rc;
}

int fsk_profiles_resolve_set(const fsk_profiles *profiles,
                             const fsk_filament_set *set,
                             fsk_filament out[FSK_MAX_FILAMENTS], fsk_err *err)
{
    for (int i = 0; i < set->count; i++) {
        const fsk_filament *f = fsk_profiles_find_filament(profiles, set->filaments[i]);
        if (!f)
            return fsk_err_set(err, FSK_EINVAL,
                               "filament set '%s': no filament profile named \"%s\"",
                               set->name, set->filaments[i]);
        out[i] = *f;
    }
    return set->count;
}
