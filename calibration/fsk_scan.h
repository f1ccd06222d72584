/*
 * fsk_scan.h — scanning an image through SANE (Scanner Access Now Easy).
 *
 * fsk_scan.c is the only file of filastack that talks to libsane. It lists
 * the scanners, opens one, sets its options from their descriptors (the
 * resolution, the mode, the sample depth, the scan area and any backend
 * option by its SANE name), reads the image frame by frame and returns it
 * in memory: 1 (gray) or 3 (RGB) channels of 8- or 16-bit samples with the
 * resolution actually used. Writing it is the caller's job (fsk_png_write),
 * so a failed, timed-out or canceled scan never leaves a file behind.
 *
 * Every call runs a whole SANE session (sane_init ... sane_exit); the
 * functions are not reentrant, as libsane is not.
 */
#ifndef FSK_SCAN_H
#define FSK_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"

/* A scanner as SANE lists it. */
typedef struct fsk_scan_device {
    char name[128];   /* what -d takes: "genesys:libusb:001:004" */
    char vendor[64];  /* "Canon" */
    char model[128];  /* "LiDE 220" */
    char type[64];    /* "flatbed scanner" */
} fsk_scan_device;

/*
 * Lists the scanners SANE finds (local and network ones), in SANE's order;
 * the first is the default for fsk_scan. Finding none is not an error:
 * *count is 0 and *devices NULL (see fsk_scan_no_device_msg). On success
 * the caller frees *devices with free(). Errors: FSK_EDEVICE when SANE
 * cannot start, FSK_ENOMEM.
 */
int fsk_scan_list(fsk_scan_device **devices, size_t *count, fsk_err *err);

/* The one-line explanation for "no scanner found", with how to check. */
extern const char fsk_scan_no_device_msg[];

typedef enum fsk_scan_mode {
    FSK_SCAN_COLOR = 0, /* the default */
    FSK_SCAN_GRAY = 1
} fsk_scan_mode;

typedef struct fsk_scan_opts {
    const char *device;      /* SANE device name; NULL: the first one listed */
    double resolution_dpi;   /* 0: 300. The nearest value the scanner offers is used */
    fsk_scan_mode mode;
    int depth;               /* bits per sample, 8 or 16; 0: 8 */
    int has_area;            /* non-zero: scan area_mm only */
    double area_mm[4];       /* x, y, width, height from the top-left corner */
    const char *const *set;  /* set_count "NAME=VALUE" backend options, in order */
    size_t set_count;
    double timeout_s;        /* 0: none; checked between reads */
    /* Polled between reads: non-zero cancels the scan. May be NULL. */
    const volatile sig_atomic_t *cancel;
    /* Called after each read: bytes received so far and the bytes expected
     * (0 when unknown, as with a hand scanner). May be NULL. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    /* Called with a one-line notice when the scanner used another value
     * than the one asked for ("resolution: using 300 dpi, asked 301").
     * May be NULL. */
    void (*notice)(void *ctx, const char *msg);
    void *ctx;               /* passed to progress and notice */
    uint64_t max_bytes;      /* largest image accepted; 0: FSK_SCAN_DEFAULT_MAX_BYTES */
} fsk_scan_opts;

#define FSK_SCAN_DEFAULT_MAX_BYTES (2ull << 30)

/* A scanned image: rows top to bottom, stride bytes apart, no padding
 * between pixels; 16-bit samples are native-endian uint16_t. */
typedef struct fsk_scan_image {
    int width, height;
    int channels;          /* 1 gray, 3 RGB */
    int bits;              /* 8 or 16 (1-bit line art arrives as 8-bit 0 and 255) */
    double dpi;            /* the resolution the scanner used; 0 when unknown */
    size_t stride;         /* width * channels * bits / 8 */
    unsigned char *pixels; /* owned; free with fsk_scan_image_free */
    char device[128];      /* the SANE name of the scanner used */
} fsk_scan_image;

/*
 * Scans one image with opts into *img. On success the caller frees it with
 * fsk_scan_image_free. On failure *img is empty and err explains, naming
 * the device: FSK_EDEVICE (no scanner, busy, jammed, cover open, I/O
 * error, ... one clear line per SANE status), FSK_EINVAL (an unknown,
 * inactive or read-only option, a value outside the option's constraint),
 * FSK_ECANCELED ("scan canceled", "scan timed out after S s"), FSK_ELIMIT
 * (larger than max_bytes), FSK_ENOMEM.
 */
int fsk_scan(const fsk_scan_opts *opts, fsk_scan_image *img, fsk_err *err);

/* Frees the pixels and clears img; NULL and an empty image are no-ops. */
void fsk_scan_image_free(fsk_scan_image *img);

#endif
