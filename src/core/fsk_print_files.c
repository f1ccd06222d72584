/*
 * fsk_print_files.c — staging folder, part meshes and the STL, 3MF and PNG
 * outputs of a print (fsk_print_files.h).
 */
#define _GNU_SOURCE /* mkdtemp */
#include "fsk_print_files.h"

#include "fsk_parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsk_3mf.h"
#include "fsk_image.h"
#include "fsk_slug.h"
#include "fsk_stl.h"

/* ---- staging folder ----------------------------------------------------- */

int fsk_staging_open(fsk_staging *s, const char *out_dir, fsk_err *err)
{
    memset(s, 0, sizeof *s);
    s->out_dir = out_dir;
    int n = snprintf(s->dir, sizeof s->dir, "%s/.filastack-XXXXXX", out_dir);
    if (n < 0 || (size_t)n >= sizeof s->dir || !mkdtemp(s->dir)) {
        int e = n < 0 || (size_t)n >= sizeof s->dir ? ENAMETOOLONG : errno;
        s->dir[0] = '\0';
        return fsk_err_set(err, FSK_EIO, "cannot write to '%s': %s", out_dir, strerror(e));
    }
    return 0;
}

int fsk_staging_path(const fsk_staging *s, const char *name, char *out, size_t cap,
                     fsk_err *err)
{
    int n = snprintf(out, cap, "%s/%s", s->dir, name);
    if (n < 0 || (size_t)n >= cap)
        return fsk_err_set(err, FSK_EINVAL, "output path too long: '%s/%s'", s->out_dir,
                           name);
    return 0;
}

/* "A/B" into a buffer sized for both; NULL when it does not fit. */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

int fsk_staging_add(fsk_staging *s, const char *name, fsk_err *err)
{
    if (strlen(name) >= FSK_FILE_NAME_MAX)
        return fsk_err_set(err, FSK_EINVAL, "output file name too long: '%s'", name);
    if (s->file_count == s->file_cap) {
        size_t cap = s->file_cap ? 2 * s->file_cap : 16;
        void *grown = realloc(s->files, cap * sizeof *s->files);
        if (!grown)
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        s->files = grown;
        s->file_cap = cap;
    }
    snprintf(s->files[s->file_count++], FSK_FILE_NAME_MAX, "%s", name);
    char *path = join(s->dir, name);
    struct stat st;
    if (path && stat(path, &st) == 0)
        s->bytes += (uint64_t)st.st_size;
    free(path);
    return 0;
}

/*
 * Puts the staged file `from` in the place of `to`. An existing file (or
 * link) there is swapped with it where the file system can swap, and so
 * stays in the temporary folder until fsk_staging_close: replaced by a
 * rename instead, ext4 would first start writing the new file out (its
 * guard for programs that replace files without syncing), which costs
 * about as much as writing it did. Either way the name shows the old file
 * or the new one, never neither. 0 or an errno; *swapped tells which way.
 */
static int put_in_place(const char *from, const char *to, bool *swapped)
{
    *swapped = false;
#ifdef RENAME_EXCHANGE
    struct stat st;
    if (lstat(to, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
        if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0) {
            *swapped = true;
            return 0;
        }
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
            return errno;
    }
#endif
    return rename(from, to) != 0 ? errno : 0;
}

int fsk_staging_publish(fsk_staging *s, fsk_err *err)
{
    bool *swapped = calloc(s->file_count ? s->file_count : 1, sizeof *swapped);
    if (!swapped)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->file_count; i++) {
        char *from = join(s->dir, s->files[i]), *to = join(s->out_dir, s->files[i]);
        int e = !from || !to ? ENOMEM : put_in_place(from, to, &swapped[i]);
        free(from);
        free(to);
        if (!e)
            continue;
        /* Undo: the files swapped in go back out (and the old ones back
         * in), the ones renamed in are removed. */
        for (size_t k = 0; k < i; k++) {
            char *back = join(s->dir, s->files[k]), *done = join(s->out_dir, s->files[k]);
            if (back && done) {
#ifdef RENAME_EXCHANGE
                if (swapped[k])
                    (void)renameat2(AT_FDCWD, back, AT_FDCWD, done, RENAME_EXCHANGE);
                else
#endif
                    unlink(done);
            }
            free(back);
            free(done);
        }
        free(swapped);
        return fsk_err_set(err, FSK_EIO, "cannot write '%s/%s': %s", s->out_dir, s->files[i],
                           strerror(e));
    }
    free(swapped);
    return 0;
}

void fsk_staging_close(fsk_staging *s)
{
    if (s->dir[0]) {
        for (size_t i = 0; i < s->file_count; i++) {
            char *path = join(s->dir, s->files[i]);
            if (path)
                unlink(path); /* after a publish, the file it replaced, if any */
            free(path);
        }
        rmdir(s->dir);
        s->dir[0] = '\0';
    }
    free(s->files);
    s->files = NULL;
    s->file_count = s->file_cap = 0;
}

/* ---- meshes and files ----------------------------------------------------- */

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

int fsk_print_mesh_part(const fsk_voxels *v, int p, fsk_mesh meshes[FSK_MAX_PARTS + 1],
                        fsk_convert_part part[FSK_MAX_PARTS + 1], fsk_err *err)
{
    int rc = fsk_mesh_build(v, p, &meshes[p], err);
    const fsk_part *src = &v->part[p];
    fsk_convert_part *out = &part[p];
    snprintf(out->name, sizeof out->name, "%s", src->name);
    out->filament = src->filament;
    out->is_backing = src->is_backing != 0;
    out->triangles = meshes[p].triangle_count;
    out->volume_mm3 = mesh_volume_mm3(&meshes[p], v);
    out->grams = out->volume_mm3 * src->density_g_cm3 / 1000.0;
    return rc;
}

int fsk_print_mesh(const fsk_voxels *v, fsk_mesh meshes[FSK_MAX_PARTS + 1],
                   fsk_convert_part part[FSK_MAX_PARTS + 1], uint64_t *triangles,
                   fsk_err *err)
{
    int rc = 0;
    *triangles = 0;
    for (int p = 1; p <= v->part_count && !rc; p++) {
        rc = fsk_print_mesh_part(v, p, meshes, part, err);
        *triangles += part[p].triangles;
    }
    return rc;
}

int fsk_print_write_stl(const fsk_staging *s, const char *stem, const fsk_voxels *v,
                        const fsk_mesh *mesh, fsk_convert_part *part, fsk_err *err)
{
    part->file[0] = '\0';
    if (mesh->triangle_count == 0)
        return 0;
    char slug[FSK_NAME_MAX + 16], path[4400];
    fsk_slug(part->name, slug, sizeof slug);
    int n = snprintf(part->file, sizeof part->file, "%s_%s.stl", stem, slug);
    if (n < 0 || (size_t)n >= sizeof part->file)
        return fsk_err_set(err, FSK_EINVAL, "output file name too long: '%s_%s.stl'",
                           stem, slug);
    int rc = fsk_staging_path(s, part->file, path, sizeof path, err);
    fsk_stl_stats stats = {0};
    if (!rc)
        rc = fsk_stl_write(path, mesh, v, part->name, &stats, err);
    if (!rc)
        part->stl_bytes = stats.bytes;
    return rc;
}

int fsk_print_write_stls(fsk_staging *s, const char *stem, const fsk_voxels *v,
                         const fsk_mesh *meshes, fsk_convert_part part[FSK_MAX_PARTS + 1],
                         fsk_err *err)
{
    int rc = 0;
    for (int p = 1; p <= v->part_count && !rc; p++) {
        rc = fsk_print_write_stl(s, stem, v, &meshes[p], &part[p], err);
        if (!rc && part[p].file[0])
            rc = fsk_staging_add(s, part[p].file, err);
    }
    return rc;
}

int fsk_print_3mf_name(const char *stem, char name[FSK_FILE_NAME_MAX], fsk_err *err)
{
    int n = snprintf(name, FSK_FILE_NAME_MAX, "%s.3mf", stem);
    if (n < 0 || n >= FSK_FILE_NAME_MAX)
        return fsk_err_set(err, FSK_EINVAL, "output file name too long: '%s.3mf'", stem);
    return 0;
}

int fsk_print_write_3mf_file(const fsk_staging *s, const char *name, const char *stem,
                             fsk_threemf_kind kind, const fsk_printer *printer,
                             const fsk_voxels *v, const fsk_mesh *meshes, int threads,
                             fsk_err *err)
{
    char path[4400];
    int rc = fsk_staging_path(s, name, path, sizeof path, err);
    if (rc)
        return rc;
    fsk_3mf_options o = {
        .core_only = kind == FSK_3MF_CORE,
        .flavor = kind == FSK_3MF_BAMBU ? FSK_FLAVOR_BAMBU : FSK_FLAVOR_PRUSA,
        .object_name = stem,
        .printer_name = printer ? printer->name : NULL,
        .nozzle_mm = printer ? printer->nozzle_mm : 0,
        .threads = threads,
    };
    if (printer) {
        o.bed_mm[0] = printer->bed_mm[0];
        o.bed_mm[1] = printer->bed_mm[1];
    }
    return fsk_3mf_write(path, v, meshes, &o, err);
}

int fsk_print_write_3mf(fsk_staging *s, const char *stem, fsk_threemf_kind kind,
                        const fsk_printer *printer, const fsk_voxels *v,
                        const fsk_mesh *meshes, fsk_err *err)
{
    if (kind == FSK_3MF_NONE)
        return 0;
    char name[FSK_FILE_NAME_MAX];
    int rc = fsk_print_3mf_name(stem, name, err);
    if (!rc)
        rc = fsk_print_write_3mf_file(s, name, stem, kind, printer, v, meshes,
                                      fsk_parallel_threads(), err);
    return rc ? rc : fsk_staging_add(s, name, err);
}

int fsk_print_write_png_file(const fsk_staging *s, const char *name, int width, int height,
                             const uint8_t *rgba, double pixel_mm, fsk_err *err)
{
    char path[4400];
    int rc = fsk_staging_path(s, name, path, sizeof path, err);
    if (!rc) {
        fsk_png_spec spec = {
            .width = width, .height = height, .channels = 4, .bits = 8,
            .dpi = 25.4 / pixel_mm, .fast = true, .palette = true,
        };
        rc = fsk_png_write(path, &spec, rgba, (size_t)width * 4, err);
    }
    return rc;
}

int fsk_print_write_png(fsk_staging *s, const char *name, int width, int height,
                        const uint8_t *rgba, double pixel_mm, fsk_err *err)
{
    int rc = fsk_print_write_png_file(s, name, width, height, rgba, pixel_mm, err);
    return rc ? rc : fsk_staging_add(s, name, err);
}
