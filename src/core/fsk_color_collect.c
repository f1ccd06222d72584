/*
 * fsk_color_collect.c — distinct colors gathered while decoding
 * (fsk_color_collect.h).
 *
 * The thread takes the told rows a few at a time; at the end the decoding
 * thread takes its share of the rows still waiting, so the two finish
 * together. Each keeps the colors new to the set in a list of its own;
 * the thread announces its list as it grows (and once more as it ends),
 * the decoding thread its own after the thread has ended, so the matcher
 * is never told two things at once. While no rows wait, the thread builds
 * ahead the matcher's table for the colors announced so far
 * (fsk_matcher_build_ahead), a pass at a time: a new pass starts once the
 * colors announced have grown by half since the last one started. Between
 * passes it matches the colors it announced (fsk_matcher_nearest_built):
 * from the cells built for good, or provisionally from the lists their
 * cells will have unless later colors change them, confirmed or dropped
 * by the matching after the decode.
 */
#include "fsk_color_collect.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Colors announced to the matcher at a time; grid rows taken at a time. */
#define BATCH 1024
#define ROWS_TAKEN 8
/* Colors matched at a time between looks for rows. */
#define MATCH_STEP 256

/* Keys of colors, in a growing array. */
typedef struct key_list {
    uint32_t *key;
    size_t n, cap;
} key_list;

/* Colors new to the set, found by one thread, to announce. */
typedef struct found {
    float *rgb;
    uint32_t *key;
    size_t n, cap;
} found;

struct fsk_color_collector {
    const fsk_matcher *m;
    fsk_color_set *set;
    const fsk_srgb_cells *codes;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more;  /* rows told, or closing */
    /* Under lock: what the decoder told last, and the rows taken. */
    const float *rgba;
    int width, told, next;
    bool closing;
    /* The collector's own: the build ahead's cursor (FSK_MATCH_CELLS
     * between passes), colors announced, and how many when the pass
     * started. */
    uint32_t ahead;
    size_t announced, pass_start;
    /* The collector's own: colors it announced, to match from `tried` on,
     * and the answers found. */
    key_list todo;
    size_t tried;
    fsk_color_answers answers;
};

/* Appends n keys to l; false when out of memory. */
static bool keys_append(key_list *l, const uint32_t *key, size_t n)
{
    if (l->n + n > l->cap) {
        size_t cap = l->cap ? l->cap : BATCH;
        while (cap < l->n + n)
            cap *= 2;
        uint32_t *grown = realloc(l->key, cap * sizeof *grown);
        if (!grown)
            return false;
        l->key = grown;
        l->cap = cap;
    }
    memcpy(l->key + l->n, key, n * sizeof *key);
    l->n += n;
    return true;
}

/* Adds a color to f; a failed allocation only leaves it unannounced,
 * which costs the matcher speed, not exactness. */
static void remember(found *f, uint32_t key)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : BATCH;
        float *grown = realloc(f->rgb, cap * 3 * sizeof *grown);
        if (grown)
            f->rgb = grown;
        uint32_t *keys = realloc(f->key, cap * sizeof *keys);
        if (keys)
            f->key = keys;
        if (!grown || !keys)
            return;
        f->cap = cap;
    }
    f->key[f->n] = key;
    fsk_color_of_key(key, f->rgb + 3 * f->n++);
}

static void announce(const fsk_color_collector *c, found *f)
{
    if (f->n)
        fsk_matcher_expect(c->m, f->rgb, f->n, 3, true);
    f->n = 0;
}

/* The collector's announcement, which may start a pass of building ahead;
 * the colors are kept to match (a failed allocation leaves them to the
 * matching after the decode). */
static void announce_and_plan(fsk_color_collector *c, found *f)
{
    c->announced += f->n;
    (void)keys_append(&c->todo, f->key, f->n);
    announce(c, f);
    if (c->ahead == FSK_MATCH_CELLS && 2 * c->announced >= 3 * c->pass_start) {
        c->ahead = 0;
        c->pass_start = c->announced;
    }
}

/* Adds the keys of the opaque pixels of rows [from, to) to the set,
 * remembering the new ones. */
static void gather_rows(const fsk_color_collector *c, found *f, const float *rgba,
                        int width, int from, int to)
{
    size_t end = (size_t)to * (size_t)width;
    for (size_t i = (size_t)from * (size_t)width; i < end; i++) {
        const float *px = rgba + 4 * i;
        if (!(px[3] >= 0.5f))
            continue;
        uint32_t key = fsk_color_key(c->codes, px);
        if (fsk_color_set_add_new(c->set, key))
            remember(f, key);
    }
}

/* Matches up to MATCH_STEP announced colors from the table built so far. */
static void match_some(fsk_color_collector *c)
{
    size_t end = c->todo.n - c->tried < MATCH_STEP ? c->todo.n : c->tried + MATCH_STEP;
    for (size_t i = c->tried; i < end; i++) {
        uint32_t key = c->todo.key[i];
        float rgb[3];
        fsk_color_of_key(key, rgb);
        fsk_match_stats st = {0};
        fsk_color_answer a = {.key = key};
        fsk_built_answer how = fsk_matcher_nearest_built(c->m, rgb, &st, &a.entry, &a.list);
        if (how == FSK_BUILT_NONE)
            continue;
        a.evaluated = (uint32_t)st.evaluated;
        a.single = st.single != 0;
        a.provisional = how == FSK_BUILT_PROVISIONAL;
        (void)fsk_color_answers_add(&c->answers, &a);
    }
    c->tried = end;
}

/* Takes up to ROWS_TAKEN told rows and gathers them; false when none are
 * waiting. Called, and returns, with c->lock held. */
static bool take_rows(fsk_color_collector *c, found *f)
{
    if (c->next >= c->told)
        return false;
    int from = c->next, to = from + ROWS_TAKEN < c->told ? from + ROWS_TAKEN : c->told;
    const float *rgba = c->rgba;
    int width = c->width;
    c->next = to;
    pthread_mutex_unlock(&c->lock);
    gather_rows(c, f, rgba, width, from, to);
    pthread_mutex_lock(&c->lock);
    return true;
}

static void *collect_main(void *arg)
{
    fsk_color_collector *c = arg;
    found f = {0};
    pthread_mutex_lock(&c->lock);
    for (;;) {
        if (take_rows(c, &f)) {
            if (f.n >= BATCH) {
                pthread_mutex_unlock(&c->lock);
                announce_and_plan(c, &f);
                pthread_mutex_lock(&c->lock);
            }
        } else if (c->closing) {
            break;
        } else if (c->ahead < FSK_MATCH_CELLS) {
            pthread_mutex_unlock(&c->lock);
            fsk_matcher_build_ahead(c->m, &c->ahead);
            pthread_mutex_lock(&c->lock);
        } else if (c->tried < c->todo.n) {
            pthread_mutex_unlock(&c->lock);
            match_some(c);
            pthread_mutex_lock(&c->lock);
        } else {
            pthread_cond_wait(&c->more, &c->lock);
        }
    }
    pthread_mutex_unlock(&c->lock);
    announce(c, &f);
    free(f.rgb);
    free(f.key);
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
    c->ahead = FSK_MATCH_CELLS;
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

void fsk_color_collector_finish(fsk_color_collector *c, fsk_color_set **set,
                                fsk_color_answers *answers)
{
    found mine = {0};
    pthread_mutex_lock(&c->lock);
    c->closing = true;
    pthread_cond_signal(&c->more);
    while (take_rows(c, &mine))
        ;
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    announce(c, &mine);
    free(mine.rgb);
    free(mine.key);
    free(c->todo.key);
    if (answers && set) {
        *answers = c->answers;
        c->answers = (fsk_color_answers){0};
    }
    fsk_color_answers_free(&c->answers);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->more);
    if (set) {
        *set = c->set;
        c->set = NULL;
    }
    fsk_color_set_free(c->set);
    free(c);
}
