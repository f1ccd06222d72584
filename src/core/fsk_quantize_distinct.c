/*
 * fsk_quantize_distinct.c — plain matching (no dithering) of an image's
 * distinct colors, each once (fsk_quantize_distinct.h).
 */
#include "fsk_quantize_distinct.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_color_set.h"
#include "fsk_parallel.h"

/* Pixels per task of gathering and labelling, colors per task of
 * matching. */
#define CHUNK_PIXELS (32 * 1024)
#define CHUNK_COLORS 2048
/* color_single of a color not matched yet. */
#define UNMATCHED 2

/*
 * Without dithering, each pixel's color is rounded to 8-bit sRGB, the
 * precision of the artwork files, and each distinct color is matched once:
 * the keys are gathered into a set (in chunks of pixels, side by side),
 * the set's colors announced to the matcher and matched (in ranges of
 * colors), then every pixel takes its color's answer.
 */
typedef struct color_span {
    uint32_t start, end;
} color_span;

typedef struct plain_job {
    const uint32_t *pixel_keys; /* every pixel's key */
    size_t count;
    const fsk_matcher *m;
    uint16_t empty;
    uint16_t *labels;
    fsk_color_set *set;
    size_t colors;
    uint32_t *keys;         /* by color number */
    uint32_t *order;        /* color numbers, grouped by eighth of the cube */
    color_span *spans;      /* tasks of matching colors: ranges of order */
    uint16_t *color_label;  /* by color number */
    uint8_t *color_single;  /* by color number: answered by a one-candidate cell
                             * (0 or 1), or UNMATCHED */
    fsk_match_stats *stats; /* per task */
    const fsk_color_answers *answered; /* found already, or NULL */
} plain_job;

static size_t chunk_end(size_t k, size_t size, size_t count)
{
    return (k + 1) * size < count ? (k + 1) * size : count;
}

static void collect_chunk(void *ctx, int k)
{
    const plain_job *job = ctx;
    size_t end = chunk_end((size_t)k, CHUNK_PIXELS, job->count);
    for (size_t i = (size_t)k * CHUNK_PIXELS; i < end; i++)
        if (!(job->pixel_keys[i] & FSK_KEY_CLEAR))
            fsk_color_set_add(job->set, job->pixel_keys[i]);
}

/* Tasks count into a local copy of their stats, stored once at the end:
 * neighbouring tasks' stats share cache lines, and the threads would pass
 * them back and forth at every color or pixel. */
static void match_colors(void *ctx, int k)
{
    const plain_job *job = ctx;
    fsk_match_stats st = {0};
    for (uint32_t i = job->spans[k].start; i < job->spans[k].end; i++) {
        uint32_t number = job->order[i];
        float rgb[3];
        fsk_color_of_key(job->keys[number], rgb);
        uint64_t single = st.single;
        job->color_label[number] = fsk_matcher_nearest_counted(job->m, rgb, &st);
        job->color_single[number] = st.single != single;
    }
    job->stats[k] = st;
}

/* The eighth of the color cube a key lies in: the top bits of its codes,
 * as the matcher's table divides the cube. */
static unsigned eighth_of(uint32_t key)
{
    return (key >> 23 & 1) << 2 | (key >> 15 & 1) << 1 | (key >> 7 & 1);
}

/* Groups the numbers of the colors still unmatched by eighth and cuts
 * every eighth into as many spans as the largest needs (spans of up to
 * CHUNK_COLORS there, shorter in the others), the eighths taken in turn:
 * spans matched side by side then build the matcher's table in different
 * eighths, each under its own lock, instead of waiting for one, to the
 * end (with spans of one size, the last ones all came from the largest
 * eighth: the ladybird's darkest, 41 % of its colors, whose lock then
 * kept a thread waiting 2 ms). Returns the number of spans. */
static int plan_spans(plain_job *job)
{
    uint32_t start[9] = {0}, fill[8];
    for (size_t n = 0; n < job->colors; n++)
        if (job->color_single[n] == UNMATCHED)
            start[eighth_of(job->keys[n]) + 1]++;
    uint32_t rounds = 0;
    for (int e = 0; e < 8; e++) {
        uint32_t need = (start[e + 1] + CHUNK_COLORS - 1) / CHUNK_COLORS;
        rounds = need > rounds ? need : rounds;
        start[e + 1] += start[e];
        fill[e] = start[e];
    }
    for (size_t n = 0; n < job->colors; n++)
        if (job->color_single[n] == UNMATCHED)
            job->order[fill[eighth_of(job->keys[n])]++] = (uint32_t)n;
    int spans = 0;
    for (uint32_t r = 0; r < rounds; r++)
        for (int e = 0; e < 8; e++) {
            uint64_t count = start[e + 1] - start[e];
            uint32_t from = start[e] + (uint32_t)(count * r / rounds);
            uint32_t end = start[e] + (uint32_t)(count * (r + 1) / rounds);
            if (end > from)
                job->spans[spans++] = (color_span){from, end};
        }
    return spans;
}

static void label_chunk(void *ctx, int k)
{
    const plain_job *job = ctx;
    uint64_t lookups = 0, single = 0;
    size_t end = chunk_end((size_t)k, CHUNK_PIXELS, job->count);
    for (size_t i = (size_t)k * CHUNK_PIXELS; i < end; i++) {
        uint32_t key = job->pixel_keys[i];
        if (key & FSK_KEY_CLEAR) {
            job->labels[i] = job->empty;
            continue;
        }
        size_t c = fsk_color_set_rank(job->set, key);
        job->labels[i] = job->color_label[c];
        lookups++;
        single += job->color_single[c];
    }
    job->stats[k] = (fsk_match_stats){.lookups = lookups, .single = single,
                                      .listed = lookups - single};
}

/* Takes the answer a (for a color of the set); returns the distances
 * computed for it. */
static uint64_t take_answer(const plain_job *job, const fsk_color_answer *a)
{
    size_t number = fsk_color_set_rank(job->set, a->key);
    job->color_label[number] = a->entry;
    job->color_single[number] = a->single;
    return a->evaluated;
}

/* Takes the final answers found already; returns the distances computed
 * for them. */
static uint64_t take_final_answers(const plain_job *job)
{
    memset(job->color_single, UNMATCHED, job->colors);
    uint64_t evaluated = 0;
    for (size_t i = 0; job->answered && i < job->answered->count; i++)
        if (!job->answered->at[i].provisional)
            evaluated += take_answer(job, &job->answered->at[i]);
    return evaluated;
}

/* Takes the provisional answers of task k that stand; the others leave
 * their colors to be matched. */
static void confirm_answers(void *ctx, int k)
{
    const plain_job *job = ctx;
    size_t end = chunk_end((size_t)k, CHUNK_COLORS, job->answered->count);
    uint64_t evaluated = 0;
    for (size_t i = (size_t)k * CHUNK_COLORS; i < end; i++) {
        const fsk_color_answer *a = &job->answered->at[i];
        if (!a->provisional)
            continue;
        float rgb[3];
        fsk_color_of_key(a->key, rgb);
        if (fsk_matcher_answer_stands(job->m, rgb, a->list))
            evaluated += take_answer(job, a);
    }
    job->stats[k] = (fsk_match_stats){.evaluated = evaluated};
}

/* Adds the tasks' stats (all fields but colors) to *stats. */
static void add_stats(const fsk_match_stats *tasks, int count, fsk_match_stats *stats)
{
    for (int k = 0; k < count; k++) {
        stats->lookups += tasks[k].lookups;
        stats->single += tasks[k].single;
        stats->listed += tasks[k].listed;
        stats->evaluated += tasks[k].evaluated;
    }
}

int fsk_quantize_distinct(const uint32_t *keys, size_t count, const fsk_matcher *m,
                          uint16_t empty, uint16_t *labels, int threads,
                          fsk_color_set *collected, const fsk_color_answers *answered,
                          fsk_match_stats *stats, fsk_err *err)
{
    int pixel_chunks = (int)((count + CHUNK_PIXELS - 1) / CHUNK_PIXELS);
    plain_job job = {.pixel_keys = keys, .count = count, .m = m, .empty = empty,
                     .labels = labels, .set = collected ? collected : fsk_color_set_create()};
    if (!job.set)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    if (!collected)
        fsk_parallel_for(threads, pixel_chunks, collect_chunk, &job);
    job.colors = fsk_color_set_seal(job.set);
    job.answered = collected && answered && answered->count ? answered : NULL;
    size_t most_spans = 8 * (job.colors / CHUNK_COLORS + 1); /* plan_spans: rounds x 8 */
    int answer_chunks =
        job.answered ? (int)((job.answered->count + CHUNK_COLORS - 1) / CHUNK_COLORS) : 0;
    int tasks = pixel_chunks > (int)most_spans ? pixel_chunks : (int)most_spans;
    if (answer_chunks > tasks)
        tasks = answer_chunks;
    size_t colors = job.colors ? job.colors : 1;
    job.keys = malloc(colors * sizeof *job.keys);
    job.order = malloc(colors * sizeof *job.order);
    job.spans = malloc(most_spans * sizeof *job.spans);
    job.color_label = malloc(colors * sizeof *job.color_label);
    job.color_single = malloc(colors);
    job.stats = calloc((size_t)tasks, sizeof *job.stats);
    int rc = 0;
    if (!job.keys || !job.order || !job.spans || !job.color_label || !job.color_single ||
        !job.stats) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    } else {
        fsk_color_set_keys(job.set, 0, job.keys, job.colors);
        if (!collected)
            fsk_matcher_expect_keys(m, job.keys, job.colors);
        fsk_match_stats found = {.evaluated = take_final_answers(&job)};
        fsk_parallel_for(threads, answer_chunks, confirm_answers, &job);
        add_stats(job.stats, answer_chunks, &found);
        int spans = plan_spans(&job);
        fsk_parallel_for(threads, spans, match_colors, &job);
        add_stats(job.stats, spans, &found);
        memset(job.stats, 0, (size_t)tasks * sizeof *job.stats);
        fsk_parallel_for(threads, pixel_chunks, label_chunk, &job);
        if (stats) {
            add_stats(job.stats, pixel_chunks, stats);
            stats->evaluated += found.evaluated;
            stats->colors += job.colors;
        }
    }
    free(job.keys);
    free(job.order);
    free(job.spans);
    free(job.color_label);
    free(job.color_single);
    free(job.stats);
    if (!collected)
        fsk_color_set_free(job.set);
    return rc;
}
