/*
 * fsk_json.h — loading JSON files with cJSON and reading typed fields with
 * errors that name the file and the JSON path at fault, for example
 *   profiles/filaments/cyan.json: color: expected "#RRGGBB", got "cyan"
 *   cal.json: line 12: malformed JSON
 */
#ifndef FSK_JSON_H
#define FSK_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "fsk_error.h"

/* JSON files filastack reads are small; larger ones are refused. */
#define FSK_JSON_MAX_BYTES (64u * 1024u * 1024u)

/*
 * Parses the JSON text of data (size bytes, any NUL inside is an error);
 * name is used in messages. On error returns NULL with a message naming
 * the line ("NAME: line 4: malformed JSON" or "...: unexpected end of
 * file"). Caller frees the result with cJSON_Delete.
 */
cJSON *fsk_json_parse(const char *name, const char *data, size_t size,
                      fsk_err *err);

/* Reads and parses path; as fsk_json_parse. */
cJSON *fsk_json_load(const char *path, fsk_err *err);

/*
 * Field readers. file names the document, path is the JSON path of obj
 * ("" for the root, "filaments[2]" for an element) and key the member.
 * A missing member is an error when required, otherwise the output is left
 * unchanged and 0 is returned. Wrong types and out-of-range values are
 * errors: "FILE: PATH.KEY: expected ..., got VALUE".
 */
int fsk_json_string(const char *file, const char *path, const cJSON *obj,
                    const char *key, bool required, char *out, size_t cap,
                    fsk_err *err);
int fsk_json_number(const char *file, const char *path, const cJSON *obj,
                    const char *key, bool required, double min, double max,
                    double *out, fsk_err *err);
int fsk_json_int(const char *file, const char *path, const cJSON *obj,
                 const char *key, bool required, int min, int max, int *out,
                 fsk_err *err);
/* "#RRGGBB" (either case) into rgb[3]. */
int fsk_json_color(const char *file, const char *path, const cJSON *obj,
                   const char *key, bool required, unsigned char rgb[3],
                   fsk_err *err);

/*
 * Returns member key of obj when it is an array (optionally of exactly
 * want_len elements when want_len >= 0), else NULL with err set. A missing
 * optional member gives NULL with err->code 0.
 */
const cJSON *fsk_json_array(const char *file, const char *path,
                            const cJSON *obj, const char *key, bool required,
                            int want_len, fsk_err *err);

/*
 * As fsk_json_array (required, any length) and also checks the element
 * count is min..max: "FILE: KEY: expected MIN to MAX WHAT, got N". *count
 * gets the count. NULL with err set on failure.
 */
const cJSON *fsk_json_array_sized(const char *file, const cJSON *obj, const char *key,
                                  int min, int max, const char *what, int *count,
                                  fsk_err *err);

/* Formats "path.key" (or "key" at the root) into buf. */
const char *fsk_json_path(char *buf, size_t cap, const char *path,
                          const char *key);

/*
 * Sets err to "FILE: PATH: expected WHAT, got VALUE" with VALUE the compact
 * JSON of item (shortened) or "nothing" when item is NULL.
 */
int fsk_json_type_error(const char *file, const char *path, const char *what,
                        const cJSON *item, fsk_err *err);

#endif
