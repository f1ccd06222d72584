/*
 * fsk_match.h — nearest calibrated color for a pixel.
 *
 * A matcher holds the candidate entries of a calibration (all, or an
 * allowed subset) and answers "which entry is nearest to this color" under
 * a metric. Entries that are practically the same color as a preferred one
 * (ΔE00 < 0.5) are dropped at creation: an entry is preferred when it uses
 * fewer different filaments, then fewer filled layers, then has the lower
 * index. Among the remaining candidates the nearest wins; exact ties go to
 * the preferred one.
 *
 * Speed: a lookup table over the sRGB cube (32^3 cells). Each cell stores
 * either the one candidate that is provably nearest everywhere in the
 * cell, or the short list of candidates that can be nearest somewhere in
 * it (evaluation of that list: for CIEDE2000 mostly by tight bounds of the
 * distance, fsk_de2000_range, computing it exactly only for near-ties).
 * The proof
 * uses interval bounds of the metric over the cell (fsk_de2000_bounds),
 * which hold across CIEDE2000's discontinuities, so the fast answer always
 * equals the exact full search (fsk_matcher_nearest_exact). Cells are
 * built the first time a lookup falls in them, so an image pays only for
 * the colors it has; what a cell holds does not depend on the order.
 *
 * Lookups may run concurrently on one matcher from several threads (the
 * table is completed under an internal lock).
 */
#ifndef FSK_MATCH_H
#define FSK_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"

typedef enum fsk_metric {
    FSK_METRIC_DE2000, /* CIEDE2000 in CIELAB (default) */
    FSK_METRIC_DE76,   /* Euclidean distance in CIELAB */
    FSK_METRIC_RGB     /* Euclidean distance in sRGB 0..255, like the
                          reference pipeline */
} fsk_metric;

/* "de2000", "de76", "rgb"; parse returns 0 or FSK_EINVAL for other names. */
const char *fsk_metric_name(fsk_metric metric);
int fsk_metric_parse(const char *name, fsk_metric *out);

typedef struct fsk_matcher fsk_matcher;

/*
 * Builds a matcher for cal (borrowed during the call only). allowed lists
 * the entry indices that may be chosen (duplicates are ignored); NULL with
 * allowed_count 0 allows every entry. Errors: an index out of range
 * (FSK_EINVAL), out of memory. Caller frees with fsk_matcher_free.
 */
fsk_matcher *fsk_matcher_create(const fsk_calibration *cal,
                                const uint16_t *allowed, size_t allowed_count,
                                fsk_metric metric, fsk_err *err);

/* Frees m; NULL is a no-op. */
void fsk_matcher_free(fsk_matcher *m);

/*
 * Index of the calibration entry nearest to the color linear_rgb (linear
 * light, clamped to 0..1; NaN counts as 0). Uses the lookup table.
 */
uint16_t fsk_matcher_nearest(const fsk_matcher *m, const float linear_rgb[3]);

/*
 * Tells the matcher which colors are coming: count colors of 3 floats
 * (linear RGB, as for fsk_matcher_nearest), stride floats apart. Where
 * many of them fall in one cell of the table whose list is long, the cell
 * is divided in eight (each built, like cells, when a lookup first falls
 * in it), which shortens the lists searched. With `exactly` (the lookups
 * will be of these colors, not near them as with dithering), boxes of
 * cells where few or none fall are also left unbuilt, their cells
 * searching the longer list of the box above. Answers are the same with
 * or without it. Calls add up (the last one's `exactly` holds); make them
 * all before lookups, not while they run; a failed allocation is ignored
 * (only speed is lost).
 */
void fsk_matcher_expect(const fsk_matcher *m, const float *rgb, size_t count, size_t stride,
                        bool exactly);

/* The same, `exactly`, for count colors given as 8-bit sRGB keys r << 16
 * | g << 8 | b (fsk_color_set.h): as announcing their decoded colors
 * (fsk_color_of_key), without decoding them. */
void fsk_matcher_expect_keys(const fsk_matcher *m, const uint32_t *keys, size_t count);

/* Cells of the lookup table (32^3), for fsk_matcher_build_ahead. */
#define FSK_MATCH_CELLS 32768u

/*
 * Builds ahead, while the colors are still being announced (with
 * `exactly`), part of the table their lookups will need: exactly what
 * those lookups would build, so answers, statistics and fsk_matcher_info
 * are the same with or without it. Looks at the cells from *cursor on (0
 * starts a pass) and returns true after building for one of them (a few
 * microseconds to a millisecond), false once the pass reached the last
 * cell (*cursor is then FSK_MATCH_CELLS); a new pass after more
 * announcements finds more to build. Not concurrently with
 * fsk_matcher_expect; lookups may run meanwhile. Without announcements,
 * or when memory is short, it builds nothing.
 */
bool fsk_matcher_build_ahead(const fsk_matcher *m, uint32_t *cursor);

/* Which way lookups went; caller-owned, one per thread. */
typedef struct fsk_match_stats {
    uint64_t lookups;   /* calls */
    uint64_t single;    /* answered from a one-candidate cell (no color math) */
    uint64_t listed;    /* answered by exact evaluation of a cell's list */
    uint64_t evaluated; /* distances computed on the listed path */
    uint64_t colors;    /* fsk_quantize: distinct colors matched, each once */
} fsk_match_stats;

/* As fsk_matcher_nearest, adding to *stats. */
uint16_t fsk_matcher_nearest_counted(const fsk_matcher *m,
                                     const float linear_rgb[3],
                                     fsk_match_stats *stats);

/* How fsk_matcher_nearest_built answered. */
typedef enum fsk_built_answer {
    FSK_BUILT_NONE,       /* no answer (see below) */
    FSK_BUILT_FINAL,      /* from its cell, built for good */
    FSK_BUILT_PROVISIONAL /* from the list its cell will have unless later
                             announcements change that */
} fsk_built_answer;

/*
 * As fsk_matcher_nearest_counted, while colors are still announced (with
 * `exactly`): first builds ahead the color's cell as fsk_matcher_build_ahead
 * would, then answers from it, built for good, or provisionally from the
 * list it will have unless later announcements change that (*list tells
 * which list answered). Either way the entry and what was counted are
 * those of the lookup made after the last announcement, for a provisional
 * answer when it stands (fsk_matcher_answer_stands). FSK_BUILT_NONE, with
 * nothing counted, when memory is short or colors are not announced.
 * Not concurrently with fsk_matcher_expect or fsk_matcher_build_ahead.
 */
fsk_built_answer fsk_matcher_nearest_built(const fsk_matcher *m, const float linear_rgb[3],
                                           fsk_match_stats *stats, uint16_t *entry,
                                           uint32_t *list);

/*
 * After the last announcement: whether a provisional answer for
 * linear_rgb, from `list`, is the lookup's (its entry and counts), that
 * is whether its cell ends with that list (building the cell if needed).
 */
bool fsk_matcher_answer_stands(const fsk_matcher *m, const float linear_rgb[3], uint32_t list);

/* The same answer by exact evaluation of every candidate (the reference). */
uint16_t fsk_matcher_nearest_exact(const fsk_matcher *m,
                                   const float linear_rgb[3]);

/* The distance from linear_rgb (clamped as above) to entry, in the
 * matcher's metric. */
double fsk_matcher_distance(const fsk_matcher *m, const float linear_rgb[3],
                            uint16_t entry);

/*
 * The candidate entries after dropping near-duplicates, in preference
 * order; borrowed until fsk_matcher_free.
 */
const uint16_t *fsk_matcher_candidates(const fsk_matcher *m, size_t *count);

/*
 * The twins of a candidate entry: the candidate itself first, then the
 * allowed entries dropped in its favour as practically the same color
 * (ΔE00 < 0.5 to it), in preference order. NULL with *count 0 when entry is
 * not a candidate. Borrowed until fsk_matcher_free.
 */
const uint16_t *fsk_matcher_twins(const fsk_matcher *m, uint16_t entry,
                                  size_t *count);

/* Linear RGB (0..1) of any entry of the calibration, from its sRGB. */
void fsk_matcher_entry_linear(const fsk_matcher *m, uint16_t entry,
                              float out[3]);

/* fsk_matcher_get_info completes the whole table first (slow), so the
 * cell counts cover every cell. */
typedef struct fsk_matcher_info {
    fsk_metric metric;
    size_t entries;      /* entries of the calibration */
    size_t allowed;      /* distinct allowed entries */
    size_t candidates;   /* after dropping near-duplicates */
    int grid;            /* lookup cells per axis */
    size_t single_cells; /* cells answered without evaluation */
    size_t list_cells;   /* cells with a candidate list */
    size_t list_total;   /* sum of list lengths */
    size_t list_max;     /* longest list */
    size_t split_cells;  /* cells divided in eight (see fsk_matcher_expect) */
    size_t sparse_cells; /* list cells searching the list of a box above them,
                          * where few pixels were expected (among list_cells) */
} fsk_matcher_info;

void fsk_matcher_get_info(const fsk_matcher *m, fsk_matcher_info *info);

#endif
