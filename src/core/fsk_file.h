/*
 * fsk_file.h — bounded whole-file reads and views, and atomic output files.
 *
 * Every file filastack writes goes through fsk_out: the data lands in a
 * temporary file in the destination folder and is renamed into place only
 * on fsk_out_commit, so a failure never leaves a partial output behind.
 */
#ifndef FSK_FILE_H
#define FSK_FILE_H

#include <stdio.h>
#include <stddef.h>

#include "fsk_error.h"

/*
 * Reads the whole file at path into a new buffer (NUL-terminated for
 * convenience; the terminator is not counted in *size). Files larger than
 * max_bytes are refused with FSK_ELIMIT before reading. On success the
 * caller frees *data with free().
 */
int fsk_file_read(const char *path, size_t max_bytes, unsigned char **data,
                  size_t *size, fsk_err *err);

/*
 * The whole file at path, for reading only: mapped into memory where it
 * can be (the page cache's own pages, so nothing is copied or allocated),
 * else read as fsk_file_read does; the same checks and errors. A mapped
 * file that another program truncates while it is read ends the process
 * with SIGBUS. Close with fsk_file_view_close.
 */
typedef struct fsk_file_view {
    const unsigned char *data;
    size_t size;
    void *map;           /* the mapping, or NULL */
    unsigned char *copy; /* the buffer read instead, or NULL */
} fsk_file_view;

int fsk_file_view_open(const char *path, size_t max_bytes, fsk_file_view *view,
                       fsk_err *err);
void fsk_file_view_close(fsk_file_view *view);

/* An output file being written; opaque. */
typedef struct fsk_out fsk_out;

/*
 * Creates a temporary file next to path for writing. Returns NULL and sets
 * err on failure. Finish with fsk_out_commit or fsk_out_abort.
 */
fsk_out *fsk_out_open(const char *path, fsk_err *err);

/* The stdio stream of the temporary file, borrowed until commit/abort. */
FILE *fsk_out_stream(fsk_out *out);

/* Writes n bytes; a failure is remembered and reported by fsk_out_commit. */
void fsk_out_write(fsk_out *out, const void *data, size_t n);

/* The destination path given to fsk_out_open, borrowed. */
const char *fsk_out_path(const fsk_out *out);

/*
 * Flushes, closes and renames the temporary file onto its destination, then
 * frees out. On any failure (including an earlier write error) the
 * temporary file is removed, nothing is renamed, and err is set.
 */
int fsk_out_commit(fsk_out *out, fsk_err *err);

/* Closes and removes the temporary file and frees out; NULL is a no-op. */
void fsk_out_abort(fsk_out *out);

/* Writes a whole buffer to path atomically (open, write, commit). */
int fsk_file_write_atomic(const char *path, const void *data, size_t n,
                          fsk_err *err);

#endif
