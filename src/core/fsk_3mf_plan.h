/*
 * fsk_3mf_plan.h — what the 3MF writer decided before writing (internal to
 * fsk_3mf.c and fsk_3mf_slicer.c): which parts are written, their object
 * ids and triangle ranges, the extruders and their colors, layer heights.
 */
#ifndef FSK_3MF_PLAN_H
#define FSK_3MF_PLAN_H

#include <stdint.h>

#include "fsk_3mf.h"
#include "fsk_text_sink.h"
#include "fsk_zip_write.h"

/* Resource id of the <basematerials> group (one entry per written part). */
#define FSK_3MF_MATERIALS_ID 1

typedef struct fsk_3mf_plan {
    const fsk_voxels *grid;
    const fsk_mesh *meshes;
    const char *path;          /* destination, for messages */
    bool core_only;
    fsk_slicer_flavor flavor;
    const char *name;          /* object name, never NULL */
    const char *printer;       /* "" when unknown */
    int part_n;                /* parts written (non-empty meshes) */
    int part[FSK_MAX_PARTS];   /* their part ids, ascending */
    int mesh_object_id[FSK_MAX_PARTS]; /* core/Bambu: object id of part[i] */
    uint64_t first_triangle[FSK_MAX_PARTS]; /* Prusa: first triangle of part[i] */
    uint64_t triangle_total;
    int object_id;             /* the build item: Prusa's object or the assembly */
    int extruders;             /* N = largest filament number in the grid */
    unsigned char extruder_rgb[FSK_MAX_FILAMENTS][3];
    double layer_mm, first_layer_mm, nozzle_mm;
    double bed_mm[2];          /* 0 when unknown */
    double offset_mm[3];       /* build item translation */
    int tool_changes;          /* most tool changes in one layer (estimate) */
    bool tower;                /* Prusa: wipe tower placed (x, y, width) */
    double tower_mm[3];        /* front-left corner x, y and width on the bed */
} fsk_3mf_plan;

/* "#RRGGBB" of rgb into out[8]. */
void fsk_3mf_hex_color(const unsigned char rgb[3], char out[8]);

/*
 * Places the object (lo..hi: its bounds in mm before the build item's
 * translation) and PrusaSlicer's wipe tower on plan->bed_mm without
 * overlapping: the object stays centered when the tower fits beside it,
 * else the object moves aside to make room. The tower's size is estimated
 * from plan->tool_changes, the purge volume and the layer height; its
 * width may shrink (to 20 mm) or grow to fit. Sets plan->offset_mm[0..1],
 * plan->tower and plan->tower_mm. FSK_ELIMIT with a message naming both
 * sizes when there is no room.
 */
int fsk_3mf_place_tower(fsk_3mf_plan *plan, const double lo[3], const double hi[3],
                        fsk_err *err);

/* Writes Metadata/Slic3r_PE.config and Metadata/Slic3r_PE_model.config. */
int fsk_3mf_prusa_metadata(fsk_text_sink *sink, fsk_zip *zip, const fsk_3mf_plan *plan,
                           fsk_err *err);

/* Writes Metadata/model_settings.config and Metadata/project_settings.config. */
int fsk_3mf_bambu_metadata(fsk_text_sink *sink, fsk_zip *zip, const fsk_3mf_plan *plan,
                           fsk_err *err);

/*
 * Bambu Studio reads project_settings.config only from files whose
 * Application metadata is "BambuStudio-<version>"; this is the version the
 * Bambu flavor claims (and writes into the settings).
 */
#define FSK_3MF_BAMBU_VERSION "01.09.00.00"
#define FSK_3MF_BAMBU_APPLICATION "BambuStudio-" FSK_3MF_BAMBU_VERSION

#endif
