/*
 * fsk_layers.c — label map to voxel grid (see fsk_layers.h).
 *
 * Every label value used by the map gets one precomputed column (the part
 * id of each layer), so the grid is filled layer by layer with one table
 * look-up per voxel, writing the dense array in memory order.
 */
#include "fsk_layers.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_labels.h"
#include "fsk_memory.h"
#include "fsk_parallel.h"

#define LABEL_VALUES 65536

int fsk_layers_backing_count(const fsk_construction *c)
{
    if (c->backing_filament <= 0)
        return 0;
    double b = round(c->backing_mm / c->layer_height_mm);
    if (!(b >= 1))
        return 1;
    return b > FSK_MAX_BACKING_LAYERS ? FSK_MAX_BACKING_LAYERS + 1 : (int)b;
}

void fsk_voxels_free(fsk_voxels *v)
{
    if (!v)
        return;
    free(v->parts);
    free(v->plane_of);
    free(v->layer_top_mm);
    memset(v, 0, sizeof *v);
}

static int check_construction(const fsk_calibration *cal, fsk_err *err)
{
    const fsk_construction *c = &cal->construction;
    if (cal->filament_count < 1 || cal->filament_count > FSK_MAX_FILAMENTS)
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: %d filaments (expected 1 to %d)",
                           cal->filament_count, FSK_MAX_FILAMENTS);
    if (!(c->layer_height_mm > 0 && isfinite(c->layer_height_mm)))
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: invalid layer height %g mm",
                           c->layer_height_mm);
    if (c->color_layers < 1 || c->color_layers > FSK_MAX_COLOR_LAYERS)
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: %d color layers (expected 1 to %d)",
                           c->color_layers, FSK_MAX_COLOR_LAYERS);
    if (c->backing_filament < 0 || c->backing_filament > cal->filament_count)
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: backing filament %d does not exist "
                           "(%d filaments)", c->backing_filament,
                           cal->filament_count);
    if (!(c->backing_mm >= 0 && isfinite(c->backing_mm)))
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: invalid backing thickness %g mm",
                           c->backing_mm);
    if (fsk_layers_backing_count(c) > FSK_MAX_BACKING_LAYERS)
        return fsk_err_set(err, FSK_ELIMIT,
                           "layer expansion: backing of %g mm is more than %d "
                           "layers", c->backing_mm, FSK_MAX_BACKING_LAYERS);
    if (c->view != FSK_VIEW_TOP && c->view != FSK_VIEW_BOTTOM)
        return fsk_err_set(err, FSK_EINVAL, "layer expansion: invalid view");
    return 0;
}

/* Marks the label values the map uses; checks them against cal. */
static int scan_labels(const uint16_t *labels, int width, int height,
                       const fsk_calibration *cal, uint8_t *used, fsk_err *err)
{
    size_t n = (size_t)width * (size_t)height;
    for (size_t p = 0; p < n; p++)
        used[labels[p]] = 1;
    for (size_t p = 0; p < n; p++) {
        uint16_t lab = labels[p];
        int bad_entry = !fsk_label_is_transparent(lab) && lab >= cal->entry_count;
        int bad_backing = lab == FSK_LABEL_BACKING &&
                          cal->construction.backing_filament == 0;
        if (!bad_entry && !bad_backing)
            continue;
        int x = (int)(p % (size_t)width), y = (int)(p / (size_t)width);
        if (bad_entry)
            return fsk_err_set(err, FSK_EINVAL,
                               "label map pixel (%d, %d) refers to calibration "
                               "entry %u, but there are only %zu",
                               x, y, (unsigned)lab, cal->entry_count);
        return fsk_err_set(err, FSK_EINVAL,
                           "label map pixel (%d, %d) asks for the backing only, "
                           "but the construction has no backing", x, y);
    }
    for (unsigned lab = 0; lab < FSK_LABEL_BACKING; lab++) {
        if (!used[lab])
            continue;
        const uint8_t *seq = cal->entries[lab].sequence;
        for (int i = 0; i < cal->construction.color_layers; i++)
            if (seq[i] > cal->filament_count)
                return fsk_err_set(err, FSK_EINVAL,
                                   "calibration entry %u: slot %d uses filament "
                                   "%d, but there are only %d", lab, i + 1,
                                   seq[i], cal->filament_count);
    }
    if (!used[FSK_LABEL_BACKING] && !memchr(used, 1, FSK_LABEL_BACKING))
        return fsk_err_set(err, FSK_EINVAL,
                           "nothing to print: every pixel of the label map is "
                           "empty");
    return 0;
}

/* Builds the part table; part_of[f] is filament f's color part, or 0. */
static void make_parts(const fsk_calibration *cal, const uint8_t *used,
                       fsk_voxels *out, uint8_t *part_of)
{
    int m = cal->construction.color_layers;
    int in_use[FSK_MAX_FILAMENTS + 1] = {0};
    for (unsigned lab = 0; lab < FSK_LABEL_BACKING; lab++)
        if (used[lab])
            for (int i = 0; i < m; i++)
                in_use[cal->entries[lab].sequence[i]] = 1;
    out->part_count = 0;
    for (int f = 1; f <= cal->filament_count; f++) {
        part_of[f] = 0;
        if (!in_use[f])
            continue;
        fsk_part *p = &out->part[++out->part_count];
        const fsk_filament *fil = &cal->filaments[f - 1];
        snprintf(p->name, sizeof p->name, "%s", fil->name);
        p->filament = f;
        memcpy(p->rgb, fil->rgb, 3);
        p->density_g_cm3 = fil->density_g_cm3 > 0 ? fil->density_g_cm3 : FSK_DEFAULT_DENSITY_G_CM3;
        p->is_backing = 0;
        part_of[f] = (uint8_t)out->part_count;
    }
    int b = cal->construction.backing_filament;
    if (b > 0) {
        fsk_part *p = &out->part[++out->part_count];
        const fsk_filament *fil = &cal->filaments[b - 1];
        /* A long filament name is cut to fit; the part name is for show. */
        snprintf(p->name, sizeof p->name, "backing (%.*s)",
                 (int)sizeof p->name - 11, fil->name);
        p->filament = b;
        memcpy(p->rgb, fil->rgb, 3);
        p->density_g_cm3 = fil->density_g_cm3 > 0 ? fil->density_g_cm3 : FSK_DEFAULT_DENSITY_G_CM3;
        p->is_backing = 1;
    }
}

/* The column of one label: the part id at each of the layers. */
static void make_column(const fsk_calibration *cal, uint16_t lab,
                        const uint8_t *part_of, uint8_t backing_part,
                        int backing_layers, int layers, uint8_t *col)
{
    const fsk_construction *c = &cal->construction;
    memset(col, 0, (size_t)layers);
    if (lab == FSK_LABEL_EMPTY)
        return;
    if (lab == FSK_LABEL_BACKING) {
        int top = c->view == FSK_VIEW_TOP ? backing_layers : layers;
        memset(col, backing_part, (size_t)top);
        return;
    }
    const uint8_t *seq = cal->entries[lab].sequence;
    if (c->view == FSK_VIEW_TOP) {
        int z = 0;
        for (; z < backing_layers; z++)
            col[z] = backing_part;
        for (int i = 0; i < c->color_layers; i++)
            if (seq[i])
                col[z++] = part_of[seq[i]];
    } else {
        int z = 0;
        for (int i = 0; i < c->color_layers; i++)
            if (seq[i])
                col[z++] = part_of[seq[i]];
        if (backing_part)
            for (; z < layers; z++)
                col[z] = backing_part;
    }
}

/* Layers of the grid: see the rules in fsk_layers.h. */
static int layer_count(const fsk_calibration *cal, const uint8_t *used,
                       int backing_layers)
{
    const fsk_construction *c = &cal->construction;
    if (c->view == FSK_VIEW_BOTTOM && backing_layers > 0)
        return c->color_layers + backing_layers;
    int tallest = 0;
    for (unsigned lab = 0; lab < FSK_LABEL_BACKING; lab++) {
        if (!used[lab])
            continue;
        int k = 0;
        for (int i = 0; i < c->color_layers; i++)
            k += cal->entries[lab].sequence[i] != 0;
        if (k > tallest)
            tallest = k;
    }
    return backing_layers + tallest;
}

/* Layer z of the grid from the label map, through each used value's
 * column, into its plane; one task of fsk_parallel_for per layer (a layer
 * whose plane an earlier layer fills leaves it to that one). */
typedef struct plane_fill {
    const uint16_t *labels;
    int width, height, layers;
    const uint8_t *table;  /* column per used value, layers bytes each */
    size_t columns;
    const int32_t *slot;   /* label value -> column */
    int mirror;            /* seen from below: x runs the other way */
    uint8_t *parts;
    const int *plane_of;
} plane_fill;

/* Whether every used value fills layer z alike (the backing's, under an
 * artwork without transparency): the layer is then one id throughout. */
static bool uniform_layer(const plane_fill *f, int z)
{
    const uint8_t *col_z = f->table + z;
    size_t layers = (size_t)f->layers;
    bool uniform = f->columns > 0;
    for (size_t k = 1; k < f->columns && uniform; k++)
        uniform = col_z[k * layers] == col_z[0];
    return uniform;
}

/* Layers that hold one id throughout share a plane with the first such
 * layer of that id; every other layer has its own. Returns the planes. */
static int assign_planes(const plane_fill *f, int *plane_of)
{
    int planes = 0;
    for (int z = 0; z < f->layers; z++) {
        plane_of[z] = -1;
        if (uniform_layer(f, z))
            for (int e = 0; e < z && plane_of[z] < 0; e++)
                if (uniform_layer(f, e) && f->table[e] == f->table[z])
                    plane_of[z] = plane_of[e];
        if (plane_of[z] < 0)
            plane_of[z] = planes++;
    }
    return planes;
}

static void fill_plane(void *ctx, int z)
{
    const plane_fill *f = ctx;
    if (fsk_voxel_plane_layer(f->plane_of, z) != z)
        return;
    const uint8_t *col_z = f->table + z;
    size_t layers = (size_t)f->layers;
    uint8_t *dst = f->parts + (size_t)f->plane_of[z] * (size_t)f->width * (size_t)f->height;
    if (uniform_layer(f, z)) {
        memset(dst, col_z[0], (size_t)f->width * (size_t)f->height);
        return;
    }
    for (int y = 0; y < f->height; y++) {
        const uint16_t *row = f->labels + (size_t)(f->height - 1 - y) * (size_t)f->width;
        if (f->mirror)
            for (int x = 0; x < f->width; x++)
                *dst++ = col_z[(size_t)f->slot[row[f->width - 1 - x]] * layers];
        else
            for (int x = 0; x < f->width; x++)
                *dst++ = col_z[(size_t)f->slot[row[x]] * layers];
    }
}

int fsk_layers_expand(const uint16_t *labels, int width, int height,
                      const fsk_calibration *cal, double pixel_mm, int threads,
                      fsk_voxels *out, fsk_err *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!labels || !cal || !out || width < 1 || height < 1)
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: invalid label map %dx%d",
                           width, height);
    if (!(pixel_mm > 0 && isfinite(pixel_mm)))
        return fsk_err_set(err, FSK_EINVAL,
                           "layer expansion: invalid pixel size %g mm", pixel_mm);
    int rc = check_construction(cal, err);
    if (rc != 0)
        return rc;

    uint8_t *used = calloc(LABEL_VALUES, 1);
    if (!used)
        return fsk_err_set(err, FSK_ENOMEM, "layer expansion: out of memory");
    rc = scan_labels(labels, width, height, cal, used, err);
    if (rc != 0) {
        free(used);
        return rc;
    }

    const fsk_construction *c = &cal->construction;
    int backing_layers = fsk_layers_backing_count(c);
    int layers = layer_count(cal, used, backing_layers);
    uint8_t part_of[FSK_MAX_FILAMENTS + 1];
    make_parts(cal, used, out, part_of);
    uint8_t backing_part = backing_layers > 0 ? (uint8_t)out->part_count : 0;

    /* One column per used label value; slot[] maps a value to its column. */
    size_t columns = 0;
    int32_t *slot = malloc(LABEL_VALUES * sizeof *slot);
    for (unsigned lab = 0; slot && lab < LABEL_VALUES; lab++)
        slot[lab] = used[lab] ? (int32_t)columns++ : -1;
    uint8_t *table = slot ? malloc(columns * (size_t)layers) : NULL;
    out->plane_of = malloc((size_t)(layers > 0 ? layers : 1) * sizeof *out->plane_of);
    out->layer_top_mm = malloc(((size_t)layers + 1) * sizeof *out->layer_top_mm);
    plane_fill fill = {labels, width, height, layers, table, columns, slot,
                       c->view == FSK_VIEW_BOTTOM, NULL, out->plane_of};
    int planes = 0;
    if (table && out->plane_of) {
        for (unsigned lab = 0; lab < LABEL_VALUES; lab++)
            if (slot[lab] >= 0)
                make_column(cal, (uint16_t)lab, part_of, backing_part, backing_layers,
                            layers, table + (size_t)slot[lab] * (size_t)layers);
        planes = assign_planes(&fill, out->plane_of);
    }
    size_t plane = (size_t)width * (size_t)height;
    size_t cells = plane * (size_t)planes;
    int overflow = planes > 0 && cells / (size_t)planes != plane;
    out->parts = table && out->plane_of && !overflow ? fsk_alloc_large(cells ? cells : 1) : NULL;
    if (!out->parts || !out->layer_top_mm) {
        free(used);
        free(slot);
        free(table);
        fsk_voxels_free(out);
        return fsk_err_set(err, FSK_ENOMEM,
                           "layer expansion: out of memory for %dx%dx%d voxels",
                           width, height, layers);
    }
    fill.parts = out->parts;
    fsk_parallel_for(threads, layers, fill_plane, &fill);
    for (int k = 0; k <= layers; k++)
        out->layer_top_mm[k] = k * c->layer_height_mm;
    out->width = width;
    out->height = height;
    out->layers = layers;
    out->pixel_mm = pixel_mm;
    free(used);
    free(slot);
    free(table);
    return 0;
}
