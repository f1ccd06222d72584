/*
 * fsk_print_files.h — the files of a print, shared by `convert` and
 * `calibrate grid`: a staging folder that collects every output and
 * publishes them together, the meshes of a voxel grid's parts, and the
 * STEM_<part>.stl per part and STEM.3mf written into the staging folder.
 *
 * Outputs are written into a temporary folder inside the output folder
 * (".filastack-XXXXXX") and renamed into place only by
 * fsk_staging_publish, once all of them succeeded; a failure anywhere
 * leaves nothing behind.
 */
#ifndef FSK_PRINT_FILES_H
#define FSK_PRINT_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"
#include "fsk_mesh.h"
#include "fsk_profile.h"
#include "fsk_voxels.h"

/* Longest output file name (without the folder). */
#define FSK_FILE_NAME_MAX (FSK_NAME_MAX + 64)

typedef struct fsk_staging {
    const char *out_dir;   /* the output folder, borrowed */
    char dir[4096];        /* temporary folder inside out_dir, "" if none */
    size_t file_count;
    char (*files)[FSK_FILE_NAME_MAX]; /* staged file names, in order; owned */
    size_t file_cap;
    uint64_t bytes;        /* total size of the staged files */
} fsk_staging;

/*
 * Creates the temporary folder inside out_dir (an existing folder,
 * borrowed until fsk_staging_close). Errors: FSK_EIO ("cannot write to
 * 'DIR': ..."). Always follow with fsk_staging_close.
 */
int fsk_staging_open(fsk_staging *s, const char *out_dir, fsk_err *err);

/* The path of file name in the temporary folder; FSK_EINVAL if too long. */
int fsk_staging_path(const fsk_staging *s, const char *name, char *out, size_t cap,
                     fsk_err *err);

/* Records a file written into the temporary folder (and adds its size to
 * s->bytes). FSK_ENOMEM. */
int fsk_staging_add(fsk_staging *s, const char *name, fsk_err *err);

/*
 * Moves every recorded file into out_dir, replacing files of the same
 * name (each name shows the old file or the new one at every moment; the
 * old files are removed by fsk_staging_close); on failure puts back what
 * it replaced, removes what it added and sets err.
 */
int fsk_staging_publish(fsk_staging *s, fsk_err *err);

/* Removes what is left in the temporary folder and the folder, frees the
 * list. Safe on a zeroed or already closed staging. */
void fsk_staging_close(fsk_staging *s);

typedef enum fsk_threemf_kind {
    FSK_3MF_PRUSA,  /* PrusaSlicer project metadata */
    FSK_3MF_BAMBU,  /* Bambu Studio / OrcaSlicer project metadata */
    FSK_3MF_CORE,   /* plain 3MF, no slicer metadata */
    FSK_3MF_NONE    /* no 3MF */
} fsk_threemf_kind;

/* One part of a print as written. */
typedef struct fsk_convert_part {
    char name[FSK_NAME_MAX];
    char file[FSK_FILE_NAME_MAX];   /* STL file name, in out_dir; "" if empty */
    int filament;
    bool is_backing;
    uint64_t triangles;
    uint64_t stl_bytes;
    double volume_mm3;              /* enclosed by the mesh */
    double grams;
} fsk_convert_part;

/*
 * Meshes every part p = 1..v->part_count into meshes[p] (initialised by
 * the caller, freed with fsk_mesh_free) and describes it in part[p]
 * (name, filament, triangles, volume, grams); *triangles gets the sum.
 * Errors as fsk_mesh_build.
 */
int fsk_print_mesh(const fsk_voxels *v, fsk_mesh meshes[FSK_MAX_PARTS + 1],
                   fsk_convert_part part[FSK_MAX_PARTS + 1], uint64_t *triangles,
                   fsk_err *err);

/* Meshes part p alone (as fsk_print_mesh does for each part); parts may be
 * meshed on several threads at once. */
int fsk_print_mesh_part(const fsk_voxels *v, int p, fsk_mesh meshes[FSK_MAX_PARTS + 1],
                        fsk_convert_part part[FSK_MAX_PARTS + 1], fsk_err *err);

/*
 * The single-file writers below write into the staging folder but do not
 * record the file (so several may run on threads at once); the caller
 * records each with fsk_staging_add, in a fixed order. The fsk_print_write_*
 * functions without "_file" write and record.
 */

/* STEM_<slug>.stl of one part (nothing when mesh is empty; part->file ""). */
int fsk_print_write_stl(const fsk_staging *s, const char *stem, const fsk_voxels *v,
                        const fsk_mesh *mesh, fsk_convert_part *part, fsk_err *err);

/* "STEM.3mf", or FSK_EINVAL when too long. */
int fsk_print_3mf_name(const char *stem, char name[FSK_FILE_NAME_MAX], fsk_err *err);

/* The 3MF of kind (not FSK_3MF_NONE) as name; threads deflate it. */
int fsk_print_write_3mf_file(const fsk_staging *s, const char *name, const char *stem,
                             fsk_threemf_kind kind, const fsk_printer *printer,
                             const fsk_voxels *v, const fsk_mesh *meshes, int threads,
                             fsk_err *err);

/* An 8-bit RGBA PNG (fast compression) as name. */
int fsk_print_write_png_file(const fsk_staging *s, const char *name, int width, int height,
                             const uint8_t *rgba, double pixel_mm, fsk_err *err);

/*
 * Writes STEM_<slug of the part's name>.stl for every part with a mesh
 * into the staging folder (fsk_stl_write) and records it; sets part[p].file
 * and stl_bytes.
 */
int fsk_print_write_stls(fsk_staging *s, const char *stem, const fsk_voxels *v,
                         const fsk_mesh *meshes, fsk_convert_part part[FSK_MAX_PARTS + 1],
                         fsk_err *err);

/*
 * Writes STEM.3mf of kind (nothing for FSK_3MF_NONE) into the staging
 * folder and records it. printer (may be NULL) gives the printer name,
 * nozzle and bed for the slicer metadata; the object is placed on its bed.
 */
int fsk_print_write_3mf(fsk_staging *s, const char *stem, fsk_threemf_kind kind,
                        const fsk_printer *printer, const fsk_voxels *v,
                        const fsk_mesh *meshes, fsk_err *err);

/*
 * Writes an 8-bit RGBA image (width*height pixels, row 0 at the top) as the
 * PNG name into the staging folder with the dpi of pixel_mm, and records it.
 */
int fsk_print_write_png(fsk_staging *s, const char *name, int width, int height,
                        const uint8_t *rgba, double pixel_mm, fsk_err *err);

#endif
