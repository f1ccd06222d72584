/*
 * fsk_color_collect.c — distinct colors gathered while decoding
 * (fsk_color_collect.h).
 */
#include "fsk_color_collect.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* Colors announced to the matcher at a time. */
#define BATCH 4096

struct fsk_color_collector {
    const fsk_matcher *m;
    fsk_color_set *set;
    const fsk_srgb_cells *codes;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more;  /* rows told, or closing */
    /* Under lock: what the decoder told last. */
    const float *rgba;
    int width, told;
    bool closing;
    /* The thread's own. */
    int gathered;         /* rows gathered */
    size_t batch_n;
    float batch[BATCH * 3];
};

static void announce_batch(fsk_color_collector *c)
{
    if (c->batch_n)
        fsk_matcher_expect(c->m, c->batch, c->batch_n, 3, true);
    c->batch_n = 0;
}

/* Adds the keys of rows [from, to) of the grid; announces the new ones. */
static void gather_rows(fsk_color_collector *c, const float *rgba, int width, int from, int to)
{
    size_t end = (size_t)to * (size_t)width;
    for (size_t i = (size_t)from * (size_t)width; i < end; i++) {
        const float *px = rgba + 4 * i;
        if (!(px[3] >= 0.5f))
            continue;
        uint32_t key = fsk_color_key(c->codes, px);
        if (!fsk_color_set_add_new(c->set, key))
            continue;
        fsk_color_of_key(key, c->batch + 3 * c->batch_n);
        if (++c->batch_n == BATCH)
            announce_batch(c);
    }
}

static void *collect_main(void *arg)
{
    fsk_color_collector *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (c->told == c->gathered && !c->closing)
            pthread_cond_wait(&c->more, &c->lock);
        if (c->told == c->gathered)
            break;
        const float *rgba = c->rgba;
        int width = c->width, upto = c->told;
        pthread_mutex_unlock(&c->lock);
        gather_rows(c, rgba, width, c->gathered, upto);
        pthread_mutex_lock(&c->lock);
        c->gathered = upto;
    }
    pthread_mutex_unlock(&c->lock);
    announce_batch(c);
    return NULL;
}

/* The loader's call, on the decoding thread. */
static void rows_final(void *ctx, const float *rgba, int width, int rows)
{
    fsk_color_collector *c = ctx;
    pthread_mutex_lock(&c->lock);
    c->rgba = rgba;
    c->width = width;
    c->told = rows;
    pthread_cond_signal(&c->more);
    pthread_mutex_unlock(&c->lock);
}

fsk_color_collector *fsk_color_collector_start(const fsk_matcher *m, fsk_err *err)
{
    fsk_color_collector *c = calloc(1, sizeof *c);
    if (c)
        c->set = fsk_color_set_create();
    if (!c || !c->set) {
        free(c);
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    c->m = m;
    c->codes = fsk_color_set_codes(c->set);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->more, NULL);
    if (pthread_create(&c->thread, NULL, collect_main, c) != 0) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->more);
        fsk_color_set_free(c->set);
        free(c);
        fsk_err_set(err, FSK_ENOMEM, "cannot start a thread");
        return NULL;
    }
    return c;
}

fsk_grid_watch fsk_color_collector_watch(fsk_color_collector *c)
{
    return (fsk_grid_watch){.rows = rows_final, .ctx = c};
}

void fsk_color_collector_finish(fsk_color_collector *c, fsk_color_set **set)
{
    pthread_mutex_lock(&c->lock);
    c->closing = true;
    pthread_cond_signal(&c->more);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->more);
    if (set) {
        *set = c->set;
        c->set = NULL;
    }
    fsk_color_set_free(c->set);
    free(c);
}
