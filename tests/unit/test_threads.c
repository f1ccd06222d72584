/*
 * test_threads.c — kept threads (fsk_threads.h) and the parallel loop on
 * them (fsk_parallel.h): every job runs once and is joined, jobs beyond
 * the kept threads run at the same time on threads of their own, and
 * loops started from within loops or jobs still run every task.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "fsk_parallel.h"
#include "fsk_threads.h"
#include "tkit.h"

typedef struct counter {
    atomic_long sum;
} counter;

static void *add_one(void *arg)
{
    atomic_fetch_add(&((counter *)arg)->sum, 1);
    return NULL;
}

/* Many jobs one after the other, and a few at a time: each ran once by
 * the time it was joined. */
static void test_jobs_run_once(void)
{
    counter c = {0};
    int wrong = 0;
    for (int i = 0; i < 2000; i++) {
        fsk_thread *t = fsk_thread_start(add_one, &c);
        TKIT_TRUE(t != NULL);
        fsk_thread_join(t);
        wrong += atomic_load(&c.sum) != i + 1;
    }
    TKIT_EQ_INT(wrong, 0);
    atomic_store(&c.sum, 0);
    for (int i = 0; i < 500; i++) {
        fsk_thread *t[3];
        for (int k = 0; k < 3; k++)
            t[k] = fsk_thread_start(add_one, &c);
        for (int k = 0; k < 3; k++)
            fsk_thread_join(t[k]);
    }
    TKIT_EQ_INT((int)atomic_load(&c.sum), 1500);
}

/* Jobs that only end once all of them have started: more than are kept,
 * so the last ones need threads of their own. */
enum { TOGETHER = FSK_KEPT_THREADS + 4 };

static void *meet(void *arg)
{
    pthread_barrier_wait(arg);
    return NULL;
}

static void test_more_jobs_than_kept_threads(void)
{
    pthread_barrier_t all;
    pthread_barrier_init(&all, NULL, TOGETHER + 1);
    fsk_thread *t[TOGETHER];
    int started = 0;
    for (int k = 0; k < TOGETHER; k++)
        started += (t[k] = fsk_thread_start(meet, &all)) != NULL;
    TKIT_EQ_INT(started, TOGETHER);
    if (started == TOGETHER) {
        pthread_barrier_wait(&all); /* returns only when every job runs */
        for (int k = 0; k < TOGETHER; k++)
            fsk_thread_join(t[k]);
    }
    pthread_barrier_destroy(&all);
}

/* A loop whose tasks run loops of their own, and start jobs. */
typedef struct nest {
    atomic_long inner[64];
    counter jobs;
} nest;

static void inner_task(void *ctx, int k)
{
    atomic_fetch_add(&((atomic_long *)ctx)[0], k + 1);
}

static void outer_task(void *ctx, int k)
{
    nest *n = ctx;
    fsk_parallel_for(3, 100, inner_task, &n->inner[k]);
    fsk_thread_join(fsk_thread_start(add_one, &n->jobs));
}

static void test_nested_loops(void)
{
    nest *n = calloc(1, sizeof *n);
    TKIT_TRUE(n != NULL);
    if (!n)
        return;
    for (int threads = 1; threads <= 4; threads++) {
        for (int k = 0; k < 64; k++)
            atomic_store(&n->inner[k], 0);
        atomic_store(&n->jobs.sum, 0);
        fsk_parallel_for(threads, 64, outer_task, n);
        int wrong = 0;
        for (int k = 0; k < 64; k++)
            wrong += atomic_load(&n->inner[k]) != 5050;
        TKIT_EQ_INT(wrong, 0);
        TKIT_EQ_INT((int)atomic_load(&n->jobs.sum), 64);
    }
    free(n);
}

int main(void)
{
    TKIT_RUN(test_jobs_run_once);
    TKIT_RUN(test_more_jobs_than_kept_threads);
    TKIT_RUN(test_nested_loops);
    return TKIT_DONE();
}
