/*
 * fsk_parallel.c — a parallel loop: helper threads (kept for reuse,
 * fsk_threads.h) and the caller take task numbers from a shared counter
 * until none are left.
 */
#include "fsk_parallel.h"

#include <pthread.h>
#include <unistd.h>

#include "fsk_threads.h"

#define MAX_THREADS 4

typedef struct loop {
    pthread_mutex_t mu;
    int next, count;
    void (*fn)(void *ctx, int k);
    void *ctx;
} loop;

int fsk_parallel_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void *run(void *arg)
{
    loop *l = arg;
    for (;;) {
        pthread_mutex_lock(&l->mu);
        int k = l->next < l->count ? l->next++ : -1;
        pthread_mutex_unlock(&l->mu);
        if (k < 0)
            return NULL;
        l->fn(l->ctx, k);
    }
}

void fsk_parallel_for(int threads, int count, void (*fn)(void *ctx, int k), void *ctx)
{
    if (count <= 0)
        return;
    if (threads > count)
        threads = count;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (threads <= 1) {
        for (int k = 0; k < count; k++)
            fn(ctx, k);
        return;
    }
    loop l = {.next = 0, .count = count, .fn = fn, .ctx = ctx};
    pthread_mutex_init(&l.mu, NULL);
    fsk_thread *helper[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; t++)
        if ((helper[started] = fsk_thread_start(run, &l)) != NULL)
            started++;
    run(&l);
    for (int t = 0; t < started; t++)
        fsk_thread_join(helper[t]);
    pthread_mutex_destroy(&l.mu);
}
