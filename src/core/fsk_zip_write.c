/*
 * fsk_zip_write.c — streaming ZIP writer: local header, deflated (or
 * stored) data, local header patched in place, then the central directory
 * and the end record. Deflate runs in blocks (fsk_deflate_blocks), on
 * worker threads when asked (level 1 with fsk_deflate_fast, the others
 * with zlib, which also takes the CRC-32).
 */
#include "fsk_zip_write.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fsk_crc32.h"
#include "fsk_deflate_blocks.h"

#define LOCAL_HEADER_SIZE 30
#define CENTRAL_HEADER_SIZE 46
#define END_RECORD_SIZE 22
/* 0xFFFFFFFF and 0xFFFF in the 32- and 16-bit fields announce ZIP64 records. */
#define ZIP32_LIMIT 0xFFFFFFFFull
#define MAX_ENTRIES 0xFFFE

/* 1980-01-01 00:00:00 in DOS format: the earliest a ZIP can hold. */
#define DOS_DATE ((0u << 9) | (1u << 5) | 1u)
#define DOS_TIME 0u

#define FLAG_UTF8 0x0800u

typedef struct zip_entry {
    char *name;
    uint16_t method, flags, version;
    uint32_t crc, csize, usize, offset;
} zip_entry;

struct fsk_zip {
    fsk_out *out;
    uint64_t offset;      /* bytes written to out so far */
    zip_entry *entries;
    size_t count, cap;
    int in_entry;
    int failed;           /* first error code, sticky */
    zip_entry cur;
    uint64_t cur_usize, cur_csize;
    int threads;          /* deflate worker threads (fsk_zip_set_threads) */
    fsk_deflate_blocks *deflate; /* made at the first deflated entry */
};

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

static int fail(fsk_zip *zip, fsk_err *err, int code, const char *what)
{
    zip->failed = code;
    return fsk_err_set(err, code, "cannot write '%s': %s", fsk_out_path(zip->out), what);
}

static void emit(fsk_zip *zip, const void *data, size_t n)
{
    fsk_out_write(zip->out, data, n);
    zip->offset += n;
}

int fsk_zip_set_threads(fsk_zip *zip, int threads, fsk_err *err)
{
    if (threads < 0 || threads > 16 || zip->in_entry)
        return fsk_err_set(err, FSK_EINVAL, "cannot write '%s': bad thread count %d or "
                           "inside an entry", fsk_out_path(zip->out), threads);
    if (threads != zip->threads) {
        fsk_deflate_blocks_free(zip->deflate);
        zip->deflate = NULL;
        zip->threads = threads;
    }
    return 0;
}

/* Where the deflate stream delivers: the archive, counting the size. */
static int deflate_sink(void *ctx, const unsigned char *data, size_t n)
{
    fsk_zip *zip = ctx;
    emit(zip, data, n);
    zip->cur_csize += n;
    return zip->cur_csize >= ZIP32_LIMIT ? FSK_ELIMIT : 0;
}

static int deflate_failed(fsk_zip *zip, int rc, fsk_err *err)
{
    return fail(zip, err, rc, rc == FSK_ELIMIT ? "entry is 4 GiB or larger (ZIP64 is not supported)"
                              : rc == FSK_ENOMEM ? "out of memory"
                                                 : "deflate failed");
}

fsk_zip *fsk_zip_open(fsk_out *out, fsk_err *err)
{
    fsk_zip *zip = calloc(1, sizeof *zip);
    if (!zip) {
        fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory",
                    fsk_out_path(out));
        return NULL;
    }
    zip->out = out;
    return zip;
}

static int name_ok(const char *name, size_t len, int *utf8)
{
    if (len == 0 || len > 0xFFFF || name[0] == '/')
        return 0;
    *utf8 = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '\\')
            return 0;
        if ((unsigned char)name[i] >= 0x80)
            *utf8 = 1;
    }
    return 1;
}

int fsk_zip_begin(fsk_zip *zip, const char *name, int level, fsk_err *err)
{
    if (zip->failed)
        return fsk_err_set(err, zip->failed, "cannot write '%s': archive already failed",
                           fsk_out_path(zip->out));
    if (zip->in_entry)
        return fail(zip, err, FSK_EINVAL, "entry started before the previous one ended");
    size_t len = strlen(name);
    int utf8;
    if (!name_ok(name, len, &utf8) || level < 0 || level > 9) {
        zip->failed = FSK_EINVAL;
        return fsk_err_set(err, FSK_EINVAL, "cannot write '%s': bad entry name '%s' or level %d",
                           fsk_out_path(zip->out), name, level);
    }
    if (zip->count >= MAX_ENTRIES)
        return fail(zip, err, FSK_ELIMIT, "more than 65534 entries (ZIP64 is not supported)");
    if (zip->offset >= ZIP32_LIMIT)
        return fail(zip, err, FSK_ELIMIT, "archive is 4 GiB or larger (ZIP64 is not supported)");
    if (level > 0 && !zip->deflate) {
        zip->deflate = fsk_deflate_blocks_create(zip->threads, err);
        if (!zip->deflate)
            return fail(zip, err, FSK_ENOMEM, "cannot start deflate");
    }
    zip->cur.name = malloc(len + 1);
    if (!zip->cur.name)
        return fail(zip, err, FSK_ENOMEM, "out of memory");
    memcpy(zip->cur.name, name, len + 1);
    zip->cur.method = level > 0 ? 8 : 0;
    zip->cur.flags = utf8 ? FLAG_UTF8 : 0;
    zip->cur.version = level > 0 ? 20 : 10;
    zip->cur.crc = 0;
    zip->cur.offset = (uint32_t)zip->offset;
    zip->cur_usize = zip->cur_csize = 0;

    /* CRC and sizes stay zero here; fsk_zip_end_entry patches them in. */
    unsigned char h[LOCAL_HEADER_SIZE] = {0};
    put32(h, 0x04034b50);
    put16(h + 4, zip->cur.version);
    put16(h + 6, zip->cur.flags);
    put16(h + 8, zip->cur.method);
    put16(h + 10, DOS_TIME);
    put16(h + 12, DOS_DATE);
    put16(h + 26, (unsigned)len);
    emit(zip, h, sizeof h);
    emit(zip, name, len);
    zip->in_entry = 1;
    if (level > 0)
        fsk_deflate_blocks_begin(zip->deflate, level, deflate_sink, zip);
    return 0;
}

int fsk_zip_write(fsk_zip *zip, const void *data, size_t n, fsk_err *err)
{
    if (zip->failed)
        return fsk_err_set(err, zip->failed, "cannot write '%s': archive already failed",
                           fsk_out_path(zip->out));
    if (!zip->in_entry)
        return fail(zip, err, FSK_EINVAL, "data written outside an entry");
    const unsigned char *p = data;
    while (n > 0) {
        /* zlib counts in uInt; feed at most 1 GiB at a time. */
        size_t part = n < (1u << 30) ? n : (1u << 30);
        zip->cur_usize += part;
        if (zip->cur_usize >= ZIP32_LIMIT)
            return fail(zip, err, FSK_ELIMIT,
                        "entry is 4 GiB or larger (ZIP64 is not supported)");
        if (zip->cur.method == 8) {
            int rc = fsk_deflate_blocks_write(zip->deflate, p, part);
            if (rc != 0)
                return deflate_failed(zip, rc, err);
        } else {
            zip->cur.crc = fsk_crc32(zip->cur.crc, p, part);
            emit(zip, p, part);
            zip->cur_csize += part;
        }
        p += part;
        n -= part;
    }
    return 0;
}

int fsk_zip_end_entry(fsk_zip *zip, fsk_err *err)
{
    if (zip->failed)
        return fsk_err_set(err, zip->failed, "cannot write '%s': archive already failed",
                           fsk_out_path(zip->out));
    if (!zip->in_entry)
        return fail(zip, err, FSK_EINVAL, "no entry to end");
    if (zip->cur.method == 8) {
        int rc = fsk_deflate_blocks_finish(zip->deflate, &zip->cur.crc);
        if (rc != 0)
            return deflate_failed(zip, rc, err);
    }
    zip->cur.usize = (uint32_t)zip->cur_usize;
    zip->cur.csize = (uint32_t)zip->cur_csize;

    unsigned char fix[12];
    put32(fix, zip->cur.crc);
    put32(fix + 4, zip->cur.csize);
    put32(fix + 8, zip->cur.usize);
    FILE *f = fsk_out_stream(zip->out);
    if (fseeko(f, (off_t)zip->cur.offset + 14, SEEK_SET) != 0)
        return fail(zip, err, FSK_EIO, strerror(errno));
    fsk_out_write(zip->out, fix, sizeof fix);
    if (fseeko(f, (off_t)zip->offset, SEEK_SET) != 0)
        return fail(zip, err, FSK_EIO, strerror(errno));

    if (zip->count == zip->cap) {
        size_t cap = zip->cap ? zip->cap * 2 : 16;
        zip_entry *e = realloc(zip->entries, cap * sizeof *e);
        if (!e)
            return fail(zip, err, FSK_ENOMEM, "out of memory");
        zip->entries = e;
        zip->cap = cap;
    }
    zip->entries[zip->count++] = zip->cur;
    zip->cur.name = NULL;
    zip->in_entry = 0;
    return 0;
}

int fsk_zip_add(fsk_zip *zip, const char *name, int level, const void *data,
                size_t n, fsk_err *err)
{
    int rc = fsk_zip_begin(zip, name, level, err);
    if (rc == 0)
        rc = fsk_zip_write(zip, data, n, err);
    if (rc == 0)
        rc = fsk_zip_end_entry(zip, err);
    return rc;
}

int fsk_zip_close(fsk_zip *zip, fsk_err *err)
{
    int rc = 0;
    if (zip->failed)
        rc = fsk_err_set(err, zip->failed, "cannot write '%s': archive already failed",
                         fsk_out_path(zip->out));
    else if (zip->in_entry)
        rc = fail(zip, err, FSK_EINVAL, "archive closed inside an entry");
    uint64_t cd_start = zip->offset;
    for (size_t i = 0; rc == 0 && i < zip->count; i++) {
        const zip_entry *e = &zip->entries[i];
        size_t len = strlen(e->name);
        unsigned char h[CENTRAL_HEADER_SIZE] = {0};
        put32(h, 0x02014b50);
        put16(h + 4, 20); /* made by: MS-DOS attributes, spec 2.0 */
        put16(h + 6, e->version);
        put16(h + 8, e->flags);
        put16(h + 10, e->method);
        put16(h + 12, DOS_TIME);
        put16(h + 14, DOS_DATE);
        put32(h + 16, e->crc);
        put32(h + 20, e->csize);
        put32(h + 24, e->usize);
        put16(h + 28, (unsigned)len);
        put32(h + 42, e->offset);
        emit(zip, h, sizeof h);
        emit(zip, e->name, len);
    }
    if (rc == 0 && zip->offset >= ZIP32_LIMIT)
        rc = fail(zip, err, FSK_ELIMIT, "archive is 4 GiB or larger (ZIP64 is not supported)");
    if (rc == 0) {
        unsigned char end[END_RECORD_SIZE] = {0};
        put32(end, 0x06054b50);
        put16(end + 8, (unsigned)zip->count);
        put16(end + 10, (unsigned)zip->count);
        put32(end + 12, (uint32_t)(zip->offset - cd_start));
        put32(end + 16, (uint32_t)cd_start);
        emit(zip, end, sizeof end);
    }
    fsk_zip_abort(zip);
    return rc;
}

void fsk_zip_abort(fsk_zip *zip)
{
    if (!zip)
        return;
    for (size_t i = 0; i < zip->count; i++)
        free(zip->entries[i].name);
    free(zip->entries);
    free(zip->cur.name);
    fsk_deflate_blocks_free(zip->deflate);
    free(zip);
}
