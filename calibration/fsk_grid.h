/*
 * fsk_grid.h — a calibration grid as the scanner sees it (grid.json).
 *
 * Everything is in millimetres in the viewing orientation: origin at the
 * top-left of the printed plate as it is looked at (and scanned), x to the
 * right, y down. A grid holds its filaments and construction (the same as
 * the calibration it will produce), the plate size, the base filament (the
 * backing, or what shows between patches), the fiducial marks, and the
 * patches, one per sequence. The file format is "filastack-grid" version 1
 * (DESIGN.md, filastack(5)).
 *
 * A grid split into pages has one grid.json per page; patch ids are unique
 * across all pages of a grid (page 2 continues where page 1 stopped), so
 * the pages' patches can be merged.
 */
#ifndef FSK_GRID_H
#define FSK_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_profile.h"

#define FSK_GRID_MAX_MARKS 64
#define FSK_GRID_MAX_SIZE_MM 2000.0 /* plate side */
#define FSK_GRID_MAX_PAGES 1000

typedef struct fsk_grid_mark {
    int filament;       /* 1..N */
    double rect_mm[4];  /* x, y, width, height */
} fsk_grid_mark;

typedef struct fsk_grid_patch {
    int id;             /* 0..INT_MAX, unique across the grid's pages */
    uint8_t sequence[FSK_MAX_COLOR_LAYERS];
    double rect_mm[4];  /* x, y, width, height */
} fsk_grid_patch;

typedef struct fsk_grid {
    int filament_count;
    fsk_filament filaments[FSK_MAX_FILAMENTS];
    fsk_construction construction;
    double size_mm[2];      /* plate width, height */
    int base_filament;      /* 1..N: what shows between the patches */
    int page, pages;        /* this page (1-based) of how many; 1 of 1 */
    size_t mark_count;
    fsk_grid_mark *marks;   /* owned */
    size_t patch_count;
    fsk_grid_patch *patches; /* owned */
} fsk_grid;

/*
 * Reads and checks grid.json: every field's type and range, sequences valid
 * for the construction and unique, ids unique, rectangles inside the plate
 * and not overlapping (marks and patches alike). "page" and "pages" are
 * optional (1 of 1). Errors name the file and the JSON path
 * ("grid.json: patches[3].rect_mm[2]: expected a number from ..."). Caller
 * frees *out with fsk_grid_free.
 */
int fsk_grid_load(const char *path, fsk_grid **out, fsk_err *err);
int fsk_grid_parse(const char *name, const char *json, size_t size, fsk_grid **out,
                   fsk_err *err);

/*
 * Checks a grid built in memory the way fsk_grid_parse checks a file; name
 * prefixes the messages.
 */
int fsk_grid_check(const char *name, const fsk_grid *grid, fsk_err *err);

/*
 * Checks grid, then writes it to path atomically as deterministic JSON
 * (fixed key order and number formatting, one mark or patch per line).
 */
int fsk_grid_save(const char *path, const fsk_grid *grid, fsk_err *err);

/*
 * A grid with room for mark_count (at most FSK_GRID_MAX_MARKS) marks and
 * patch_count (at most FSK_CAL_MAX_ENTRIES) patches, both counts set, every
 * other field zero except page = pages = 1. NULL with err set on failure.
 */
fsk_grid *fsk_grid_new(size_t mark_count, size_t patch_count, fsk_err *err);

/* Frees grid; NULL is a no-op. */
void fsk_grid_free(fsk_grid *grid);

#endif
