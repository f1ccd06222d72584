/*
 * fsk_grid_print.c — a calibration grid as a print (fsk_grid_print.h): its
 * predicted calibration, its label map, and the STL, 3MF and preview files
 * built with the conversion's own stages.
 */
#include "fsk_grid_print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_labels.h"
#include "fsk_layers.h"
#include "fsk_mesh.h"
#include "fsk_model.h"
#include "fsk_parallel.h"
#include "fsk_preview.h"

#define MAX_PIXELS (1u << 28)

/* True when v is a whole multiple of step (both mm). */
static int on_lattice(double v, double step)
{
    double k = round(v / step);
    return fabs(v - k * step) < 1e-6;
}

int fsk_grid_pixel_mm(const fsk_grid *g, double *pixel_mm, fsk_err *err)
{
    static const double steps[] = {0.2, 0.1};
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        double p = steps[s];
        int ok = on_lattice(g->size_mm[0], p) && on_lattice(g->size_mm[1], p);
        for (size_t i = 0; ok && i < g->mark_count; i++)
            for (int k = 0; k < 4; k++)
                ok = ok && on_lattice(g->marks[i].rect_mm[k], p);
        for (size_t i = 0; ok && i < g->patch_count; i++)
            for (int k = 0; k < 4; k++)
                ok = ok && on_lattice(g->patches[i].rect_mm[k], p);
        if (ok) {
            *pixel_mm = p;
            return 0;
        }
    }
    return fsk_err_set(err, FSK_EINVAL,
                       "the grid's plate and rectangles are not whole multiples of "
                       "0.1 mm");
}

static fsk_calibration *predicted(const fsk_grid *g, size_t entries, fsk_err *err)
{
    fsk_calibration *cal = fsk_calibration_new(entries, err);
    if (!cal)
        return NULL;
    cal->filament_count = g->filament_count;
    memcpy(cal->filaments, g->filaments, sizeof cal->filaments);
    cal->construction = g->construction;
    snprintf(cal->source.kind, sizeof cal->source.kind, "predicted");
    snprintf(cal->source.device, sizeof cal->source.device, "filastack layered light model");
    return cal;
}

int fsk_grid_predict(const fsk_grid *g, fsk_calibration **out, fsk_err *err)
{
    *out = NULL;
    fsk_calibration *cal = predicted(g, g->patch_count, err);
    if (!cal)
        return err && err->code ? err->code : FSK_ENOMEM;
    fsk_model model;
    fsk_model_from_filaments(g->filaments, g->filament_count, &model);
    for (size_t i = 0; i < g->patch_count; i++) {
        memcpy(cal->entries[i].sequence, g->patches[i].sequence, FSK_MAX_COLOR_LAYERS);
        fsk_model_predict_entry(&model, &g->construction, &cal->entries[i]);
    }
    *out = cal;
    return 0;
}

/* The full-height stack of filament k. */
static void full_stack(const fsk_grid *g, int k, uint8_t seq[FSK_MAX_COLOR_LAYERS])
{
    memset(seq, 0, FSK_MAX_COLOR_LAYERS);
    for (int i = 0; i < g->construction.color_layers; i++)
        seq[i] = (uint8_t)k;
}

/* Index of the patch with sequence seq, or -1 (linear: called a few times). */
static long find_patch(const fsk_grid *g, const uint8_t *seq)
{
    for (size_t i = 0; i < g->patch_count; i++)
        if (memcmp(g->patches[i].sequence, seq, FSK_MAX_COLOR_LAYERS) == 0)
            return (long)i;
    return -1;
}

int fsk_grid_print_calibration(const fsk_grid *g, fsk_calibration **out, fsk_err *err)
{
    *out = NULL;
    /* The stacks to add: the marks' filaments and, without backing, the base. */
    int extra[FSK_GRID_MAX_MARKS + 1], extra_n = 0;
    for (size_t i = 0; i <= g->mark_count; i++) {
        int k = i < g->mark_count ? g->marks[i].filament
                                  : (g->construction.backing_filament > 0 ? 0
                                                                          : g->base_filament);
        uint8_t seq[FSK_MAX_COLOR_LAYERS];
        full_stack(g, k, seq);
        int seen = k == 0 || find_patch(g, seq) >= 0;
        for (int e = 0; e < extra_n && !seen; e++)
            seen = extra[e] == k;
        if (!seen)
            extra[extra_n++] = k;
    }
    fsk_calibration *cal = predicted(g, g->patch_count + (size_t)extra_n, err);
    if (!cal)
        return err && err->code ? err->code : FSK_ENOMEM;
    fsk_model model;
    fsk_model_from_filaments(g->filaments, g->filament_count, &model);
    for (size_t i = 0; i < cal->entry_count; i++) {
        if (i < g->patch_count)
            memcpy(cal->entries[i].sequence, g->patches[i].sequence, FSK_MAX_COLOR_LAYERS);
        else
            full_stack(g, extra[i - g->patch_count], cal->entries[i].sequence);
        fsk_model_predict_entry(&model, &g->construction, &cal->entries[i]);
    }
    *out = cal;
    return 0;
}

/* ---- label map ------------------------------------------------------------ */

/* An entry's sequence with its index, sorted by sequence for look-ups. */
typedef struct keyed {
    uint8_t seq[FSK_MAX_COLOR_LAYERS];
    uint16_t index;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    return memcmp(((const keyed *)pa)->seq, ((const keyed *)pb)->seq, FSK_MAX_COLOR_LAYERS);
}

static int find_entry(const keyed *sorted, size_t n, const uint8_t *seq, uint16_t *label)
{
    keyed key;
    memcpy(key.seq, seq, FSK_MAX_COLOR_LAYERS);
    const keyed *hit = bsearch(&key, sorted, n, sizeof *sorted, cmp_keyed);
    if (!hit)
        return -1;
    *label = hit->index;
    return 0;
}

static void fill(uint16_t *labels, int width, int height, double pixel_mm,
                 const double r[4], uint16_t label)
{
    long x0 = lround(r[0] / pixel_mm), y0 = lround(r[1] / pixel_mm);
    long x1 = lround((r[0] + r[2]) / pixel_mm), y1 = lround((r[1] + r[3]) / pixel_mm);
    for (long y = y0 < 0 ? 0 : y0; y < y1 && y < height; y++)
        for (long x = x0 < 0 ? 0 : x0; x < x1 && x < width; x++)
            labels[(size_t)y * (size_t)width + (size_t)x] = label;
}

int fsk_grid_labels(const fsk_grid *g, const fsk_calibration *cal, double pixel_mm,
                    uint16_t **labels_out, int *width_out, int *height_out, fsk_err *err)
{
    *labels_out = NULL;
    long width = lround(g->size_mm[0] / pixel_mm), height = lround(g->size_mm[1] / pixel_mm);
    if (width < 1 || height < 1 || (uint64_t)width * (uint64_t)height > MAX_PIXELS)
        return fsk_err_set(err, FSK_ELIMIT, "a %g x %g mm grid in %g mm pixels is too large",
                           g->size_mm[0], g->size_mm[1], pixel_mm);
    size_t n = cal->entry_count;
    keyed *sorted = malloc((n ? n : 1) * sizeof *sorted);
    uint16_t *labels = malloc((size_t)width * (size_t)height * sizeof *labels);
    if (!sorted || !labels) {
        free(sorted);
        free(labels);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(sorted[i].seq, cal->entries[i].sequence, FSK_MAX_COLOR_LAYERS);
        sorted[i].index = (uint16_t)i;
    }
    qsort(sorted, n, sizeof *sorted, cmp_keyed);
    int rc = 0;
    uint8_t seq[FSK_MAX_COLOR_LAYERS];
    uint16_t base = FSK_LABEL_BACKING;
    if (g->construction.backing_filament == 0) {
        full_stack(g, g->base_filament, seq);
        if (find_entry(sorted, n, seq, &base))
            rc = fsk_err_set(err, FSK_EINVAL, "the base filament's stack is not calibrated");
    }
    for (size_t i = 0; i < (size_t)width * (size_t)height; i++)
        labels[i] = base;
    for (size_t i = 0; i < g->mark_count && !rc; i++) {
        uint16_t label;
        full_stack(g, g->marks[i].filament, seq);
        if (find_entry(sorted, n, seq, &label))
            rc = fsk_err_set(err, FSK_EINVAL, "marks[%zu]: its stack is not calibrated", i);
        else
            fill(labels, (int)width, (int)height, pixel_mm, g->marks[i].rect_mm, label);
    }
    for (size_t i = 0; i < g->patch_count && !rc; i++) {
        uint16_t label;
        if (find_entry(sorted, n, g->patches[i].sequence, &label))
            rc = fsk_err_set(err, FSK_EINVAL, "patches[%zu]: its sequence is not calibrated",
                             i);
        else
            fill(labels, (int)width, (int)height, pixel_mm, g->patches[i].rect_mm, label);
    }
    free(sorted);
    if (rc) {
        free(labels);
        return rc;
    }
    *labels_out = labels;
    *width_out = (int)width;
    *height_out = (int)height;
    return 0;
}

/* ---- the print -------------------------------------------------------------- */

int fsk_grid_write_print(fsk_staging *s, const char *stem, const fsk_grid *g,
                         fsk_threemf_kind kind, const fsk_printer *printer,
                         fsk_grid_print_stats *stats, fsk_err *err)
{
    fsk_grid_print_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    fsk_calibration *cal = NULL;
    uint16_t *labels = NULL;
    uint8_t *rgba = NULL;
    fsk_voxels voxels = {0};
    fsk_mesh meshes[FSK_MAX_PARTS + 1];
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_init(&meshes[p]);
    int w = 0, h = 0;
    int rc = fsk_grid_pixel_mm(g, &stats->pixel_mm, err);
    if (!rc)
        rc = fsk_grid_print_calibration(g, &cal, err);
    if (!rc)
        rc = fsk_grid_labels(g, cal, stats->pixel_mm, &labels, &w, &h, err);
    if (!rc) {
        stats->width_px = w;
        stats->height_px = h;
        rc = fsk_layers_expand(labels, w, h, cal, stats->pixel_mm, fsk_parallel_threads(),
                               &voxels, err);
    }
    if (!rc) {
        stats->layers = voxels.layers;
        stats->height_mm = voxels.layer_top_mm[voxels.layers];
        stats->part_count = voxels.part_count;
        rc = fsk_print_mesh(&voxels, meshes, stats->part, &stats->triangles, err);
    }
    if (!rc)
        rc = fsk_print_write_stls(s, stem, &voxels, meshes, stats->part, err);
    if (!rc)
        rc = fsk_print_write_3mf(s, stem, kind, printer, &voxels, meshes, err);
    fsk_voxels_free(&voxels);
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_free(&meshes[p]);
    if (!rc) {
        rgba = malloc((size_t)w * (size_t)h * 4);
        if (!rgba)
            rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    if (!rc) {
        /* The backing as the model sees it: the empty sequence. */
        uint8_t none[FSK_MAX_COLOR_LAYERS] = {0};
        fsk_model model;
        double lin[3], backing[3];
        fsk_model_from_filaments(g->filaments, g->filament_count, &model);
        fsk_model_predict(&model, &g->construction, none, lin);
        for (int c = 0; c < 3; c++)
            backing[c] = 255.0 * fsk_linear_to_srgb(lin[c]);
        rc = fsk_preview_paint(labels, (size_t)w * (size_t)h, cal, backing, rgba, err);
        char name[FSK_FILE_NAME_MAX];
        snprintf(name, sizeof name, "%s_preview.png", stem);
        if (!rc)
            rc = fsk_print_write_png(s, name, w, h, rgba, stats->pixel_mm, err);
    }
    free(rgba);
    free(labels);
    fsk_calibration_free(cal);
    return rc;
}
