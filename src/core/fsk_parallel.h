/*
 * fsk_parallel.h — the few threads filastack uses: a parallel loop over
 * independent tasks, for the stages that split into parts (rows of an
 * image, parts of a print, output files), run on kept threads
 * (fsk_threads.h).
 *
 * Each task must write only its own results, so what comes out does not
 * depend on which thread ran which task or in what order; callers combine
 * per-task results in task order afterwards.
 */
#ifndef FSK_PARALLEL_H
#define FSK_PARALLEL_H

/* How many threads the pipeline uses: the online processors, 1..4. */
int fsk_parallel_threads(void);

/*
 * Runs fn(ctx, k) for every k in 0..count-1 on up to `threads` threads,
 * the caller's included, and returns when all are done. Threads claim
 * tasks in index order. When a thread cannot be started the others run
 * its share, so this never fails.
 */
void fsk_parallel_for(int threads, int count, void (*fn)(void *ctx, int k), void *ctx);

#endif
