/*
 * fsk_convert.c — one artwork through the whole pipeline (fsk_convert.h):
 * stage by stage, timing each, with every output written into a temporary
 * folder and renamed into the output folder only when all succeeded.
 */
#include "fsk_convert.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsk_labels.h"
#include "fsk_layers.h"
#include "fsk_mesh.h"
#include "fsk_quantize.h"
#include "fsk_report.h"

static const char *const stage_names[FSK_STAGE_COUNT] = {
    "decode_resample", "palette", "match", "cleanup", "preview",
    "expand", "mesh", "write_stl", "write_3mf", "write_preview",
};

const char *fsk_stage_name(fsk_stage stage)
{
    return (unsigned)stage < FSK_STAGE_COUNT ? stage_names[stage] : "?";
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* What a conversion holds while it runs; released by job_free. */
typedef struct job {
    const fsk_calibration *cal;
    const fsk_convert_options *opt;
    fsk_convert_result *res;
    fsk_staging staging;     /* every output, published together */
    fsk_print_image image;
    uint16_t *labels;
    uint16_t *allowed;       /* --max-colors entries */
    size_t allowed_count;
    fsk_matcher *matcher;
    uint8_t *preview;
    fsk_voxels voxels;
    fsk_mesh meshes[FSK_MAX_PARTS + 1];
    double stage_start;
    fsk_stage stage;
} job;

static void begin_stage(job *j, fsk_stage stage)
{
    j->stage = stage;
    if (j->opt->progress)
        j->opt->progress(j->opt->progress_ctx, stage);
    j->stage_start = now_ms();
}

static void end_stage(job *j)
{
    j->res->stage_ms[j->stage] += now_ms() - j->stage_start;
}

static void job_free(job *j)
{
    fsk_staging_close(&j->staging);
    fsk_print_image_free(&j->image);
    free(j->labels);
    free(j->allowed);
    fsk_matcher_free(j->matcher);
    free(j->preview);
    fsk_voxels_free(&j->voxels);
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_free(&j->meshes[p]);
}

static int run_decode(job *j, const char *input, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_DECODE_RESAMPLE);
    int rc = fsk_print_image_load(input, &j->opt->grid, &j->image, &j->res->image, err);
    end_stage(j);
    if (rc)
        return rc;
    j->res->grid_width = j->image.width;
    j->res->grid_height = j->image.height;
    j->res->pixel_mm = j->opt->grid.pixel_mm;
    return 0;
}

static int run_match(job *j, fsk_err *err)
{
    const fsk_convert_options *opt = j->opt;
    const size_t n = (size_t)j->image.width * (size_t)j->image.height;
    if (opt->max_colors > 0) {
        begin_stage(j, FSK_STAGE_PALETTE);
        j->allowed = malloc((size_t)opt->max_colors * sizeof *j->allowed);
        int rc = j->allowed ? fsk_palette_reduce(j->image.rgba, j->image.width,
                                                 j->image.height, j->cal, NULL, 0,
                                                 opt->max_colors, j->allowed,
                                                 &j->allowed_count, err)
                            : fsk_err_set(err, FSK_ENOMEM, "out of memory");
        end_stage(j);
        if (rc)
            return rc;
    }
    begin_stage(j, FSK_STAGE_MATCH);
    j->matcher = fsk_matcher_create(j->cal, j->allowed, j->allowed_count, opt->metric, err);
    j->labels = malloc(n * sizeof *j->labels);
    int rc = 0;
    if (!j->matcher)
        rc = err ? err->code : FSK_ENOMEM;
    else if (!j->labels)
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    else {
        fsk_quantize_opts q = {
            .dither = opt->dither ? FSK_DITHER_FLOYD_STEINBERG : FSK_DITHER_NONE,
            .transparent_label = opt->transparent_backing ? FSK_LABEL_BACKING
                                                          : FSK_LABEL_EMPTY,
        };
        rc = fsk_quantize(j->image.rgba, j->image.width, j->image.height, j->matcher, &q,
                          j->labels, &j->res->match, err);
    }
    end_stage(j);
    return rc;
}

static int run_cleanup(job *j, fsk_err *err)
{
    if (j->opt->min_feature_mm <= 0)
        return 0;
    begin_stage(j, FSK_STAGE_CLEANUP);
    int side = (int)ceil(j->opt->min_feature_mm / j->opt->grid.pixel_mm - 1e-9);
    j->res->cleanup_min_pixels = side * side;
    int rc = 0;
    if (side > 1)
        rc = fsk_cleanup_min_feature(j->labels, j->image.width, j->image.height,
                                     side * side, &j->res->cleanup, err);
    end_stage(j);
    return rc;
}

static int run_preview(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_PREVIEW);
    const size_t n = (size_t)j->image.width * (size_t)j->image.height;
    j->preview = malloc(4 * n);
    int rc = j->preview ? fsk_preview_build(&j->image, j->labels, j->cal, j->preview,
                                            &j->res->color, err)
                        : fsk_err_set(err, FSK_ENOMEM, "out of memory");
    end_stage(j);
    return rc;
}

static int run_expand(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_EXPAND);
    int rc = fsk_layers_expand(j->labels, j->image.width, j->image.height, j->cal,
                               j->opt->grid.pixel_mm, &j->voxels, err);
    if (!rc)
        rc = fsk_layer_stats_compute(&j->voxels, &j->res->layer_stats, err);
    end_stage(j);
    if (!rc) {
        j->res->layers = j->voxels.layers;
        j->res->layer_height_mm = j->cal->construction.layer_height_mm;
        j->res->height_mm = j->voxels.layer_top_mm[j->voxels.layers];
    }
    return rc;
}

static int run_mesh(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_MESH);
    j->res->part_count = j->voxels.part_count;
    int rc = fsk_print_mesh(&j->voxels, j->meshes, j->res->part, &j->res->triangles, err);
    end_stage(j);
    return rc;
}

/* The files fsk_print_write_* recorded since before, for the result. */
static void note_new_files(job *j, size_t before)
{
    fsk_convert_result *r = j->res;
    for (size_t i = before; i < j->staging.file_count; i++)
        if (r->file_count < (int)(sizeof r->files / sizeof r->files[0]))
            snprintf(r->files[r->file_count++], sizeof r->files[0], "%s",
                     j->staging.files[i]);
    r->bytes_written = j->staging.bytes;
}

/* Records the report, written straight into the staging folder. */
static int note_file(job *j, const char *name, fsk_err *err)
{
    size_t before = j->staging.file_count;
    int rc = fsk_staging_add(&j->staging, name, err);
    note_new_files(j, before);
    return rc;
}

static int run_write_stl(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_WRITE_STL);
    size_t before = j->staging.file_count;
    int rc = fsk_print_write_stls(&j->staging, j->opt->stem, &j->voxels, j->meshes,
                                  j->res->part, err);
    note_new_files(j, before);
    end_stage(j);
    return rc;
}

static int run_write_3mf(job *j, fsk_err *err)
{
    if (j->opt->threemf == FSK_3MF_NONE)
        return 0;
    begin_stage(j, FSK_STAGE_WRITE_3MF);
    size_t before = j->staging.file_count;
    int rc = fsk_print_write_3mf(&j->staging, j->opt->stem, j->opt->threemf, j->opt->printer,
                                 &j->voxels, j->meshes, err);
    note_new_files(j, before);
    end_stage(j);
    return rc;
}

static int run_write_preview(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_WRITE_PREVIEW);
    char name[FSK_FILE_NAME_MAX];
    snprintf(name, sizeof name, "%s_preview.png", j->opt->stem);
    size_t before = j->staging.file_count;
    int rc = fsk_print_write_png(&j->staging, name, j->image.width, j->image.height,
                                 j->preview, j->opt->grid.pixel_mm, err);
    note_new_files(j, before);
    end_stage(j);
    return rc;
}

static int run_report(job *j, const char *input, fsk_err *err)
{
    char name[FSK_FILE_NAME_MAX], path[4400];
    snprintf(name, sizeof name, "%s_report.json", j->opt->stem);
    int rc = fsk_staging_path(&j->staging, name, path, sizeof path, err);
    if (!rc)
        rc = fsk_report_write(path, input, j->cal, j->opt, j->res, err);
    return rc ? rc : note_file(j, name, err);
}

int fsk_convert(const char *input, const fsk_calibration *cal,
                const fsk_convert_options *opt, fsk_convert_result *result,
                fsk_err *err)
{
    memset(result, 0, sizeof *result);
    job j = {.cal = cal, .opt = opt, .res = result};
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_init(&j.meshes[p]);
    double start = now_ms();
    int rc = run_decode(&j, input, err);
    if (!rc)
        rc = run_match(&j, err);
    if (!rc)
        rc = run_cleanup(&j, err);
    if (!rc)
        rc = run_preview(&j, err);
    if (!rc)
        rc = run_expand(&j, err);
    if (!rc)
        rc = run_mesh(&j, err);
    if (!rc)
        rc = fsk_staging_open(&j.staging, opt->out_dir, err);
    if (!rc)
        rc = run_write_stl(&j, err);
    if (!rc)
        rc = run_write_3mf(&j, err);
    if (!rc)
        rc = run_write_preview(&j, err);
    result->total_ms = now_ms() - start;
    if (!rc)
        rc = run_report(&j, input, err);
    if (!rc)
        rc = fsk_staging_publish(&j.staging, err);
    job_free(&j);
    if (rc) {
        fsk_convert_result_free(result);
        memset(result, 0, sizeof *result);
    }
    return rc;
}

void fsk_convert_result_free(fsk_convert_result *result)
{
    if (result)
        fsk_layer_stats_free(&result->layer_stats);
}
