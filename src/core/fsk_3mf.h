/*
 * fsk_3mf.h — the 3MF package of a print: every part of the voxel grid as
 * a mesh in one aligned object, named and colored, with the slicer project
 * metadata that makes the file print as it is.
 *
 * Every flavor writes 3MF core: [Content_Types].xml, _rels/.rels and
 * 3D/3dmodel.model in millimetres, with one <basematerials> entry per part
 * (its name and display color), so any 3MF reader shows the parts in their
 * filament colors. On top of that:
 *
 * - core only: each part is an object; one assembly object holds them all
 *   as <components> and is the single build item.
 * - FSK_FLAVOR_PRUSA (PrusaSlicer): one object whose mesh holds the parts
 *   one after the other; Metadata/Slic3r_PE_model.config splits it into one
 *   volume per part (triangle range, name, extruder = the part's filament)
 *   and Metadata/Slic3r_PE.config sets layer heights, N extruders, their
 *   colors and the wipe tower.
 * - FSK_FLAVOR_BAMBU (Bambu Studio, OrcaSlicer): the core layout, plus
 *   Metadata/model_settings.config (object and part names and extruders)
 *   and Metadata/project_settings.config (JSON: layer heights, filament
 *   colors).
 *
 * In the PrusaSlicer flavor the object and the wipe tower are placed on the
 * bed side by side (fsk_3mf_tower_fits).
 *
 * Vertices are written exactly (fixed point, 1 nm resolution), without
 * the nudge STL needs: 3MF is indexed, so split vertex copies stay distinct
 * vertices. The model is streamed into the deflate stream as it is
 * formatted, at the fastest deflate level (it is large and repetitive;
 * the metadata parts use the default level); memory use does not grow
 * with the mesh size.
 */
#ifndef FSK_3MF_H
#define FSK_3MF_H

#include <stdbool.h>

#include "fsk_error.h"
#include "fsk_mesh.h"
#include "fsk_profile.h"
#include "fsk_voxels.h"

typedef struct fsk_3mf_options {
    bool core_only;            /* true: 3MF core only, no slicer metadata */
    fsk_slicer_flavor flavor;  /* whose project metadata, unless core_only */
    const char *object_name;   /* NULL or "": "filastack" */
    const char *printer_name;  /* NULL or "": not recorded */
    double layer_height_mm;    /* 0: the grid's layer height (its second layer) */
    double first_layer_height_mm; /* 0: the grid's first layer */
    double nozzle_mm;          /* 0: 0.4 */
    int threads;               /* deflate worker threads, 0..16 (0: none);
                                  the file does not depend on it */
    double bed_mm[2];          /* x, y > 0: place the model in the bed center;
                                  0: leave it at the origin */
} fsk_3mf_options;

/*
 * Writes the 3MF of grid's parts to path, atomically (fsk_out).
 * meshes[p] is the mesh of part p for p = 1..grid->part_count (meshes[0] is
 * unused); parts with an empty mesh are left out, but every filament number
 * up to the largest one in grid->part[] gets an extruder. Vertex positions
 * come from fsk_mesh_vertex_mm (grid->pixel_mm and grid->layer_top_mm; the
 * voxel array itself is not read). opt may be NULL (PrusaSlicer flavor,
 * defaults). Everything is checked before anything is written. Errors:
 * FSK_EINVAL (an invalid grid, no part with a mesh, a vertex layer outside
 * 0..grid->layers, a vertex index out of range, a filament number outside
 * 1..FSK_MAX_FILAMENTS), FSK_ELIMIT (4 GiB or more, or more than 2^31
 * vertices or triangles in PrusaSlicer's single object), FSK_EIO, FSK_ENOMEM.
 */
int fsk_3mf_write(const char *path, const fsk_voxels *grid, const fsk_mesh *meshes,
                  const fsk_3mf_options *opt, fsk_err *err);

/*
 * True when a w_mm x d_mm object and PrusaSlicer's wipe tower for
 * tool_changes tool changes a layer of layer_mm fit together on a bed of
 * bed_mm, placed as the PrusaSlicer flavor of fsk_3mf_write places them:
 * the object centered when the tower fits beside it, else moved aside; the
 * tower's area estimated from the purge volume per change. fsk_3mf_write
 * fails with FSK_ELIMIT when they do not fit.
 */
bool fsk_3mf_tower_fits(const double bed_mm[2], double w_mm, double d_mm, int tool_changes,
                        double layer_mm);

#endif
