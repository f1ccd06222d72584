/*
 * fsk_convert.c — one artwork through the whole pipeline (fsk_convert.h):
 * stage by stage, timing each, with every output written into a temporary
 * folder and renamed into the output folder only when all succeeded.
 */
#include "fsk_convert.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsk_color_collect.h"
#include "fsk_labels.h"
#include "fsk_layers.h"
#include "fsk_memory.h"
#include "fsk_mesh.h"
#include "fsk_parallel.h"
#include "fsk_quantize.h"
#include "fsk_report.h"

static const char *const stage_names[FSK_STAGE_COUNT] = {
    "decode_resample", "palette", "match", "simplify", "cleanup", "stacks", "preview",
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

/* One task of a group run side by side: its result, error and times. */
typedef struct task_slot {
    int rc;
    fsk_err err;
    double t0, t1; /* start and end, ms; t1 = 0 when it did not run */
} task_slot;

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
    fsk_color_set *collected; /* gathered while decoding, for the matching */
    fsk_color_answers answered; /* and those of them matched meanwhile */
    uint32_t *keys;           /* every pixel's key: the grid itself, or made from
                               * its float colors when the matching needs those */
    uint8_t *preview;
    fsk_preview_job *preview_job; /* begun after the simplification */
    fsk_voxels voxels;
    fsk_mesh meshes[FSK_MAX_PARTS + 1];
    double stage_start;
    fsk_stage stage;
    int threads;             /* for the stages that run side by side */
    task_slot task[2 * FSK_MAX_PARTS + 1]; /* see the groups below */
    char threemf_file[FSK_FILE_NAME_MAX], preview_file[FSK_FILE_NAME_MAX];
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
    fsk_preview_abandon(j->preview_job); /* first: its guess reads the keys */
    fsk_staging_close(&j->staging);
    fsk_print_image_free(&j->image);
    free(j->labels);
    free(j->allowed);
    fsk_matcher_free(j->matcher);
    fsk_color_set_free(j->collected);
    fsk_color_answers_free(&j->answered);
    free(j->keys);
    free(j->preview);
    fsk_voxels_free(&j->voxels);
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_free(&j->meshes[p]);
}

/* The matcher, when the collector did not make one; NULL with err set on
 * failure. */
static fsk_matcher *make_matcher(job *j, fsk_err *err)
{
    return fsk_matcher_create(j->cal, j->allowed, j->allowed_count, j->opt->metric, err);
}

/* Whether the matching reads the image's float colors, not just its keys:
 * to dither them, or to choose a palette for them. */
static bool match_needs_rgba(const job *j)
{
    return j->opt->dither || j->opt->max_colors > 0;
}

/*
 * Decodes the input, into a grid of keys unless the matching needs the
 * float colors. Matching without dithering or a palette starts with
 * gathering the image's distinct colors and announcing them to the
 * matcher: a collector thread makes the matcher and does that as the rows
 * are finished, on the core the decoder leaves idle (when there is one).
 * When it could not make the matcher, the matching makes it and reports
 * why.
 */
static int run_decode(job *j, const char *input, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_DECODE_RESAMPLE);
    fsk_color_collector *collector = NULL;
    fsk_row_relay *relay = NULL;
    fsk_grid_request grid = j->opt->grid;
    grid.form = match_needs_rgba(j) ? FSK_GRID_RGBA : FSK_GRID_KEYS;
    if (grid.form == FSK_GRID_KEYS && j->threads > 1) {
        fsk_matcher_spec spec = {j->cal, j->allowed, j->allowed_count, j->opt->metric};
        relay = fsk_row_relay_create(); /* without one, the decoder resamples */
        collector = fsk_color_collector_start(&spec, relay, NULL);
    }
    fsk_grid_watch watch = collector ? fsk_color_collector_watch(collector)
                                     : (fsk_grid_watch){0};
    int rc = fsk_print_image_load_watched(input, &grid, &j->image, &j->res->image,
                                          collector ? &watch : NULL, err);
    if (collector)
        fsk_color_collector_finish(collector, &j->matcher, rc ? NULL : &j->collected,
                                   &j->answered);
    fsk_row_relay_free(relay);
    end_stage(j);
    if (rc)
        return rc;
    j->keys = j->image.keys;
    j->image.keys = NULL;
    j->res->grid_width = j->image.width;
    j->res->grid_height = j->image.height;
    j->res->pixel_mm = j->opt->grid.pixel_mm;
    return 0;
}

/* The keys of a grid of float colors, which the matching, the
 * simplification and the preview read. */
static int make_keys(job *j, fsk_err *err)
{
    if (j->keys)
        return 0;
    j->keys = fsk_pixel_keys(j->image.rgba, (size_t)j->image.width * (size_t)j->image.height,
                             j->threads);
    return j->keys ? 0 : fsk_err_set(err, FSK_ENOMEM, "out of memory");
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
    if (!j->matcher)
        j->matcher = make_matcher(j, err);
    j->labels = malloc(n * sizeof *j->labels);
    int rc = 0;
    if (!j->matcher)
        rc = err ? err->code : FSK_ENOMEM;
    else if (!j->labels)
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    else if (!(rc = make_keys(j, err))) {
        fsk_quantize_opts q = {
            .dither = opt->dither ? FSK_DITHER_FLOYD_STEINBERG : FSK_DITHER_NONE,
            .transparent_label = opt->transparent_backing ? FSK_LABEL_BACKING
                                                          : FSK_LABEL_EMPTY,
            .threads = j->threads,
            .collected = j->collected,
            .answered = &j->answered,
            .keys = j->keys,
        };
        rc = fsk_quantize(j->image.rgba, j->image.width, j->image.height, j->matcher, &q,
                          j->labels, &j->res->match, err);
        fsk_color_set_free(j->collected);
        j->collected = NULL;
        fsk_color_answers_free(&j->answered);
    }
    /* Past the matching only the keys are read: the float colors (16
     * bytes a pixel, when there were any) go, which leaves room for the
     * voxels and meshes. */
    free(j->image.rgba);
    j->image.rgba = NULL;
    end_stage(j);
    return rc;
}

static int run_simplify(job *j, fsk_err *err)
{
    const double tolerance = fsk_convert_simplify_de(j->opt);
    if (tolerance <= 0)
        return 0;
    begin_stage(j, FSK_STAGE_SIMPLIFY);
    int rc = fsk_simplify_boundaries(j->labels, j->image.width, j->image.height, j->keys,
                                     j->cal, tolerance, j->threads, &j->res->simplify, err);
    end_stage(j);
    return rc;
}

/*
 * Begins the preview now that the labels change only here and there: the
 * cleanup and the stack choice that follow run on one thread, and the
 * preview's color error is guessed meanwhile on the core they leave idle,
 * from the labels as they are now (fsk_preview_guess_start).
 */
static int begin_preview(job *j, fsk_err *err)
{
    const size_t n = (size_t)j->image.width * (size_t)j->image.height;
    j->preview = fsk_alloc_large(4 * n);
    if (!j->preview)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    j->preview_job = fsk_preview_begin(n, j->keys, j->labels, j->cal, j->preview, err);
    if (!j->preview_job)
        return FSK_ENOMEM;
    if (j->threads > 1)
        fsk_preview_guess_start(j->preview_job);
    return 0;
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

static int run_stack_choice(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_STACKS);
    int rc = fsk_stack_choice_apply(j->labels, j->image.width, j->image.height, j->cal,
                                    j->matcher, &j->res->stacks, err);
    /* The last use of the matcher: its table's memory goes to the meshes. */
    fsk_matcher_free(j->matcher);
    j->matcher = NULL;
    end_stage(j);
    return rc;
}

static int run_expand(job *j, fsk_err *err)
{
    begin_stage(j, FSK_STAGE_EXPAND);
    int rc = fsk_layers_expand(j->labels, j->image.width, j->image.height, j->cal,
                               j->opt->grid.pixel_mm, j->threads, &j->voxels, err);
    if (!rc)
        rc = fsk_layer_stats_compute(&j->voxels, j->threads, &j->res->layer_stats, err);
    end_stage(j);
    if (!rc) {
        j->res->layers = j->voxels.layers;
        j->res->layer_height_mm = j->cal->construction.layer_height_mm;
        j->res->height_mm = j->voxels.layer_top_mm[j->voxels.layers];
    }
    return rc;
}

/* The files recorded in the staging folder since before, for the result. */
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

/* ---- tasks run side by side ---------------------------------------------
 * Two groups run on the pipeline's threads: the chunks of the preview
 * (image and color error) beside the meshes of the parts, each part's STL
 * written as soon as it is meshed, then the 3MF beside the preview PNG.
 * Each task writes only its own results; they, the files (recorded in a
 * fixed order) and the first error in task order are gathered afterwards,
 * so nothing depends on timing. */

static void task_start(task_slot *t)
{
    t->t0 = now_ms();
}

static void task_done(task_slot *t, int rc)
{
    t->rc = rc;
    t->t1 = now_ms();
}

/* Adds to stage the time from the first start to the last end of tasks
 * first..last that ran. */
static void add_span(job *j, fsk_stage stage, int first, int last)
{
    double t0 = INFINITY, t1 = -INFINITY;
    for (int k = first; k <= last; k++)
        if (j->task[k].t1 > 0) {
            t0 = fmin(t0, j->task[k].t0);
            t1 = fmax(t1, j->task[k].t1);
        }
    if (t1 > t0)
        j->res->stage_ms[stage] += t1 - t0;
}

/* The first failure among tasks first..last: its code, its message into err. */
static int first_failure(const job *j, int first, int last, fsk_err *err)
{
    for (int k = first; k <= last; k++)
        if (j->task[k].rc) {
            if (err)
                *err = j->task[k].err;
            return j->task[k].rc;
        }
    return 0;
}

/* Group 1: tasks 0..parts-1 mesh the parts (1..parts) and write their
 * STLs, the next ones build the preview's chunks. The parts come first: a
 * part is the longest single piece of work, and the many short chunks then
 * fill the gaps. Slots: 0 the preview, p the mesh of part p, parts + p its
 * STL. */
typedef struct group1 {
    job *j;
    fsk_preview_job *preview;
    int chunks;
} group1;

static void preview_or_mesh(void *ctx, int k)
{
    group1 *g = ctx;
    job *j = g->j;
    int parts = j->voxels.part_count;
    if (k >= parts) {
        fsk_preview_run_chunk(g->preview, k - parts);
        return;
    }
    int p = k + 1;
    task_slot *t = &j->task[p];
    task_start(t);
    task_done(t, fsk_print_mesh_part(&j->voxels, p, j->meshes, j->res->part, &t->err));
    if (t->rc)
        return;
    task_slot *stl = &j->task[parts + p];
    task_start(stl);
    task_done(stl, fsk_print_write_stl(&j->staging, j->opt->stem, &j->voxels, &j->meshes[p],
                                       &j->res->part[p], &stl->err));
}

static int run_preview_and_mesh(job *j, fsk_err *err)
{
    const int parts = j->voxels.part_count;
    if (j->opt->progress)
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_MESH);
    memset(j->task, 0, sizeof j->task);
    group1 g = {.j = j, .preview = j->preview_job};
    j->preview_job = NULL; /* finish frees it */
    fsk_preview_guess_stop(g.preview);
    g.chunks = fsk_preview_chunk_count(g.preview);
    task_slot *pt = &j->task[0];
    task_start(pt);
    fsk_parallel_for(j->threads, g.chunks + parts, preview_or_mesh, &g);
    task_done(pt, fsk_preview_finish(g.preview, &j->res->color, &pt->err));
    add_span(j, FSK_STAGE_PREVIEW, 0, 0);
    add_span(j, FSK_STAGE_MESH, 1, parts);
    add_span(j, FSK_STAGE_WRITE_STL, parts + 1, 2 * parts);
    j->res->part_count = parts;
    for (int p = 1; p <= parts; p++)
        j->res->triangles += j->res->part[p].triangles;
    return first_failure(j, 0, 2 * parts, err);
}

/*
 * Past the meshes and the preview, the writers need only the meshes, the
 * preview image and the grid's sizes and heights: the voxels, labels and
 * keys (3.3 + 1.3 + 2.7 MB for the benchmark photo) are freed, and the
 * 3MF's buffers take their memory instead of pages the process never
 * touched, whose first touch costs most.
 */
static void drop_grid_buffers(job *j)
{
    free(j->voxels.parts);
    j->voxels.parts = NULL;
    free(j->labels);
    j->labels = NULL;
    free(j->keys);
    j->keys = NULL;
}

/* Group 2, task k: 0 the 3MF, 1 the preview PNG. */
static void write_task(void *ctx, int k)
{
    job *j = ctx;
    const fsk_convert_options *opt = j->opt;
    task_slot *t = &j->task[k];
    task_start(t);
    int rc = 0;
    if (k == 0) {
        if (opt->threemf != FSK_3MF_NONE)
            rc = fsk_print_write_3mf_file(&j->staging, j->threemf_file, opt->stem,
                                          opt->threemf, opt->printer, &j->voxels, j->meshes,
                                          j->threads, &t->err);
    } else {
        rc = fsk_print_write_png_file(&j->staging, j->preview_file, j->image.width,
                                      j->image.height, j->preview, opt->grid.pixel_mm,
                                      &t->err);
    }
    task_done(t, rc);
}

/* The files of both groups in their fixed order: STLs, 3MF, preview. */
static int record_outputs(job *j, fsk_err *err)
{
    int rc = 0;
    for (int p = 1; p <= j->voxels.part_count && !rc; p++)
        if (j->res->part[p].file[0])
            rc = fsk_staging_add(&j->staging, j->res->part[p].file, err);
    if (!rc && j->opt->threemf != FSK_3MF_NONE)
        rc = fsk_staging_add(&j->staging, j->threemf_file, err);
    if (!rc)
        rc = fsk_staging_add(&j->staging, j->preview_file, err);
    return rc;
}

static int run_write(job *j, fsk_err *err)
{
    if (j->opt->progress)
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_WRITE_STL);
    snprintf(j->preview_file, sizeof j->preview_file, "%s_preview.png", j->opt->stem);
    int rc = fsk_print_3mf_name(j->opt->stem, j->threemf_file, err);
    if (rc)
        return rc;
    memset(j->task, 0, sizeof j->task);
    fsk_parallel_for(j->threads, 2, write_task, j);
    add_span(j, FSK_STAGE_WRITE_3MF, 0, 0);
    add_span(j, FSK_STAGE_WRITE_PREVIEW, 1, 1);
    rc = first_failure(j, 0, 1, err);
    if (!rc) {
        size_t before = j->staging.file_count;
        rc = record_outputs(j, err);
        note_new_files(j, before);
    }
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
    job j = {.cal = cal, .opt = opt, .res = result, .threads = fsk_parallel_threads()};
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_init(&j.meshes[p]);
    double start = now_ms();
    int rc = run_decode(&j, input, err);
    if (!rc)
        rc = run_match(&j, err);
    if (!rc)
        rc = run_simplify(&j, err);
    if (!rc)
        rc = begin_preview(&j, err);
    if (!rc)
        rc = run_cleanup(&j, err);
    if (!rc)
        rc = run_stack_choice(&j, err);
    if (!rc)
        rc = run_expand(&j, err);
    if (!rc)
        rc = fsk_staging_open(&j.staging, opt->out_dir, err);
    if (!rc)
        rc = run_preview_and_mesh(&j, err);
    if (!rc) {
        drop_grid_buffers(&j);
        rc = run_write(&j, err);
    }
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
