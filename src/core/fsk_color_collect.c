/*
 * fsk_color_collect.c — distinct colors gathered while decoding
 * (fsk_color_collect.h).
 *
 * Given a relay (fsk_row_relay.h), the thread first of all resamples the
 * decoded rows waiting in it, which the rest waits for; the decoder then
 * only decodes. The thread takes the told rows a few at a time; at the end the decoding
 * thread takes its share of the rows still waiting, so the two finish
 * together. Each keeps the colors new to the set in a list of its own;
 * the thread announces the new part of its list as it grows (and once
 * more as it ends), the decoding thread its list after the thread has
 * ended, so the matcher is never told two things at once. While no rows wait, the thread builds
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

#include "fsk_threads.h"

/* Colors announced to the matcher at a time; grid rows taken at a time. */
#define BATCH 1024
#define ROWS_TAKEN 8
/* Colors matched at a time between looks for rows. */
#define MATCH_STEP 256

/* Colors new to the set found by one thread, as keys. */
typedef struct key_list {
    uint32_t *key;
    size_t n, cap;
} key_list;

struct fsk_color_collector {
    fsk_matcher_spec spec;
    fsk_matcher *m;       /* made by the thread, NULL when it could not be */
    fsk_row_relay *relay; /* may be NULL */
    fsk_color_set *set;   /* made by the thread, NULL when it could not be */
    fsk_thread *thread;
    pthread_mutex_t lock;
    pthread_cond_t more;  /* rows told, or closing */
    pthread_cond_t made;  /* the set and matcher made (or not) */
    bool ready;           /* under lock: m and set are final */
    /* Under lock: what the decoder told last, and the rows taken. */
    const uint32_t *keys;
    int width, told, next;
    bool closing;
    /* The collector's own: the colors it found, the first `announced` of
     * them announced and the first `tried` matched; the build ahead's
     * cursor (FSK_MATCH_CELLS between passes) and the colors announced
     * when the pass started; the answers found. */
    key_list found;
    size_t announced, tried;
    uint32_t ahead;
    size_t pass_start;
    fsk_color_answers answers;
};

/* Adds a color to l; a failed allocation only leaves it unannounced,
 * which costs the matcher speed, not exactness. */
static void remember(key_list *l, uint32_t key)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : BATCH;
        uint32_t *grown = realloc(l->key, cap * sizeof *grown);
        if (!grown)
            return;
        l->key = grown;
        l->cap = cap;
    }
    l->key[l->n++] = key;
}

/* The collector announces the colors it found since it last did, which
 * may start a pass of building ahead. */
static void announce_new(fsk_color_collector *c)
{
    fsk_matcher_expect_keys(c->m, c->found.key + c->announced, c->found.n - c->announced);
    c->announced = c->found.n;
    if (c->ahead == FSK_MATCH_CELLS && 2 * c->announced >= 3 * c->pass_start) {
        c->ahead = 0;
        c->pass_start = c->announced;
    }
}

/* Adds the keys of the opaque pixels of rows [from, to) to the set,
 * remembering the new ones in f. */
static void gather_rows(const fsk_color_collector *c, key_list *f, const uint32_t *keys,
                        int width, int from, int to)
{
    size_t end = (size_t)to * (size_t)width;
    for (size_t i = (size_t)from * (size_t)width; i < end; i++)
        if (!(keys[i] & FSK_KEY_CLEAR) && fsk_color_set_add_new(c->set, keys[i]))
            remember(f, keys[i]);
}

/* Matches up to MATCH_STEP announced colors from the table built so far. */
static void match_some(fsk_color_collector *c)
{
    size_t end = c->announced - c->tried < MATCH_STEP ? c->announced : c->tried + MATCH_STEP;
    for (size_t i = c->tried; i < end; i++) {
        uint32_t key = c->found.key[i];
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
 * waiting (or nothing could be made to gather them into). Called, and
 * returns, with c->lock held, once c->ready. */
static bool take_rows(fsk_color_collector *c, key_list *f)
{
    if (c->next >= c->told || !c->set || !c->m)
        return false;
    int from = c->next, to = from + ROWS_TAKEN < c->told ? from + ROWS_TAKEN : c->told;
    const uint32_t *keys = c->keys;
    int width = c->width;
    c->next = to;
    pthread_mutex_unlock(&c->lock);
    gather_rows(c, f, keys, width, from, to);
    pthread_mutex_lock(&c->lock);
    return true;
}

/* The thread's first work, while the decoder starts: the set and the
 * matcher (either may be left NULL: the matching after the decode then
 * makes its own, and reports what fails). */
static void make_set_and_matcher(fsk_color_collector *c)
{
    fsk_color_set *set = fsk_color_set_create();
    fsk_matcher *m = set ? fsk_matcher_create(c->spec.cal, c->spec.allowed, c->spec.allowed_count,
                                              c->spec.metric, NULL)
                         : NULL;
    pthread_mutex_lock(&c->lock);
    c->set = set;
    c->m = m;
    c->ready = true;
    pthread_cond_broadcast(&c->made);
    pthread_mutex_unlock(&c->lock);
}

static void *collect_main(void *arg)
{
    fsk_color_collector *c = arg;
    make_set_and_matcher(c);
    pthread_mutex_lock(&c->lock);
    for (;;) {
        if (c->relay && fsk_row_relay_waiting(c->relay)) {
            pthread_mutex_unlock(&c->lock);
            fsk_row_relay_help(c->relay);
            pthread_mutex_lock(&c->lock);
        } else if (take_rows(c, &c->found)) {
            if (c->found.n - c->announced >= BATCH) {
                pthread_mutex_unlock(&c->lock);
                announce_new(c);
                pthread_mutex_lock(&c->lock);
            }
        } else if (c->closing) {
            break;
        } else if (c->ahead < FSK_MATCH_CELLS) {
            pthread_mutex_unlock(&c->lock);
            fsk_matcher_build_ahead(c->m, &c->ahead);
            pthread_mutex_lock(&c->lock);
        } else if (c->tried < c->announced) {
            pthread_mutex_unlock(&c->lock);
            match_some(c);
            pthread_mutex_lock(&c->lock);
        } else {
            pthread_cond_wait(&c->more, &c->lock);
        }
    }
    pthread_mutex_unlock(&c->lock);
    if (c->m)
        announce_new(c);
    return NULL;
}

/* The loader's call, on the thread that resampled the rows. */
static void rows_final(void *ctx, const fsk_print_image *grid, int rows)
{
    fsk_color_collector *c = ctx;
    pthread_mutex_lock(&c->lock);
    c->keys = grid->keys;
    c->width = grid->width;
    c->told = rows;
    pthread_cond_signal(&c->more);
    pthread_mutex_unlock(&c->lock);
}

/* The relay's call when decoded rows start waiting. */
static void rows_waiting(void *ctx)
{
    fsk_color_collector *c = ctx;
    pthread_mutex_lock(&c->lock);
    pthread_cond_signal(&c->more);
    pthread_mutex_unlock(&c->lock);
}

fsk_color_collector *fsk_color_collector_start(const fsk_matcher_spec *spec,
                                               fsk_row_relay *relay, fsk_err *err)
{
    fsk_color_collector *c = calloc(1, sizeof *c);
    if (!c) {
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    c->spec = *spec;
    c->relay = relay;
    c->ahead = FSK_MATCH_CELLS;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->more, NULL);
    pthread_cond_init(&c->made, NULL);
    if ((c->thread = fsk_thread_start(collect_main, c)) == NULL) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->more);
        pthread_cond_destroy(&c->made);
        free(c);
        fsk_err_set(err, FSK_ENOMEM, "cannot start a thread");
        return NULL;
    }
    if (relay)
        fsk_row_relay_on_waiting(relay, rows_waiting, c);
    return c;
}

fsk_grid_watch fsk_color_collector_watch(fsk_color_collector *c)
{
    return (fsk_grid_watch){.rows = rows_final, .ctx = c, .relay = c->relay};
}

void fsk_color_collector_finish(fsk_color_collector *c, fsk_matcher **matcher,
                                fsk_color_set **set, fsk_color_answers *answers)
{
    key_list mine = {0};
    pthread_mutex_lock(&c->lock);
    c->closing = true;
    pthread_cond_signal(&c->more);
    while (!c->ready)
        pthread_cond_wait(&c->made, &c->lock);
    while (take_rows(c, &mine))
        ;
    pthread_mutex_unlock(&c->lock);
    fsk_thread_join(c->thread);
    if (c->m)
        fsk_matcher_expect_keys(c->m, mine.key, mine.n);
    free(mine.key);
    if (!c->m || !matcher) {
        /* Without the matcher the colors were not announced: useless. */
        set = NULL;
    }
    free(c->found.key);
    if (answers && set) {
        *answers = c->answers;
        c->answers = (fsk_color_answers){0};
    }
    fsk_color_answers_free(&c->answers);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->more);
    pthread_cond_destroy(&c->made);
    if (matcher) {
        *matcher = c->m;
        c->m = NULL;
    }
    fsk_matcher_free(c->m);
    if (set) {
        *set = c->set;
        c->set = NULL;
    }
    fsk_color_set_free(c->set);
    free(c);
}
