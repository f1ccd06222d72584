/*
 * fsk_grid_layout.h — which sequences a calibration grid holds and where
 * they go on the plate.
 *
 * Sequences: every valid sequence when they all fit (the printer's bed, a
 * flatbed scanner's glass and --max-patches); otherwise either a subset
 * that spans the reachable colors, or (pages) all of them split into
 * pages. The subset always keeps every single-filament stack of every
 * height ([k], [k, k], ... for each filament k) and adds the others by
 * farthest-point sampling in CIELAB under the filament model (fsk_model.h):
 * each step takes the sequence whose predicted color is farthest
 * (Euclidean Lab distance) from every one chosen so far, the lowest
 * canonical index on ties, so the choice is deterministic. Patches are
 * listed and placed in canonical order.
 *
 * Plate, in the viewing orientation (origin top-left, x right, y down),
 * every length a whole number of FSK_GRID_UNIT_MM:
 *
 *   +-------------------------------------------+
 *   | [8 mm mark]                    [6 mm mark] |  marks: FSK_GRID_EDGE_MM
 *   |                                            |  from the edges
 *   | [] [] [] [] [] [] [] [] [] [] [] [] [] []  |  patches in rows, gap_mm
 *   | [] [] [] [] [] [] [] [] [] [] [] [] [] []  |  apart, FSK_GRID_CLEAR_MM
 *   | [] [] [] [] []                             |  below and above the marks
 *   | [4.4 mm mark]                              |
 *   +-------------------------------------------+
 *
 * The three square fiducial marks of different sizes sit at the top-left,
 * top-right and bottom-left corners, the bottom-right corner stays empty,
 * so the marks alone fix the plate's position, rotation and mirroring.
 * They are full-height stacks ([k, k, ..., k]) of the filament whose
 * predicted color differs most (CIEDE2000) from the base. The base shows
 * in the gaps and margins: with a backing it is the backing; without one
 * it is the lightest filament (highest L*), printed as a full-height stack
 * too so that the plate holds together (see fsk_grid_geometry.h).
 *
 * The plate fits the bed (beside a wipe tower when asked) and the scanner glass (FSK_GRID_SCANNER_MM minus
 * FSK_GRID_SCANNER_MARGIN_MM on every side) in either orientation on the
 * glass; among the shapes that hold the patches the squarest plate (the
 * shortest longer side, then the smallest area) is chosen.
 */
#ifndef FSK_GRID_LAYOUT_H
#define FSK_GRID_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_profile.h"

#define FSK_GRID_DEFAULT_PATCH_MM 6.0
#define FSK_GRID_DEFAULT_GAP_MM 1.2
/* Every length of a layout is a whole number of these (patch and gap too). */
#define FSK_GRID_UNIT_MM 0.1
#define FSK_GRID_EDGE_MM 3.0   /* plate edge to marks and patches */
#define FSK_GRID_CLEAR_MM 3.0  /* between the marks' rows and the patches */
#define FSK_GRID_SCANNER_W_MM 210.0 /* A4 glass */
#define FSK_GRID_SCANNER_H_MM 297.0
#define FSK_GRID_SCANNER_MARGIN_MM 5.0
/* Mark sides at the top-left, top-right and bottom-left corners. */
#define FSK_GRID_MARK_TL_MM 8.0
#define FSK_GRID_MARK_TR_MM 6.0
#define FSK_GRID_MARK_BL_MM 4.4
/* Most sequences a subset is chosen from. */
#define FSK_GRID_MAX_SEQUENCES 1000000

typedef struct fsk_grid_layout_options {
    double bed_mm[2];    /* printer bed x, y (> 0) */
    double patch_mm;     /* patch side; 0: FSK_GRID_DEFAULT_PATCH_MM */
    double gap_mm;       /* between patches; < 0: FSK_GRID_DEFAULT_GAP_MM */
    size_t max_patches;  /* per plate; 0: as many as fit */
    bool pages;          /* all sequences on as many plates as needed */
    bool wipe_tower;     /* leave room on the bed for PrusaSlicer's wipe tower
                            (fsk_3mf_tower_fits; n - 1 tool changes a layer) */
} fsk_grid_layout_options;

/*
 * Lays out the grid of n filaments under construction: one grid, or with
 * opt->pages one per page (page 1..count, patch ids consecutive across
 * pages). *pages is a new array of *count grids; the caller frees it with
 * fsk_grid_pages_free. Errors (FSK_EINVAL unless noted): patch or gap not
 * a whole number of FSK_GRID_UNIT_MM, patch under 1 mm or over 50 mm, gap
 * over 20 mm; an invalid construction; FSK_ELIMIT: more than
 * FSK_GRID_MAX_SEQUENCES sequences (FSK_CAL_MAX_ENTRIES with pages), a
 * bed that holds fewer patches than the
 * N*M single-filament stacks (or none), max_patches below that count, more
 * than FSK_GRID_MAX_PAGES pages; FSK_ENOMEM. Messages say which limit.
 */
int fsk_grid_layout(const fsk_filament *filaments, int n,
                    const fsk_construction *construction,
                    const fsk_grid_layout_options *opt, fsk_grid ***pages,
                    int *count, fsk_err *err);

/* Frees count grids and the array; NULL is a no-op. */
void fsk_grid_pages_free(fsk_grid **pages, int count);

/*
 * The subset rule above on its own: writes count canonical sequence indices
 * (fsk_sequence_nth order), ascending, into out. count must be at least the
 * n*m single-filament stacks, at most the number of sequences (at most
 * FSK_GRID_MAX_SEQUENCES) and at most FSK_CAL_MAX_ENTRIES. Time is about
 * count times the number of sequences. Errors: FSK_EINVAL, FSK_ENOMEM.
 */
int fsk_grid_select(const fsk_filament *filaments, int n,
                    const fsk_construction *construction, size_t count,
                    uint32_t *out, fsk_err *err);

/*
 * The filament the marks are printed in: the one whose full-height stack's
 * predicted color differs most (CIEDE2000) from the base's, the lowest
 * number on ties. base is the construction's backing filament, or without
 * one the lightest filament. Both 1..n.
 */
int fsk_grid_base_filament(const fsk_filament *filaments, int n,
                           const fsk_construction *construction);
int fsk_grid_mark_filament(const fsk_filament *filaments, int n,
                           const fsk_construction *construction);

#endif
