/*
 * fsk_threads.c — threads kept for reuse (fsk_threads.h).
 *
 * Each kept thread has a slot: its state, its job, and a lock and
 * condition for the rare case that it, or the thread joining its job,
 * goes to sleep. States move FREE -> CLAIMED (a starter took the slot)
 * -> RUNNING (the job is set) -> DONE (the job returned) -> FREE (joined).
 */
#include "fsk_threads.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

/* How long a thread watches for a job, or a joiner for its end, before
 * sleeping. */
#define WATCH_NS 200000

enum { FREE, CLAIMED, RUNNING, DONE };

struct fsk_thread {
    bool kept;
    pthread_t tid;
    atomic_int state;
    void *(*fn)(void *arg);
    void *arg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_int worker_asleep, joiner_asleep;
};

static fsk_thread kept[FSK_KEPT_THREADS];
static atomic_int kept_count;
static pthread_mutex_t kept_mu = PTHREAD_MUTEX_INITIALIZER;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void pause_briefly(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Waits until t's state is `want`: watches for a moment, then sleeps,
 * flagging *asleep so the other side wakes it. */
static void await_state(fsk_thread *t, int want, atomic_int *asleep)
{
    long long until = now_ns() + WATCH_NS;
    for (int spin = 0; atomic_load(&t->state) != want; spin++) {
        if ((spin & 63) == 63 && now_ns() > until) {
            pthread_mutex_lock(&t->mu);
            atomic_store(asleep, 1);
            while (atomic_load(&t->state) != want)
                pthread_cond_wait(&t->cv, &t->mu);
            atomic_store(asleep, 0);
            pthread_mutex_unlock(&t->mu);
            return;
        }
        pause_briefly();
    }
}

/* Sets t's state and wakes the other side if it sleeps. */
static void set_state(fsk_thread *t, int state, atomic_int *asleep)
{
    atomic_store(&t->state, state);
    if (atomic_load(asleep)) {
        pthread_mutex_lock(&t->mu);
        pthread_cond_broadcast(&t->cv);
        pthread_mutex_unlock(&t->mu);
    }
}

static void *kept_main(void *arg)
{
    fsk_thread *t = arg;
    for (;;) {
        await_state(t, RUNNING, &t->worker_asleep);
        t->fn(t->arg);
        set_state(t, DONE, &t->joiner_asleep);
    }
    return NULL;
}

/* A free kept slot, claimed; or a new kept thread's; NULL when all are
 * busy and no more may be kept (or made). */
static fsk_thread *claim_slot(void)
{
    int n = atomic_load(&kept_count);
    for (int i = 0; i < n; i++) {
        int free_state = FREE;
        if (atomic_compare_exchange_strong(&kept[i].state, &free_state, CLAIMED))
            return &kept[i];
    }
    fsk_thread *t = NULL;
    pthread_mutex_lock(&kept_mu);
    n = atomic_load(&kept_count);
    if (n < FSK_KEPT_THREADS) {
        t = &kept[n];
        t->kept = true;
        atomic_init(&t->state, CLAIMED);
        atomic_init(&t->worker_asleep, 0);
        atomic_init(&t->joiner_asleep, 0);
        pthread_mutex_init(&t->mu, NULL);
        pthread_cond_init(&t->cv, NULL);
        if (pthread_create(&t->tid, NULL, kept_main, t) == 0) {
            pthread_detach(t->tid);
            atomic_store(&kept_count, n + 1);
        } else {
            pthread_cond_destroy(&t->cv);
            pthread_mutex_destroy(&t->mu);
            t = NULL;
        }
    }
    pthread_mutex_unlock(&kept_mu);
    return t;
}

fsk_thread *fsk_thread_start(void *(*fn)(void *arg), void *arg)
{
    fsk_thread *t = claim_slot();
    if (t) {
        t->fn = fn;
        t->arg = arg;
        set_state(t, RUNNING, &t->worker_asleep);
        return t;
    }
    /* A thread of its own, ended when joined. */
    t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (pthread_create(&t->tid, NULL, fn, arg) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

void fsk_thread_join(fsk_thread *t)
{
    if (!t)
        return;
    if (!t->kept) {
        pthread_join(t->tid, NULL);
        free(t);
        return;
    }
    await_state(t, DONE, &t->joiner_asleep);
    atomic_store(&t->state, FREE);
}
