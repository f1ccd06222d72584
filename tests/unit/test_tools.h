/*
 * test_tools.h — running the outside tools that check filastack's output
 * (python3's zipfile, unzip, xmllint) from unit tests, and scratch folders.
 */
#ifndef TEST_TOOLS_H
#define TEST_TOOLS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Runs a shell command built like printf; returns its exit status (-1 if it died). */
static inline int test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int test_sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/*
 * Runs a shell command and returns its whole standard output, NUL-terminated
 * (*n bytes, not counting the NUL), or NULL if it could not run or failed.
 * Caller frees.
 */
static inline char *test_capture(size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline char *test_capture(size_t *n, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 2) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    int st = pclose(p);
    if (!buf || st != 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    if (n)
        *n = len;
    return buf;
}

/* The bytes of one ZIP entry, read by Python's zipfile (not by filastack). */
#define TEST_ZIP_READ_PY \
    "python3 -c 'import sys, zipfile; " \
    "sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))'"

static inline char *test_zip_entry(const char *zip_path, const char *entry, size_t *n)
{
    return test_capture(n, TEST_ZIP_READ_PY " '%s' '%s'", zip_path, entry);
}

/* Counts the occurrences of needle in hay. */
static inline int test_count(const char *hay, const char *needle)
{
    int n = 0;
    size_t len = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
        n++;
    return n;
}

/* A fresh folder under /tmp, in dir[32]; 0 or -1. */
static inline int test_scratch(char dir[32])
{
    strcpy(dir, "/tmp/fsktestXXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static inline void test_scratch_remove(const char *dir)
{
    test_sh("rm -rf '%s'", dir);
}

#endif
