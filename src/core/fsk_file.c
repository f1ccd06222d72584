/*
 * fsk_file.c — bounded reads and write-to-temporary-then-rename outputs.
 */
#include "fsk_file.h"
#include "fsk_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens path for reading after checking that it is a regular file of at
 * most max_bytes; its descriptor and size, or an error. */
static int open_checked(const char *path, size_t max_bytes, int *fd_out, size_t *size,
                        fsk_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fsk_err_set(err, FSK_EIO, "cannot read '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fsk_err_set(err, FSK_EIO, "cannot read '%s': not a regular file", path);
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        close(fd);
        return fsk_err_set(err, FSK_ELIMIT, "cannot read '%s': file is larger than %zu bytes",
                           path, max_bytes);
    }
    *fd_out = fd;
    *size = (size_t)st.st_size;
    return 0;
}

/* Reads n bytes of fd into a new NUL-terminated buffer. */
static int read_all(const char *path, int fd, size_t n, unsigned char **data, fsk_err *err)
{
    unsigned char *buf = fsk_alloc_large(n + 1);
    if (!buf)
        return fsk_err_set(err, FSK_ENOMEM, "cannot read '%s': out of memory", path);
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got != n) {
        free(buf);
        return fsk_err_set(err, FSK_EIO, "cannot read '%s': read error", path);
    }
    buf[n] = '\0';
    *data = buf;
    return 0;
}

int fsk_file_read(const char *path, size_t max_bytes, unsigned char **data,
                  size_t *size, fsk_err *err)
{
    *data = NULL;
    *size = 0;
    int fd = -1;
    size_t n = 0;
    int rc = open_checked(path, max_bytes, &fd, &n, err);
    if (rc)
        return rc;
    rc = read_all(path, fd, n, data, err);
    close(fd);
    if (!rc)
        *size = n;
    return rc;
}

int fsk_file_view_open(const char *path, size_t max_bytes, fsk_file_view *view,
                       fsk_err *err)
{
    memset(view, 0, sizeof *view);
    int fd = -1;
    size_t n = 0;
    int rc = open_checked(path, max_bytes, &fd, &n, err);
    if (rc)
        return rc;
    void *map = n ? mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    if (map != MAP_FAILED) {
        view->map = map;
        view->data = map;
        view->size = n;
    } else if ((rc = read_all(path, fd, n, &view->copy, err)) == 0) {
        view->data = view->copy;
        view->size = n;
    }
    close(fd);
    return rc;
}

void fsk_file_view_close(fsk_file_view *view)
{
    if (view->map)
        munmap(view->map, view->size);
    free(view->copy);
    memset(view, 0, sizeof *view);
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
