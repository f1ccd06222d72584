/*
 * fsk_scan_frames.h — assembling an image from the frames a scanner sends.
 *
 * SANE delivers a scan as one frame (gray or interleaved RGB) or as three
 * single-color frames (three-pass scanners), each as a byte stream of
 * lines bytes_per_line apart (the line may be padded past its pixels),
 * with 1-, 8- or 16-bit samples, in reads of any size that need not end on
 * a line. A hand scanner does not know its line count in advance. This
 * assembler turns such streams into an fsk_scan_image; it knows nothing of
 * libsane (fsk_scan.c translates SANE_Parameters into fsk_frame_params), so
 * it can be tested with hand-made bytes.
 */
#ifndef FSK_SCAN_FRAMES_H
#define FSK_SCAN_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"
#include "fsk_scan.h"

typedef enum fsk_frame_format {
    FSK_FRAME_GRAY,
    FSK_FRAME_RGB,
    FSK_FRAME_RED,
    FSK_FRAME_GREEN,
    FSK_FRAME_BLUE
} fsk_frame_format;

typedef struct fsk_frame_params {
    fsk_frame_format format;
    int last_frame;      /* non-zero on the last frame of the image */
    int bytes_per_line;  /* the stride of the stream, >= the pixel data */
    int pixels_per_line;
    int lines;           /* -1 when unknown until the end (hand scanners) */
    int depth;           /* bits per sample: 1, 8 or 16 (16: host byte order) */
} fsk_frame_params;

typedef struct fsk_scan_frames fsk_scan_frames;

/*
 * A new assembler refusing images over max_bytes (of the assembled 8- or
 * 16-bit image). Returns NULL when out of memory. Free with
 * fsk_scan_frames_free (NULL is a no-op).
 */
fsk_scan_frames *fsk_scan_frames_create(uint64_t max_bytes);
void fsk_scan_frames_free(fsk_scan_frames *f);

/*
 * Starts a frame. The first frame fixes the image: width, channels (1 for
 * gray, 3 otherwise), sample size (16 for depth 16, else 8) and height
 * (unless unknown). Later frames must be the missing color channels of a
 * three-pass image with the same width, depth and line count. Errors:
 * FSK_EFORMAT (inconsistent parameters, an unexpected frame),
 * FSK_ELIMIT (over max_bytes), FSK_ENOMEM.
 */
int fsk_scan_frames_begin(fsk_scan_frames *f, const fsk_frame_params *p,
                          fsk_err *err);

/*
 * Adds n bytes of the current frame, split anywhere. Lines past the known
 * line count are ignored. Errors: FSK_ELIMIT (an unknown-length scan grew
 * over max_bytes), FSK_ENOMEM.
 */
int fsk_scan_frames_feed(fsk_scan_frames *f, const void *data, size_t n,
                         fsk_err *err);

/*
 * Ends the current frame (the scanner reported its end). A trailing
 * partial line is dropped. Errors: FSK_EFORMAT when the frame has fewer
 * lines than announced (or than the first frame of a three-pass image),
 * or none at all.
 */
int fsk_scan_frames_end(fsk_scan_frames *f, fsk_err *err);

/*
 * Hands the finished image over to *img (pixels now owned by img; free
 * with fsk_scan_image_free). dpi and device are left for the caller.
 * Errors: FSK_EFORMAT when a three-pass image lacks a color frame or no
 * frame ended.
 */
int fsk_scan_frames_finish(fsk_scan_frames *f, fsk_scan_image *img, fsk_err *err);

#endif
