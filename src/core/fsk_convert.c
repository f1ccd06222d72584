/*
 * fsk_convert.c — one artwork through the whole pipeline (fsk_convert.h):
 * stage by stage, timing each, with every output written into a temporary
 * folder and renamed into the output folder only when all succeeded.
 */
#define _GNU_SOURCE /* mkdtemp */
#include "fsk_convert.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsk_3mf.h"
#include "fsk_labels.h"
#include "fsk_layers.h"
#include "fsk_mesh.h"
#include "fsk_parallel.h"
#include "fsk_quantize.h"
#include "fsk_report.h"
#include "fsk_slug.h"
#include "fsk_stl.h"

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

/* A staged or published path: a folder, '/', a file name of the result. */
#define STAGE_DIR_CAP 4096
#define PATH_CAP (STAGE_DIR_CAP + sizeof ((fsk_convert_result *)0)->files[0] + 1)

/* One task of a parallel group (see run_preview_and_mesh). */
typedef struct task_slot {
    int rc;
    fsk_err err;
    double t0, t1;  /* start and end, ms */
} task_slot;

/* What a conversion holds while it runs; released by job_free. */
typedef struct job {
    const fsk_calibration *cal;
    const fsk_convert_options *opt;
    fsk_convert_result *res;
    char stage_dir[STAGE_DIR_CAP]; /* temporary folder inside out_dir, "" if none */
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
    int threads;             /* for the parallel stages */
    task_slot task[FSK_MAX_PARTS + 2];
    fsk_preview_job *preview_job;
    double *chunk_ms;        /* start and end of each preview chunk, ms */
    char preview_file[FSK_NAME_MAX + 64], threemf_file[FSK_NAME_MAX + 64];
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

/* Path of an output file in the temporary folder. */
static int staged_path(const job *j, const char *name, char *out, size_t cap, fsk_err *err)
{
    int n = snprintf(out, cap, "%s/%s", j->stage_dir, name);
    if (n < 0 || (size_t)n >= cap)
        return fsk_err_set(err, FSK_EINVAL, "output path too long: '%s/%s'",
                           j->opt->out_dir, name);
    return 0;
}

/* Records a staged output file and adds its size to the bytes written. */
static void note_file(job *j, const char *name)
{
    fsk_convert_result *r = j->res;
    snprintf(r->files[r->file_count++], sizeof r->files[0], "%s", name);
    char path[PATH_CAP];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", j->stage_dir, name);
    if (stat(path, &st) == 0)
        r->bytes_written += (uint64_t)st.st_size;
}

static int stage_folder(job *j, fsk_err *err)
{
    int n = snprintf(j->stage_dir, sizeof j->stage_dir, "%s/.filastack-XXXXXX",
                     j->opt->out_dir);
    if (n < 0 || (size_t)n >= sizeof j->stage_dir || !mkdtemp(j->stage_dir)) {
        int e = errno;
        j->stage_dir[0] = '\0';
        return fsk_err_set(err, FSK_EIO, "cannot write to '%s': %s", j->opt->out_dir,
                           strerror(e));
    }
    return 0;
}

/* Moves every staged file into out_dir; on failure removes what it moved. */
static int publish(job *j, fsk_err *err)
{
    fsk_convert_result *r = j->res;
    for (int i = 0; i < r->file_count; i++) {
        char from[PATH_CAP], to[PATH_CAP];
        snprintf(from, sizeof from, "%s/%s", j->stage_dir, r->files[i]);
        snprintf(to, sizeof to, "%s/%s", j->opt->out_dir, r->files[i]);
        if (rename(from, to) != 0) {
            int e = errno;
            for (int k = 0; k < i; k++) {
                snprintf(to, sizeof to, "%s/%s", j->opt->out_dir, r->files[k]);
                unlink(to);
            }
            return fsk_err_set(err, FSK_EIO, "cannot write '%s': %s", to, strerror(e));
        }
    }
    return 0;
}

static void remove_stage_folder(job *j)
{
    if (!j->stage_dir[0])
        return;
    for (int i = 0; i < j->res->file_count; i++) {
        char path[PATH_CAP];
        snprintf(path, sizeof path, "%s/%s", j->stage_dir, j->res->files[i]);
        unlink(path); /* already gone after a successful publish */
    }
    rmdir(j->stage_dir);
    j->stage_dir[0] = '\0';
}

static void job_free(job *j)
{
    remove_stage_folder(j);
    fsk_print_image_free(&j->image);
    free(j->labels);
    free(j->allowed);
    fsk_matcher_free(j->matcher);
    free(j->preview);
    fsk_preview_abort(j->preview_job);
    free(j->chunk_ms);
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
            .threads = j->threads,
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
        j->res->part_count = j->voxels.part_count;
    }
    return rc;
}

static double mesh_volume_mm3(const fsk_mesh *mesh, const fsk_voxels *grid)
{
    double v6 = 0;
    for (size_t t = 0; t < mesh->triangle_count; t++) {
        double a[3], b[3], c[3];
        fsk_mesh_vertex_mm(mesh, mesh->triangles[t][0], grid, 0, a);
        fsk_mesh_vertex_mm(mesh, mesh->triangles[t][1], grid, 0, b);
        fsk_mesh_vertex_mm(mesh, mesh->triangles[t][2], grid, 0, c);
        v6 += a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
              a[2] * (b[0] * c[1] - b[1] * c[0]);
    }
    return v6 / 6.0;
}

/* ---- tasks run side by side ---------------------------------------------
 * Two groups run on the pipeline's threads: the chunks of the preview
 * (image and color error) beside the meshes of the parts, then the 3MF
 * beside the preview PNG and the STLs of the parts. Each task writes only
 * its own results; they, the files and the first error (in task order) are
 * gathered afterwards, so nothing depends on timing. */

static void task_done(task_slot *t, int rc)
{
    t->rc = rc;
    t->t1 = now_ms();
}

/* Stage time of tasks first..last: from the first start to the last end. */
static void add_span(job *j, fsk_stage stage, int first, int last)
{
    double t0 = INFINITY, t1 = -INFINITY;
    for (int k = first; k <= last; k++) {
        if (j->task[k].t1 <= 0)
            continue;
        t0 = fmin(t0, j->task[k].t0);
        t1 = fmax(t1, j->task[k].t1);
    }
    if (t1 > t0)
        j->res->stage_ms[stage] += t1 - t0;
}

/* The first failure in task order: its code, its message into err. */
static int first_failure(job *j, int count, fsk_err *err)
{
    for (int k = 0; k < count; k++)
        if (j->task[k].rc) {
            if (err)
                *err = j->task[k].err;
            return j->task[k].rc;
        }
    return 0;
}

static void mesh_task(job *j, int p)
{
    task_slot *t = &j->task[p];
    t->t0 = now_ms();
    int rc = fsk_mesh_build(&j->voxels, p, &j->meshes[p], &t->err);
    if (!rc) {
        const fsk_part *part = &j->voxels.part[p];
        fsk_convert_part *out = &j->res->part[p];
        snprintf(out->name, sizeof out->name, "%s", part->name);
        out->filament = part->filament;
        out->is_backing = part->is_backing != 0;
        out->triangles = j->meshes[p].triangle_count;
        out->volume_mm3 = mesh_volume_mm3(&j->meshes[p], &j->voxels);
        out->grams = out->volume_mm3 * part->density_g_cm3 / 1000.0;
    }
    task_done(t, rc);
}

/* Group 1: tasks 0..chunks-1 are preview chunks, then part 1, 2, ... */
static void mesh_group(void *ctx, int k)
{
    job *j = ctx;
    int chunks = fsk_preview_chunks(j->preview_job);
    if (k >= chunks) {
        mesh_task(j, k - chunks + 1);
        return;
    }
    double t0 = now_ms();
    fsk_preview_run_chunk(j->preview_job, k);
    j->chunk_ms[2 * k] = t0;
    j->chunk_ms[2 * k + 1] = now_ms();
}

static int run_preview_and_mesh(job *j, fsk_err *err)
{
    int parts = j->voxels.part_count;
    if (j->opt->progress) {
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_PREVIEW);
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_MESH);
    }
    const size_t n = (size_t)j->image.width * (size_t)j->image.height;
    j->preview = malloc(4 * n);
    if (!j->preview)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    j->preview_job = fsk_preview_begin(&j->image, j->labels, j->cal, j->preview, err);
    if (!j->preview_job)
        return FSK_ENOMEM;
    int chunks = fsk_preview_chunks(j->preview_job);
    j->chunk_ms = calloc((size_t)chunks * 2 + 2, sizeof *j->chunk_ms);
    if (!j->chunk_ms)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    memset(j->task, 0, sizeof j->task);
    fsk_parallel_for(j->threads, chunks + parts, mesh_group, j);

    double t0 = INFINITY;
    for (int k = 0; k < chunks; k++)
        t0 = fmin(t0, j->chunk_ms[2 * k]);
    fsk_preview_job *pj = j->preview_job;
    j->preview_job = NULL;
    int rc = fsk_preview_finish(pj, &j->res->color, err);
    if (chunks)
        j->res->stage_ms[FSK_STAGE_PREVIEW] += now_ms() - t0;
    add_span(j, FSK_STAGE_MESH, 1, parts);
    for (int p = 1; p <= parts; p++)
        j->res->triangles += j->res->part[p].triangles;
    return rc ? rc : first_failure(j, parts + 1, err);
}

static void write_preview_task(job *j)
{
    task_slot *t = &j->task[1];
    t->t0 = now_ms();
    snprintf(j->preview_file, sizeof j->preview_file, "%s_preview.png", j->opt->stem);
    char path[PATH_CAP];
    int rc = staged_path(j, j->preview_file, path, sizeof path, &t->err);
    if (!rc) {
        fsk_png_spec spec = {
            .width = j->image.width, .height = j->image.height, .channels = 4, .bits = 8,
            .dpi = 25.4 / j->opt->grid.pixel_mm, .fast = true,
        };
        rc = fsk_png_write(path, &spec, j->preview, (size_t)j->image.width * 4, &t->err);
    }
    task_done(t, rc);
}

static void write_3mf_task(job *j)
{
    const fsk_convert_options *opt = j->opt;
    task_slot *t = &j->task[0];
    t->t0 = now_ms();
    int rc = 0;
    if (opt->threemf != FSK_3MF_NONE) {
        snprintf(j->threemf_file, sizeof j->threemf_file, "%s.3mf", opt->stem);
        char path[PATH_CAP];
        rc = staged_path(j, j->threemf_file, path, sizeof path, &t->err);
        if (!rc) {
            fsk_3mf_options o = {
                .core_only = opt->threemf == FSK_3MF_CORE,
                .flavor = opt->threemf == FSK_3MF_BAMBU ? FSK_FLAVOR_BAMBU : FSK_FLAVOR_PRUSA,
                .object_name = opt->stem,
                .printer_name = opt->printer ? opt->printer->name : NULL,
                .nozzle_mm = opt->printer ? opt->printer->nozzle_mm : 0,
                .threads = j->threads,
            };
            if (opt->printer) {
                o.bed_mm[0] = opt->printer->bed_mm[0];
                o.bed_mm[1] = opt->printer->bed_mm[1];
            }
            rc = fsk_3mf_write(path, &j->voxels, j->meshes, &o, &t->err);
        }
    }
    task_done(t, rc);
}

static void write_stl_task(job *j, int p)
{
    task_slot *t = &j->task[p + 1];
    t->t0 = now_ms();
    fsk_convert_part *part = &j->res->part[p];
    int rc = 0;
    if (j->meshes[p].triangle_count > 0) {
        char slug[FSK_NAME_MAX + 16], path[PATH_CAP];
        fsk_slug(part->name, slug, sizeof slug);
        snprintf(part->file, sizeof part->file, "%s_%s.stl", j->opt->stem, slug);
        rc = staged_path(j, part->file, path, sizeof path, &t->err);
        fsk_stl_stats stats = {0};
        if (!rc)
            rc = fsk_stl_write(path, &j->meshes[p], &j->voxels, part->name, &stats, &t->err);
        if (!rc)
            part->stl_bytes = stats.bytes;
    }
    task_done(t, rc);
}

/* Group 2: task 0 is the 3MF, 1 the preview PNG, 1 + p the STL of part p. */
static void write_group(void *ctx, int k)
{
    job *j = ctx;
    if (k == 0)
        write_3mf_task(j);
    else if (k == 1)
        write_preview_task(j);
    else
        write_stl_task(j, k - 1);
}

static int run_writes(job *j, fsk_err *err)
{
    int parts = j->voxels.part_count;
    if (j->opt->progress) {
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_WRITE_STL);
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_WRITE_3MF);
        j->opt->progress(j->opt->progress_ctx, FSK_STAGE_WRITE_PREVIEW);
    }
    memset(j->task, 0, sizeof j->task);
    fsk_parallel_for(j->threads, parts + 2, write_group, j);
    if (j->opt->threemf != FSK_3MF_NONE)
        add_span(j, FSK_STAGE_WRITE_3MF, 0, 0);
    add_span(j, FSK_STAGE_WRITE_PREVIEW, 1, 1);
    add_span(j, FSK_STAGE_WRITE_STL, 2, parts + 1);
    /* Errors in the order the files used to be written: STLs, 3MF, PNG. */
    int rc = 0;
    for (int k = 2; k <= parts + 1 && !rc; k++)
        if (j->task[k].rc) {
            rc = j->task[k].rc;
            if (err)
                *err = j->task[k].err;
        }
    if (!rc)
        rc = first_failure(j, 2, err);
    if (rc)
        return rc;
    /* Files in a fixed order: the STLs by part, the 3MF, the preview. */
    for (int p = 1; p <= parts; p++)
        if (j->meshes[p].triangle_count > 0)
            note_file(j, j->res->part[p].file);
    if (j->threemf_file[0])
        note_file(j, j->threemf_file);
    note_file(j, j->preview_file);
    return 0;
}

static int run_report(job *j, const char *input, fsk_err *err)
{
    char name[FSK_NAME_MAX + 16], path[PATH_CAP];
    snprintf(name, sizeof name, "%s_report.json", j->opt->stem);
    int rc = staged_path(j, name, path, sizeof path, err);
    if (!rc)
        rc = fsk_report_write(path, input, j->cal, j->opt, j->res, err);
    if (!rc)
        note_file(j, name);
    return rc;
}

int fsk_convert(const char *input, const fsk_calibration *cal,
                const fsk_convert_options *opt, fsk_convert_result *result,
                fsk_err *err)
{
    memset(result, 0, sizeof *result);
    job *j = calloc(1, sizeof *j);
    if (!j)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    j->cal = cal;
    j->opt = opt;
    j->res = result;
    j->threads = fsk_parallel_threads();
    for (int p = 0; p <= FSK_MAX_PARTS; p++)
        fsk_mesh_init(&j->meshes[p]);
    double start = now_ms();
    int rc = run_decode(j, input, err);
    if (!rc)
        rc = run_match(j, err);
    if (!rc)
        rc = run_cleanup(j, err);
    if (!rc)
        rc = stage_folder(j, err);
    if (!rc)
        rc = run_expand(j, err);
    if (!rc)
        rc = run_preview_and_mesh(j, err);
    if (!rc)
        rc = run_writes(j, err);
    result->total_ms = now_ms() - start;
    if (!rc)
        rc = run_report(j, input, err);
    if (!rc)
        rc = publish(j, err);
    job_free(j);
    free(j);
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
