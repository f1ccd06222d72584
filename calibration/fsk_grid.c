/*
 * fsk_grid.c — grid.json ("filastack-grid", version 1): parsing with
 * path-aware errors, checking (sequences, ids, rectangles inside the plate
 * and apart), and deterministic saving. Filaments and construction are
 * read and written by the calibration file's code (fsk_cal_json.h).
 */
#include "fsk_grid.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_cal_json.h"
#include "fsk_file.h"
#include "fsk_json.h"

#define FORMAT_NAME "filastack-grid"
#define FORMAT_VERSION 1
/* Rectangles may touch; they overlap only by more than this (mm). */
#define TOUCH_MM 1e-6

#define TRY(expr)                                                              \
    do {                                                                       \
        int rc_ = (expr);                                                      \
        if (rc_)                                                               \
            return rc_;                                                        \
    } while (0)

fsk_grid *fsk_grid_new(size_t mark_count, size_t patch_count, fsk_err *err)
{
    if (mark_count > FSK_GRID_MAX_MARKS || patch_count > FSK_CAL_MAX_ENTRIES) {
        fsk_err_set(err, FSK_ELIMIT, "grid has %zu marks and %zu patches, more than "
                    "%d and %d", mark_count, patch_count, FSK_GRID_MAX_MARKS,
                    FSK_CAL_MAX_ENTRIES);
        return NULL;
    }
    fsk_grid *g = calloc(1, sizeof *g);
    if (g) {
        g->marks = mark_count ? calloc(mark_count, sizeof *g->marks) : NULL;
        g->patches = patch_count ? calloc(patch_count, sizeof *g->patches) : NULL;
        if ((mark_count && !g->marks) || (patch_count && !g->patches)) {
            fsk_grid_free(g);
            g = NULL;
        }
    }
    if (!g) {
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    g->mark_count = mark_count;
    g->patch_count = patch_count;
    g->page = g->pages = 1;
    return g;
}

void fsk_grid_free(fsk_grid *grid)
{
    if (!grid)
        return;
    free(grid->marks);
    free(grid->patches);
    free(grid);
}

/* ---- checking --------------------------------------------------------- */

/* A mark (index < mark_count) or a patch, for the overlap sweep. */
typedef struct placed {
    const double *rect;
    size_t item;
} placed;

static int cmp_placed(const void *pa, const void *pb)
{
    const placed *a = pa, *b = pb;
    if (a->rect[0] != b->rect[0])
        return a->rect[0] < b->rect[0] ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

static void item_name(const fsk_grid *g, size_t item, char *buf, size_t cap)
{
    if (item < g->mark_count)
        snprintf(buf, cap, "marks[%zu]", item);
    else
        snprintf(buf, cap, "patches[%zu]", item - g->mark_count);
}

static int check_rect(const char *name, const fsk_grid *g, size_t item,
                      const double r[4], fsk_err *err)
{
    char what[40];
    item_name(g, item, what, sizeof what);
    for (int i = 0; i < 4; i++)
        if (!isfinite(r[i]))
            return fsk_err_set(err, FSK_EINVAL, "%s: %s.rect_mm[%d]: not a number",
                               name, what, i);
    if (!(r[2] > 0 && r[3] > 0))
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: %s.rect_mm: width and height must be positive, got "
                           "%g x %g",
                           name, what, r[2], r[3]);
    if (r[0] < 0 || r[1] < 0 || r[0] + r[2] > g->size_mm[0] + TOUCH_MM ||
        r[1] + r[3] > g->size_mm[1] + TOUCH_MM)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: %s.rect_mm: [%g, %g, %g, %g] reaches outside the "
                           "%g x %g mm plate",
                           name, what, r[0], r[1], r[2], r[3], g->size_mm[0],
                           g->size_mm[1]);
    return 0;
}

/*
 * No two rectangles overlap: sorted by left edge, each one is compared with
 * those that start before its right edge, so well-spread grids cost about
 * n log n.
 */
static int check_overlaps(const char *name, const fsk_grid *g, fsk_err *err)
{
    size_t n = g->mark_count + g->patch_count;
    placed *order = calloc(n ? n : 1, sizeof *order);
    if (!order)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        order[i].item = i;
        order[i].rect = i < g->mark_count ? g->marks[i].rect_mm
                                          : g->patches[i - g->mark_count].rect_mm;
    }
    qsort(order, n, sizeof *order, cmp_placed);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const double *a = order[i].rect;
        for (size_t j = i + 1; j < n && !rc; j++) {
            const double *b = order[j].rect;
            if (b[0] >= a[0] + a[2] - TOUCH_MM)
                break;
            if (b[1] < a[1] + a[3] - TOUCH_MM && a[1] < b[1] + b[3] - TOUCH_MM) {
                size_t lo = order[i].item < order[j].item ? order[i].item : order[j].item;
                size_t hi = order[i].item ^ order[j].item ^ lo;
                char first[40], second[40];
                item_name(g, hi, first, sizeof first);
                item_name(g, lo, second, sizeof second);
                rc = fsk_err_set(err, FSK_EINVAL, "%s: %s.rect_mm: overlaps %s", name,
                                 first, second);
            }
        }
    }
    free(order);
    return rc;
}

static int cmp_id(const void *pa, const void *pb)
{
    const fsk_grid_patch *const *a = pa, *const *b = pb;
    if ((*a)->id != (*b)->id)
        return (*a)->id < (*b)->id ? -1 : 1;
    return (*a > *b) - (*a < *b);
}

static int check_ids(const char *name, const fsk_grid *g, fsk_err *err)
{
    for (size_t i = 0; i < g->patch_count; i++)
        if (g->patches[i].id < 0)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: patches[%zu].id: expected an integer from 0 to "
                               "%d, got %d",
                               name, i, INT_MAX, g->patches[i].id);
    const fsk_grid_patch **order = calloc(g->patch_count, sizeof *order);
    if (!order)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t i = 0; i < g->patch_count; i++)
        order[i] = &g->patches[i];
    qsort(order, g->patch_count, sizeof *order, cmp_id);
    int rc = 0;
    for (size_t k = 1; k < g->patch_count && !rc; k++)
        if (order[k]->id == order[k - 1]->id)
            rc = fsk_err_set(err, FSK_EINVAL,
                             "%s: patches[%zu].id: %d is used twice, also at "
                             "patches[%zu]",
                             name, (size_t)(order[k] - g->patches), order[k]->id,
                             (size_t)(order[k - 1] - g->patches));
    free(order);
    return rc;
}

int fsk_grid_check(const char *name, const fsk_grid *g, fsk_err *err)
{
    int n = g->filament_count;
    TRY(fsk_cal_json_check_filaments(name, g->filaments, n, err));
    TRY(fsk_cal_json_check_construction(name, &g->construction, n, err));
    for (int i = 0; i < 2; i++)
        if (!(g->size_mm[i] > 0 && g->size_mm[i] <= FSK_GRID_MAX_SIZE_MM))
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: size_mm[%d]: expected a number above 0 up to "
                               "%g, got %g",
                               name, i, FSK_GRID_MAX_SIZE_MM, g->size_mm[i]);
    if (g->base_filament < 1 || g->base_filament > n)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: base_filament: expected an integer from 1 to %d, "
                           "got %d",
                           name, n, g->base_filament);
    if (g->pages < 1 || g->pages > FSK_GRID_MAX_PAGES)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: pages: expected an integer from 1 to %d, got %d",
                           name, FSK_GRID_MAX_PAGES, g->pages);
    if (g->page < 1 || g->page > g->pages)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: page: expected an integer from 1 to %d, got %d", name,
                           g->pages, g->page);
    if (g->mark_count > FSK_GRID_MAX_MARKS)
        return fsk_err_set(err, FSK_EINVAL, "%s: marks: expected at most %d marks, "
                           "got %zu", name, FSK_GRID_MAX_MARKS, g->mark_count);
    if (g->patch_count < 1 || g->patch_count > FSK_CAL_MAX_ENTRIES)
        return fsk_err_set(err, FSK_EINVAL,
                           "%s: patches: expected 1 to %d patches, got %zu", name,
                           FSK_CAL_MAX_ENTRIES, g->patch_count);
    for (size_t i = 0; i < g->mark_count; i++) {
        if (g->marks[i].filament < 1 || g->marks[i].filament > n)
            return fsk_err_set(err, FSK_EINVAL,
                               "%s: marks[%zu].filament: expected an integer from 1 "
                               "to %d, got %d",
                               name, i, n, g->marks[i].filament);
        TRY(check_rect(name, g, i, g->marks[i].rect_mm, err));
    }
    for (size_t i = 0; i < g->patch_count; i++)
        TRY(check_rect(name, g, g->mark_count + i, g->patches[i].rect_mm, err));
    TRY(fsk_cal_json_check_sequences(name, "patches", g->patches, g->patch_count,
                                     sizeof g->patches[0],
                                     offsetof(fsk_grid_patch, sequence),
                                     g->construction.color_layers, n, err));
    TRY(check_ids(name, g, err));
    return check_overlaps(name, g, err);
}

/* ---- parsing ---------------------------------------------------------- */

static int parse_mark(const char *file, size_t index, const cJSON *obj,
                      fsk_grid *g, fsk_err *err)
{
    char path[40];
    snprintf(path, sizeof path, "marks[%zu]", index);
    TRY(fsk_cal_json_expect_object(file, path, obj, err));
    fsk_grid_mark *mk = &g->marks[index];
    TRY(fsk_json_int(file, path, obj, "filament", true, 1, g->filament_count,
                     &mk->filament, err));
    return fsk_cal_json_read_numbers(file, path, obj, "rect_mm", true, 4, 0,
                                     FSK_GRID_MAX_SIZE_MM, mk->rect_mm, err);
}

static int parse_patch(const char *file, size_t index, const cJSON *obj,
                       fsk_grid *g, fsk_err *err)
{
    char path[40];
    snprintf(path, sizeof path, "patches[%zu]", index);
    TRY(fsk_cal_json_expect_object(file, path, obj, err));
    fsk_grid_patch *p = &g->patches[index];
    int m = g->construction.color_layers, n = g->filament_count;
    TRY(fsk_json_int(file, path, obj, "id", true, 0, INT_MAX, &p->id, err));
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
        p->sequence[s] = (uint8_t)it->valuedouble;
    }
    return fsk_cal_json_read_numbers(file, path, obj, "rect_mm", true, 4, 0,
                                     FSK_GRID_MAX_SIZE_MM, p->rect_mm, err);
}

/* The array member key with 0..max elements; its size in *count. */
static const cJSON *sized_array(const char *file, const cJSON *root, const char *key,
                                int min, int max, int *count, fsk_err *err)
{
    const cJSON *arr = fsk_json_array(file, "", root, key, true, -1, err);
    if (!arr)
        return NULL;
    *count = cJSON_GetArraySize(arr);
    if (*count < min || *count > max) {
        fsk_err_set(err, FSK_ELIMIT, "%s: %s: expected %d to %d elements, got %d", file,
                    key, min, max, *count);
        return NULL;
    }
    return arr;
}

static int parse_root(const char *file, const cJSON *root, fsk_grid **out,
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
                           "%s: version: version %d is not supported", file, version);
    int marks_n = 0, patches_n = 0;
    const cJSON *marks = sized_array(file, root, "marks", 0, FSK_GRID_MAX_MARKS,
                                     &marks_n, err);
    if (!marks)
        return err ? err->code : FSK_EINVAL;
    const cJSON *patches = sized_array(file, root, "patches", 1, FSK_CAL_MAX_ENTRIES,
                                       &patches_n, err);
    if (!patches)
        return err ? err->code : FSK_EINVAL;
    fsk_grid *g = fsk_grid_new((size_t)marks_n, (size_t)patches_n, err);
    if (!g)
        return err ? err->code : FSK_ENOMEM;
    int rc = fsk_cal_json_read_filaments(file, root, g->filaments, &g->filament_count,
                                         err);
    if (!rc)
        rc = fsk_cal_json_read_construction(file, root, g->filament_count,
                                            &g->construction, err);
    if (!rc)
        rc = fsk_cal_json_read_numbers(file, "", root, "size_mm", true, 2, 0,
                                       FSK_GRID_MAX_SIZE_MM, g->size_mm, err);
    if (!rc)
        rc = fsk_json_int(file, "", root, "base_filament", true, 1, g->filament_count,
                          &g->base_filament, err);
    if (!rc)
        rc = fsk_json_int(file, "", root, "pages", false, 1, FSK_GRID_MAX_PAGES,
                          &g->pages, err);
    if (!rc)
        rc = fsk_json_int(file, "", root, "page", false, 1, g->pages, &g->page, err);
    size_t i = 0;
    for (const cJSON *it = marks->child; it && !rc; it = it->next, i++)
        rc = parse_mark(file, i, it, g, err);
    i = 0;
    for (const cJSON *it = patches->child; it && !rc; it = it->next, i++)
        rc = parse_patch(file, i, it, g, err);
    if (!rc)
        rc = fsk_grid_check(file, g, err);
    if (rc) {
        fsk_grid_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

int fsk_grid_parse(const char *name, const char *json, size_t size, fsk_grid **out,
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

int fsk_grid_load(const char *path, fsk_grid **out, fsk_err *err)
{
    *out = NULL;
    unsigned char *data;
    size_t size;
    int rc = fsk_file_read(path, FSK_JSON_MAX_BYTES, &data, &size, err);
    if (rc)
        return rc;
    rc = fsk_grid_parse(path, (const char *)data, size, out, err);
    free(data);
    return rc;
}

/* ---- saving ----------------------------------------------------------- */

static void put_rect(FILE *f, const double r[4])
{
    char a[40], b[40], c[40], d[40];
    fprintf(f, "[%s, %s, %s, %s]", fsk_cal_json_number(a, sizeof a, r[0], 4),
            fsk_cal_json_number(b, sizeof b, r[1], 4),
            fsk_cal_json_number(c, sizeof c, r[2], 4),
            fsk_cal_json_number(d, sizeof d, r[3], 4));
}

static void write_grid(FILE *f, const fsk_grid *g)
{
    char w[40], h[40];
    fprintf(f, "{\n  \"format\": \"" FORMAT_NAME "\",\n  \"version\": %d,\n",
            FORMAT_VERSION);
    fsk_cal_json_write_filaments(f, g->filaments, g->filament_count);
    fsk_cal_json_write_construction(f, &g->construction);
    fprintf(f, "  \"size_mm\": [%s, %s],\n", fsk_cal_json_number(w, sizeof w, g->size_mm[0], 4),
            fsk_cal_json_number(h, sizeof h, g->size_mm[1], 4));
    fprintf(f, "  \"base_filament\": %d,\n  \"page\": %d,\n  \"pages\": %d,\n",
            g->base_filament, g->page, g->pages);
    fprintf(f, "  \"marks\": [%s", g->mark_count ? "\n" : "");
    for (size_t i = 0; i < g->mark_count; i++) {
        fprintf(f, "    {\"filament\": %d, \"rect_mm\": ", g->marks[i].filament);
        put_rect(f, g->marks[i].rect_mm);
        fprintf(f, "}%s\n", i + 1 < g->mark_count ? "," : "");
    }
    fprintf(f, "%s],\n  \"patches\": [\n", g->mark_count ? "  " : "");
    for (size_t i = 0; i < g->patch_count; i++) {
        const fsk_grid_patch *p = &g->patches[i];
        fprintf(f, "    {\"id\": %d, \"sequence\": ", p->id);
        fsk_cal_json_write_sequence(f, p->sequence, g->construction.color_layers);
        fprintf(f, ", \"rect_mm\": ");
        put_rect(f, p->rect_mm);
        fprintf(f, "}%s\n", i + 1 < g->patch_count ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
}

int fsk_grid_save(const char *path, const fsk_grid *grid, fsk_err *err)
{
    TRY(fsk_grid_check(path, grid, err));
    fsk_out *out = fsk_out_open(path, err);
    if (!out)
        return err && err->code ? err->code : FSK_EIO;
    write_grid(fsk_out_stream(out), grid);
    return fsk_out_commit(out, err);
}
