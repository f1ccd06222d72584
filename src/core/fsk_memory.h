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
 *
 * The same faults come back each time a freed buffer's memory goes back to
 * the kernel and the next stage asks for it again, so a process that runs
 * a conversion asks malloc, once, to keep what it frees.
 */
#ifndef FSK_MEMORY_H
#define FSK_MEMORY_H

#include <stddef.h>

/* size bytes, uninitialised, as malloc; NULL when out of memory. Below
 * 2 MiB, or where the kernel has no transparent huge pages, plain malloc. */
void *fsk_alloc_large(size_t size);

/* For the whole process, before the first allocation that matters: malloc
 * keeps freed memory for reuse instead of returning it to the kernel
 * (buffers below 32 MiB come from its heap, the heap is not trimmed below
 * 256 MiB, and it grows 64 MiB at a time, which maps nothing in until it
 * is used). Peak memory is not raised; a conversion takes a third fewer
 * page faults. All threads share that heap (one malloc arena). The heap
 * itself is not advised for huge pages: its small buffers leave most of a
 * 2 MiB page untouched, and where the host has to back the memory anew
 * (after a pause, or another program's run) each such page costs several
 * milliseconds to clear; advised, the benchmark's conversions took 8 %
 * (ladybird, after the reference pipeline) to 17 % (photo, after 3 s idle)
 * longer, and gained 3 % only when run back to back. */
void fsk_memory_keep_freed(void);

#endif
