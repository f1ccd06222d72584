/*
 * tkit.h — a tiny assertion kit for filastack's unit tests.
 *
 * A test file defines static test functions and lists them in main with
 * TKIT_RUN; each failed check prints file:line and the values, and the
 * program exits 1 if any check failed. No check can pass silently: every
 * TKIT_* macro counts.
 */
#ifndef TKIT_H
#define TKIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int tkit_failures;
static int tkit_checks;

#define TKIT_FAIL_(...)                                                        \
    do {                                                                       \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                        \
        fprintf(stderr, __VA_ARGS__);                                          \
        fputc('\n', stderr);                                                   \
        tkit_failures++;                                                       \
    } while (0)

#define TKIT_TRUE(cond)                                                        \
    do {                                                                       \
        tkit_checks++;                                                         \
        if (!(cond))                                                           \
            TKIT_FAIL_("check failed: %s", #cond);                             \
    } while (0)

#define TKIT_EQ_INT(a, b)                                                      \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        tkit_checks++;                                                         \
        if (a_ != b_)                                                          \
            TKIT_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_);              \
    } while (0)

#define TKIT_NEAR(a, b, tol)                                                   \
    do {                                                                       \
        double a_ = (double)(a), b_ = (double)(b);                             \
        tkit_checks++;                                                         \
        if (!(fabs(a_ - b_) <= (tol)))                                         \
            TKIT_FAIL_("%s ~ %s: %.9g vs %.9g (tolerance %g)", #a, #b, a_, b_, \
                       (double)(tol));                                         \
    } while (0)

#define TKIT_EQ_STR(a, b)                                                      \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        tkit_checks++;                                                         \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                 \
            TKIT_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", \
                       b_ ? b_ : "(null)");                                    \
    } while (0)

/* Substring check, for error messages. */
#define TKIT_CONTAINS(hay, needle)                                             \
    do {                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                \
        tkit_checks++;                                                         \
        if (!h_ || !strstr(h_, n_))                                            \
            TKIT_FAIL_("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
    } while (0)

#define TKIT_RUN(fn)                                                           \
    do {                                                                       \
        int before_ = tkit_failures;                                           \
        fn();                                                                  \
        printf("%s %s\n", tkit_failures == before_ ? "ok  " : "FAIL", #fn);    \
    } while (0)

/* Ends main: prints the count and returns the exit status. */
#define TKIT_DONE()                                                            \
    (printf("%d checks, %d failed\n", tkit_checks, tkit_failures),             \
     (tkit_checks == 0 || tkit_failures) ? 1 : 0)

#endif
