/*
 * fsk_simplify.c — simpler part boundaries within a color tolerance
 * (fsk_simplify.h).
 *
 * The work is done on a copy of the map with a border of one cell, where
 * transparent pixels and the border hold FSK_STACK_NONE: the neighbours of
 * every pixel can then be read without tests. A change of some pixels'
 * color only affects the corners at the lattice points at their corners,
 * so it is judged on those alone. The color budget of a pixel (its matched
 * color's ΔE00 plus the tolerance) is computed the first time a change is
 * considered there. Passes after the first look only near earlier changes.
 *
 * The map is cut into bands of BAND_ROWS rows, each simplified on its own
 * until nothing changes, the even bands side by side and then the odd
 * ones (each as soon as its neighbours are done): a band changes only its
 * own pixels and reads one row beyond them, so bands run at the same time
 * never touch each other's pixels, and the result does not depend on the
 * number of threads. Sets of pixels across two bands are not changed.
 */
#include "fsk_simplify.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_color_set.h"
#include "fsk_corner_count.h"
#include "fsk_labels.h"
#include "fsk_memory.h"
#include "fsk_parallel.h"

#define MAX_PASSES 16
#define MAX_REGION 64
/* Flags and cells read past the last ones, eight at a time. */
#define LOOK_PAD 8
#define CELL_PAD 16
#define MAX_OPTIONS 16
#define BAND_ROWS 64
/* Remembered corner counts of 2x2 neighbourhoods: a photo's boundaries
 * repeat a few thousand of them. */
#define MEMO_LOG2 15

typedef struct simplifier {
    int width, height;      /* of the map */
    size_t stride;          /* width + 2: cells per row of the bordered copy */
    uint16_t *cell;         /* bordered copy: stack index or FSK_STACK_NONE */
    const uint32_t *keys;   /* the pixels' colors (fsk_pixel_key) */
    const fsk_calibration *cal;
    const uint16_t *matched; /* the caller's map, unchanged until the end */
    double tolerance;
    fsk_stack_table stacks; /* by entry */
    float *budget;          /* by pixel: ΔE00 it may have; NAN until needed */
    /* By lattice point (x, y), index y * stride + x, between the cells x -
     * 1, x of rows y - 1, y: its corners as the cells are now, or
     * UNKNOWN_CORNERS until needed and after a change of those cells. */
    uint16_t *point_corners;
} simplifier;

#define UNKNOWN_CORNERS UINT16_MAX

/* Where a band is in the queue that hands bands to threads (band_queue). */
enum { BAND_WAITING, BAND_RUNNING, BAND_DONE };

/* One band's work: rows y0..y1 of cells, and its own scratch. */
typedef struct band {
    simplifier *s;
    int y0, y1;
    size_t base;            /* first cell of the band */
    fsk_corner_memo memo;   /* keyed by the quad's four stack indices */
    uint32_t *stamp;        /* by cell - base: flood fill that met it */
    uint32_t flood;         /* flood fills so far */
    /* By cell - base: worth a look in this pass, in the next (near a change). */
    uint8_t *look_now, *look_next;
    fsk_simplify_stats st;
    bool failed;            /* out of memory: the band is left as it was */
    unsigned char state;    /* BAND_*, under the band queue's lock */
} band;

/* A set of cells of one color that may change color together. */
typedef struct cell_set {
    const uint32_t *cell; /* indices into the bordered copy */
    int count;
    int x0, y0, x1, y1;   /* bounding box, cell coordinates */
} cell_set;

/* fsk_stack_corners_at through the band's memo. */
static unsigned quad_corners(band *b, const uint16_t q[4])
{
    return fsk_corner_memo_get(&b->memo, &b->s->stacks, fsk_stack_quad_key(q), q);
}

/* The corners at lattice point (x, y) as the cells are now, remembered. */
static unsigned point_corners(band *b, int x, int y)
{
    const simplifier *s = b->s;
    uint16_t *known = &s->point_corners[(size_t)y * s->stride + (size_t)x];
    if (*known == UNKNOWN_CORNERS) {
        const uint16_t *above = s->cell + (size_t)(y - 1) * s->stride;
        const uint16_t *below = above + s->stride;
        uint16_t q[4] = {above[x - 1], above[x], below[x - 1], below[x]};
        bool flat = q[0] == q[1] && q[0] == q[2] && q[0] == q[3];
        unsigned corners = flat ? 0 : quad_corners(b, q);
        *known = (uint16_t)(corners < UNKNOWN_CORNERS ? corners : UNKNOWN_CORNERS - 1);
        return corners;
    }
    return *known;
}

/* The corners of the set's lattice points as the cells are now. */
static unsigned corners_now(band *b, const cell_set *set)
{
    unsigned total = 0;
    for (int y = set->y0; y <= set->y1 + 1; y++)
        for (int x = set->x0; x <= set->x1 + 1; x++)
            total += point_corners(b, x, y);
    return total;
}

/* Forgets the corners of the lattice points around the set's cells, whose
 * color changed. */
static void forget_corners(const simplifier *s, const cell_set *set)
{
    for (int k = 0; k < set->count; k++) {
        uint16_t *at = &s->point_corners[set->cell[k]];
        at[0] = at[1] = at[s->stride] = at[s->stride + 1] = UNKNOWN_CORNERS;
    }
}

/* Corners at the lattice points at the corners of cells x0..x1, y0..y1
 * (a point whose four cells agree has none), counted until they exceed
 * limit: the count, or a number above limit. */
static unsigned corners_in(band *b, int x0, int y0, int x1, int y1, unsigned limit)
{
    const simplifier *s = b->s;
    unsigned total = 0;
    for (int y = y0; y <= y1 + 1; y++) {
        const uint16_t *above = s->cell + (size_t)(y - 1) * s->stride;
        const uint16_t *below = above + s->stride;
        for (int x = x0; x <= x1 + 1; x++) {
            uint16_t q[4] = {above[x - 1], above[x], below[x - 1], below[x]};
            if (q[0] == q[1] && q[0] == q[2] && q[0] == q[3])
                continue;
            total += quad_corners(b, q);
            if (total > limit)
                return total;
        }
    }
    return total;
}

/* Whether the cell's pixel may print entry within its budget; adds its
 * ΔE00 to *de. */
static bool within_budget(simplifier *s, uint32_t cell, uint16_t entry, double *de)
{
    size_t x = cell % s->stride - 1, y = cell / s->stride - 1;
    size_t i = y * (size_t)s->width + x;
    float px[3];
    fsk_color_of_key(s->keys[i], px);
    double rgb[3] = {px[0], px[1], px[2]}, lab[3];
    fsk_linear_to_lab(rgb, lab);
    if (isnan(s->budget[i])) {
        /* Stored as a float rounded down, so the bound holds exactly. */
        double budget = fsk_de2000(lab, s->cal->entries[s->matched[i]].lab) + s->tolerance;
        float stored = (float)budget;
        s->budget[i] = (double)stored > budget ? nextafterf(stored, 0.0f) : stored;
    }
    double d = fsk_de2000(lab, s->cal->entries[entry].lab);
    *de += d;
    return d <= (double)s->budget[i];
}

static void set_all(simplifier *s, const cell_set *set, uint16_t label)
{
    for (int k = 0; k < set->count; k++)
        s->cell[set->cell[k]] = label;
}

/* The colors of the set's 4-neighbours outside it, other than its own, in
 * the order met; at most MAX_OPTIONS. */
static int neighbour_colors(const simplifier *s, const cell_set *set, uint16_t own,
                            uint16_t *options)
{
    const ptrdiff_t step[4] = {-(ptrdiff_t)s->stride, -1, 1, (ptrdiff_t)s->stride};
    int n = 0;
    for (int k = 0; k < set->count && n < MAX_OPTIONS; k++)
        for (int d = 0; d < 4 && n < MAX_OPTIONS; d++) {
            uint16_t l = s->cell[(ptrdiff_t)set->cell[k] + step[d]];
            bool seen = l == FSK_STACK_NONE || l == own;
            for (int j = 0; j < n && !seen; j++)
                seen = options[j] == l;
            if (!seen)
                options[n++] = l;
        }
    return n;
}

/* A change can make another one worthwhile only where the corners it
 * touched are counted: cells up to two away from the set, in the band. */
static void mark_nearby(band *b, const cell_set *set)
{
    const simplifier *s = b->s;
    int x0 = set->x0 - 2 < 1 ? 1 : set->x0 - 2, y0 = set->y0 - 2 < b->y0 ? b->y0 : set->y0 - 2;
    int x1 = set->x1 + 2 > s->width ? s->width : set->x1 + 2;
    int y1 = set->y1 + 2 > b->y1 ? b->y1 : set->y1 + 2;
    for (int y = y0; y <= y1; y++)
        memset(b->look_next + (size_t)y * s->stride + (size_t)x0 - b->base, 1,
               (size_t)(x1 - x0 + 1));
}

/* Gives the set the neighbour color that lowers the corners most, when
 * every pixel of it stays within budget (ties: the smaller sum of color
 * errors). Returns the corners removed. */
static unsigned improve_set(band *b, const cell_set *set)
{
    simplifier *s = b->s;
    uint16_t own = s->cell[set->cell[0]];
    uint16_t options[MAX_OPTIONS];
    int n = neighbour_colors(s, set, own, options);
    if (n == 0)
        return 0;
    const unsigned before = corners_now(b, set);
    unsigned best_corners = before;
    uint16_t best = own;
    double best_de = INFINITY;
    for (int k = 0; k < n; k++) {
        set_all(s, set, options[k]);
        /* An option is looked at further only with fewer corners than the
         * best so far, or as few once another option is the best: counting
         * stops past that. */
        unsigned limit = best == own ? best_corners - (best_corners > 0) : best_corners;
        unsigned c = corners_in(b, set->x0, set->y0, set->x1, set->y1, limit);
        if (c > best_corners || (c == best_corners && best == own))
            continue;
        double de = 0;
        bool ok = true;
        for (int p = 0; p < set->count && ok; p++)
            ok = within_budget(s, set->cell[p], options[k], &de);
        if (ok && (c < best_corners || de < best_de)) {
            best_corners = c;
            best = options[k];
            best_de = de;
        }
    }
    set_all(s, set, best);
    if (best != own) {
        forget_corners(s, set);
        mark_nearby(b, set);
    }
    return before - best_corners;
}

/* Eight cells of the bordered copy from c, as a vector. */
typedef uint16_t cells8 __attribute__((vector_size(16)));

static cells8 cells_at(const simplifier *s, size_t c)
{
    cells8 v;
    memcpy(&v, s->cell + c, sizeof v);
    return v;
}

/* Bit j set when cell c + j (j < 8) is colored and has a colored
 * 4-neighbour of another color: where a change of color can save corners.
 * The bordered copy (and its padding) makes every neighbour readable;
 * bits of cells past the end of a row mean nothing. */
static unsigned other_neighbour_bits(const simplifier *s, size_t c)
{
    const cells8 none = {FSK_STACK_NONE, FSK_STACK_NONE, FSK_STACK_NONE, FSK_STACK_NONE,
                         FSK_STACK_NONE, FSK_STACK_NONE, FSK_STACK_NONE, FSK_STACK_NONE};
    cells8 own = cells_at(s, c);
    cells8 n[4] = {cells_at(s, c - s->stride), cells_at(s, c - 1), cells_at(s, c + 1),
                   cells_at(s, c + s->stride)};
    cells8 other = {0};
    for (int k = 0; k < 4; k++)
        other |= (cells8)((n[k] != own) & (n[k] != none));
    other &= (cells8)(own != none);
    unsigned bits = 0;
    for (int j = 0; j < 8; j++)
        bits |= (unsigned)(other[j] & 1) << j;
    return bits;
}

/* Bit j set when cell c + j (j < 8) is worth a look in this pass (the
 * flags are bytes 0 or 1, with padding past the band's last cell). */
static unsigned look_bits(const band *b, size_t c)
{
    uint64_t flags;
    memcpy(&flags, b->look_now + (c - b->base), sizeof flags);
    return (unsigned)(((flags & 0x0101010101010101u) * 0x0102040810204080u) >> 56);
}

/* The bits of the first count of eight cells. */
static unsigned first_bits(int count)
{
    return count >= 8 ? 0xFFu : (1u << count) - 1;
}

/* Bits above bit j. */
static unsigned bits_after(int j)
{
    return 0xFFu << (j + 1) & 0xFFu;
}

/* Pass over single pixels with a differently colored neighbour, eight
 * cells of a row at a time: a change of color is looked for at the cells
 * worth a look with such a neighbour, in order, the neighbours found again
 * after each change. */
static uint64_t pixel_pass(band *b)
{
    const simplifier *s = b->s;
    uint64_t saved = 0;
    for (int y = b->y0; y <= b->y1; y++)
        for (int x0 = 1; x0 <= s->width; x0 += 8) {
            const size_t c0 = (size_t)y * s->stride + (size_t)x0;
            const unsigned looked = look_bits(b, c0) & first_bits(s->width - x0 + 1);
            unsigned todo = looked ? looked & other_neighbour_bits(s, c0) : 0;
            while (todo) {
                int j = __builtin_ctz(todo);
                uint32_t c = (uint32_t)(c0 + (size_t)j);
                cell_set set = {&c, 1, x0 + j, y, x0 + j, y};
                unsigned removed = improve_set(b, &set);
                saved += removed;
                todo = (removed ? looked & other_neighbour_bits(s, c0) : todo) & bits_after(j);
            }
        }
    return saved;
}

/* Pass over pairs of pixels of one color, side by side or one above the
 * other: a bump two pixels wide, which no single change flattens. */
static uint64_t pair_pass(band *b)
{
    const simplifier *s = b->s;
    uint64_t saved = 0;
    for (int y = b->y0; y <= b->y1; y++)
        for (int x0 = 1; x0 <= s->width; x0 += 8) {
            const size_t c0 = (size_t)y * s->stride + (size_t)x0;
            /* A pair is worth a look when one of its cells is. */
            const unsigned at = look_bits(b, c0), right_at = look_bits(b, c0 + 1);
            const unsigned down_at = y < b->y1 ? look_bits(b, c0 + s->stride) : 0;
            const unsigned looked = (at | right_at | down_at) & first_bits(s->width - x0 + 1);
            unsigned todo = looked ? looked & other_neighbour_bits(s, c0) : 0;
            while (todo) {
                int j = __builtin_ctz(todo);
                uint32_t pair[2] = {(uint32_t)(c0 + (size_t)j)};
                const uint32_t right = pair[0] + 1, down = pair[0] + (uint32_t)s->stride;
                const bool here = at >> j & 1;
                unsigned removed = 0;
                if (s->cell[right] == s->cell[pair[0]] && (here || (right_at >> j & 1))) {
                    pair[1] = right;
                    cell_set set = {pair, 2, x0 + j, y, x0 + j + 1, y};
                    removed += improve_set(b, &set);
                }
                if (y < b->y1 && s->cell[down] == s->cell[pair[0]] &&
                    (here || (down_at >> j & 1))) {
                    pair[1] = down;
                    cell_set set = {pair, 2, x0 + j, y, x0 + j, y + 1};
                    removed += improve_set(b, &set);
                }
                saved += removed;
                todo = (removed ? looked & other_neighbour_bits(s, c0) : todo) & bits_after(j);
            }
        }
    return saved;
}

/* The region of cell start (4-connected, one color): flood filled under
 * a new stamp, and when small (at most MAX_REGION cells, within the band,
 * met by no earlier fill of this pass, whose stamps are first or above)
 * and of more than two cells, given a better color (improve_set). Returns
 * the corners removed. */
static unsigned judge_region(band *b, size_t start, uint32_t first)
{
    const simplifier *s = b->s;
    const size_t end = (size_t)(b->y1 + 1) * s->stride;
    const ptrdiff_t step[4] = {-(ptrdiff_t)s->stride, -1, 1, (ptrdiff_t)s->stride};
    uint32_t *stamp = b->stamp - b->base; /* indexed by cell */
    uint32_t region[MAX_REGION];
    uint32_t stack[4 * MAX_REGION + 1];
    const uint32_t id = ++b->flood;
    const uint16_t own = s->cell[start];
    size_t top = 0;
    bool small = true;
    stack[top++] = (uint32_t)start;
    stamp[start] = id;
    cell_set set = {region, 0, s->width + 1, s->height + 1, 0, 0};
    while (top && small) {
        uint32_t c = stack[--top];
        if (set.count == MAX_REGION) {
            small = false;
            break;
        }
        region[set.count++] = c;
        int x = (int)(c % s->stride), y = (int)(c / s->stride);
        set.x0 = x < set.x0 ? x : set.x0;
        set.y0 = y < set.y0 ? y : set.y0;
        set.x1 = x > set.x1 ? x : set.x1;
        set.y1 = y > set.y1 ? y : set.y1;
        for (int d = 0; d < 4; d++) {
            size_t j = (size_t)((ptrdiff_t)c + step[d]);
            if (s->cell[j] != own || (j >= b->base && j < end && stamp[j] == id))
                continue;
            if (j < b->base || j >= end || stamp[j] >= first) {
                small = false; /* leaves the band, or met before */
                break;
            }
            stamp[j] = id;
            stack[top++] = (uint32_t)j;
        }
    }
    return small && set.count > 2 ? improve_set(b, &set) : 0;
}

/* Pass over small regions with a cell worth a look and a differently
 * colored neighbour (judge_region), eight cells at a time as in
 * pixel_pass. Each flood fill gets its own stamp and stops past
 * MAX_REGION pixels; one that meets another's stamp is in a region
 * already judged, or too big. So every cell is filled at most once a
 * pass. */
static uint64_t region_pass(band *b)
{
    const simplifier *s = b->s;
    const size_t end = (size_t)(b->y1 + 1) * s->stride;
    if (b->flood > UINT32_MAX - (end - b->base) - 1) {
        memset(b->stamp, 0, (end - b->base) * sizeof *b->stamp);
        b->flood = 0;
    }
    const uint32_t first = b->flood + 1;
    uint64_t saved = 0;
    for (size_t c0 = b->base; c0 < end; c0 += 8) {
        const unsigned looked =
            look_bits(b, c0) & first_bits(end - c0 < 8 ? (int)(end - c0) : 8);
        unsigned todo = looked ? looked & other_neighbour_bits(s, c0) : 0;
        while (todo) {
            const int j = __builtin_ctz(todo);
            unsigned removed = b->stamp[c0 + (size_t)j - b->base] >= first
                                   ? 0
                                   : judge_region(b, c0 + (size_t)j, first);
            saved += removed;
            todo = (removed ? looked & other_neighbour_bits(s, c0) : todo) & bits_after(j);
        }
    }
    return saved;
}

static void band_free(band *b)
{
    fsk_corner_memo_free(&b->memo);
    free(b->stamp);
    free(b->look_now);
    free(b->look_next);
}

/* Simplifies one band until nothing changes (task of fsk_parallel_for). */
static void simplify_band(band *b)
{
    const simplifier *s = b->s;
    const size_t cells = (size_t)(b->y1 - b->y0 + 1) * s->stride;
    b->base = (size_t)b->y0 * s->stride;
    int memo_rc = fsk_corner_memo_init(&b->memo, MEMO_LOG2);
    b->stamp = calloc(cells, sizeof *b->stamp);
    /* Padded for look_bits, which reads eight flags at a time. */
    b->look_now = calloc(cells + LOOK_PAD, 1);
    b->look_next = calloc(cells + LOOK_PAD, 1);
    if (memo_rc || !b->stamp || !b->look_now || !b->look_next) {
        b->failed = true;
        band_free(b);
        return;
    }
    memset(b->look_now, 1, cells);
    for (bool changed = true; changed && b->st.passes < MAX_PASSES; b->st.passes++) {
        uint64_t saved = pixel_pass(b);
        saved += pair_pass(b);
        saved += region_pass(b);
        uint8_t *t = b->look_now;
        b->look_now = b->look_next;
        b->look_next = t;
        memset(b->look_next, 0, cells);
        b->st.corners_removed += saved;
        changed = saved > 0;
    }
    band_free(b);
}

/*
 * The bands are handed out to the threads in this order: every even band,
 * then each odd band as soon as the even bands on both sides of it are
 * done (not once all of them are: a slow band then holds up only its
 * neighbours). No band runs beside a neighbour, and each odd band sees its
 * neighbours finished, so the result is that of all even bands, then all
 * odd ones, whatever the timing.
 */
typedef struct band_queue {
    pthread_mutex_t lock;
    pthread_cond_t finished; /* a band is done */
    band *bands;
    int count;
    int next_even;           /* the next even band to hand out */
} band_queue;

static bool neighbours_done(const band_queue *q, int k)
{
    return q->bands[k - 1].state == BAND_DONE &&
           (k + 1 >= q->count || q->bands[k + 1].state == BAND_DONE);
}

/* The next band to simplify, waiting for one to become ready; -1 when all
 * have been handed out. Under q->lock. */
static int take_band(band_queue *q)
{
    for (;;) {
        if (q->next_even < q->count) {
            int k = q->next_even;
            q->next_even += 2;
            q->bands[k].state = BAND_RUNNING;
            return k;
        }
        bool left = false;
        for (int k = 1; k < q->count; k += 2) {
            if (q->bands[k].state != BAND_WAITING)
                continue;
            left = true;
            if (neighbours_done(q, k)) {
                q->bands[k].state = BAND_RUNNING;
                return k;
            }
        }
        if (!left)
            return -1;
        pthread_cond_wait(&q->finished, &q->lock);
    }
}

/* One thread's share: bands from the queue until none is left. */
static void band_worker(void *ctx, int k)
{
    (void)k;
    band_queue *q = ctx;
    pthread_mutex_lock(&q->lock);
    for (int b; (b = take_band(q)) >= 0;) {
        pthread_mutex_unlock(&q->lock);
        simplify_band(&q->bands[b]);
        pthread_mutex_lock(&q->lock);
        q->bands[b].state = BAND_DONE;
        pthread_cond_broadcast(&q->finished);
    }
    pthread_mutex_unlock(&q->lock);
}

static void simplifier_free(simplifier *s)
{
    free(s->cell);
    free(s->point_corners);
    free(s->budget);
    fsk_stack_table_free(&s->stacks);
}

static int simplifier_init(simplifier *s, const uint16_t *labels, int width, int height)
{
    const size_t n = (size_t)width * (size_t)height;
    const size_t cells = s->stride * (size_t)(height + 2);
    s->cell = malloc((cells + CELL_PAD) * sizeof *s->cell);
    s->point_corners = malloc(cells * sizeof *s->point_corners);
    s->budget = fsk_alloc_large(n * sizeof *s->budget);
    if (!s->cell || !s->point_corners || !s->budget ||
        fsk_stack_table_init(&s->stacks, s->cal, s->cal->entry_count))
        return FSK_ENOMEM;
    memset(s->point_corners, 0xFF, cells * sizeof *s->point_corners);
    for (size_t e = 0; e < s->cal->entry_count; e++)
        fsk_stack_table_set(&s->stacks, e, s->cal->entries[e].sequence);
    for (size_t i = 0; i < n; i++)
        s->budget[i] = NAN;
    for (size_t c = 0; c < cells + CELL_PAD; c++)
        s->cell[c] = FSK_STACK_NONE;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            uint16_t l = labels[(size_t)y * (size_t)width + (size_t)x];
            s->cell[(size_t)(y + 1) * s->stride + (size_t)x + 1] =
                fsk_label_is_transparent(l) ? FSK_STACK_NONE : l;
        }
    return 0;
}

int fsk_simplify_boundaries(uint16_t *labels, int width, int height, const uint32_t *keys,
                            const fsk_calibration *cal, double tolerance, int threads,
                            fsk_simplify_stats *stats, fsk_err *err)
{
    fsk_simplify_stats st = {0};
    if (tolerance <= 0 || width <= 0 || height <= 0) {
        if (stats)
            *stats = st;
        return 0;
    }
    simplifier s = {.width = width, .height = height, .stride = (size_t)width + 2,
                    .keys = keys, .cal = cal, .matched = labels, .tolerance = tolerance};
    const int count = (height + BAND_ROWS - 1) / BAND_ROWS;
    band *bands = calloc((size_t)count, sizeof *bands);
    if (!bands || simplifier_init(&s, labels, width, height)) {
        free(bands);
        simplifier_free(&s);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (int k = 0; k < count; k++) {
        bands[k].s = &s;
        bands[k].y0 = 1 + k * BAND_ROWS;
        bands[k].y1 = k == count - 1 ? height : (k + 1) * BAND_ROWS;
    }
    band_queue q = {.bands = bands, .count = count};
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.finished, NULL);
    fsk_parallel_for(threads, threads > 1 ? threads : 1, band_worker, &q);
    pthread_mutex_destroy(&q.lock);
    pthread_cond_destroy(&q.finished);
    bool failed = false;
    for (int k = 0; k < count; k++) {
        failed |= bands[k].failed;
        st.corners_removed += bands[k].st.corners_removed;
        st.passes = bands[k].st.passes > st.passes ? bands[k].st.passes : st.passes;
    }
    free(bands);
    if (failed) {
        simplifier_free(&s);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            size_t i = (size_t)y * (size_t)width + (size_t)x;
            uint16_t now = s.cell[(size_t)(y + 1) * s.stride + (size_t)x + 1];
            if (now != FSK_STACK_NONE && now != labels[i]) {
                labels[i] = now;
                st.pixels_changed++;
            }
        }
    simplifier_free(&s);
    if (stats)
        *stats = st;
    return 0;
}
