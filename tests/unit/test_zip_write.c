/*
 * test_zip_write.c — the streaming ZIP writer, checked by other readers:
 * Python's zipfile and Info-ZIP's unzip test the archive and Python reads
 * every entry back (its CRC check included); the fixed header fields are
 * read from the raw bytes; two runs give identical bytes; misuse errors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fsk_file.h"
#include "fsk_zip_write.h"
#include "test_tools.h"
#include "tkit.h"

#define MANY 1000
#define BIG_BYTES (300 * 1024 + 17)
#define BIG_STORED_BYTES (100 * 1024 + 3)
/* Several deflate blocks (fsk_deflate_blocks), the last one short. */
#define HUGE_BYTES (5 * 256 * 1024 + 1001)

typedef struct expected {
    char name[32];
    size_t size;
    unsigned long crc;
    int level;
} expected;

static expected want[MANY + 8];
static int want_n;

/* Half text, half pseudo-random bytes: compressible and not, many blocks. */
static unsigned char *make_data(size_t n, uint32_t seed)
{
    unsigned char *d = malloc(n);
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        d[i] = (i / 4096) % 2 ? (unsigned char)(seed >> 24)
                              : (unsigned char)("filastack zip test\n"[i % 19]);
    }
    return d;
}

static void expect(const char *name, const void *data, size_t n, int level)
{
    expected *e = &want[want_n++];
    snprintf(e->name, sizeof e->name, "%s", name);
    e->size = n;
    e->crc = crc32(0L, data, (uInt)n);
    e->level = level;
}

/* Writes data in uneven chunks so buffer edges fall everywhere. */
static int write_chunked(fsk_zip *zip, const unsigned char *d, size_t n, fsk_err *err)
{
    static const size_t steps[] = {1, 7, 1000, 65536 + 3, 4096, 13};
    size_t off = 0;
    for (int k = 0; off < n; k++) {
        size_t part = steps[k % 6];
        if (part > n - off)
            part = n - off;
        if (fsk_zip_write(zip, d + off, part, err) != 0)
            return -1;
        off += part;
    }
    return 0;
}

/* The test archive, deflated on `threads` worker threads. */
static int write_archive(const char *path, int threads, fsk_err *err)
{
    want_n = 0;
    unsigned char *big = make_data(BIG_BYTES, 1);
    unsigned char *big_stored = make_data(BIG_STORED_BYTES, 2);
    unsigned char *huge = make_data(HUGE_BYTES, 3);
    fsk_out *out = fsk_out_open(path, err);
    fsk_zip *zip = out ? fsk_zip_open(out, err) : NULL;
    int rc = (!big || !big_stored || !huge || !zip) ? -1 : 0;
    if (rc == 0)
        rc = fsk_zip_set_threads(zip, threads, err);
    static const char hello[] = "hello, world\n";
    if (rc == 0) {
        rc |= fsk_zip_add(zip, "empty_stored.txt", FSK_ZIP_STORE, "", 0, err);
        expect("empty_stored.txt", "", 0, 0);
        rc |= fsk_zip_add(zip, "empty_deflated.txt", FSK_ZIP_DEFLATE, "", 0, err);
        expect("empty_deflated.txt", "", 0, 6);
        rc |= fsk_zip_add(zip, "hello.txt", FSK_ZIP_DEFLATE, hello, sizeof hello - 1, err);
        expect("hello.txt", hello, sizeof hello - 1, 6);
        rc |= fsk_zip_begin(zip, "big.bin", 9, err);
        rc |= write_chunked(zip, big, BIG_BYTES, err);
        rc |= fsk_zip_end_entry(zip, err);
        expect("big.bin", big, BIG_BYTES, 9);
        rc |= fsk_zip_begin(zip, "big_stored.bin", FSK_ZIP_STORE, err);
        rc |= write_chunked(zip, big_stored, BIG_STORED_BYTES, err);
        rc |= fsk_zip_end_entry(zip, err);
        expect("big_stored.bin", big_stored, BIG_STORED_BYTES, 0);
        rc |= fsk_zip_begin(zip, "huge_fast.bin", FSK_ZIP_FAST, err);
        rc |= write_chunked(zip, huge, HUGE_BYTES, err);
        rc |= fsk_zip_end_entry(zip, err);
        expect("huge_fast.bin", huge, HUGE_BYTES, 1);
        rc |= fsk_zip_add(zip, "caf\xc3\xa9.txt", 1, hello, 5, err);
        expect("caf\xc3\xa9.txt", hello, 5, 1);
        for (int i = 0; i < MANY && rc == 0; i++) {
            char name[32], text[32];
            snprintf(name, sizeof name, "dir/many_%04d.txt", i);
            int n = snprintf(text, sizeof text, "entry %d\n", i);
            rc |= fsk_zip_add(zip, name, FSK_ZIP_DEFLATE, text, (size_t)n, err);
            expect(name, text, (size_t)n, 6);
        }
    }
    if (zip)
        rc |= fsk_zip_close(zip, err);
    if (out)
        rc = rc ? (fsk_out_abort(out), -1) : fsk_out_commit(out, err);
    free(big);
    free(big_stored);
    free(huge);
    return rc;
}

static char dir[32];

static void test_other_readers_accept(void)
{
    char path[64];
    snprintf(path, sizeof path, "%s/a.zip", dir);
    fsk_err err = {0};
    TKIT_EQ_INT(write_archive(path, 2, &err), 0);
    TKIT_EQ_STR(err.msg, "");
    TKIT_EQ_INT(test_sh("python3 -m zipfile -t '%s' >/dev/null", path), 0);
    TKIT_EQ_INT(test_sh("unzip -tqq '%s'", path), 0);

    /* Python lists every entry with what it decompressed and its own CRC. */
    char *listing = test_capture(NULL,
        "python3 -c 'import sys, zipfile, zlib\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "for i in z.infolist():\n"
        "    d = z.read(i)\n"
        "    print(i.filename, len(d), zlib.crc32(d), i.compress_type, i.flag_bits,\n"
        "          \"%%d-%%d-%%d-%%d-%%d-%%d\" %% i.date_time, i.extra == b\"\", i.external_attr)\n"
        "' '%s'", path);
    TKIT_TRUE(listing != NULL);
    if (!listing)
        return;
    TKIT_EQ_INT(test_count(listing, "\n"), want_n);
    const char *line = listing;
    for (int i = 0; i < want_n && line; i++) {
        const expected *e = &want[i];
        char expect_line[160];
        int len = snprintf(expect_line, sizeof expect_line,
                           "%s %zu %lu %d %d 1980-1-1-0-0-0 True 0\n", e->name, e->size,
                           e->crc, e->level ? 8 : 0,
                           (unsigned char)e->name[3] >= 0x80 ? 0x800 : 0);
        TKIT_TRUE(len > 0 && (size_t)len < sizeof expect_line);
        TKIT_TRUE(strncmp(line, expect_line, strlen(expect_line)) == 0);
        if (strncmp(line, expect_line, strlen(expect_line)) != 0)
            fprintf(stderr, "entry %d: got %.*s want %s", i,
                    (int)(strchr(line, '\n') - line + 1), line, expect_line);
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    free(listing);
}

static uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8; }

/* The same bytes on every run, with or without worker threads. */
static void test_raw_headers_and_determinism(void)
{
    char a[64], b[64];
    snprintf(a, sizeof a, "%s/a.zip", dir);
    snprintf(b, sizeof b, "%s/b.zip", dir);
    fsk_err err = {0};
    TKIT_EQ_INT(write_archive(a, 0, &err), 0);
    unsigned char *da = NULL, *db = NULL;
    size_t na = 0, nb = 0;
    TKIT_EQ_INT(fsk_file_read(a, 64u << 20, &da, &na, &err), 0);
    static const int threads[] = {0, 1, 2, 3, 2};
    for (int k = 0; k < 5; k++) {
        TKIT_EQ_INT(write_archive(b, threads[k], &err), 0);
        TKIT_EQ_INT(fsk_file_read(b, 64u << 20, &db, &nb, &err), 0);
        TKIT_TRUE(na == nb && na > 0 && memcmp(da, db, na) == 0);
        free(db);
        db = NULL;
    }

    /* Local header 1 (empty, stored) and 3 (hello.txt, deflated, patched). */
    TKIT_EQ_INT(le32(da), 0x04034b50);
    TKIT_EQ_INT(le16(da + 4), 10);      /* version needed */
    TKIT_EQ_INT(le16(da + 6), 0);       /* no data descriptor */
    TKIT_EQ_INT(le16(da + 8), 0);       /* stored */
    TKIT_EQ_INT(le16(da + 10), 0);      /* 00:00 */
    TKIT_EQ_INT(le16(da + 12), 0x21);   /* 1980-01-01 */
    TKIT_EQ_INT(le16(da + 28), 0);      /* no extra field */
    size_t off = 30 + 16;               /* "empty_stored.txt" */
    TKIT_EQ_INT(le32(da + off), 0x04034b50);
    off += 30 + 18 + le32(da + off + 18); /* skip "empty_deflated.txt" and its data */
    TKIT_EQ_INT(le32(da + off), 0x04034b50);
    TKIT_EQ_INT(le16(da + off + 8), 8);
    TKIT_EQ_INT(le32(da + off + 14), crc32(0L, (const Bytef *)"hello, world\n", 13));
    TKIT_EQ_INT(le32(da + off + 22), 13);
    /* End record: entry count, no comment. */
    const unsigned char *end = da + na - 22;
    TKIT_EQ_INT(le32(end), 0x06054b50);
    TKIT_EQ_INT(le16(end + 10), want_n);
    TKIT_EQ_INT(le16(end + 20), 0);
    free(da);
    free(db);
}

static void test_misuse_is_refused(void)
{
    char path[64];
    snprintf(path, sizeof path, "%s/bad.zip", dir);
    fsk_err err = {0};
    fsk_out *out = fsk_out_open(path, &err);
    fsk_zip *zip = fsk_zip_open(out, &err);
    TKIT_EQ_INT(fsk_zip_begin(zip, "/abs.txt", FSK_ZIP_DEFLATE, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "bad entry name '/abs.txt'");
    TKIT_CONTAINS(err.msg, "cannot write '");
    fsk_zip_abort(zip);

    zip = fsk_zip_open(out, &err);
    TKIT_EQ_INT(fsk_zip_begin(zip, "a.txt", 10, &err), FSK_EINVAL);
    fsk_zip_abort(zip);

    zip = fsk_zip_open(out, &err);
    TKIT_EQ_INT(fsk_zip_write(zip, "x", 1, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "data written outside an entry");
    /* After a failure everything is refused, close included. */
    TKIT_EQ_INT(fsk_zip_begin(zip, "a.txt", FSK_ZIP_DEFLATE, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "archive already failed");
    TKIT_EQ_INT(fsk_zip_close(zip, &err), FSK_EINVAL);

    zip = fsk_zip_open(out, &err);
    TKIT_EQ_INT(fsk_zip_begin(zip, "a.txt", FSK_ZIP_DEFLATE, &err), 0);
    TKIT_EQ_INT(fsk_zip_begin(zip, "b.txt", FSK_ZIP_DEFLATE, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "before the previous one ended");
    fsk_zip_abort(zip);

    zip = fsk_zip_open(out, &err);
    TKIT_EQ_INT(fsk_zip_begin(zip, "a.txt", FSK_ZIP_DEFLATE, &err), 0);
    TKIT_EQ_INT(fsk_zip_close(zip, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "closed inside an entry");
    fsk_out_abort(out);
    TKIT_EQ_INT(test_sh("test -e '%s'", path), 1);
    fsk_zip_abort(NULL);
}

/* 0xFFFF entries would need ZIP64's end record; 65534 is the most. */
static void test_entry_count_limit(void)
{
    char path[64];
    snprintf(path, sizeof path, "%s/count.zip", dir);
    fsk_err err = {0};
    fsk_out *out = fsk_out_open(path, &err);
    fsk_zip *zip = fsk_zip_open(out, &err);
    int rc = 0;
    for (int i = 0; i < 65534 && rc == 0; i++) {
        char name[16];
        snprintf(name, sizeof name, "%x", i);
        rc = fsk_zip_add(zip, name, FSK_ZIP_STORE, "", 0, &err);
    }
    TKIT_EQ_INT(rc, 0);
    TKIT_EQ_INT(fsk_zip_begin(zip, "one-too-many", FSK_ZIP_STORE, &err), FSK_ELIMIT);
    TKIT_CONTAINS(err.msg, "more than 65534 entries (ZIP64 is not supported)");
    fsk_zip_abort(zip);
    fsk_out_abort(out);
}

int main(void)
{
    if (test_scratch(dir) != 0) {
        perror("mkdtemp");
        return 1;
    }
    TKIT_RUN(test_other_readers_accept);
    TKIT_RUN(test_raw_headers_and_determinism);
    TKIT_RUN(test_misuse_is_refused);
    TKIT_RUN(test_entry_count_limit);
    test_scratch_remove(dir);
    return TKIT_DONE();
}
