/*
 * fsk_row_relay.h — decoded rows handed from the decoding thread to a
 * helper thread that works them (the loader's resampling), so that the
 * decoder goes on decoding meanwhile.
 *
 * The decoding thread pushes batches of rows in order; each is copied into
 * one of a few slots and worked exactly once, in order, one batch at a
 * time, by whichever thread comes to it first: the helper, between its own
 * tasks (fsk_row_relay_help), or the decoding thread itself when every slot
 * is full and the helper is busy elsewhere. fsk_row_relay_end works what
 * is left (or drops it) and ends the relay: after it returns, the work
 * function is never called again. The creator frees the relay once both
 * sides are done with it.
 */
#ifndef FSK_ROW_RELAY_H
#define FSK_ROW_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#include "fsk_error.h"

typedef struct fsk_row_relay fsk_row_relay;

/* Works count rows starting at row y, stride bytes apart; 0 or an error. */
typedef int (*fsk_row_work)(void *ctx, int y, int count, const void *rows, size_t stride,
                            fsk_err *err);

/* An empty relay; NULL when out of memory. */
fsk_row_relay *fsk_row_relay_create(void);
void fsk_row_relay_free(fsk_row_relay *r);

/* The helper's side, before rows are pushed: wake(ctx) is called, with no
 * lock of the relay held, each time a batch starts waiting. */
void fsk_row_relay_on_waiting(fsk_row_relay *r, void (*wake)(void *ctx), void *ctx);

/* The decoding thread's side: rows of row_bytes bytes each are worked by
 * work(ctx, ...). Called once, before the first push. */
void fsk_row_relay_begin(fsk_row_relay *r, size_t row_bytes, fsk_row_work work, void *ctx);

/* Queues count rows from y (stride bytes apart, borrowed for the call);
 * returns the first error of the work so far, or FSK_ENOMEM. */
int fsk_row_relay_push(fsk_row_relay *r, int y, int count, const void *rows, size_t stride,
                       fsk_err *err);

/* Works the rows still waiting (drops them when work_rest is false), waits
 * for a batch being worked, and ends the relay; the first error of the
 * work, if any. */
int fsk_row_relay_end(fsk_row_relay *r, bool work_rest, fsk_err *err);

/* The helper's side: whether a batch waits that nobody works yet (and no
 * batch has failed: the rest then waits for fsk_row_relay_end). */
bool fsk_row_relay_waiting(fsk_row_relay *r);

/* Works the oldest waiting batch, if there is one and no other is being
 * worked; whether it did. */
bool fsk_row_relay_help(fsk_row_relay *r);

#endif
