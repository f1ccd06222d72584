/*
 * fsk_calibration.h — the calibration: which layer sequence prints which
 * color, for a given set of filaments and a given construction.
 *
 * A sequence has color_layers slots, bottom to top in print order, each a
 * filament number 1..N or 0 for empty; valid sequences are not all empty
 * and have no empty slot below a filled one. The file format
 * ("filastack-calibration", version 1) is described in filastack(5) and
 * ../DESIGN.md.
 */
#ifndef FSK_CALIBRATION_H
#define FSK_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"
#include "fsk_profile.h"

#define FSK_MAX_COLOR_LAYERS 16
/* Entry indices must fit uint16_t labels below FSK_LABEL_BACKING (0xFFFE). */
#define FSK_CAL_MAX_ENTRIES 65000

typedef enum fsk_view {
    FSK_VIEW_TOP,   /* seen from above; the backing is under the color layers */
    FSK_VIEW_BOTTOM /* printed face down, seen through the first layer; the
                       backing is over the color layers */
} fsk_view;

/* How one pixel's stack is built; calibration and conversion must agree. */
typedef struct fsk_construction {
    double layer_height_mm;   /* every color layer and backing layer */
    int color_layers;         /* M, 1..FSK_MAX_COLOR_LAYERS */
    int backing_filament;     /* 1..N, or 0 for no backing */
    double backing_mm;        /* backing thickness, a multiple of the layer
                                 height (0 without backing) */
    fsk_view view;
} fsk_construction;

typedef enum fsk_origin {
    FSK_ORIGIN_SCAN,      /* measured on a scanned grid */
    FSK_ORIGIN_PREDICTED, /* from the filament model, nothing printed */
    FSK_ORIGIN_MODEL      /* a fitted model filled a sequence the grid left out */
} fsk_origin;

typedef struct fsk_cal_entry {
    uint8_t sequence[FSK_MAX_COLOR_LAYERS]; /* color_layers slots used */
    double rgb[3];   /* sRGB, 0..255 (not rounded) */
    double lab[3];   /* CIELAB (D65) */
    double spread;   /* ΔE00 spread of the measurement, 0 when not measured */
    fsk_origin origin;
} fsk_cal_entry;

typedef struct fsk_cal_source {
    char kind[16];      /* "scan", "predicted" or "reference" (converted
                           from the reference pipeline's format) */
    char device[128];   /* scanner or model name, "" when unknown */
    double dpi;         /* 0 when unknown */
    int scans;          /* scans averaged into it; 0 when not recorded */
    double flat_field[2]; /* the illumination correction applied to the
                             scan: its smallest and largest gain over the
                             plate; 0, 0 when none was applied */
} fsk_cal_source;

typedef struct fsk_calibration {
    int filament_count;                        /* N */
    fsk_filament filaments[FSK_MAX_FILAMENTS]; /* filament k is filaments[k-1] */
    fsk_construction construction;
    fsk_cal_source source;
    size_t entry_count;
    fsk_cal_entry *entries;                    /* owned */
} fsk_calibration;

/* Names of enum values as they appear in files: "top", "scan", ... */
const char *fsk_view_name(fsk_view view);
const char *fsk_origin_name(fsk_origin origin);

/*
 * Reads and checks a calibration file: every field's type and range, every
 * sequence valid for the construction and listed once. Errors name the file
 * and the JSON path ("cal.json: entries[3].sequence[1]: ..."). On success
 * *out is a new calibration the caller frees with fsk_calibration_free.
 */
int fsk_calibration_load(const char *path, fsk_calibration **out, fsk_err *err);

/* Same from JSON text in memory; name is used in messages. */
int fsk_calibration_parse(const char *name, const char *json, size_t size,
                          fsk_calibration **out, fsk_err *err);

/* Writes cal to path atomically as JSON (entries in their order). */
int fsk_calibration_save(const char *path, const fsk_calibration *cal,
                         fsk_err *err);

/* Frees cal and its entries; NULL is a no-op. */
void fsk_calibration_free(fsk_calibration *cal);

/*
 * A new, zeroed calibration with room for entry_count entries (at most
 * FSK_CAL_MAX_ENTRIES) and entry_count set; the caller fills it in and frees
 * it with fsk_calibration_free. NULL with err set on failure.
 */
fsk_calibration *fsk_calibration_new(size_t entry_count, fsk_err *err);

/*
 * Checks a calibration built in memory the way fsk_calibration_parse checks
 * a file: filament count, construction ranges, entry count, every sequence
 * valid for the construction and listed once. name prefixes the messages
 * ("NAME: entries[7].sequence: [1, 2, 0, 0] is listed twice, also at
 * entries[3]").
 */
int fsk_calibration_check(const char *name, const fsk_calibration *cal,
                          fsk_err *err);

/* True when seq (m slots, filaments 1..n) is a valid sequence. */
bool fsk_sequence_valid(const uint8_t *seq, int m, int n);

/* Number of valid sequences, N(N^M-1)/(N-1) (M for N=1); 0 on overflow. */
uint64_t fsk_sequence_count(int n, int m);

/*
 * The i-th valid sequence (0 <= i < fsk_sequence_count(n, m)) in the
 * canonical order: by number of filled slots, then slot by slot with lower
 * filament numbers first. Writes m slots into seq.
 */
void fsk_sequence_nth(int n, int m, uint64_t i, uint8_t *seq);

/*
 * Inverse of fsk_sequence_nth: the canonical index of seq (m slots, n
 * filaments), or UINT64_MAX when seq is not valid or the index overflows.
 */
uint64_t fsk_sequence_index(const uint8_t *seq, int m, int n);

/* Filled slots of a sequence, and how many different filaments it uses. */
int fsk_sequence_layers(const uint8_t *seq, int m);
int fsk_sequence_filaments(const uint8_t *seq, int m);

#endif
