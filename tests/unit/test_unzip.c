/*
 * test_unzip.c — the ZIP reader on archives made by Python's zipfile
 * (its command line, stored and deflated entries) and on corrupt,
 * truncated, lying and bomb archives.
 */
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_unzip.h"
#include "tkit.h"

#define MESH_DIR FSK_TEST_DATA_DIR "/mesh/"

typedef struct archive {
    unsigned char *bytes;
    size_t size;
    fsk_zip *zip;
    int rc;
    fsk_err err;
} archive;

static archive open_fixture(const char *name)
{
    archive a = {0};
    char path[512];
    snprintf(path, sizeof path, MESH_DIR "%s", name);
    TKIT_EQ_INT(fsk_file_read(path, 1 << 20, &a.bytes, &a.size, &a.err), 0);
    a.rc = fsk_zip_open(a.bytes, a.size, &a.zip, &a.err);
    return a;
}

static void close_fixture(archive *a)
{
    fsk_zip_close(a->zip);
    free(a->bytes);
}

/* Extracts name and compares it with want (want_size bytes). */
static void expect_entry(const fsk_zip *zip, const char *name, const void *want,
                         size_t want_size)
{
    long i = fsk_zip_find(zip, name);
    TKIT_TRUE(i >= 0);
    if (i < 0)
        return;
    unsigned char *data;
    size_t size;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_zip_extract(zip, (size_t)i, 1 << 20, &data, &size, &err), 0);
    TKIT_EQ_INT(size, want_size);
    TKIT_TRUE(data && memcmp(data, want, want_size) == 0 && data[size] == '\0');
    free(data);
}

static void test_python_cli_zip(void)
{
    archive a = open_fixture("python_cli.zip");
    TKIT_EQ_INT(a.rc, 0);
    if (!a.rc) {
        TKIT_EQ_INT(fsk_zip_count(a.zip), 1);
        TKIT_EQ_STR(fsk_zip_name(a.zip, 0), "hello.txt");
        expect_entry(a.zip, "hello.txt", "hello, zip\n", 11);
    }
    close_fixture(&a);
}

static void test_stored_and_deflated(void)
{
    archive a = open_fixture("stored.zip");
    TKIT_EQ_INT(a.rc, 0);
    if (!a.rc) {
        TKIT_EQ_INT(fsk_zip_count(a.zip), 2);
        expect_entry(a.zip, "a.txt", "stored bytes\n", 13);
        /* Names match ignoring case and a leading '/'. */
        expect_entry(a.zip, "/B/C.TXT", "more\n", 5);
        TKIT_EQ_INT(fsk_zip_find(a.zip, "b/c.tx"), -1);
        TKIT_EQ_INT(fsk_zip_find(a.zip, "c.txt"), -1);
    }
    close_fixture(&a);

    a = open_fixture("deflated.zip");
    TKIT_EQ_INT(a.rc, 0);
    if (!a.rc) {
        char want[5000];
        for (int i = 0; i < 500; i++)
            memcpy(want + 10 * i, "filastack ", 10);
        TKIT_EQ_INT(fsk_zip_size(a.zip, 0), 5000);
        expect_entry(a.zip, "dir/text.txt", want, sizeof want);
        expect_entry(a.zip, "empty.txt", "", 0);
    }
    close_fixture(&a);
}

static void test_corrupt_archives(void)
{
    unsigned char *data;
    size_t size;
    archive a = open_fixture("corrupt_data.zip");
    TKIT_EQ_INT(a.rc, 0);
    if (!a.rc) {
        TKIT_EQ_INT(fsk_zip_extract(a.zip, 0, 1 << 20, &data, &size, &a.err), FSK_EFORMAT);
        TKIT_CONTAINS(a.err.msg, "corrupt ZIP entry 'dir/text.txt'");
        TKIT_TRUE(data == NULL);
    }
    close_fixture(&a);

    a = open_fixture("truncated.zip");
    TKIT_EQ_INT(a.rc, FSK_EFORMAT);
    TKIT_EQ_STR(a.err.msg, "not a ZIP archive (no end of central directory)");
    close_fixture(&a);

    /* The central directory said 1000 bytes; the stream holds 64 KiB. */
    a = open_fixture("lying.zip");
    TKIT_EQ_INT(a.rc, 0);
    if (!a.rc) {
        TKIT_EQ_INT(fsk_zip_extract(a.zip, 0, 1 << 20, &data, &size, &a.err), FSK_EFORMAT);
        TKIT_EQ_STR(a.err.msg, "corrupt ZIP entry 'zeros.bin': inflates to more than its "
                               "declared 1000 bytes");
    }
    close_fixture(&a);
}

static void test_bomb(void)
{
    unsigned char *data;
    size_t size;
    archive a = open_fixture("bomb.zip");
    TKIT_EQ_INT(a.rc, 0);
    if (a.rc) {
        close_fixture(&a);
        return;
    }
    TKIT_TRUE(a.size < 20000);
    TKIT_EQ_INT(fsk_zip_size(a.zip, 0), 16 << 20);
    TKIT_EQ_INT(fsk_zip_extract(a.zip, 0, 1 << 20, &data, &size, &a.err), FSK_ELIMIT);
    TKIT_EQ_STR(a.err.msg, "ZIP entry 'zeros.bin' is too large (16777216 bytes, limit 1048576)");
    /* Within a generous limit it is just a large file of zeros. */
    TKIT_EQ_INT(fsk_zip_extract(a.zip, 0, 32 << 20, &data, &size, &a.err), 0);
    TKIT_EQ_INT(size, 16 << 20);
    size_t nonzero = 0;
    for (size_t i = 0; data && i < size; i++)
        nonzero += data[i] != 0;
    TKIT_EQ_INT(nonzero, 0);
    free(data);
    close_fixture(&a);
}

/* Hand-edited central directories: bad offsets and counts are errors. */
static void test_hostile_directory(void)
{
    archive a = open_fixture("stored.zip");
    TKIT_EQ_INT(a.rc, 0);
    fsk_zip_close(a.zip);
    unsigned char *b = malloc(a.size);
    size_t eocd = a.size - 22;
    TKIT_TRUE(b && memcmp(a.bytes + eocd, "PK\5\6", 4) == 0);
    if (!b) {
        free(a.bytes);
        return;
    }
    fsk_zip *z = NULL;
    fsk_err err = {0};
    /* Central directory offset past the end. */
    memcpy(b, a.bytes, a.size);
    b[eocd + 16] = 0xFF, b[eocd + 17] = 0xFF;
    TKIT_EQ_INT(fsk_zip_open(b, a.size, &z, &err), FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "central directory outside the archive");
    /* More entries than the directory can hold. */
    memcpy(b, a.bytes, a.size);
    b[eocd + 8] = b[eocd + 10] = 200;
    TKIT_EQ_INT(fsk_zip_open(b, a.size, &z, &err), FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "central directory too small");
    /* A local header offset past the end: found, but not extractable. */
    memcpy(b, a.bytes, a.size);
    size_t cd = (size_t)(b[eocd + 16] | b[eocd + 17] << 8);
    b[cd + 44] = 0x7F;
    TKIT_EQ_INT(fsk_zip_open(b, a.size, &z, &err), 0);
    unsigned char *data;
    size_t size;
    TKIT_EQ_INT(fsk_zip_extract(z, 0, 1 << 20, &data, &size, &err), FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "bad local header");
    fsk_zip_close(z);
    /* Every single-byte change is a clean result or error. */
    for (size_t at = 0; at < a.size; at++) {
        memcpy(b, a.bytes, a.size);
        b[at] ^= 0x5A;
        if (fsk_zip_open(b, a.size, &z, &err) == 0) {
            for (size_t i = 0; i < fsk_zip_count(z); i++)
                if (fsk_zip_extract(z, i, 1 << 20, &data, &size, &err) == 0)
                    free(data);
            fsk_zip_close(z);
        }
    }
    free(b);
    free(a.bytes);
}

int main(void)
{
    TKIT_RUN(test_python_cli_zip);
    TKIT_RUN(test_stored_and_deflated);
    TKIT_RUN(test_corrupt_archives);
    TKIT_RUN(test_bomb);
    TKIT_RUN(test_hostile_directory);
    return TKIT_DONE();
}
