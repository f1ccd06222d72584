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
 * is used). All threads share that heap (one malloc arena), and the heap
 * is advised for transparent huge pages as the large buffers are. A 4 KiB
 * page fault costs about 10 us on the benchmark's virtual machine (2.5 ms
 * per MiB touched), a 2 MiB page 0.06 ms per MiB when the host still backs
 * the memory and 1.3 ms per MiB when it must back it anew; the one heap
 * fills its pages from the bottom, so few are left mostly untouched; the
 * part of its first 2 MiB page it has not used yet is set aside, so that
 * what follows begins on a huge page. A conversion of the benchmark photo
 * then takes about 175 page faults instead of 6,200 (the ladybird 300
 * instead of 3,000) for 4 MiB more peak memory, and alternated runs took
 * 10 % (photo after 3 s idle) to 20 % (ladybird) less time. (On a host
 * where fresh huge pages cost 3.4 ms per MiB, seen on another machine of
 * the same kind, the advised heap was slower after a pause.) */
void fsk_memory_keep_freed(void);

#endif
