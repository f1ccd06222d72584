/*
 * fsk_unzip.h — a small, defensive ZIP reader for 3MF containers.
 *
 * Reads an archive held in memory: the central directory is parsed with
 * every offset and length checked against the buffer, entries are stored
 * or deflated (raw inflate with zlib), each extraction is bounded by a
 * caller-given size limit (a zip bomb is refused before inflating, and a
 * stream that inflates beyond its declared size is an error) and checked
 * against its CRC-32. ZIP64 sizes and offsets are understood; encrypted
 * entries and multi-disk archives are refused.
 */
#ifndef FSK_UNZIP_H
#define FSK_UNZIP_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"

/* More entries than this in one archive are refused. */
#define FSK_ZIP_MAX_ENTRIES 65536

typedef struct fsk_zip fsk_zip;

/*
 * Parses the archive in data[0..size) (borrowed: it must outlive the
 * fsk_zip). On success *out is a new handle the caller frees with
 * fsk_zip_close. Errors: FSK_EFORMAT (not a ZIP archive, corrupt or
 * truncated central directory), FSK_EUNSUPPORTED (multi-disk), FSK_ELIMIT
 * (too many entries), FSK_ENOMEM. Messages do not name the file; callers
 * prefix it.
 */
int fsk_zip_open(const unsigned char *data, size_t size, fsk_zip **out,
                 fsk_err *err);

/* Frees the handle; NULL is a no-op. */
void fsk_zip_close(fsk_zip *zip);

/* Number of entries (files and folders) in the central directory. */
size_t fsk_zip_count(const fsk_zip *zip);

/* Name of entry i as stored ("3D/3dmodel.model"), borrowed from zip. */
const char *fsk_zip_name(const fsk_zip *zip, size_t i);

/* Declared uncompressed size of entry i in bytes. */
uint64_t fsk_zip_size(const fsk_zip *zip, size_t i);

/*
 * Index of the entry named name, compared ignoring ASCII case and a
 * leading '/' on either side (3MF part names are case-insensitive and
 * written with a leading '/'), or -1 when there is none.
 */
long fsk_zip_find(const fsk_zip *zip, const char *name);

/*
 * Extracts entry i into a new buffer (NUL-terminated; the terminator is
 * not counted in *size); the caller frees *data with free(). Entries
 * declaring more than max_bytes are refused with FSK_ELIMIT before any
 * inflating. Errors: FSK_EFORMAT (bad local header, corrupt or truncated
 * data, size or CRC-32 mismatch), FSK_EUNSUPPORTED (encrypted, or a method
 * other than stored and deflate), FSK_ELIMIT, FSK_ENOMEM.
 */
int fsk_zip_extract(const fsk_zip *zip, size_t i, size_t max_bytes,
                    unsigned char **data, size_t *size, fsk_err *err);

#endif
