/*
 * fsk_match.c — the matcher: candidate selection (dropping near-duplicate
 * entries in preference order), exact nearest search, and the lookup table
 * over the sRGB cube that answers most lookups without any color math.
 *
 * The table is an octree over the cells: a box starts with the candidates
 * of its parent, keeps those whose lower distance bound over the box does
 * not exceed the smallest upper bound, and is split in eight while more
 * than one candidate remains. A box that ends with one candidate fills its
 * cells with it; a cell of the finest level with several stores their list
 * (sorted by lower bound, then rank, so exact evaluation breaks ties as
 * the full search does).
 *
 * Boxes are built lazily, on the path from the root to the first cell a
 * lookup falls in, each from its parent's list exactly as a full top-down
 * build would: a cell's content never depends on which cells were asked
 * for first. Each eighth of the cube (below the root) is built under its
 * own lock, so threads working in different eighths do not wait for each
 * other; finished cells are published with release stores and read with
 * acquire loads, and the lists they point to live in chunks that never
 * move, so lookups need no lock.
 *
 * While colors are still announced, a build ahead builds only what no
 * later announcement can change; a cell it must leave (its list could yet
 * be divided, or a box above it is sparse so far) keeps the list it would
 * have now as tentative, which answers provisionally
 * (fsk_matcher_nearest_built) and, for a deferred cell, becomes its list
 * when it is built undivided.
 */
#include "fsk_match.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"

#define GRID_LOG2 5
#define GRID (1 << GRID_LOG2)
_Static_assert(FSK_MATCH_CELLS == GRID * GRID * GRID, "the cells fsk_match.h counts");
#define SINGLE 0x80000000u
#define PENDING 0x7FFFFFFFu   /* a cell not built yet */
#define SPLIT 0x40000000u     /* a cell divided in eight: SPLIT | block index */
#define DUPLICATE_DE00 0.5
/* Leaf lists live in chunks of 2^16 entries; a cell's offset is
 * chunk << 16 | index, below SPLIT. */
#define CHUNK_LOG2 16
#define CHUNK_SIZE (1u << CHUNK_LOG2)
#define MAX_CHUNKS (SPLIT >> CHUNK_LOG2)
/* A cell is divided in eight when its list has at least SPLIT_LIST
 * candidates and at least SPLIT_COLORS colors per listed candidate are
 * announced in it (fsk_matcher_expect): building an eighth costs about one
 * bound per candidate of the list, as much as a few dozen lookups' search
 * through it. Blocks of eight come in chunks of 2^12, at most one per
 * cell. */
#define SPLIT_LIST 8
#define SPLIT_COLORS 4
/* Below the root, a box fewer than SPARSE_COLORS + 1/4 color per
 * candidate of its parent's list are announced in is not built: its cells
 * search that list. Building it costs a bound per candidate of the list
 * (about 0.3 us each, and more for the boxes below it); a lookup pays
 * about 12 ns per candidate it bounds, and the parent's list makes it
 * bound more than the box's own would. With the distinct 8-bit colors of
 * four photos (16x16 to 6000x4000 pixels, 20 to 174,000 colors) announced,
 * this did best. */
#define SPARSE_COLORS 8
#define SPARSE_QUARTERS_PER_CANDIDATE 1
#define BLOCK_CHUNK_LOG2 12
#define BLOCK_CHUNK_SIZE (1u << BLOCK_CHUNK_LOG2)
#define MAX_BLOCK_CHUNKS ((GRID * GRID * GRID) >> BLOCK_CHUNK_LOG2) /* a block per cell */
/* Interior boxes: unbuilt, filled with one candidate, or list offset + 2. */
#define NODE_UNBUILT 0u
#define NODE_FILLED 1u

typedef struct list_chunk {
    uint16_t rank[CHUNK_SIZE]; /* per list: length, then ranks by lower bound */
    float lb[CHUNK_SIZE];      /* lower bound of each listed rank in its cell */
} list_chunk;

/* The eighths of a divided cell, each like a cell (SINGLE | rank,
 * PENDING or a list offset), and the divided cell's list (an interior list
 * of its octant), from which they are built. */
typedef struct cell_block {
    _Atomic uint32_t part[8]; /* index (r_half << 2 | g_half << 1 | b_half) */
    uint32_t parent;          /* node value of the cell's list */
} cell_block;

/* One eighth of the cube below the root: its lock, the interior lists of
 * its boxes, scratch and counts. */
typedef struct octant {
    pthread_mutex_t lock;
    uint16_t *nrank;              /* interior lists: length, then ranks */
    double *nlb;                  /* and their lower bounds */
    size_t nlen, ncap;
    double *lo, *hi;              /* scratch per list position */
    uint16_t *kept;
    double *klb;
    int failed;                   /* out of memory once: build nothing more */
    size_t single_cells, list_cells, list_total, list_max, split_cells, sparse_cells;
} octant;

/* Everything the lazy build changes; reached through a pointer so that
 * lookups on a const matcher can complete it. */
typedef struct table {
    _Atomic uint32_t *cells;   /* GRID^3, index (r * GRID + g) * GRID + b */
    pthread_mutex_t pool_lock;    /* for the chunks */
    _Atomic(list_chunk *) *chunk; /* MAX_CHUNKS slots */
    uint32_t chunks, chunk_used;  /* chunks made; entries used in the last */
    _Atomic(cell_block *) *block_chunk; /* MAX_BLOCK_CHUNKS slots, under pool_lock */
    uint32_t blocks;              /* blocks made */
    uint32_t *expected;           /* GRID^3: colors announced per cell, or NULL */
    /* Per box of levels 0 .. GRID_LOG2 - 1 (box_slot): the colors announced
     * in it, and its list copied as a leaf for the sparse boxes below it
     * (PENDING until needed). NULL without fsk_matcher_expect. */
    uint32_t *box_expected;
    _Atomic uint32_t *box_leaf;
    bool exactly;                 /* lookups only of the expected colors */
    uint8_t *deferred;            /* GRID^3: left unbuilt by a build ahead */
    /* GRID^3, with deferred: for a cell a build ahead left unbuilt, the
     * list it will have unless later colors change that (a deferred cell's
     * own list, or the list of the parent of the sparse box it is in), or
     * PENDING. */
    uint32_t *tentative;
    /* Per level l: 8^l boxes, NODE_* or offset + 2 into their octant's
     * lists; each entry is touched only under its octant's lock. */
    uint32_t *node[GRID_LOG2];
    uint16_t *root;               /* the root's list: length, then ranks */
    double *root_lb;
    size_t root_cells;            /* cells filled by the root itself */
    octant oct[8];
} table;

struct fsk_matcher {
    fsk_metric metric;
    size_t entry_count;
    size_t allowed;
    float (*lin)[3];      /* every entry's linear RGB */
    double (*all_pt)[3];  /* every entry's metric coordinates (see pt) */
    size_t cand_count;
    uint16_t *cand;       /* rank -> entry index, preference order */
    size_t *twin_start;   /* rank -> its twins: twin[twin_start[r] .. twin_start[r + 1]) */
    uint16_t *twin;       /* entries grouped by the candidate they duplicate */
    int32_t *rank_of;     /* entry -> its rank as a candidate, or -1 */
    double (*pt)[3];      /* rank -> Lab, or sRGB 0..255 for FSK_METRIC_RGB */
    fsk_de2000_point *dp; /* rank -> prepared for fsk_de2000_range */
    fsk_srgb_cells cells; /* cell k covers linear [edges[k], edges[k + 1]] */
    fsk_srgb_cells halves; /* the same for halves of cells */
    uint8_t code_cell[256]; /* 8-bit sRGB code -> the cell of its linear value */
    table *t;
};

const char *fsk_metric_name(fsk_metric metric)
{
    switch (metric) {
    case FSK_METRIC_DE2000: return "de2000";
    case FSK_METRIC_DE76: return "de76";
    case FSK_METRIC_RGB: return "rgb";
    }
    return "de2000";
}

int fsk_metric_parse(const char *name, fsk_metric *out)
{
    static const fsk_metric all[] = {FSK_METRIC_DE2000, FSK_METRIC_DE76,
                                     FSK_METRIC_RGB};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, fsk_metric_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return FSK_EINVAL;
}

/* ---- candidates ------------------------------------------------------- */

typedef struct pref {
    int filaments, layers;
    uint16_t entry;
} pref;

static int cmp_pref(const void *pa, const void *pb)
{
    const pref *a = pa, *b = pb;
    if (a->filaments != b->filaments)
        return a->filaments < b->filaments ? -1 : 1;
    if (a->layers != b->layers)
        return a->layers < b->layers ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

static int lab_bucket(double l)
{
    int b = (int)floor(l);
    return b < 0 ? 0 : b > 100 ? 100 : b;
}

/*
 * Keeps, in preference order, every entry with no kept entry closer than
 * DUPLICATE_DE00. Since ΔE00 >= |ΔL| / SL and SL <= 1.75 for L in 0..100,
 * entries whose L differs by 0.875 or more are never duplicates: kept
 * entries are bucketed by whole L, only neighbouring buckets looked at,
 * and ΔE00 computed only for entries less than 0.875 apart in L.
 */
static int select_candidates(fsk_matcher *m, const fsk_calibration *cal,
                             const pref *order, size_t n, fsk_err *err)
{
    int head[101];
    int *next = malloc(n * sizeof *next);
    int *owner = malloc(n * sizeof *owner); /* order index -> rank it duplicates */
    m->cand = malloc(n * sizeof *m->cand);
    m->twin = malloc(n * sizeof *m->twin);
    m->twin_start = calloc(n + 2, sizeof *m->twin_start);
    m->rank_of = malloc(m->entry_count * sizeof *m->rank_of);
    if (!next || !owner || !m->cand || !m->twin || !m->twin_start || !m->rank_of) {
        free(next);
        free(owner);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (int b = 0; b < 101; b++)
        head[b] = -1;
    for (size_t e = 0; e < m->entry_count; e++)
        m->rank_of[e] = -1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const double *lab = cal->entries[order[i].entry].lab;
        int b = lab_bucket(lab[0]);
        int dup = -1;
        for (int nb = b - 1; nb <= b + 1 && dup < 0; nb++) {
            if (nb < 0 || nb > 100)
                continue;
            for (int k = head[nb]; k >= 0 && dup < 0; k = next[k]) {
                const double *kept_lab = cal->entries[m->cand[k]].lab;
                if (fabs(lab[0] - kept_lab[0]) < 0.875 &&
                    fsk_de2000(lab, kept_lab) < DUPLICATE_DE00)
                    dup = k;
            }
        }
        if (dup >= 0) {
            owner[i] = dup;
            continue;
        }
        owner[i] = (int)kept;
        m->rank_of[order[i].entry] = (int32_t)kept;
        m->cand[kept] = order[i].entry;
        next[kept] = head[b];
        head[b] = (int)kept;
        kept++;
    }
    /* Group the entries by owner, each group in preference order (so the
     * candidate itself comes first): a counting sort. */
    for (size_t i = 0; i < n; i++)
        m->twin_start[owner[i] + 2]++;
    for (size_t r = 0; r < kept; r++)
        m->twin_start[r + 2] += m->twin_start[r + 1];
    for (size_t i = 0; i < n; i++)
        m->twin[m->twin_start[owner[i] + 1]++] = order[i].entry;
    free(next);
    free(owner);
    m->cand_count = kept;
    return 0;
}

/* ---- exact evaluation ------------------------------------------------- */

static void clamp3(const float in[3], float out[3])
{
    for (int i = 0; i < 3; i++) {
        float v = in[i];
        out[i] = !(v > 0) ? 0.0f : v > 1 ? 1.0f : v;
    }
}

/* The metric's coordinates of a clamped linear color. */
static void point_of(const fsk_matcher *m, const float c[3], double p[3])
{
    double lin[3] = {c[0], c[1], c[2]};
    if (m->metric == FSK_METRIC_RGB) {
        for (int i = 0; i < 3; i++)
            p[i] = fsk_linear_to_srgb(lin[i]) * 255.0;
    } else {
        fsk_linear_to_lab(lin, p);
    }
}

/* The metric's distance. */
static double score(const fsk_matcher *m, const double p[3], const double e[3])
{
    switch (m->metric) {
    case FSK_METRIC_DE76: return fsk_de76(p, e);
    case FSK_METRIC_RGB: {
        double d0 = p[0] - e[0], d1 = p[1] - e[1], d2 = p[2] - e[2];
        return sqrt(d0 * d0 + d1 * d1 + d2 * d2);
    }
    case FSK_METRIC_DE2000: break;
    }
    return fsk_de2000(p, e);
}

uint16_t fsk_matcher_nearest_exact(const fsk_matcher *m,
                                   const float linear_rgb[3])
{
    float c[3];
    double p[3];
    clamp3(linear_rgb, c);
    point_of(m, c, p);
    size_t best = 0;
    double best_d = INFINITY;
    for (size_t r = 0; r < m->cand_count; r++) {
        double d = score(m, p, m->pt[r]);
        if (d < best_d) {
            best_d = d;
            best = r;
        }
    }
    return m->cand[best];
}

double fsk_matcher_distance(const fsk_matcher *m, const float linear_rgb[3],
                            uint16_t entry)
{
    float c[3];
    double p[3];
    clamp3(linear_rgb, c);
    point_of(m, c, p);
    if (entry >= m->entry_count)
        return INFINITY;
    return score(m, p, m->all_pt[entry]);
}

/* ---- lookup table ----------------------------------------------------- */

static size_t cell_index(int r, int g, int b)
{
    return ((size_t)r * GRID + (size_t)g) * GRID + (size_t)b;
}

/* The box of level `level` (0 the root, GRID_LOG2 the cells) holding cell
 * (r, g, b), numbered within its level. */
static size_t box_index(int level, int r, int g, int b)
{
    int shift = GRID_LOG2 - level;
    return (((size_t)(r >> shift) << level | (size_t)(g >> shift)) << level) |
           (size_t)(b >> shift);
}

/* Where box `index` of level `level` < GRID_LOG2 sits in the arrays of all
 * levels: after the 8^0 + ... + 8^(level-1) boxes above it. */
static size_t box_slot(int level, size_t index)
{
    return ((((size_t)1 << (3 * level)) - 1) / 7) + index;
}

#define BOX_SLOTS ((((size_t)1 << (3 * GRID_LOG2)) - 1) / 7)

/* Appends a leaf list to the chunks; its offset, or PENDING when out of
 * memory or room. */
static uint32_t leaf_append(table *t, const uint16_t *list, const double *lb, size_t n)
{
    pthread_mutex_lock(&t->pool_lock);
    uint32_t offset = PENDING;
    if (t->chunks == 0 || t->chunk_used + n + 1 > CHUNK_SIZE) {
        list_chunk *c = t->chunks < MAX_CHUNKS ? malloc(sizeof *c) : NULL;
        if (!c) {
            pthread_mutex_unlock(&t->pool_lock);
            return PENDING;
        }
        atomic_store_explicit(&t->chunk[t->chunks], c, memory_order_release);
        t->chunks++;
        t->chunk_used = 0;
    }
    list_chunk *c = atomic_load_explicit(&t->chunk[t->chunks - 1], memory_order_relaxed);
    uint32_t at = t->chunk_used;
    c->rank[at] = (uint16_t)n;
    c->lb[at] = 0;
    for (size_t k = 0; k < n; k++) {
        /* Rounded down, so skipping on it stays exact. */
        float f = (float)lb[k];
        if ((double)f > lb[k])
            f = nextafterf(f, -INFINITY);
        c->rank[at + 1 + k] = list[k];
        c->lb[at + 1 + k] = f;
    }
    t->chunk_used += (uint32_t)n + 1;
    offset = (t->chunks - 1) << CHUNK_LOG2 | at;
    pthread_mutex_unlock(&t->pool_lock);
    return offset;
}

/* The length of the leaf list at offset v. */
static size_t leaf_length(const table *t, uint32_t v)
{
    const list_chunk *c = atomic_load_explicit(&t->chunk[v >> CHUNK_LOG2], memory_order_acquire);
    return c->rank[v & (CHUNK_SIZE - 1)];
}

/* Gives cell at[] the leaf list `value` of nk candidates, counted. Under
 * the lock of octant o. */
static void store_leaf(table *t, octant *o, const int at[3], uint32_t value, size_t nk)
{
    o->list_cells++;
    o->list_total += nk;
    if (nk > o->list_max)
        o->list_max = nk;
    atomic_store_explicit(&t->cells[cell_index(at[0], at[1], at[2])], value,
                          memory_order_release);
}

/* Appends an interior list; its node value, or NODE_UNBUILT when out of
 * memory. Under the octant's lock. */
static uint32_t node_append(octant *t, const uint16_t *list, const double *lb, size_t n)
{
    if (t->nlen + n + 1 > t->ncap) {
        size_t cap = t->ncap ? t->ncap * 2 : 4096;
        while (cap < t->nlen + n + 1)
            cap *= 2;
        if (cap + 2 >= PENDING)
            return NODE_UNBUILT;
        uint16_t *r = realloc(t->nrank, cap * sizeof *r);
        if (r)
            t->nrank = r;
        double *l = r ? realloc(t->nlb, cap * sizeof *l) : NULL;
        if (!l)
            return NODE_UNBUILT;
        t->nlb = l;
        t->ncap = cap;
    }
    uint32_t at = (uint32_t)t->nlen;
    t->nrank[at] = (uint16_t)n;
    t->nlb[at] = 0;
    memcpy(t->nrank + at + 1, list, n * sizeof *list);
    memcpy(t->nlb + at + 1, lb, n * sizeof *lb);
    t->nlen += n + 1;
    return at + 2;
}

static void fill(table *t, const int at[3], int size, uint32_t value)
{
    for (int r = at[0]; r < at[0] + size; r++)
        for (int g = at[1]; g < at[1] + size; g++)
            for (int b = at[2]; b < at[2] + size; b++)
                atomic_store_explicit(&t->cells[cell_index(r, g, b)], value,
                                      memory_order_release);
}

/*
 * For the Euclidean metrics, |p - o|^2 - |p - b|^2 is linear in p: o is
 * farther than b everywhere in the box when it is positive at every
 * corner.
 */
static bool dominated(const double lo[3], const double hi[3], const double b[3],
                      const double o[3])
{
    double least = INFINITY;
    for (int c = 0; c < 8; c++) {
        double v = 0;
        for (int i = 0; i < 3; i++) {
            double p = (c >> i) & 1 ? hi[i] : lo[i];
            v += 2 * p * (b[i] - o[i]) + o[i] * o[i] - b[i] * b[i];
        }
        least = fmin(least, v);
    }
    return least > 1e-7;
}

/* Sorts a list by lower bound, then rank (insertion sort: lists are short). */
static void sort_by_bound(uint16_t *list, double *lb, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint16_t r = list[i];
        double v = lb[i];
        size_t j = i;
        while (j > 0 && (lb[j - 1] > v || (lb[j - 1] == v && list[j - 1] > r))) {
            list[j] = list[j - 1];
            lb[j] = lb[j - 1];
            j--;
        }
        list[j] = r;
        lb[j] = v;
    }
}

/* Bounds of the distance from the box [box_lo, box_hi] (in the metric's
 * space) to each of the count <= 4 entries of ranks, into lo and hi. */
static void bound_batch(const fsk_matcher *m, const double box_lo[3], const double box_hi[3],
                        const uint16_t *ranks, size_t count, double *lo, double *hi)
{
    if (m->metric != FSK_METRIC_DE2000) {
        for (size_t j = 0; j < count; j++)
            fsk_box_distance_bounds(box_lo, box_hi, m->pt[ranks[j]], &lo[j], &hi[j]);
        return;
    }
    const double *e[4];
    double los[4], his[4];
    for (size_t j = 0; j < 4; j++)
        e[j] = m->pt[ranks[j < count ? j : 0]];
    fsk_de2000_bounds_four(box_lo, box_hi, e, los, his);
    for (size_t j = 0; j < count; j++) {
        lo[j] = los[j];
        hi[j] = his[j];
    }
}

/*
 * The candidates of list (n ranks sorted by their lower bounds plb in a
 * box around this one, every candidate that can be nearest somewhere in
 * it) that can be nearest somewhere in the linear RGB box [lo, hi]: into
 * o->kept, with their lower bounds in o->klb, sorted by bound, then rank.
 * Returns how many. Under the lock of octant o, whose scratch it uses.
 */
static size_t box_candidates(const fsk_matcher *m, octant *o, const double lo[3],
                             const double hi[3], const uint16_t *list, const double *plb,
                             size_t n)
{
    double box_lo[3], box_hi[3];
    if (m->metric == FSK_METRIC_RGB) {
        for (int i = 0; i < 3; i++) {
            box_lo[i] = fsk_linear_to_srgb(lo[i]) * 255.0 - 1e-9;
            box_hi[i] = fsk_linear_to_srgb(hi[i]) * 255.0 + 1e-9;
        }
    } else {
        fsk_lab_box(lo, hi, box_lo, box_hi);
    }
    /* A bound in the parent box holds in this one: once the parent's lower
     * bound exceeds the best upper bound here, the rest of the (sorted)
     * list cannot be nearest. Bounds come four at a time; those past
     * where the list stops are not looked at. */
    double best_hi = INFINITY;
    size_t best = 0, evaluated = 0;
    bool stopped = false;
    for (size_t k = 0; k < n && !stopped; k += 4) {
        size_t batch = n - k < 4 ? n - k : 4;
        bound_batch(m, box_lo, box_hi, list + k, batch, o->lo + k, o->hi + k);
        for (size_t j = k; j < k + batch; j++) {
            if (plb[j] > best_hi) {
                stopped = true;
                break;
            }
            evaluated++;
            if (o->hi[j] < best_hi) {
                best_hi = o->hi[j];
                best = j;
            }
        }
    }
    size_t nk = 0;
    for (size_t k = 0; k < evaluated; k++) {
        if (o->lo[k] > best_hi)
            continue;
        if (k != best && m->metric != FSK_METRIC_DE2000 &&
            dominated(box_lo, box_hi, m->pt[list[best]], m->pt[list[k]]))
            continue;
        o->kept[nk] = list[k];
        o->klb[nk] = o->lo[k];
        nk++;
    }
    sort_by_bound(o->kept, o->klb, nk);
    return nk;
}

/* A new block of eight unbuilt parts for a cell whose list is the node
 * value parent; its index, or PENDING when out of memory or room. */
static uint32_t block_new(table *t, uint32_t parent)
{
    pthread_mutex_lock(&t->pool_lock);
    uint32_t index = PENDING;
    uint32_t c = t->blocks >> BLOCK_CHUNK_LOG2, at = t->blocks & (BLOCK_CHUNK_SIZE - 1);
    cell_block *chunk = NULL;
    if (c < MAX_BLOCK_CHUNKS) {
        chunk = atomic_load_explicit(&t->block_chunk[c], memory_order_relaxed);
        if (!chunk) {
            chunk = malloc(BLOCK_CHUNK_SIZE * sizeof *chunk);
            if (chunk)
                atomic_store_explicit(&t->block_chunk[c], chunk, memory_order_release);
        }
    }
    if (chunk) {
        cell_block *b = &chunk[at];
        for (int k = 0; k < 8; k++)
            atomic_init(&b->part[k], PENDING);
        b->parent = parent;
        index = t->blocks++;
    }
    pthread_mutex_unlock(&t->pool_lock);
    return index;
}

static cell_block *block_at(const table *t, uint32_t index)
{
    cell_block *chunk = atomic_load_explicit(&t->block_chunk[index >> BLOCK_CHUNK_LOG2],
                                             memory_order_acquire);
    return &chunk[index & (BLOCK_CHUNK_SIZE - 1)];
}

/* Whether cell at[] with a list of nk candidates is divided in eight. */
static bool divides(const table *t, const int at[3], size_t nk)
{
    return t->expected && nk >= SPLIT_LIST &&
           t->expected[cell_index(at[0], at[1], at[2])] >= SPLIT_COLORS * nk;
}

/*
 * Builds the box at[] + size (size GRID >> level) from its parent's list
 * (see box_candidates). Fills the box's cells when one candidate remains;
 * otherwise stores the list: in the cell for the finest level (or, for a
 * cell that is divided, as a node value its block of eighths points to),
 * else as the box's node value, which is returned (NODE_FILLED for a
 * filled box, NODE_UNBUILT when out of memory). Building `ahead`, a cell
 * that more announced colors could still divide is left unbuilt, marked
 * deferred, with its list as its tentative one; built later and not
 * divided, it takes that list. Under the lock of octant o, whose scratch,
 * lists and counts it uses.
 */
static uint32_t build_box(const fsk_matcher *m, octant *o, const int at[3], int size,
                          const uint16_t *list, const double *plb, size_t n, bool ahead)
{
    table *t = m->t;
    size_t volume = (size_t)size * (size_t)size * (size_t)size;
    size_t cell = cell_index(at[0], at[1], at[2]);
    if (size == 1 && !ahead && t->deferred && t->deferred[cell] &&
        t->tentative[cell] != PENDING) {
        size_t listed = leaf_length(t, t->tentative[cell]);
        if (!divides(t, at, listed)) {
            store_leaf(t, o, at, t->tentative[cell], listed);
            return NODE_FILLED;
        }
    }
    size_t nk = n;
    if (n > 1) {
        double lo[3], hi[3];
        for (int i = 0; i < 3; i++) {
            lo[i] = m->cells.edges[at[i]];
            hi[i] = m->cells.edges[at[i] + size];
        }
        nk = box_candidates(m, o, lo, hi, list, plb, n);
        list = o->kept;
    }
    if (nk == 1) {
        fill(t, at, size, SINGLE | list[0]);
        o->single_cells += volume;
        return NODE_FILLED;
    }
    if (size > 1)
        return node_append(o, o->kept, o->klb, nk);
    bool divided = divides(t, at, nk);
    if (ahead && !divided && nk >= SPLIT_LIST) {
        /* More colors may yet divide it: left to the lookups. */
        t->deferred[cell] = 1;
        t->tentative[cell] = leaf_append(t, o->kept, o->klb, nk);
        return NODE_FILLED;
    }
    if (!divided) {
        uint32_t value = leaf_append(t, o->kept, o->klb, nk);
        if (value == PENDING)
            return NODE_UNBUILT;
        store_leaf(t, o, at, value, nk);
        return NODE_FILLED;
    }
    uint32_t parent = node_append(o, o->kept, o->klb, nk);
    uint32_t index = parent == NODE_UNBUILT ? PENDING : block_new(t, parent);
    if (index == PENDING)
        return NODE_UNBUILT;
    o->split_cells++;
    atomic_store_explicit(&t->cells[cell], SPLIT | index, memory_order_release);
    return NODE_FILLED;
}

/* Builds part `part` of the divided cell (r, g, b) from the cell's list:
 * its value, PENDING when out of memory. Under the lock of octant o. */
static uint32_t build_part(const fsk_matcher *m, octant *o, const int cell[3],
                           cell_block *block, int part)
{
    const uint16_t *list = o->nrank + (block->parent - 2) + 1;
    const double *plb = o->nlb + (block->parent - 2) + 1;
    size_t n = o->nrank[block->parent - 2];
    double lo[3], hi[3];
    for (int i = 0; i < 3; i++) {
        int half = 2 * cell[i] + ((part >> (2 - i)) & 1);
        lo[i] = m->halves.edges[half];
        hi[i] = m->halves.edges[half + 1];
    }
    size_t nk = box_candidates(m, o, lo, hi, list, plb, n);
    uint32_t value = nk == 1 ? SINGLE | o->kept[0] : leaf_append(m->t, o->kept, o->klb, nk);
    if (value != PENDING)
        atomic_store_explicit(&block->part[part], value, memory_order_release);
    return value;
}

/* The octant of cell (r, g, b): the halves of the cube it is in. */
static int octant_of(int r, int g, int b)
{
    const int half = GRID_LOG2 - 1;
    return (r >> half) << 2 | (g >> half) << 1 | (b >> half);
}

/* Whether too few colors are announced in the box of `level` holding
 * cell (r, g, b), whose parent's list has n candidates, for building it to
 * pay (see SPARSE_COLORS). */
static bool sparse(const table *t, int level, int r, int g, int b, size_t n)
{
    if (!t->box_expected || !t->exactly)
        return false;
    uint32_t announced = level == GRID_LOG2
                             ? t->expected[cell_index(r, g, b)]
                             : t->box_expected[box_slot(level, box_index(level, r, g, b))];
    return announced < SPARSE_COLORS + SPARSE_QUARTERS_PER_CANDIDATE * n / 4;
}

/* The list of box `parent` (list, lb, n) copied as a leaf, once for all of
 * its sparse boxes; PENDING when out of memory. */
static uint32_t sparse_leaf(table *t, size_t parent, const uint16_t *list, const double *lb,
                            size_t n)
{
    _Atomic uint32_t *leaf = &t->box_leaf[parent];
    uint32_t value = atomic_load_explicit(leaf, memory_order_acquire);
    if (value == PENDING) {
        /* Root's children in other octants may race here: the loser's copy
         * is left unused, the winner's kept. */
        uint32_t mine = leaf_append(t, list, lb, n);
        if (mine == PENDING)
            return PENDING;
        value = atomic_compare_exchange_strong(leaf, &value, mine) ? mine : value;
    }
    return value;
}

/* Gives every cell of the sparse box at[] + size the list of its parent,
 * box `parent` of level size's parent level (list, lb, n); false when out
 * of memory. Under the lock of octant o. */
static bool settle_sparse(const fsk_matcher *m, octant *o, const int at[3], int size,
                          size_t parent, const uint16_t *list, const double *lb, size_t n)
{
    table *t = m->t;
    uint32_t value = sparse_leaf(t, parent, list, lb, n);
    if (value == PENDING)
        return false;
    fill(t, at, size, value);
    size_t volume = (size_t)size * (size_t)size * (size_t)size;
    o->sparse_cells += volume;
    o->list_cells += volume;
    o->list_total += n * volume;
    if (n > o->list_max)
        o->list_max = n;
    return true;
}

/* Builds the boxes from the root down to cell (r, g, b), stopping at a
 * sparse box; false when out of memory. Building `ahead` (see
 * fsk_matcher_build_ahead) it stops instead at the first unbuilt box that
 * is sparse so far, giving the cell its parent's list as tentative. Under
 * the lock of the cell's octant o. */
static bool build_path(const fsk_matcher *m, octant *o, int r, int g, int b, bool ahead)
{
    table *t = m->t;
    const uint16_t *list = t->root + 1;
    const double *lb = t->root_lb + 1;
    size_t n = t->root[0];
    size_t parent = box_slot(0, 0);
    for (int level = 1; level <= GRID_LOG2; level++) {
        int shift = GRID_LOG2 - level, size = 1 << shift;
        int at[3] = {r >> shift << shift, g >> shift << shift, b >> shift << shift};
        bool thin = sparse(t, level, r, g, b, n);
        if (ahead && thin && (level == GRID_LOG2 || t->node[level][box_index(level, r, g, b)] ==
                                                        NODE_UNBUILT)) {
            t->tentative[cell_index(r, g, b)] = sparse_leaf(t, parent, list, lb, n);
            return true;
        }
        if (level == GRID_LOG2) {
            return thin ? settle_sparse(m, o, at, size, parent, list, lb, n)
                        : build_box(m, o, at, size, list, lb, n, ahead) != NODE_UNBUILT;
        }
        size_t idx = box_index(level, r, g, b);
        uint32_t v = t->node[level][idx];
        if (v == NODE_UNBUILT && thin) {
            if (!settle_sparse(m, o, at, size, parent, list, lb, n))
                return false;
            v = t->node[level][idx] = NODE_FILLED;
        }
        if (v == NODE_UNBUILT)
            v = t->node[level][idx] = build_box(m, o, at, size, list, lb, n, ahead);
        if (v == NODE_UNBUILT)
            return false;
        if (v == NODE_FILLED)
            return true;
        list = o->nrank + (v - 2) + 1;
        lb = o->nlb + (v - 2) + 1;
        n = o->nrank[v - 2];
        parent = box_slot(level, idx);
    }
    return true;
}

/* The cell's value, building it first if needed (`ahead`: as
 * fsk_matcher_build_ahead does); PENDING when it is not built (out of
 * memory: the caller searches exactly; or left by a build ahead). */
static uint32_t resolve(const fsk_matcher *m, size_t cell, int r, int g, int b, bool ahead)
{
    table *t = m->t;
    octant *o = &t->oct[octant_of(r, g, b)];
    pthread_mutex_lock(&o->lock);
    uint32_t v = atomic_load_explicit(&t->cells[cell], memory_order_relaxed);
    if (v == PENDING && !o->failed) {
        if (!build_path(m, o, r, g, b, ahead))
            o->failed = 1;
        v = atomic_load_explicit(&t->cells[cell], memory_order_relaxed);
    }
    pthread_mutex_unlock(&o->lock);
    return v;
}

/* The value of part `part` of the divided cell (r, g, b), building it
 * first if needed; PENDING when it cannot be built. */
static uint32_t resolve_part(const fsk_matcher *m, cell_block *block, int r, int g, int b,
                             int part)
{
    octant *o = &m->t->oct[octant_of(r, g, b)];
    pthread_mutex_lock(&o->lock);
    uint32_t v = atomic_load_explicit(&block->part[part], memory_order_relaxed);
    if (v == PENDING && !o->failed) {
        const int cell[3] = {r, g, b};
        v = build_part(m, o, cell, block, part);
        if (v == PENDING)
            o->failed = 1;
    }
    pthread_mutex_unlock(&o->lock);
    return v;
}

static void octant_free(octant *o)
{
    free(o->nrank);
    free(o->nlb);
    free(o->lo);
    free(o->hi);
    free(o->kept);
    free(o->klb);
    pthread_mutex_destroy(&o->lock);
}

static void table_free(table *t)
{
    if (!t)
        return;
    if (t->chunk)
        for (uint32_t c = 0; c < t->chunks; c++)
            free(atomic_load_explicit(&t->chunk[c], memory_order_relaxed));
    free(t->chunk);
    if (t->block_chunk)
        for (uint32_t c = 0; c < MAX_BLOCK_CHUNKS; c++)
            free(atomic_load_explicit(&t->block_chunk[c], memory_order_relaxed));
    free(t->block_chunk);
    free(t->expected);
    free(t->box_expected);
    free(t->deferred);
    free(t->tentative);
    free(t->box_leaf);
    free(t->cells);
    for (int l = 0; l < GRID_LOG2; l++)
        free(t->node[l]);
    free(t->root);
    free(t->root_lb);
    for (int k = 0; k < 8; k++)
        octant_free(&t->oct[k]);
    pthread_mutex_destroy(&t->pool_lock);
    free(t);
}

/* Sets up the table and builds the root box (cheap); cells are built as
 * lookups need them. */
static int build_table(fsk_matcher *m, fsk_err *err)
{
    fsk_srgb_cells_init(&m->cells, GRID);
    fsk_srgb_cells_init(&m->halves, 2 * GRID);
    const float *decode = fsk_srgb8_to_linear_table();
    for (int code = 0; code < 256; code++)
        m->code_cell[code] = (uint8_t)fsk_srgb_cell(&m->cells, decode[code]);
    size_t n = m->cand_count;
    table *t = calloc(1, sizeof *t);
    if (!t)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    pthread_mutex_init(&t->pool_lock, NULL);
    for (int k = 0; k < 8; k++)
        pthread_mutex_init(&t->oct[k].lock, NULL);
    m->t = t;
    t->cells = malloc((size_t)GRID * GRID * GRID * sizeof *t->cells);
    t->chunk = calloc(MAX_CHUNKS, sizeof *t->chunk);
    t->block_chunk = calloc(MAX_BLOCK_CHUNKS, sizeof *t->block_chunk);
    t->root = malloc((n + 1) * sizeof *t->root);
    t->root_lb = malloc((n + 1) * sizeof *t->root_lb);
    bool ok = t->cells && t->chunk && t->block_chunk && t->root && t->root_lb;
    for (int k = 0; k < 8 && ok; k++) {
        octant *o = &t->oct[k];
        o->lo = malloc(n * sizeof *o->lo);
        o->hi = malloc(n * sizeof *o->hi);
        o->kept = malloc(n * sizeof *o->kept);
        o->klb = malloc(n * sizeof *o->klb);
        ok = o->lo && o->hi && o->kept && o->klb;
    }
    for (int l = 0; l < GRID_LOG2 && ok; l++) {
        t->node[l] = calloc((size_t)1 << (3 * l), sizeof *t->node[l]);
        ok = t->node[l] != NULL;
    }
    if (!ok)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t c = 0; c < (size_t)GRID * GRID * GRID; c++)
        atomic_init(&t->cells[c], PENDING);
    /* The root's parent list: every candidate, bound 0. The root is built
     * with octant 0's scratch before any lookup can run. */
    for (size_t r = 0; r < n; r++) {
        t->root[r + 1] = (uint16_t)r;
        t->root_lb[r + 1] = 0;
    }
    octant *o = &t->oct[0];
    int origin[3] = {0, 0, 0};
    uint32_t root = build_box(m, o, origin, GRID, t->root + 1, t->root_lb + 1, n, false);
    if (root == NODE_UNBUILT)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    t->root_cells = o->single_cells;
    o->single_cells = 0;
    if (root != NODE_FILLED) {
        /* The root's own list starts every path; octant 0 forgets it. */
        size_t len = o->nrank[root - 2];
        t->root[0] = (uint16_t)len;
        memcpy(t->root + 1, o->nrank + (root - 2) + 1, len * sizeof *t->root);
        memcpy(t->root_lb + 1, o->nlb + (root - 2) + 1, len * sizeof *t->root_lb);
        o->nlen = 0;
    }
    t->node[0][0] = root;
    return 0;
}

/* Builds every cell (for fsk_matcher_get_info). */
static void build_all(const fsk_matcher *m)
{
    for (int r = 0; r < GRID; r++)
        for (int g = 0; g < GRID; g++)
            for (int b = 0; b < GRID; b++) {
                size_t c = cell_index(r, g, b);
                if (atomic_load_explicit(&m->t->cells[c], memory_order_acquire) == PENDING)
                    resolve(m, c, r, g, b, false);
            }
}

/* ---- public ----------------------------------------------------------- */

void fsk_matcher_free(fsk_matcher *m)
{
    if (!m)
        return;
    free(m->lin);
    free(m->all_pt);
    free(m->cand);
    free(m->twin);
    free(m->twin_start);
    free(m->rank_of);
    free(m->pt);
    free(m->dp);
    table_free(m->t);
    free(m);
}

static int prepare(fsk_matcher *m, const fsk_calibration *cal,
                   const uint16_t *allowed, size_t allowed_count, fsk_err *err)
{
    size_t n = cal->entry_count;
    uint8_t *mark = calloc(n, 1);
    pref *order = malloc(n * sizeof *order);
    m->lin = malloc(n * sizeof *m->lin);
    m->all_pt = malloc(n * sizeof *m->all_pt);
    if (!mark || !order || !m->lin || !m->all_pt) {
        free(mark);
        free(order);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < allowed_count && !rc; i++) {
        if (allowed[i] >= n)
            rc = fsk_err_set(err, FSK_EINVAL,
                             "allowed entry %u is out of range (calibration has "
                             "%zu entries)",
                             (unsigned)allowed[i], n);
        else
            mark[allowed[i]] = 1;
    }
    size_t count = 0;
    int m_layers = cal->construction.color_layers;
    for (size_t i = 0; i < n && !rc; i++) {
        const fsk_cal_entry *e = &cal->entries[i];
        for (int c = 0; c < 3; c++) {
            m->lin[i][c] = (float)fsk_srgb_to_linear(e->rgb[c] / 255.0);
            m->all_pt[i][c] = m->metric == FSK_METRIC_RGB ? e->rgb[c] : e->lab[c];
        }
        if (allowed_count && !mark[i])
            continue;
        order[count++] = (pref){fsk_sequence_filaments(e->sequence, m_layers),
                                fsk_sequence_layers(e->sequence, m_layers),
                                (uint16_t)i};
    }
    m->allowed = count;
    if (!rc) {
        qsort(order, count, sizeof *order, cmp_pref);
        rc = select_candidates(m, cal, order, count, err);
    }
    free(mark);
    free(order);
    if (rc)
        return rc;
    m->pt = malloc(m->cand_count * sizeof *m->pt);
    m->dp = malloc(m->cand_count * sizeof *m->dp);
    if (!m->pt || !m->dp)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t r = 0; r < m->cand_count; r++) {
        memcpy(m->pt[r], m->all_pt[m->cand[r]], sizeof m->pt[r]);
        fsk_de2000_point_of(m->pt[r], &m->dp[r]);
    }
    return 0;
}

fsk_matcher *fsk_matcher_create(const fsk_calibration *cal,
                                const uint16_t *allowed, size_t allowed_count,
                                fsk_metric metric, fsk_err *err)
{
    if (!cal || cal->entry_count == 0 || cal->entry_count > FSK_CAL_MAX_ENTRIES) {
        fsk_err_set(err, FSK_EINVAL, "calibration has no entries to match");
        return NULL;
    }
    if (allowed_count && !allowed) {
        fsk_err_set(err, FSK_EINVAL, "allowed entry list missing");
        return NULL;
    }
    fsk_matcher *m = calloc(1, sizeof *m);
    if (!m) {
        fsk_err_set(err, FSK_ENOMEM, "out of memory");
        return NULL;
    }
    m->metric = metric;
    m->entry_count = cal->entry_count;
    int rc = prepare(m, cal, allowed, allowed_count, err);
    if (!rc)
        rc = build_table(m, err);
    if (rc) {
        fsk_matcher_free(m);
        return NULL;
    }
    return m;
}

/* The nearest of a cell's list (n ranks sorted by their lower bound lb in
 * the cell) to the point p, by exact evaluation; counts the distances
 * computed. Stops once the bound exceeds the best distance found; ties go
 * to the lower rank. */
static uint16_t nearest_listed(const fsk_matcher *m, const double p[3], const uint16_t *list,
                               const float *lb, size_t n, uint64_t *evaluated)
{
    uint16_t best = list[0];
    double best_d = INFINITY;
    for (size_t k = 0; k < n && lb[k] <= best_d; k++) {
        double d = score(m, p, m->pt[list[k]]);
        ++*evaluated;
        if (d < best_d || (d == best_d && list[k] < best)) {
            best_d = d;
            best = list[k];
        }
    }
    return best;
}

/*
 * As nearest_listed for CIEDE2000, mostly without computing it: the
 * champion so far is known by bounds [lo, hi] of its distance (exact once
 * computed, lo = hi). A candidate whose bounds lie wholly above is farther,
 * wholly below is nearer; only when they overlap are both computed exactly
 * and compared with the tie rule. So the champion is always the nearest
 * of the candidates seen, with ties to the lower rank, as in the full
 * search. Bounds come FSK_DE2000_LANES candidates at a time (the last
 * repeated to fill a short list), with the champion's hi at the start of
 * the batch as limit.
 */
static uint16_t nearest_de2000(const fsk_matcher *m, const double p[3], const uint16_t *list,
                               const float *lb, size_t n, uint64_t *evaluated)
{
    fsk_de2000_point pp;
    fsk_de2000_point_of(p, &pp);
    uint16_t best = list[0];
    double lo = 0, hi = INFINITY;
    bool exact = false;
    for (size_t k0 = 0; k0 < n && lb[k0] <= hi; k0 += FSK_DE2000_LANES) {
        const fsk_de2000_point *lanes[FSK_DE2000_LANES];
        float klo[FSK_DE2000_LANES], khi[FSK_DE2000_LANES];
        for (size_t j = 0; j < FSK_DE2000_LANES; j++)
            lanes[j] = &m->dp[list[k0 + j < n ? k0 + j : n - 1]];
        fsk_de2000_ranges(&pp, lanes, hi, klo, khi);
        for (size_t j = 0, k = k0; j < FSK_DE2000_LANES && k < n && lb[k] <= hi; j++, k++) {
            if (k == 0) {
                lo = klo[0];
                hi = khi[0];
                continue;
            }
            if (klo[j] > hi)
                continue;
            if (khi[j] < lo) {
                best = list[k];
                lo = klo[j];
                hi = khi[j];
                exact = false;
                continue;
            }
            if (!exact) {
                lo = hi = fsk_de2000(p, m->pt[best]);
                exact = true;
                ++*evaluated;
            }
            double d = fsk_de2000(p, m->pt[list[k]]);
            ++*evaluated;
            if (d < lo || (d == lo && list[k] < best)) {
                best = list[k];
                lo = hi = d;
            }
        }
    }
    return best;
}

/* The cell of a clamped color, per axis. */
static void cell_of(const fsk_matcher *m, const float c[3], int at[3])
{
    for (int i = 0; i < 3; i++)
        at[i] = fsk_srgb_cell(&m->cells, c[i]);
}

/* A cell value that points to a block of eighths (PENDING has the SPLIT
 * bit too). */
static bool is_divided(uint32_t v)
{
    return v != PENDING && (v & (SINGLE | SPLIT)) == SPLIT;
}

/* Which half of cell k along its axis the value v lies in (as
 * fsk_srgb_cell: a value on the edge goes up). */
static int half_of(const fsk_matcher *m, float v, int k)
{
    return m->halves.edges[2 * k + 1] <= v;
}

/* Adds one to a count, which stays at its largest value. */
static void bump(uint32_t *count)
{
    if (*count < UINT32_MAX)
        ++*count;
}

/* The counts fsk_matcher_expect adds to, made at the first call; false
 * when announcements cannot help (or memory is short: only speed is
 * lost). */
static bool expect_counts(table *t)
{
    /* Lists only shrink from the root down: with a short root list (or
     * none) no cell can be divided, and counting is wasted. */
    if (t->node[0][0] == NODE_FILLED || t->root[0] < SPLIT_LIST)
        return false;
    if (!t->expected) {
        t->expected = calloc((size_t)GRID * GRID * GRID, sizeof *t->expected);
        t->box_expected = calloc(BOX_SLOTS, sizeof *t->box_expected);
        t->box_leaf = malloc(BOX_SLOTS * sizeof *t->box_leaf);
        if (!t->expected || !t->box_expected || !t->box_leaf) {
            free(t->expected);
            free(t->box_expected);
            free(t->box_leaf);
            t->expected = t->box_expected = NULL;
            t->box_leaf = NULL;
            return false;
        }
        for (size_t k = 0; k < BOX_SLOTS; k++)
            atomic_init(&t->box_leaf[k], PENDING);
    }
    return true;
}

/* Counts one announced color in cell at[] and the boxes above it. */
static void expect_cell(table *t, const int at[3])
{
    bump(&t->expected[cell_index(at[0], at[1], at[2])]);
    for (int level = 0; level < GRID_LOG2; level++)
        bump(&t->box_expected[box_slot(level, box_index(level, at[0], at[1], at[2]))]);
}

void fsk_matcher_expect(const fsk_matcher *m, const float *rgb, size_t count, size_t stride,
                        bool exactly)
{
    table *t = m->t;
    if (!expect_counts(t))
        return;
    for (size_t i = 0; i < count; i++) {
        float c[3];
        int at[3];
        clamp3(rgb + i * stride, c);
        cell_of(m, c, at);
        expect_cell(t, at);
    }
    t->exactly = exactly;
}

void fsk_matcher_expect_keys(const fsk_matcher *m, const uint32_t *keys, size_t count)
{
    table *t = m->t;
    if (!expect_counts(t))
        return;
    for (size_t i = 0; i < count; i++) {
        int at[3] = {m->code_cell[keys[i] >> 16 & 0xFF], m->code_cell[keys[i] >> 8 & 0xFF],
                     m->code_cell[keys[i] & 0xFF]};
        expect_cell(t, at);
    }
    t->exactly = true;
}

/* Whether building ahead can go on: colors are announced `exactly` and the
 * marks of what it leaves are there (made on first use). */
static bool ahead_ready(table *t)
{
    if (!t->deferred && t->expected && t->exactly) {
        t->deferred = calloc(FSK_MATCH_CELLS, sizeof *t->deferred);
        t->tentative = malloc(FSK_MATCH_CELLS * sizeof *t->tentative);
        if (!t->deferred || !t->tentative) {
            free(t->deferred);
            free(t->tentative);
            t->deferred = NULL;
            t->tentative = NULL;
        } else {
            for (size_t k = 0; k < FSK_MATCH_CELLS; k++)
                t->tentative[k] = PENDING;
        }
    }
    return t->deferred && t->exactly;
}

/*
 * What is built ahead is what the lookups of the announced colors would
 * build anyway, the same whenever it is built: a box's list depends only
 * on its parent's, and the counts that decide the rest only grow, so a
 * box that is not sparse now never will be, and a cell divided now stays
 * divided. Only what later colors could still change is left: boxes
 * sparse so far, and cells with long lists that more colors could divide.
 */
bool fsk_matcher_build_ahead(const fsk_matcher *m, uint32_t *cursor)
{
    table *t = m->t;
    if (!ahead_ready(t)) {
        *cursor = FSK_MATCH_CELLS;
        return false;
    }
    while (*cursor < FSK_MATCH_CELLS) {
        uint32_t cell = (*cursor)++;
        if (!t->expected[cell] || t->deferred[cell] ||
            atomic_load_explicit(&t->cells[cell], memory_order_acquire) != PENDING)
            continue;
        resolve(m, cell, (int)(cell / (GRID * GRID)), (int)(cell / GRID % GRID),
                (int)(cell % GRID), true);
        return true;
    }
    return false;
}

/* The value of the cell at[], built first if needed (see resolve). */
static uint32_t cell_value(const fsk_matcher *m, const int at[3], bool ahead)
{
    size_t cell = cell_index(at[0], at[1], at[2]);
    uint32_t v = atomic_load_explicit(&m->t->cells[cell], memory_order_acquire);
    return v == PENDING ? resolve(m, cell, at[0], at[1], at[2], ahead) : v;
}

/* The value of the cell, or part of a divided cell, the clamped color c
 * falls in, built first if needed. */
static uint32_t value_of(const fsk_matcher *m, const float c[3])
{
    int at[3];
    cell_of(m, c, at);
    const int r = at[0], g = at[1], b = at[2];
    uint32_t v = cell_value(m, at, false);
    if (is_divided(v)) {
        cell_block *block = block_at(m->t, v & ~SPLIT);
        int part = half_of(m, c[0], r) << 2 | half_of(m, c[1], g) << 1 | half_of(m, c[2], b);
        v = atomic_load_explicit(&block->part[part], memory_order_acquire);
        if (v == PENDING)
            v = resolve_part(m, block, r, g, b, part);
    }
    return v;
}

/* The nearest candidate's entry to the clamped color c, from the value v
 * of its cell (PENDING: out of memory, so the full search), counted. */
static uint16_t answer(const fsk_matcher *m, const float c[3], uint32_t v,
                       fsk_match_stats *stats)
{
    if (stats)
        stats->lookups++;
    if (v & SINGLE) {
        if (stats)
            stats->single++;
        return m->cand[v & 0xFFFFu];
    }
    if (v == PENDING) {
        if (stats) {
            stats->listed++;
            stats->evaluated += m->cand_count;
        }
        return fsk_matcher_nearest_exact(m, c);
    }
    const list_chunk *chunk =
        atomic_load_explicit(&m->t->chunk[v >> CHUNK_LOG2], memory_order_acquire);
    const uint16_t *list = chunk->rank + (v & (CHUNK_SIZE - 1));
    const float *lb = chunk->lb + (v & (CHUNK_SIZE - 1));
    double p[3];
    point_of(m, c, p);
    uint64_t evaluated = 0;
    uint16_t best = m->metric == FSK_METRIC_DE2000
                        ? nearest_de2000(m, p, list + 1, lb + 1, list[0], &evaluated)
                        : nearest_listed(m, p, list + 1, lb + 1, list[0], &evaluated);
    if (stats) {
        stats->listed++;
        stats->evaluated += evaluated;
    }
    return m->cand[best];
}

uint16_t fsk_matcher_nearest_counted(const fsk_matcher *m,
                                     const float linear_rgb[3],
                                     fsk_match_stats *stats)
{
    float c[3];
    clamp3(linear_rgb, c);
    return answer(m, c, value_of(m, c), stats);
}

fsk_built_answer fsk_matcher_nearest_built(const fsk_matcher *m, const float linear_rgb[3],
                                           fsk_match_stats *stats, uint16_t *entry,
                                           uint32_t *list)
{
    table *t = m->t;
    if (!ahead_ready(t))
        return FSK_BUILT_NONE;
    float c[3];
    clamp3(linear_rgb, c);
    int at[3];
    cell_of(m, c, at);
    size_t cell = cell_index(at[0], at[1], at[2]);
    /* Built ahead again each time, unless deferred: a sparse box above may
     * have filled up since, which gives a list nearer the final one, or
     * the final cell. */
    uint32_t v = t->deferred[cell] ? atomic_load_explicit(&t->cells[cell], memory_order_acquire)
                                   : cell_value(m, at, true);
    fsk_built_answer how = FSK_BUILT_FINAL;
    if (v == PENDING) {
        v = t->tentative[cell];
        how = FSK_BUILT_PROVISIONAL;
    } else {
        v = value_of(m, c);
    }
    if (v == PENDING)
        return FSK_BUILT_NONE;
    *list = v;
    *entry = answer(m, c, v, stats);
    return how;
}

bool fsk_matcher_answer_stands(const fsk_matcher *m, const float linear_rgb[3], uint32_t list)
{
    float c[3];
    clamp3(linear_rgb, c);
    int at[3];
    cell_of(m, c, at);
    return cell_value(m, at, false) == list;
}

uint16_t fsk_matcher_nearest(const fsk_matcher *m, const float linear_rgb[3])
{
    return fsk_matcher_nearest_counted(m, linear_rgb, NULL);
}

const uint16_t *fsk_matcher_candidates(const fsk_matcher *m, size_t *count)
{
    *count = m->cand_count;
    return m->cand;
}

const uint16_t *fsk_matcher_twins(const fsk_matcher *m, uint16_t entry, size_t *count)
{
    int32_t r = entry < m->entry_count ? m->rank_of[entry] : -1;
    if (r < 0) {
        *count = 0;
        return NULL;
    }
    *count = m->twin_start[r + 1] - m->twin_start[r];
    return m->twin + m->twin_start[r];
}

void fsk_matcher_entry_linear(const fsk_matcher *m, uint16_t entry, float out[3])
{
    for (int c = 0; c < 3; c++)
        out[c] = entry < m->entry_count ? m->lin[entry][c] : 0.0f;
}

void fsk_matcher_get_info(const fsk_matcher *m, fsk_matcher_info *info)
{
    build_all(m);
    info->metric = m->metric;
    info->entries = m->entry_count;
    info->allowed = m->allowed;
    info->candidates = m->cand_count;
    info->grid = GRID;
    table *t = m->t;
    info->single_cells = t->root_cells;
    info->list_cells = info->list_total = info->list_max = info->split_cells = 0;
    info->sparse_cells = 0;
    for (int k = 0; k < 8; k++) {
        octant *o = &t->oct[k];
        pthread_mutex_lock(&o->lock);
        info->single_cells += o->single_cells;
        info->list_cells += o->list_cells;
        info->list_total += o->list_total;
        info->split_cells += o->split_cells;
        info->sparse_cells += o->sparse_cells;
        if (o->list_max > info->list_max)
            info->list_max = o->list_max;
        pthread_mutex_unlock(&o->lock);
    }
}
