/*
 * fsk_memory.c — large buffers advised for transparent huge pages
 * (fsk_memory.h).
 */
#include "fsk_memory.h"

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
