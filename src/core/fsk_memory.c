/*
 * fsk_memory.c — the heap and the large buffers advised for transparent huge pages
 * (fsk_memory.h).
 */
#include "fsk_memory.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The heap is advised where malloc tells how large it is (mallinfo2). */
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
#if __GLIBC_PREREQ(2, 33)
#define ADVISE_HEAP 1
#endif
#endif

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

#ifdef ADVISE_HEAP
/* The part of the heap's first 2 MiB page set aside (advise_heap);
 * volatile, since nothing reads it and a compiler would drop the malloc. */
static void *volatile heap_head;
#endif

/*
 * Grows the heap now (malloc takes the top pad with its first memory) and
 * advises all of it, from where it begins to where it ends, for
 * transparent huge pages: the kernel then maps it 2 MiB at a time where
 * the range covers an aligned 2 MiB. With one arena the heap is the
 * memory malloc took with brk, so it begins that many bytes below the
 * break. The heap begins inside a 2 MiB page, which the kernel can only
 * map 4 KiB at a time: what malloc has not used of it yet is set aside
 * (allocated, never touched, so never mapped), so that the buffers made
 * from here on begin on a huge page.
 */
static void advise_heap(void)
{
#ifdef ADVISE_HEAP
    void *volatile probe = malloc(1); /* volatile: it makes the heap */
    bool made = probe != NULL;
    free(probe); /* into a cache of small chunks: the heap keeps its size */
    char *end = sbrk(0);
    struct mallinfo2 info = mallinfo2();
    if (!made || end == (char *)-1 || info.arena == 0 || (uintptr_t)end <= info.arena)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)end - info.arena + page - 1) & ~(page - 1);
    if ((uintptr_t)end > from)
        (void)madvise((void *)from, (uintptr_t)end - from, MADV_HUGEPAGE);
    /* New buffers come from the top chunk, the last keepcost bytes of the
     * heap: a chunk's header takes 8 bytes before it, and its size is
     * rounded up to 16, so a buffer of (huge_start - top - 8) bytes ends
     * where the huge page begins. */
    uintptr_t top = (uintptr_t)end - info.keepcost;
    uintptr_t huge_start = (top + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (huge_start - top >= page && huge_start < (uintptr_t)end)
        heap_head = malloc(huge_start - top - 8);
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
