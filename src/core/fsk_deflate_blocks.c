/*
 * fsk_deflate_blocks.c — block-parallel raw deflate (fsk_deflate_blocks.h).
 *
 * Blocks live in a ring of slots. The caller fills one slot at a time;
 * a full slot is queued, workers take queued slots in order, and the
 * caller delivers finished slots in order and reuses them. A slot's input
 * starts with a copy of the 32 KiB before its block, so every job is
 * independent of the others.
 */
#include "fsk_deflate_blocks.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fsk_crc32.h"
#include "fsk_deflate_fast.h"
#include "fsk_threads.h"

#define DICT (32 * 1024)
#define MAX_THREADS 16
#define MAX_SLOTS (2 * MAX_THREADS + 2)

typedef enum slot_state { SLOT_FREE, SLOT_FILLING, SLOT_QUEUED, SLOT_DONE } slot_state;

typedef struct slot {
    unsigned char *in;   /* DICT + FSK_DEFLATE_BLOCK bytes: dictionary, then data */
    size_t dict, len;
    int last;
    unsigned char *out;  /* compressed block */
    size_t out_len, out_cap;
    uint32_t crc;
    int rc;
    slot_state state;
} slot;

/* An encoder reused from block to block: the fast one for level 1, a
 * zlib stream set up for one of the levels 2..9. */
typedef struct zstate {
    fsk_deflate_fast *fast;
    z_stream zs;
    int level; /* of zs; 0: not initialised */
} zstate;

struct fsk_deflate_blocks {
    int threads, nslots;
    fsk_thread *workers[MAX_THREADS];
    int started;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    int stop;
    slot slots[MAX_SLOTS];
    zstate inline_z;     /* threads == 0 */
    /* Block numbers of the current stream. */
    uint64_t filling;    /* being filled by the caller */
    uint64_t queued;     /* blocks handed to workers: 0..queued-1 */
    uint64_t taken;      /* blocks a worker has started */
    uint64_t delivered;  /* blocks given to the sink */
    int level;
    fsk_deflate_sink sink;
    void *ctx;
    uint32_t crc;
    int rc;              /* first error of the stream, sticky */
};

static slot *slot_of(fsk_deflate_blocks *d, uint64_t block)
{
    return &d->slots[block % (uint64_t)d->nslots];
}

/* Makes room for need bytes of output in s. */
static int reserve_out(slot *s, size_t need)
{
    if (s->out_cap < need) {
        unsigned char *p = realloc(s->out, need);
        if (!p)
            return FSK_ENOMEM;
        s->out = p;
        s->out_cap = need;
    }
    return 0;
}

static int compress_fast(zstate *z, slot *s)
{
    if (!z->fast && !(z->fast = fsk_deflate_fast_create()))
        return FSK_ENOMEM;
    if (reserve_out(s, fsk_deflate_fast_bound(s->len)))
        return FSK_ENOMEM;
    s->out_len = fsk_deflate_fast_piece(z->fast, s->in, s->dict, s->len, s->last, s->out);
    return 0;
}

static int compress_zlib(zstate *z, slot *s, int level)
{
    if (z->level != level) {
        if (z->level)
            deflateEnd(&z->zs);
        z->level = 0;
        memset(&z->zs, 0, sizeof z->zs);
        int zr = deflateInit2(&z->zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
        if (zr != Z_OK)
            return zr == Z_MEM_ERROR ? FSK_ENOMEM : FSK_EINVAL;
        z->level = level;
    } else if (deflateReset(&z->zs) != Z_OK) {
        return FSK_EINVAL;
    }
    if (s->dict && deflateSetDictionary(&z->zs, s->in, (uInt)s->dict) != Z_OK)
        return FSK_EINVAL;
    /* The bound of a whole stream, plus the sync flush's empty stored block. */
    if (reserve_out(s, deflateBound(&z->zs, (uLong)s->len) + 16))
        return FSK_ENOMEM;
    z->zs.next_in = s->in + s->dict;
    z->zs.avail_in = (uInt)s->len;
    z->zs.next_out = s->out;
    z->zs.avail_out = (uInt)s->out_cap;
    int zr = deflate(&z->zs, s->last ? Z_FINISH : Z_SYNC_FLUSH);
    if (s->last ? zr != Z_STREAM_END
                : zr != Z_OK || z->zs.avail_in != 0 || z->zs.avail_out == 0)
        return FSK_EINVAL;
    s->out_len = s->out_cap - z->zs.avail_out;
    return 0;
}

/* Deflates one slot and takes its CRC; 0 or a negative FSK_E* code. */
static int compress_slot(zstate *z, slot *s, int level)
{
    int rc = level == 1 ? compress_fast(z, s) : compress_zlib(z, s, level);
    if (!rc)
        s->crc = fsk_crc32(0, s->in + s->dict, s->len);
    return rc;
}

static void zstate_end(zstate *z)
{
    fsk_deflate_fast_free(z->fast);
    if (z->level)
        deflateEnd(&z->zs);
}

static void *worker(void *arg)
{
    fsk_deflate_blocks *d = arg;
    zstate z = {.level = 0};
    pthread_mutex_lock(&d->mu);
    for (;;) {
        while (!d->stop && d->taken == d->queued)
            pthread_cond_wait(&d->work, &d->mu);
        if (d->stop)
            break;
        slot *s = slot_of(d, d->taken++);
        int level = d->level;
        pthread_mutex_unlock(&d->mu);
        int rc = compress_slot(&z, s, level);
        pthread_mutex_lock(&d->mu);
        s->rc = rc;
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&d->done);
    }
    pthread_mutex_unlock(&d->mu);
    zstate_end(&z);
    return NULL;
}

void fsk_deflate_blocks_free(fsk_deflate_blocks *d)
{
    if (!d)
        return;
    if (d->threads) {
        pthread_mutex_lock(&d->mu);
        d->stop = 1;
        pthread_cond_broadcast(&d->work);
        pthread_mutex_unlock(&d->mu);
        for (int t = 0; t < d->started; t++)
            fsk_thread_join(d->workers[t]);
        pthread_cond_destroy(&d->work);
        pthread_cond_destroy(&d->done);
        pthread_mutex_destroy(&d->mu);
    }
    for (int i = 0; i < d->nslots; i++) {
        free(d->slots[i].in);
        free(d->slots[i].out);
    }
    zstate_end(&d->inline_z);
    free(d);
}

fsk_deflate_blocks *fsk_deflate_blocks_create(int threads, fsk_err *err)
{
    if (threads < 0 || threads > MAX_THREADS) {
        fsk_err_set(err, FSK_EINVAL, "bad number of compression threads %d", threads);
        return NULL;
    }
    fsk_deflate_blocks *d = calloc(1, sizeof *d);
    if (!d) {
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    d->threads = threads;
    /* Enough slots that every worker has one queued while the caller
     * fills the next and the oldest waits to be delivered. */
    d->nslots = threads ? 2 * threads + 2 : 2;
    for (int i = 0; i < d->nslots; i++) {
        d->slots[i].in = malloc(DICT + FSK_DEFLATE_BLOCK);
        if (!d->slots[i].in) {
            fsk_deflate_blocks_free(d);
            fsk_err_set(err, FSK_ENOMEM, "out of memory");
            return NULL;
        }
    }
    if (threads) {
        pthread_mutex_init(&d->mu, NULL);
        pthread_cond_init(&d->work, NULL);
        pthread_cond_init(&d->done, NULL);
        for (int t = 0; t < threads; t++) {
            if ((d->workers[t] = fsk_thread_start(worker, d)) == NULL) {
                fsk_deflate_blocks_free(d);
                fsk_err_set(err, FSK_ENOMEM, "cannot start a compression thread");
                return NULL;
            }
            d->started++;
        }
    }
    return d;
}

static void deliver(fsk_deflate_blocks *d, uint64_t until, int wait);

void fsk_deflate_blocks_begin(fsk_deflate_blocks *d, int level, fsk_deflate_sink sink,
                              void *ctx)
{
    /* A stream abandoned after an error may still have blocks in work. */
    if (d->queued > d->delivered) {
        d->rc = d->rc ? d->rc : FSK_EINVAL;
        deliver(d, d->queued - 1, 1);
    }
    d->level = level;
    d->sink = sink;
    d->ctx = ctx;
    d->crc = 0;
    d->rc = 0;
    d->filling = d->queued = d->taken = d->delivered = 0;
    for (int i = 0; i < d->nslots; i++)
        d->slots[i].state = SLOT_FREE;
    slot *s = slot_of(d, 0);
    s->dict = s->len = 0;
    s->state = SLOT_FILLING;
}

/* Delivers finished blocks in order; with wait, until block `until` has
 * been delivered. Called on the caller's thread only. */
static void deliver(fsk_deflate_blocks *d, uint64_t until, int wait)
{
    if (d->threads)
        pthread_mutex_lock(&d->mu);
    while (d->delivered < d->queued) {
        slot *s = slot_of(d, d->delivered);
        if (s->state != SLOT_DONE) {
            if (!wait || d->delivered > until || !d->threads)
                break;
            pthread_cond_wait(&d->done, &d->mu);
            continue;
        }
        if (d->threads)
            pthread_mutex_unlock(&d->mu);
        if (!d->rc)
            d->rc = s->rc;
        if (!d->rc) {
            d->crc = (uint32_t)crc32_combine(d->crc, s->crc, (z_off_t)s->len);
            d->rc = d->sink(d->ctx, s->out, s->out_len);
        }
        if (d->threads)
            pthread_mutex_lock(&d->mu);
        s->state = SLOT_FREE;
        d->delivered++;
    }
    if (d->threads)
        pthread_mutex_unlock(&d->mu);
}

/* Hands the slot being filled to the workers (or compresses it here). */
static void submit(fsk_deflate_blocks *d, int last)
{
    slot *s = slot_of(d, d->filling);
    s->last = last;
    if (!d->threads) {
        s->rc = compress_slot(&d->inline_z, s, d->level);
        s->state = SLOT_DONE;
        d->queued++;
        deliver(d, d->filling, 0);
        return;
    }
    pthread_mutex_lock(&d->mu);
    s->state = SLOT_QUEUED;
    d->queued++;
    pthread_cond_signal(&d->work);
    pthread_mutex_unlock(&d->mu);
    deliver(d, 0, 0);
}

/* Starts the next block in a free slot, primed with the last 32 KiB. */
static void next_block(fsk_deflate_blocks *d)
{
    const slot *prev = slot_of(d, d->filling);
    d->filling++;
    if (d->filling >= (uint64_t)d->nslots)
        deliver(d, d->filling - (uint64_t)d->nslots, 1);
    slot *s = slot_of(d, d->filling);
    /* prev is full (FSK_DEFLATE_BLOCK >= DICT); workers only read it. */
    memcpy(s->in, prev->in + prev->dict + prev->len - DICT, DICT);
    s->dict = DICT;
    s->len = 0;
    s->state = SLOT_FILLING;
}

int fsk_deflate_blocks_write(fsk_deflate_blocks *d, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0 && !d->rc) {
        slot *s = slot_of(d, d->filling);
        if (s->len == FSK_DEFLATE_BLOCK) {
            submit(d, 0);
            next_block(d);
            continue;
        }
        size_t part = FSK_DEFLATE_BLOCK - s->len;
        if (part > n)
            part = n;
        memcpy(s->in + s->dict + s->len, p, part);
        s->len += part;
        p += part;
        n -= part;
    }
    return d->rc;
}

int fsk_deflate_blocks_finish(fsk_deflate_blocks *d, uint32_t *crc)
{
    if (!d->rc) {
        submit(d, 1);
        deliver(d, d->filling, 1);
    } else if (d->threads) {
        /* Let queued blocks finish before the slots are reused. */
        deliver(d, d->queued ? d->queued - 1 : 0, 1);
    }
    *crc = d->crc;
    return d->rc;
}
