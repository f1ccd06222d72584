/*
 * fsk_report.c — the conversion report as JSON (cJSON, written atomically).
 */
#include "fsk_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"

/* Rounds to a fixed number of decimals so the report reads well and stays
 * byte-identical across runs. */
static double rounded(double v, int decimals)
{
    double f = pow(10.0, decimals);
    return floor(v * f + 0.5) / f;
}

static cJSON *pair(double a, double b, int decimals)
{
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_CreateNumber(rounded(a, decimals)));
    cJSON_AddItemToArray(arr, cJSON_CreateNumber(rounded(b, decimals)));
    return arr;
}

static const char *view_of(const fsk_calibration *cal)
{
    return fsk_view_name(cal->construction.view);
}

static void add_print(cJSON *root, const fsk_convert_result *res)
{
    cJSON *print = cJSON_AddObjectToObject(root, "print");
    cJSON_AddItemToObject(print, "grid_px", pair(res->grid_width, res->grid_height, 0));
    cJSON_AddNumberToObject(print, "pixel_mm", rounded(res->pixel_mm, 6));
    cJSON_AddItemToObject(print, "size_mm", pair(res->grid_width * res->pixel_mm,
                                                 res->grid_height * res->pixel_mm, 3));
    cJSON_AddNumberToObject(print, "layers", res->layers);
    cJSON_AddNumberToObject(print, "height_mm", rounded(res->height_mm, 4));
}

static void add_options(cJSON *root, const fsk_convert_options *opt)
{
    cJSON *o = cJSON_AddObjectToObject(root, "options");
    cJSON_AddStringToObject(o, "metric", fsk_metric_name(opt->metric));
    cJSON_AddStringToObject(o, "dither", opt->dither ? "floyd-steinberg" : "none");
    cJSON_AddNumberToObject(o, "max_colors", opt->max_colors);
    cJSON_AddNumberToObject(o, "simplify_de2000", rounded(fsk_convert_simplify_de(opt), 6));
    cJSON_AddNumberToObject(o, "min_feature_mm", rounded(opt->min_feature_mm, 6));
    cJSON_AddStringToObject(o, "transparent", opt->transparent_backing ? "backing" : "empty");
}

static void add_calibration(cJSON *root, const fsk_calibration *cal,
                            const fsk_convert_options *opt)
{
    cJSON *c = cJSON_AddObjectToObject(root, "calibration");
    cJSON_AddStringToObject(c, "file", opt->calibration_name ? opt->calibration_name : "");
    cJSON_AddStringToObject(c, "source", cal->source.kind);
    cJSON_AddNumberToObject(c, "entries", (double)cal->entry_count);
    cJSON *cons = cJSON_AddObjectToObject(c, "construction");
    cJSON_AddNumberToObject(cons, "layer_height", rounded(cal->construction.layer_height_mm, 6));
    cJSON_AddNumberToObject(cons, "color_layers", cal->construction.color_layers);
    if (cal->construction.backing_filament > 0) {
        cJSON *b = cJSON_AddObjectToObject(cons, "backing");
        cJSON_AddNumberToObject(b, "filament", cal->construction.backing_filament);
        cJSON_AddNumberToObject(b, "thickness", rounded(cal->construction.backing_mm, 6));
    } else {
        cJSON_AddNullToObject(cons, "backing");
    }
    cJSON_AddStringToObject(cons, "view", view_of(cal));
}

static void add_color(cJSON *root, const fsk_convert_result *res)
{
    cJSON *e = cJSON_AddObjectToObject(root, "color_error_de2000");
    cJSON_AddNumberToObject(e, "mean", rounded(res->color.mean, 3));
    cJSON_AddNumberToObject(e, "p95", rounded(res->color.p95, 2));
    cJSON_AddNumberToObject(e, "max", rounded(res->color.max, 3));
    cJSON_AddNumberToObject(e, "pixels", (double)res->color.pixels);
    cJSON_AddNumberToObject(root, "colors_used", res->color.colors_used);
    cJSON *m = cJSON_AddObjectToObject(root, "matching");
    cJSON_AddNumberToObject(m, "lookups", (double)res->match.lookups);
    if (res->match.colors)
        cJSON_AddNumberToObject(m, "distinct_colors", (double)res->match.colors);
    cJSON_AddNumberToObject(m, "answered_by_table", (double)res->match.single);
    cJSON_AddNumberToObject(m, "answered_by_candidate_list", (double)res->match.listed);
    cJSON *sim = cJSON_AddObjectToObject(root, "simplify");
    cJSON_AddNumberToObject(sim, "pixels_changed", (double)res->simplify.pixels_changed);
    cJSON_AddNumberToObject(sim, "surface_corners_removed",
                            (double)res->simplify.corners_removed);
    cJSON *c = cJSON_AddObjectToObject(root, "cleanup");
    cJSON_AddNumberToObject(c, "min_region_px", res->cleanup_min_pixels);
    cJSON_AddNumberToObject(c, "pixels_changed", (double)res->cleanup.pixels_changed);
    cJSON_AddNumberToObject(c, "islands_removed", (double)res->cleanup.islands_removed);
    cJSON *st = cJSON_AddObjectToObject(root, "stacks");
    cJSON_AddNumberToObject(st, "colors_with_twins", res->stacks.colors_with_twins);
    cJSON_AddNumberToObject(st, "colors_changed", res->stacks.colors_changed);
    if (res->stacks.skipped)
        cJSON_AddBoolToObject(st, "skipped_too_detailed", true);
    if (res->stacks.colors_with_twins) {
        cJSON_AddNumberToObject(st, "surface_corners_before", (double)res->stacks.corners_before);
        cJSON_AddNumberToObject(st, "surface_corners_after", (double)res->stacks.corners_after);
    }
}

static void add_parts(cJSON *root, const fsk_convert_result *res)
{
    cJSON *parts = cJSON_AddArrayToObject(root, "parts");
    for (int p = 1; p <= res->part_count; p++) {
        const fsk_convert_part *part = &res->part[p];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", part->name);
        cJSON_AddNumberToObject(o, "filament", part->filament);
        cJSON_AddBoolToObject(o, "backing", part->is_backing);
        cJSON_AddStringToObject(o, "stl", part->file);
        cJSON_AddNumberToObject(o, "triangles", (double)part->triangles);
        cJSON_AddNumberToObject(o, "voxels", (double)res->layer_stats.part[p].voxels);
        cJSON_AddNumberToObject(o, "volume_mm3", rounded(part->volume_mm3, 3));
        cJSON_AddNumberToObject(o, "grams", rounded(part->grams, 3));
        cJSON_AddItemToArray(parts, o);
    }
}

static void add_layers(cJSON *root, const fsk_convert_result *res)
{
    const fsk_layer_stats *ls = &res->layer_stats;
    cJSON *layers = cJSON_AddArrayToObject(root, "layers");
    for (int z = 0; z < ls->layers; z++) {
        const fsk_layer_use *u = &ls->layer[z];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "layer", z);
        cJSON_AddItemToObject(o, "z_mm", pair(z * res->layer_height_mm,
                                              (z + 1) * res->layer_height_mm, 4));
        cJSON *fil = cJSON_AddArrayToObject(o, "filaments");
        for (int f = 1; f <= 32; f++)
            if (u->filaments & (1u << (f - 1)))
                cJSON_AddItemToArray(fil, cJSON_CreateNumber(f));
        cJSON_AddNumberToObject(o, "tool_changes", u->tool_changes);
        cJSON_AddItemToArray(layers, o);
    }
}

static void add_totals(cJSON *root, const fsk_convert_result *res)
{
    cJSON *t = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(t, "triangles", (double)res->triangles);
    cJSON_AddNumberToObject(t, "volume_mm3", rounded(res->layer_stats.total_volume_mm3, 3));
    cJSON_AddNumberToObject(t, "grams", rounded(res->layer_stats.total_grams, 3));
    cJSON_AddNumberToObject(t, "tool_changes", (double)res->layer_stats.tool_changes);
    cJSON *files = cJSON_AddArrayToObject(t, "files");
    for (int i = 0; i < res->file_count; i++)
        cJSON_AddItemToArray(files, cJSON_CreateString(res->files[i]));
    cJSON_AddNumberToObject(t, "bytes_written", (double)res->bytes_written);
}

static void add_timings(cJSON *root, const fsk_convert_result *res)
{
    cJSON *t = cJSON_AddObjectToObject(root, "timings_ms");
    for (int s = 0; s < FSK_STAGE_COUNT; s++)
        cJSON_AddNumberToObject(t, fsk_stage_name((fsk_stage)s), rounded(res->stage_ms[s], 3));
    cJSON_AddNumberToObject(t, "total", rounded(res->total_ms, 3));
}

int fsk_report_write(const char *path, const char *input, const fsk_calibration *cal,
                     const fsk_convert_options *opt, const fsk_convert_result *res,
                     fsk_err *err)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    cJSON_AddStringToObject(root, "format", "filastack-report");
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddStringToObject(root, "input", input);
    cJSON_AddStringToObject(root, "input_format", res->image.format ? res->image.format : "");
    cJSON_AddItemToObject(root, "input_px", pair(res->image.full_width, res->image.full_height, 0));
    cJSON_AddItemToObject(root, "decoded_px", pair(res->image.width, res->image.height, 0));
    cJSON_AddNumberToObject(root, "orientation", res->image.orientation);
    add_print(root, res);
    add_options(root, opt);
    add_calibration(root, cal, opt);
    add_color(root, res);
    add_parts(root, res);
    add_layers(root, res);
    add_totals(root, res);
    add_timings(root, res);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    size_t n = strlen(text);
    text[n] = '\n'; /* cJSON leaves room for the NUL; end the file with a newline */
    int rc = fsk_file_write_atomic(path, text, n + 1, err);
    cJSON_free(text);
    return rc;
}
