/*
 * fsk_zip_write.h — a small streaming ZIP archive writer (3MF packages).
 *
 * Entries are written one after the other: begin, any number of writes,
 * end. Data is compressed on the fly with zlib's raw deflate (or stored),
 * so an entry never has to fit in memory: deflated entries are cut into
 * blocks of FSK_DEFLATE_BLOCK bytes compressed independently (each primed
 * with the 32 KiB before it), optionally on worker threads
 * (fsk_zip_set_threads); the bytes do not depend on the thread count. Sizes and CRC-32 are not known
 * when an entry starts; the writer leaves them zero in the local header and
 * seeks back to fill them in when the entry ends, so the archive needs no
 * data descriptors and reads in every unzip (miniz in PrusaSlicer and Bambu
 * Studio, Info-ZIP, Python's zipfile).
 *
 * Output is deterministic: every entry carries the DOS time 1980-01-01
 * 00:00, no extra fields and zero attributes, so the same entries give the
 * same bytes. ZIP64 is not implemented: an entry, or the archive, of 4 GiB
 * or more (or more than 65534 entries) is refused with FSK_ELIMIT.
 */
#ifndef FSK_ZIP_WRITE_H
#define FSK_ZIP_WRITE_H

#include <stddef.h>

#include "fsk_error.h"
#include "fsk_file.h"

/* Compression levels for fsk_zip_begin. */
#define FSK_ZIP_STORE 0   /* no compression */
#define FSK_ZIP_FAST 1    /* fast deflate (fsk_deflate_fast), for large generated text */
#define FSK_ZIP_DEFLATE 6 /* zlib's default trade-off of size and speed */

/* An archive being written; opaque. */
typedef struct fsk_zip fsk_zip;

/*
 * Starts an archive at the current (empty) start of out, which is borrowed
 * until fsk_zip_close or fsk_zip_abort and must not be written by anyone
 * else meanwhile. Returns NULL with FSK_ENOMEM on failure.
 */
fsk_zip *fsk_zip_open(fsk_out *out, fsk_err *err);

/*
 * Compresses deflated entries on `threads` worker threads (0..16; 0, the
 * default, compresses on the caller's thread). Only between entries.
 * FSK_EINVAL otherwise.
 */
int fsk_zip_set_threads(fsk_zip *zip, int threads, fsk_err *err);

/*
 * Starts the entry name (a relative path with '/' separators, 1..65535
 * bytes, no leading '/'; UTF-8 names are flagged as such). level is
 * FSK_ZIP_STORE (0) or a deflate level 1..9. The previous entry must have
 * been ended. FSK_EINVAL on a bad name or level or a misuse.
 */
int fsk_zip_begin(fsk_zip *zip, const char *name, int level, fsk_err *err);

/* Appends n bytes to the current entry. FSK_ELIMIT past 4 GiB. */
int fsk_zip_write(fsk_zip *zip, const void *data, size_t n, fsk_err *err);

/* Finishes the current entry and records it for the central directory. */
int fsk_zip_end_entry(fsk_zip *zip, fsk_err *err);

/* begin + write + end for an entry held in memory. */
int fsk_zip_add(fsk_zip *zip, const char *name, int level, const void *data,
                size_t n, fsk_err *err);

/*
 * Writes the central directory and the end record, then frees zip (also on
 * failure). The caller then commits or aborts its fsk_out; write errors of
 * the stream itself are reported by fsk_out_commit.
 */
int fsk_zip_close(fsk_zip *zip, fsk_err *err);

/* Frees an unfinished archive; the caller aborts its fsk_out. NULL is a no-op. */
void fsk_zip_abort(fsk_zip *zip);

#endif
