/*
 * fsk_unzip.c — ZIP central directory parsing and bounded, CRC-checked
 * extraction (stored and raw deflate through zlib). Every offset and
 * length read from the archive is checked against the buffer before use.
 */
#include "fsk_unzip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fsk_crc32.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_EOCD64_LOCATOR 0x07064b50u
#define EOCD_BYTES 22u
#define EOCD64_BYTES 56u
#define LOCATOR_BYTES 20u
#define CENTRAL_BYTES 46u
#define LOCAL_BYTES 30u
#define MAX_COMMENT 65535u

typedef struct zip_entry {
    char *name;
    uint16_t flags, method;
    uint32_t crc;
    uint64_t csize, usize, local_offset;
} zip_entry;

struct fsk_unzip {
    const unsigned char *data;
    size_t size;
    zip_entry *entries;
    size_t count;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* True when [off, off+len) lies inside [0, size). */
static int inside(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static int corrupt(fsk_err *err, const char *what)
{
    return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP archive: %s", what);
}

/* Finds the end of central directory record, scanning back over a comment. */
static long long find_eocd(const unsigned char *d, size_t size)
{
    if (size < EOCD_BYTES)
        return -1;
    size_t last = size - EOCD_BYTES;
    size_t first = last > MAX_COMMENT ? last - MAX_COMMENT : 0;
    for (size_t pos = last + 1; pos-- > first;)
        if (rd32(d + pos) == SIG_EOCD &&
            pos + EOCD_BYTES + rd16(d + pos + 20) <= size)
            return (long long)pos;
    return -1;
}

/* Reads the ZIP64 extra field of a central entry over the 0xFFFF.. values. */
static int apply_zip64_extra(const unsigned char *x, size_t len, zip_entry *e,
                             int need_usize, int need_csize, int need_offset)
{
    while (len >= 4) {
        uint16_t id = rd16(x), n = rd16(x + 2);
        if ((size_t)n > len - 4)
            return -1;
        if (id == 0x0001) {
            const unsigned char *p = x + 4;
            size_t left = n;
            uint64_t *fields[3] = {need_usize ? &e->usize : NULL,
                                   need_csize ? &e->csize : NULL,
                                   need_offset ? &e->local_offset : NULL};
            for (int k = 0; k < 3; k++) {
                if (!fields[k])
                    continue;
                if (left < 8)
                    return -1;
                *fields[k] = rd64(p);
                p += 8;
                left -= 8;
            }
            return 0;
        }
        x += 4 + (size_t)n;
        len -= 4 + (size_t)n;
    }
    return need_usize || need_csize || need_offset ? -1 : 0;
}

int fsk_unzip_open(const unsigned char *data, size_t size, fsk_unzip **out,
                 fsk_err *err)
{
    *out = NULL;
    long long eocd_at = find_eocd(data, size);
    if (eocd_at < 0)
        return fsk_err_set(err, FSK_EFORMAT, "not a ZIP archive (no end of central directory)");
    const unsigned char *e = data + eocd_at;
    uint64_t count = rd16(e + 10), cd_size = rd32(e + 12), cd_off = rd32(e + 16);
    uint64_t cd_limit = (uint64_t)eocd_at;
    if (rd16(e + 4) != 0 || rd16(e + 6) != 0 || rd16(e + 8) != rd16(e + 10))
        return fsk_err_set(err, FSK_EUNSUPPORTED, "multi-disk ZIP archives are not supported");
    if (count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) {
        if (eocd_at < (long long)LOCATOR_BYTES ||
            rd32(data + eocd_at - LOCATOR_BYTES) != SIG_EOCD64_LOCATOR)
            return corrupt(err, "missing ZIP64 end of central directory locator");
        uint64_t at64 = rd64(data + eocd_at - LOCATOR_BYTES + 8);
        if (!inside(at64, EOCD64_BYTES, (uint64_t)eocd_at - LOCATOR_BYTES) ||
            rd32(data + at64) != SIG_EOCD64)
            return corrupt(err, "bad ZIP64 end of central directory");
        const unsigned char *z = data + at64;
        count = rd64(z + 32);
        cd_size = rd64(z + 40);
        cd_off = rd64(z + 48);
        cd_limit = at64;
    }
    if (!inside(cd_off, cd_size, cd_limit))
        return corrupt(err, "central directory outside the archive (truncated?)");
    if (count > FSK_ZIP_MAX_ENTRIES)
        return fsk_err_set(err, FSK_ELIMIT, "ZIP archive has more than %d entries",
                           FSK_ZIP_MAX_ENTRIES);
    if (count * CENTRAL_BYTES > cd_size)
        return corrupt(err, "central directory too small for its entries");

    fsk_unzip *zip = calloc(1, sizeof *zip);
    if (!zip || !(zip->entries = calloc(count ? count : 1, sizeof *zip->entries))) {
        free(zip);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    zip->data = data;
    zip->size = size;
    const unsigned char *cd = data + cd_off;
    uint64_t pos = 0;
    int rc = 0;
    for (uint64_t i = 0; i < count; i++) {
        if (!inside(pos, CENTRAL_BYTES, cd_size) || rd32(cd + pos) != SIG_CENTRAL) {
            rc = corrupt(err, "bad central directory entry");
            break;
        }
        const unsigned char *c = cd + pos;
        size_t name_len = rd16(c + 28), extra_len = rd16(c + 30), comment_len = rd16(c + 32);
        if (!inside(pos + CENTRAL_BYTES, (uint64_t)name_len + extra_len + comment_len, cd_size)) {
            rc = corrupt(err, "central directory entry overruns the directory");
            break;
        }
        zip_entry *z = &zip->entries[zip->count];
        z->flags = rd16(c + 8);
        z->method = rd16(c + 10);
        z->crc = rd32(c + 16);
        z->csize = rd32(c + 20);
        z->usize = rd32(c + 24);
        z->local_offset = rd32(c + 42);
        const unsigned char *name = c + CENTRAL_BYTES;
        if (memchr(name, 0, name_len)) {
            rc = corrupt(err, "entry name contains a NUL byte");
            break;
        }
        if (apply_zip64_extra(name + name_len, extra_len, z, z->usize == 0xFFFFFFFFu,
                              z->csize == 0xFFFFFFFFu, z->local_offset == 0xFFFFFFFFu)) {
            rc = corrupt(err, "bad ZIP64 extra field");
            break;
        }
        if (!(z->name = malloc(name_len + 1))) {
            rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
            break;
        }
        memcpy(z->name, name, name_len);
        z->name[name_len] = '\0';
        zip->count++;
        pos += CENTRAL_BYTES + name_len + extra_len + comment_len;
    }
    if (rc) {
        fsk_unzip_close(zip);
        return rc;
    }
    *out = zip;
    return 0;
}

void fsk_unzip_close(fsk_unzip *zip)
{
    if (!zip)
        return;
    for (size_t i = 0; i < zip->count; i++)
        free(zip->entries[i].name);
    free(zip->entries);
    free(zip);
}

size_t fsk_unzip_count(const fsk_unzip *zip) { return zip->count; }

const char *fsk_unzip_name(const fsk_unzip *zip, size_t i) { return zip->entries[i].name; }

uint64_t fsk_unzip_size(const fsk_unzip *zip, size_t i) { return zip->entries[i].usize; }

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

long fsk_unzip_find(const fsk_unzip *zip, const char *name)
{
    while (*name == '/')
        name++;
    for (size_t i = 0; i < zip->count; i++) {
        const char *a = zip->entries[i].name, *b = name;
        while (*a == '/')
            a++;
        while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b))
            a++, b++;
        if (!*a && !*b)
            return (long)i;
    }
    return -1;
}

/* Raw-inflates src into dst; 0 when it yields exactly want bytes. */
static int inflate_exact(const unsigned char *src, uint64_t src_len, unsigned char *dst,
                         uint64_t want, const char *name, fsk_err *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    /* One spare output byte shows a stream longer than declared. */
    uint64_t in_left = src_len, out_left = want + 1;
    zs.next_in = (unsigned char *)(uintptr_t)src;
    zs.next_out = dst;
    int zrc = Z_OK;
    while (zrc == Z_OK) {
        if (zs.avail_in == 0 && in_left > 0) {
            zs.avail_in = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
            in_left -= zs.avail_in;
        }
        if (zs.avail_out == 0 && out_left > 0) {
            zs.avail_out = out_left > UINT_MAX ? UINT_MAX : (uInt)out_left;
            out_left -= zs.avail_out;
        }
        zrc = inflate(&zs, Z_NO_FLUSH);
    }
    uint64_t produced = (uint64_t)(zs.next_out - dst);
    inflateEnd(&zs);
    if (zrc == Z_STREAM_END && produced == want)
        return 0;
    if (produced > want)
        return fsk_err_set(err, FSK_EFORMAT,
                           "corrupt ZIP entry '%s': inflates to more than its declared %llu bytes",
                           name, (unsigned long long)want);
    if (zrc == Z_STREAM_END)
        return fsk_err_set(err, FSK_EFORMAT,
                           "corrupt ZIP entry '%s': inflates to %llu bytes, not the declared %llu",
                           name, (unsigned long long)produced, (unsigned long long)want);
    if (zrc == Z_BUF_ERROR)
        return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP entry '%s': truncated deflate data",
                           name);
    return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP entry '%s': bad deflate data", name);
}

int fsk_unzip_extract(const fsk_unzip *zip, size_t i, size_t max_bytes,
                    unsigned char **data, size_t *size, fsk_err *err)
{
    *data = NULL;
    *size = 0;
    const zip_entry *e = &zip->entries[i];
    if (e->flags & 1)
        return fsk_err_set(err, FSK_EUNSUPPORTED, "ZIP entry '%s' is encrypted", e->name);
    if (e->method != 0 && e->method != 8)
        return fsk_err_set(err, FSK_EUNSUPPORTED,
                           "ZIP entry '%s' uses compression method %u (only stored and deflate are supported)",
                           e->name, e->method);
    if (e->usize > max_bytes || e->usize >= SIZE_MAX)
        return fsk_err_set(err, FSK_ELIMIT,
                           "ZIP entry '%s' is too large (%llu bytes, limit %zu)", e->name,
                           (unsigned long long)e->usize, max_bytes);
    if (!inside(e->local_offset, LOCAL_BYTES, zip->size) ||
        rd32(zip->data + e->local_offset) != SIG_LOCAL)
        return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP entry '%s': bad local header",
                           e->name);
    const unsigned char *l = zip->data + e->local_offset;
    uint64_t data_off = e->local_offset + LOCAL_BYTES + rd16(l + 26) + rd16(l + 28);
    if (!inside(data_off, e->csize, zip->size))
        return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP entry '%s': data runs past the end (truncated?)",
                           e->name);
    if (e->method == 0 && e->csize != e->usize)
        return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP entry '%s': stored sizes differ",
                           e->name);
    unsigned char *buf = malloc((size_t)e->usize + 1);
    if (!buf)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    const unsigned char *src = zip->data + data_off;
    if (e->method == 0) {
        memcpy(buf, src, (size_t)e->usize);
    } else {
        int rc = inflate_exact(src, e->csize, buf, e->usize, e->name, err);
        if (rc) {
            free(buf);
            return rc;
        }
    }
    uint32_t crc = fsk_crc32(0, buf, (size_t)e->usize);
    if (crc != e->crc) {
        free(buf);
        return fsk_err_set(err, FSK_EFORMAT, "corrupt ZIP entry '%s': CRC-32 mismatch",
                           e->name);
    }
    buf[e->usize] = '\0';
    *data = buf;
    *size = (size_t)e->usize;
    return 0;
}
