/*
 * fsk_memory.c — the heap and the large buffers advised for transparent huge pages
 * (fsk_memory.h).
 */
#include "fsk_memory.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

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

/*
 * Grows the heap now (malloc takes the top pad with its first memory) and
 * advises all of it, from where it begins to where it ends, for
 * transparent huge pages: the kernel then maps it 2 MiB at a time where
 * the range covers an aligned 2 MiB. With one arena the heap is the
 * memory malloc took with brk, so it begins that many bytes below the
 * break.
 */
static void advise_heap(void)
{
#if defined(MADV_HUGEPAGE) && defined(__GLIBC__)
    void *probe = malloc(1);
    char *top = sbrk(0);
    struct mallinfo2 info = mallinfo2();
    if (probe && top != (char *)-1 && info.arena > 0 && (uintptr_t)top > info.arena) {
        uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
        uintptr_t from = ((uintptr_t)top - info.arena + page - 1) & ~(page - 1);
        if ((uintptr_t)top > from)
            (void)madvise((void *)from, (uintptr_t)top - from, MADV_HUGEPAGE);
    }
    free(probe);
#endif
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
    advise_heap();
}
