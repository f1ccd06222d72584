/*
 * fsk_memory.c — large buffers advised for transparent huge pages
 * (fsk_memory.h).
 */
#include "fsk_memory.h"

#include <malloc.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define LARGE HUGE_PAGE

void *fsk_alloc_large(size_t size)
{
    if (size < LARGE)
        return malloc(size);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, size) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    /* Advice only: where it is refused the buffer is just as good. */
    (void)madvise(p, size & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
    return p;
}

void fsk_memory_keep_freed(void)
{
    /* Each setting is advice: glibc refuses values out of its range and
     * other C libraries may not have mallopt at all. */
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD) && defined(M_TOP_PAD)
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
    (void)mallopt(M_TOP_PAD, 64 << 20);
#endif
#ifdef M_ARENA_MAX
    /* One heap for every thread: what one stage's thread frees, the next
     * stage's thread reuses, instead of mapping memory of its own. The
     * pipeline's threads allocate rarely, so they seldom wait for each
     * other. */
    (void)mallopt(M_ARENA_MAX, 1);
#endif
}
