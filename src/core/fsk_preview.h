/*
 * fsk_preview.h — the predicted print as an image, and how far it is from
 * the artwork.
 *
 * The preview paints every print pixel with the calibrated color of the
 * entry it was matched to (the backing filament's nominal color for pixels
 * that print only the backing, transparent where nothing prints), one image
 * pixel per print pixel. The color error compares each printed pixel of
 * the resampled artwork, rounded to 8-bit sRGB as the matcher sees it (its
 * key, fsk_color_set.h), with its calibrated color in CIEDE2000.
 */
#ifndef FSK_PREVIEW_H
#define FSK_PREVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"

typedef struct fsk_color_error {
    uint64_t pixels;  /* printed pixels compared */
    double mean;      /* ΔE00 */
    double p95;       /* 95th percentile, to 0.01 */
    double max;
    int colors_used;  /* distinct calibration entries in the label map */
} fsk_color_error;

/*
 * The preview of n print pixels, worked through in chunks that may run on
 * several threads. labels: the pixels' entries of cal, or FSK_LABEL_EMPTY /
 * FSK_LABEL_BACKING; keys: the artwork's color of each pixel as a key
 * (fsk_color_key; those of unprinted pixels are not read). The image goes
 * into rgba (n*4 bytes, 8-bit sRGB, in the pixels' order) unless it is NULL.
 * begin (NULL and err set when out of memory), run every chunk
 * 0..count-1 once, in any order, concurrently on different chunks, then
 * finish, which frees the job and fills *error with the color error
 * (errors: FSK_ENOMEM when a chunk ran out of memory). The arguments of
 * begin must outlive the job.
 */
typedef struct fsk_preview_job fsk_preview_job;
fsk_preview_job *fsk_preview_begin(size_t n, const uint32_t *keys, const uint16_t *labels,
                                   const fsk_calibration *cal, uint8_t *rgba,
                                   fsk_err *err);
int fsk_preview_chunk_count(const fsk_preview_job *job);
void fsk_preview_run_chunk(fsk_preview_job *job, int k);
int fsk_preview_finish(fsk_preview_job *job, fsk_color_error *error, fsk_err *err);
/* Frees a job that will not be finished (a stage between failed). */
void fsk_preview_abandon(fsk_preview_job *job);
/*
 * Optional, between begin and the first chunk: guess_start copies the
 * labels as they are now and starts working out their color error on a
 * thread of its own, while the caller goes on changing the labels (in
 * place, as the stages after the matching do); guess_stop stops it and
 * waits for it (at most a few thousand pixels' work). The chunks then
 * redo only the pixels the guess did not reach or whose label changed
 * since, and the result is the same as without a guess. When memory or a
 * thread is short nothing is guessed. Call guess_stop before running the
 * chunks; finish and abandon stop a guess still running.
 */
void fsk_preview_guess_start(fsk_preview_job *job);
void fsk_preview_guess_stop(fsk_preview_job *job);

/*
 * Paints count labels into rgba (count*4 bytes, 8-bit sRGB): entries in
 * their calibrated color, FSK_LABEL_BACKING in backing_rgb255 (sRGB 0..255;
 * NULL: the backing filament's nominal color), FSK_LABEL_EMPTY transparent.
 * 0, or FSK_ENOMEM with err set.
 */
int fsk_preview_paint(const uint16_t *labels, size_t count, const fsk_calibration *cal,
                      const double backing_rgb255[3], uint8_t *rgba, fsk_err *err);

#endif
