/*
 * fsk_profile.h — printer, filament and filament-set profiles.
 *
 * Profiles are JSON files with "schema": 1 and a "kind" of "printer",
 * "filament" or "filament-set". A profile store loads every profile of a
 * folder (printers/, filaments/, sets/) and resolves names: a profile is
 * found by its id (the file name without ".json") or by its "name",
 * ignoring case.
 */
#ifndef FSK_PROFILE_H
#define FSK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "fsk_error.h"

#define FSK_PROFILE_SCHEMA 1
#define FSK_NAME_MAX 64
#define FSK_NOTE_MAX 160
#define FSK_MAX_FILAMENTS 16

typedef enum fsk_profile_kind {
    FSK_PROFILE_PRINTER,
    FSK_PROFILE_FILAMENT,
    FSK_PROFILE_FILAMENT_SET
} fsk_profile_kind;

typedef enum fsk_slicer_flavor {
    FSK_FLAVOR_PRUSA, /* PrusaSlicer: Metadata/Slic3r_PE_model.config */
    FSK_FLAVOR_BAMBU  /* Bambu Studio / OrcaSlicer: model_settings.config */
} fsk_slicer_flavor;

typedef struct fsk_printer {
    char id[FSK_NAME_MAX];
    char name[FSK_NAME_MAX];
    double nozzle_mm;
    double layer_height_mm;
    double first_layer_height_mm;
    double bed_mm[2]; /* x, y */
    int filament_slots;
    fsk_slicer_flavor flavor;
    char default_set[FSK_NAME_MAX]; /* name or id of a filament set */
} fsk_printer;

typedef struct fsk_filament {
    char id[FSK_NAME_MAX];
    char name[FSK_NAME_MAX];
    char brand[FSK_NAME_MAX];
    char material[FSK_NAME_MAX];
    unsigned char rgb[3];    /* nominal color, sRGB */
    double td_mm;            /* transmission distance in mm, 0 = unknown */
    double density_g_cm3;
    char color_source[FSK_NOTE_MAX]; /* where the color comes from, "" = unknown */
    char td_source[FSK_NOTE_MAX];    /* where the TD comes from, "" = unknown */
} fsk_filament;

typedef struct fsk_filament_set {
    char id[FSK_NAME_MAX];
    char name[FSK_NAME_MAX];
    int count;
    char filaments[FSK_MAX_FILAMENTS][FSK_NAME_MAX]; /* names in slot order, filament 1 first */
} fsk_filament_set;

/* "printer", "filament" or "filament-set". */
const char *fsk_profile_kind_name(fsk_profile_kind kind);
/* "prusa" or "bambu". */
const char *fsk_slicer_flavor_name(fsk_slicer_flavor flavor);

/*
 * Parsers of one profile document. file names the document in messages and
 * id is stored as the profile's id. Every field is checked; errors name the
 * file and the JSON path.
 */
int fsk_printer_parse(const char *file, const char *id, const cJSON *root,
                      fsk_printer *out, fsk_err *err);
int fsk_filament_parse(const char *file, const char *id, const cJSON *root,
                       fsk_filament *out, fsk_err *err);
int fsk_filament_set_parse(const char *file, const char *id, const cJSON *root,
                           fsk_filament_set *out, fsk_err *err);

/* Reads the "schema" and "kind" of a profile document. */
int fsk_profile_kind_of(const char *file, const cJSON *root,
                        fsk_profile_kind *kind, fsk_err *err);

/* The id of a profile file: its base name without ".json". */
void fsk_profile_id_from_path(const char *path, char id[FSK_NAME_MAX]);

/* A folder of profiles; opaque. */
typedef struct fsk_profiles fsk_profiles;

/*
 * Loads every *.json of dir/printers, dir/filaments and dir/sets, checks
 * each, and checks that every set names known filaments and every printer
 * a known set. Files are visited in name order, so the result does not
 * depend on the file system. Caller frees with fsk_profiles_free.
 */
fsk_profiles *fsk_profiles_load(const char *dir, fsk_err *err);
void fsk_profiles_free(fsk_profiles *profiles);

/* The folder given to fsk_profiles_load, borrowed. */
const char *fsk_profiles_dir(const fsk_profiles *profiles);

/* Counts and i-th profile in id order, borrowed until fsk_profiles_free. */
size_t fsk_profiles_printer_count(const fsk_profiles *profiles);
const fsk_printer *fsk_profiles_printer(const fsk_profiles *profiles, size_t i);
size_t fsk_profiles_filament_count(const fsk_profiles *profiles);
const fsk_filament *fsk_profiles_filament(const fsk_profiles *profiles, size_t i);
size_t fsk_profiles_set_count(const fsk_profiles *profiles);
const fsk_filament_set *fsk_profiles_set(const fsk_profiles *profiles, size_t i);

/* Look-ups by id or name (case-insensitive); NULL when not found. */
const fsk_printer *fsk_profiles_find_printer(const fsk_profiles *profiles,
                                             const char *name);
const fsk_filament *fsk_profiles_find_filament(const fsk_profiles *profiles,
                                               const char *name);
const fsk_filament_set *fsk_profiles_find_set(const fsk_profiles *profiles,
                                              const char *name);

/*
 * Validates one profile file on its own and, when profiles is not NULL,
 * its references (a set's filaments, a printer's default set) against it.
 * Stores the file's kind in *kind when not NULL.
 */
int fsk_profile_validate_file(const char *path, const fsk_profiles *profiles,
                              fsk_profile_kind *kind, fsk_err *err);

/*
 * Resolves a filament set to its filaments (copied into out[], at most
 * FSK_MAX_FILAMENTS); returns the count or a negative error.
 */
int fsk_profiles_resolve_set(const fsk_profiles *profiles,
                             const fsk_filament_set *set,
                             fsk_filament out[FSK_MAX_FILAMENTS], fsk_err *err);

#endif
