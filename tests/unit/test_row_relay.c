/*
 * test_row_relay.c — decoded rows relayed to a helper thread: every batch
 * is worked once, in order, one at a time, with its rows as pushed,
 * whether the helper keeps up, falls behind or never helps; the first
 * error of the work reaches the pusher and the end; ending without
 * working drops what waits.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsk_row_relay.h"
#include "tkit.h"

enum { WIDTH = 7, ROW_BYTES = WIDTH * 4, BATCH = 3, BATCHES = 200 };

typedef struct record {
    int next_y;          /* the row the next batch must start at */
    int batches, wrong;  /* batches worked; out of order or with wrong bytes */
    atomic_int inside;   /* workers inside at once */
    int overlaps;
    int fail_at;         /* fail the batch starting at this row; -1 never */
    int slow;            /* sleep this many microseconds per batch */
} record;

static void pause_us(int us)
{
    struct timespec ts = {0, (long)us * 1000};
    nanosleep(&ts, NULL);
}

/* The byte of row y at offset i, as pushed. */
static unsigned char byte_of(int y, size_t i)
{
    return (unsigned char)(y * 31 + (int)i * 7);
}

static int work(void *ctx, int y, int count, const void *rows, size_t stride, fsk_err *err)
{
    record *r = ctx;
    if (atomic_fetch_add(&r->inside, 1) != 0)
        r->overlaps++;
    if (r->slow)
        pause_us(r->slow);
    const unsigned char *p = rows;
    r->wrong += y != r->next_y || count != BATCH || stride != ROW_BYTES;
    for (int k = 0; k < count; k++)
        for (size_t i = 0; i < ROW_BYTES; i++)
            r->wrong += p[(size_t)k * stride + i] != byte_of(y + k, i);
    r->next_y = y + count;
    r->batches++;
    atomic_fetch_sub(&r->inside, 1);
    if (y == r->fail_at)
        return fsk_err_set(err, FSK_EFORMAT, "row %d is bad", y);
    return 0;
}

typedef struct helper {
    fsk_row_relay *relay;
    atomic_bool stop;
    int helped;
    int slow; /* pause between looks, microseconds */
} helper;

static void *help_main(void *arg)
{
    helper *h = arg;
    while (!atomic_load(&h->stop)) {
        if (fsk_row_relay_help(h->relay))
            h->helped++;
        else if (h->slow)
            pause_us(h->slow);
    }
    return NULL;
}

/* Pushes BATCHES batches (rows padded to a wider stride, which the relay
 * must not copy) with a helper looking every helper_pause microseconds
 * (-1: no helper); returns what push and end gave. */
static int run(record *r, int helper_pause, int *helped, fsk_err *err)
{
    fsk_row_relay *relay = fsk_row_relay_create();
    TKIT_TRUE(relay != NULL);
    if (!relay)
        return FSK_ENOMEM;
    fsk_row_relay_begin(relay, ROW_BYTES, work, r);
    helper h = {.relay = relay, .slow = helper_pause};
    pthread_t thread;
    bool threaded = helper_pause >= 0 && pthread_create(&thread, NULL, help_main, &h) == 0;
    unsigned char rows[BATCH][ROW_BYTES + 5];
    int rc = 0;
    for (int b = 0; b < BATCHES && !rc; b++) {
        for (int k = 0; k < BATCH; k++)
            for (size_t i = 0; i < sizeof rows[k]; i++)
                rows[k][i] = i < ROW_BYTES ? byte_of(b * BATCH + k, i) : 0xEE;
        rc = fsk_row_relay_push(relay, b * BATCH, BATCH, rows, sizeof rows[0], err);
    }
    int end_rc = fsk_row_relay_end(relay, rc == 0, rc ? NULL : err);
    TKIT_TRUE(!fsk_row_relay_help(relay)); /* ended: never works again */
    if (threaded) {
        atomic_store(&h.stop, true);
        pthread_join(thread, NULL);
    }
    *helped = h.helped;
    fsk_row_relay_free(relay);
    return rc ? rc : end_rc;
}

static void test_every_batch_once_in_order(void)
{
    /* A helper that keeps up, one slower than the decoder, and none. */
    static const int pauses[] = {0, 200, -1};
    static const int slow[] = {0, 50, 0};
    for (int k = 0; k < 3; k++) {
        record r = {.fail_at = -1, .slow = slow[k]};
        fsk_err err = {0};
        int helped = 0;
        TKIT_EQ_INT(run(&r, pauses[k], &helped, &err), 0);
        TKIT_EQ_INT(r.batches, BATCHES);
        TKIT_EQ_INT(r.next_y, BATCHES * BATCH);
        TKIT_EQ_INT(r.wrong, 0);
        TKIT_EQ_INT(r.overlaps, 0);
        if (pauses[k] < 0)
            TKIT_EQ_INT(helped, 0);
    }
}

static void test_first_error_reaches_both_sides(void)
{
    for (int pause = 0; pause <= 100; pause += 100) {
        record r = {.fail_at = 30 * BATCH};
        fsk_err err = {0};
        int helped = 0;
        TKIT_EQ_INT(run(&r, pause, &helped, &err), FSK_EFORMAT);
        TKIT_EQ_STR(err.msg, "row 90 is bad");
        /* Nothing past the failed batch is worked once the failure is known. */
        TKIT_EQ_INT(r.batches, 31);
        TKIT_EQ_INT(r.wrong, 0);
    }
}

/* Ending without working drops the waiting batches; pushing with the
 * queue full and no helper works the oldest on the pushing thread. */
static void test_end_drops(void)
{
    fsk_row_relay *relay = fsk_row_relay_create();
    record r = {.fail_at = -1};
    fsk_err err = {0};
    fsk_row_relay_begin(relay, ROW_BYTES, work, &r);
    unsigned char rows[BATCH][ROW_BYTES];
    for (int b = 0; b < 10; b++) {
        for (int k = 0; k < BATCH; k++)
            for (size_t i = 0; i < ROW_BYTES; i++)
                rows[k][i] = byte_of(b * BATCH + k, i);
        TKIT_EQ_INT(fsk_row_relay_push(relay, b * BATCH, BATCH, rows, ROW_BYTES, &err), 0);
    }
    TKIT_TRUE(fsk_row_relay_waiting(relay));
    int worked = r.batches;
    TKIT_TRUE(worked > 0 && worked < 10); /* only what the full queue forced */
    TKIT_EQ_INT(fsk_row_relay_end(relay, false, &err), 0);
    TKIT_EQ_INT(r.batches, worked);
    TKIT_TRUE(!fsk_row_relay_waiting(relay));
    TKIT_EQ_INT(r.wrong, 0);
    fsk_row_relay_free(relay);
}

int main(void)
{
    TKIT_RUN(test_every_batch_once_in_order);
    TKIT_RUN(test_first_error_reaches_both_sides);
    TKIT_RUN(test_end_drops);
    return TKIT_DONE();
}
