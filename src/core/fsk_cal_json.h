/*
 * fsk_cal_json.h — the pieces the calibration file and the grid file
 * (grid.json) share: the "filaments" list, the "construction" object and
 * lists of sequences, each read with path-aware errors, checked, and
 * written deterministically (fixed key order and number formatting).
 */
#ifndef FSK_CAL_JSON_H
#define FSK_CAL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_profile.h"

/*
 * Reads root's "filaments" array (1 to FSK_MAX_FILAMENTS objects with name,
 * color and optional brand, material, td_mm, density_g_cm3) into out[] and
 * its length into *count. Errors name file and path ("filaments[2].color").
 */
int fsk_cal_json_read_filaments(const char *file, const cJSON *root,
                                fsk_filament out[FSK_MAX_FILAMENTS], int *count,
                                fsk_err *err);

/*
 * Reads root's "construction" object for filament_count filaments:
 * layer_height, color_layers, backing ({filament, thickness} or null),
 * view ("top" or "bottom").
 */
int fsk_cal_json_read_construction(const char *file, const cJSON *root,
                                   int filament_count, fsk_construction *out,
                                   fsk_err *err);

/*
 * Checks filaments built in memory (count 1..FSK_MAX_FILAMENTS, names set)
 * and a construction for filament_count filaments (ranges, backing a whole
 * number of layers). Messages start with name and the JSON path.
 */
int fsk_cal_json_check_filaments(const char *name, const fsk_filament *filaments,
                                 int count, fsk_err *err);
int fsk_cal_json_check_construction(const char *name, const fsk_construction *c,
                                    int filament_count, fsk_err *err);

/*
 * Checks the sequences (m slots for n filaments) of an array of count
 * records of stride bytes, each holding its sequence at byte offset
 * seq_offset (offsetof(fsk_cal_entry, sequence), ...): each valid and none
 * listed twice. list names the
 * array in messages ("NAME: patches[7].sequence: [1, 2, 0, 0] is listed
 * twice, also at patches[3]").
 */
int fsk_cal_json_check_sequences(const char *name, const char *list,
                                 const void *records, size_t count, size_t stride,
                                 size_t seq_offset, int m, int n, fsk_err *err);

/* True when v is a whole, positive multiple of step, allowing for decimal
 * rounding. */
bool fsk_cal_json_multiple_of(double v, double step);

/*
 * Write the members `  "filaments": [...],` (one filament per line) and
 * `  "construction": {...},` each followed by a comma and a newline, as
 * they appear in both files.
 */
void fsk_cal_json_write_filaments(FILE *f, const fsk_filament *filaments, int count);
void fsk_cal_json_write_construction(FILE *f, const fsk_construction *c);

/* A JSON array of m sequence slots: "[1, 2, 0, 0]". */
void fsk_cal_json_write_sequence(FILE *f, const uint8_t *seq, int m);

/*
 * Formats v with at most `decimals` decimals, trailing zeros dropped and
 * never "-0", so the same value always prints the same way; returns buf.
 */
const char *fsk_cal_json_number(char *buf, size_t cap, double v, int decimals);

/* Writes s as a JSON string (quotes, backslashes and controls escaped). */
void fsk_cal_json_write_string(FILE *f, const char *s);

/*
 * Generic readers in the style of fsk_json.h: obj must be an object; a
 * member that is one of names (NULL-terminated) stored as its index; an
 * array of exactly count numbers in [min, max].
 */
int fsk_cal_json_expect_object(const char *file, const char *path, const cJSON *item,
                               fsk_err *err);
int fsk_cal_json_read_choice(const char *file, const char *path, const cJSON *obj,
                             const char *key, bool required, const char *const *names,
                             const char *what, int *out, fsk_err *err);
int fsk_cal_json_read_numbers(const char *file, const char *path, const cJSON *obj,
                              const char *key, bool required, int count, double min,
                              double max, double *out, fsk_err *err);

#endif
