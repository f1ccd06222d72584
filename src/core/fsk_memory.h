/*
 * fsk_memory.h — allocation of the few large buffers a conversion writes
 * straight through (the input file, the print grid, the layers, the preview).
 *
 * Memory from malloc is mapped 4 KiB at a time, one page fault each, and
 * page faults are slow on virtual machines: faulting in a large photo's
 * buffers was a tenth of a conversion's time. A large buffer is therefore
 * aligned to 2 MiB and advised for transparent huge pages (madvise
 * MADV_HUGEPAGE), which the kernel then maps 2 MiB at a time where it has
 * them. Nothing else changes: the contents are the same, and the buffer is
 * freed with free().
 */
#ifndef FSK_MEMORY_H
#define FSK_MEMORY_H

#include <stddef.h>

/* size bytes, uninitialised, as malloc; NULL when out of memory. Below
 * 2 MiB, or where the kernel has no transparent huge pages, plain malloc. */
void *fsk_alloc_large(size_t size);

#endif
