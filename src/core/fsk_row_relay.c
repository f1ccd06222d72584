/*
 * fsk_row_relay.c — decoded rows handed to a helper thread
 * (fsk_row_relay.h): a ring of slots under one lock, a flag for the batch
 * being worked (so batches are worked one at a time, oldest first), and
 * the first error of the work.
 */
#include "fsk_row_relay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Batches that may wait at once: with the decoder's batches of 16 rows, a
 * few milliseconds of decoding, longer than the helper's own tasks. */
#define SLOTS 4

typedef struct slot {
    int y, count;
    unsigned char *data; /* count rows of row_bytes, packed */
    size_t cap;
} slot;

struct fsk_row_relay {
    pthread_mutex_t lock;
    pthread_cond_t freed; /* a slot was freed, or a batch was worked */
    slot slot[SLOTS];
    int head, queued;     /* the oldest waiting batch; how many wait */
    bool working;         /* the oldest batch is being worked */
    bool ended;
    size_t row_bytes;
    fsk_row_work work;
    void *work_ctx;
    void (*wake)(void *ctx);
    void *wake_ctx;
    int rc;               /* the first error of the work */
    fsk_err err;
};

fsk_row_relay *fsk_row_relay_create(void)
{
    fsk_row_relay *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->freed, NULL);
    return r;
}

void fsk_row_relay_free(fsk_row_relay *r)
{
    if (!r)
        return;
    for (int k = 0; k < SLOTS; k++)
        free(r->slot[k].data);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->freed);
    free(r);
}

void fsk_row_relay_on_waiting(fsk_row_relay *r, void (*wake)(void *ctx), void *ctx)
{
    r->wake = wake;
    r->wake_ctx = ctx;
}

void fsk_row_relay_begin(fsk_row_relay *r, size_t row_bytes, fsk_row_work work, void *ctx)
{
    pthread_mutex_lock(&r->lock);
    r->row_bytes = row_bytes;
    r->work = work;
    r->work_ctx = ctx;
    pthread_mutex_unlock(&r->lock);
}

/* Works the oldest waiting batch. Called with the lock held and no batch
 * being worked; returns with the lock held. */
static void work_oldest(fsk_row_relay *r)
{
    slot *s = &r->slot[r->head];
    r->working = true;
    pthread_mutex_unlock(&r->lock);
    fsk_err err = {0};
    int rc = r->work(r->work_ctx, s->y, s->count, s->data, r->row_bytes, &err);
    pthread_mutex_lock(&r->lock);
    if (rc && !r->rc) {
        r->rc = rc;
        r->err = err;
    }
    r->head = (r->head + 1) % SLOTS;
    r->queued--;
    r->working = false;
    pthread_cond_broadcast(&r->freed);
}

/* The first error of the work, into err. Under the lock. */
static int failure(const fsk_row_relay *r, fsk_err *err)
{
    if (r->rc && err)
        *err = r->err;
    return r->rc;
}

int fsk_row_relay_push(fsk_row_relay *r, int y, int count, const void *rows, size_t stride,
                       fsk_err *err)
{
    pthread_mutex_lock(&r->lock);
    while (!r->rc && r->queued == SLOTS) {
        if (r->working)
            pthread_cond_wait(&r->freed, &r->lock);
        else
            work_oldest(r); /* the helper is busy elsewhere */
    }
    if (r->rc) {
        int rc = failure(r, err);
        pthread_mutex_unlock(&r->lock);
        return rc;
    }
    slot *s = &r->slot[(r->head + r->queued) % SLOTS];
    size_t need = (size_t)count * r->row_bytes;
    if (need > s->cap) {
        unsigned char *grown = realloc(s->data, need);
        if (!grown) {
            pthread_mutex_unlock(&r->lock);
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        }
        s->data = grown;
        s->cap = need;
    }
    for (int k = 0; k < count; k++)
        memcpy(s->data + (size_t)k * r->row_bytes, (const unsigned char *)rows + (size_t)k * stride,
               r->row_bytes);
    s->y = y;
    s->count = count;
    r->queued++;
    pthread_mutex_unlock(&r->lock);
    if (r->wake)
        r->wake(r->wake_ctx);
    return 0;
}

int fsk_row_relay_end(fsk_row_relay *r, bool work_rest, fsk_err *err)
{
    pthread_mutex_lock(&r->lock);
    for (;;) {
        if (r->working) {
            pthread_cond_wait(&r->freed, &r->lock);
            continue;
        }
        if (!r->queued)
            break;
        if (!work_rest || r->rc) {
            r->queued = 0;
            break;
        }
        work_oldest(r);
    }
    r->ended = true;
    int rc = failure(r, err);
    pthread_mutex_unlock(&r->lock);
    return rc;
}

/* Whether a helper may work the oldest batch now: one waits, none is
 * being worked, and the work has neither ended nor failed. Under the
 * lock. */
static bool helpable(const fsk_row_relay *r)
{
    return !r->ended && !r->working && r->queued > 0 && !r->rc;
}

bool fsk_row_relay_waiting(fsk_row_relay *r)
{
    pthread_mutex_lock(&r->lock);
    bool waiting = helpable(r);
    pthread_mutex_unlock(&r->lock);
    return waiting;
}

bool fsk_row_relay_help(fsk_row_relay *r)
{
    pthread_mutex_lock(&r->lock);
    bool helps = helpable(r);
    if (helps)
        work_oldest(r);
    pthread_mutex_unlock(&r->lock);
    return helps;
}
