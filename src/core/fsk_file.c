/*
 * fsk_file.c — bounded reads and write-to-temporary-then-rename outputs.
 */
#include "fsk_file.h"
#include "fsk_memory.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsk_file_read(const char *path, size_t max_bytes, unsigned char **data,
                  size_t *size, fsk_err *err)
{
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fsk_err_set(err, FSK_EIO, "cannot read '%s': %s", path,
                           strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return fsk_err_set(err, FSK_EIO, "cannot read '%s': not a regular file",
                           path);
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        fclose(f);
        return fsk_err_set(err, FSK_ELIMIT,
                           "cannot read '%s': file is larger than %zu bytes",
                           path, max_bytes);
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = fsk_alloc_large(n + 1);
    if (!buf) {
        fclose(f);
        return fsk_err_set(err, FSK_ENOMEM, "cannot read '%s': out of memory",
                           path);
    }
    size_t got = fread(buf, 1, n, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got != n) {
        free(buf);
        return fsk_err_set(err, FSK_EIO, "cannot read '%s': read error", path);
    }
    buf[n] = '\0';
    *data = buf;
    *size = n;
    return 0;
}

struct fsk_out {
    FILE *stream;
    int failed;
    char *path;
    char *tmp_path;
};

fsk_out *fsk_out_open(const char *path, fsk_err *err)
{
    fsk_out *out = calloc(1, sizeof *out);
    size_t len = strlen(path);
    if (out) {
        out->path = strdup(path);
        out->tmp_path = malloc(len + sizeof ".tmpXXXXXX");
    }
    if (!out || !out->path || !out->tmp_path) {
        fsk_out_abort(out);
        fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", path);
        return NULL;
    }
    memcpy(out->tmp_path, path, len);
    memcpy(out->tmp_path + len, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        fsk_err_set(err, FSK_EIO, "cannot write '%s': %s", path, strerror(errno));
        out->tmp_path[0] = '\0';
        fsk_out_abort(out);
        return NULL;
    }
    /* mkstemp creates 0600; outputs are ordinary user files. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    out->stream = fdopen(fd, "wb");
    if (!out->stream) {
        close(fd);
        fsk_err_set(err, FSK_EIO, "cannot write '%s': %s", path, strerror(errno));
        fsk_out_abort(out);
        return NULL;
    }
    return out;
}

FILE *fsk_out_stream(fsk_out *out) { return out->stream; }

const char *fsk_out_path(const fsk_out *out) { return out->path; }

void fsk_out_write(fsk_out *out, const void *data, size_t n)
{
    if (!out->failed && n && fwrite(data, 1, n, out->stream) != n)
        out->failed = errno ? errno : EIO;
}

static void out_free(fsk_out *out)
{
    free(out->path);
    free(out->tmp_path);
    free(out);
}

int fsk_out_commit(fsk_out *out, fsk_err *err)
{
    int e = out->failed;
    if (!e && (fflush(out->stream) != 0 || ferror(out->stream)))
        e = errno ? errno : EIO;
    if (fclose(out->stream) != 0 && !e)
        e = errno ? errno : EIO;
    out->stream = NULL;
    if (!e && rename(out->tmp_path, out->path) != 0)
        e = errno;
    if (e) {
        unlink(out->tmp_path);
        int code = fsk_err_set(err, FSK_EIO, "cannot write '%s': %s", out->path,
                               strerror(e));
        out_free(out);
        return code;
    }
    out_free(out);
    return 0;
}

void fsk_out_abort(fsk_out *out)
{
    if (!out)
        return;
    if (out->stream)
        fclose(out->stream);
    if (out->tmp_path && out->tmp_path[0])
        unlink(out->tmp_path);
    out_free(out);
}

int fsk_file_write_atomic(const char *path, const void *data, size_t n,
                          fsk_err *err)
{
    fsk_out *out = fsk_out_open(path, err);
    if (!out)
        return err ? err->code : FSK_EIO;
    fsk_out_write(out, data, n);
    return fsk_out_commit(out, err);
}
