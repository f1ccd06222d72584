/*
 * fsk_threads.h — threads kept for reuse: started and joined like pthreads,
 * but a job runs on a kept thread that is idle when there is one.
 *
 * A conversion starts a score of short-lived threads (loops, the color
 * collector, the compressor's workers). On a virtual machine a new thread
 * often waited milliseconds for its first turn beside an idle processor;
 * a kept thread that is watching for work starts at once. After a job a
 * kept thread watches for the next for a moment, then sleeps until given
 * one. Up to FSK_KEPT_THREADS are kept; beyond that a job gets a thread of
 * its own, ended when joined. Kept threads live until the process ends
 * (a process that forks must not start jobs in the child).
 */
#ifndef FSK_THREADS_H
#define FSK_THREADS_H

#define FSK_KEPT_THREADS 8

typedef struct fsk_thread fsk_thread;

/* Runs fn(arg) on a thread; NULL when no thread could be had (then fn is
 * not run). Join every started job exactly once. */
fsk_thread *fsk_thread_start(void *(*fn)(void *arg), void *arg);

/* Waits until the job's fn has returned (its result is dropped). */
void fsk_thread_join(fsk_thread *t);

#endif
