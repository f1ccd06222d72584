/*
 * fsk_match.c — the matcher: candidate selection (dropping near-duplicate
 * entries in preference order), exact nearest search, and the lookup table
 * over the sRGB cube that answers most lookups without any color math.
 *
 * The table is built top-down: a box of cells starts with the candidates
 * of its parent, keeps those whose lower distance bound over the box does
 * not exceed the smallest upper bound, and is split in eight while more
 * than one candidate remains. A cell that ends with one candidate stores
 * it; a cell of the finest level with several stores their list (in
 * preference order, so exact evaluation breaks ties as the full search
 * does).
 */
#include "fsk_match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"

#define GRID_LOG2 5
#define GRID (1 << GRID_LOG2)
#define SINGLE 0x80000000u
#define DUPLICATE_DE00 0.5

struct fsk_matcher {
    fsk_metric metric;
    size_t entry_count;
    size_t allowed;
    float (*lin)[3];      /* every entry's linear RGB */
    double (*all_pt)[3];  /* every entry's metric coordinates (see pt) */
    size_t cand_count;
    uint16_t *cand;       /* rank -> entry index, preference order */
    double (*pt)[3];      /* rank -> Lab, or sRGB 0..255 for FSK_METRIC_RGB */
    float thr[GRID + 1];  /* cell k covers linear [thr[k], thr[k+1]] */
    uint32_t *cells;      /* GRID^3, index (r * GRID + g) * GRID + b */
    uint16_t *pool;       /* lists: length, then ranks by lower bound */
    float *pool_lb;       /* lower bound of each listed rank in its cell */
    size_t pool_len, pool_cap;
    size_t single_cells, list_cells, list_total, list_max;
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
 * entries are bucketed by whole L, and only neighbouring buckets compared.
 */
static int select_candidates(fsk_matcher *m, const fsk_calibration *cal,
                             const pref *order, size_t n, fsk_err *err)
{
    int head[101];
    int *next = malloc(n * sizeof *next);
    m->cand = malloc(n * sizeof *m->cand);
    if (!next || !m->cand) {
        free(next);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    for (int b = 0; b < 101; b++)
        head[b] = -1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const double *lab = cal->entries[order[i].entry].lab;
        int b = lab_bucket(lab[0]);
        bool dup = false;
        for (int nb = b - 1; nb <= b + 1 && !dup; nb++) {
            if (nb < 0 || nb > 100)
                continue;
            for (int k = head[nb]; k >= 0 && !dup; k = next[k])
                dup = fsk_de2000(lab, cal->entries[m->cand[k]].lab) < DUPLICATE_DE00;
        }
        if (dup)
            continue;
        m->cand[kept] = order[i].entry;
        next[kept] = head[b];
        head[b] = (int)kept;
        kept++;
    }
    free(next);
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

static int cell_of(const float *thr, float v)
{
    int lo = 0, hi = GRID - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (thr[mid] <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static size_t cell_index(int r, int g, int b)
{
    return ((size_t)r * GRID + (size_t)g) * GRID + (size_t)b;
}

typedef struct build_ctx {
    fsk_matcher *m;
    double *lo, *hi;   /* per list position, for the box being examined */
    uint16_t *lists;   /* per level: cand_count ranks */
    double *lbs;       /* per level: their lower bounds in the parent box */
    fsk_err *err;
} build_ctx;

static int pool_append(fsk_matcher *m, const uint16_t *list, const double *lb,
                       size_t n, uint32_t *offset, fsk_err *err)
{
    if (m->pool_len + n + 1 > m->pool_cap) {
        size_t cap = m->pool_cap ? m->pool_cap * 2 : 4096;
        while (cap < m->pool_len + n + 1)
            cap *= 2;
        if (cap >= SINGLE)
            return fsk_err_set(err, FSK_ELIMIT, "color lookup table too large");
        uint16_t *p = realloc(m->pool, cap * sizeof *p);
        if (p)
            m->pool = p;
        float *f = p ? realloc(m->pool_lb, cap * sizeof *f) : NULL;
        if (!f)
            return fsk_err_set(err, FSK_ENOMEM, "out of memory");
        m->pool_lb = f;
        m->pool_cap = cap;
    }
    *offset = (uint32_t)m->pool_len;
    m->pool[m->pool_len] = (uint16_t)n;
    m->pool_lb[m->pool_len] = 0;
    m->pool_len++;
    for (size_t k = 0; k < n; k++) {
        /* Rounded down, so skipping on it stays exact. */
        float f = (float)lb[k];
        if ((double)f > lb[k])
            f = nextafterf(f, -INFINITY);
        m->pool[m->pool_len] = list[k];
        m->pool_lb[m->pool_len] = f;
        m->pool_len++;
    }
    return 0;
}

static void fill(fsk_matcher *m, const int at[3], int size, uint32_t value)
{
    for (int r = at[0]; r < at[0] + size; r++)
        for (int g = at[1]; g < at[1] + size; g++)
            for (int b = at[2]; b < at[2] + size; b++)
                m->cells[cell_index(r, g, b)] = value;
    if (value & SINGLE)
        m->single_cells += (size_t)size * (size_t)size * (size_t)size;
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

/*
 * list (n ranks, sorted by their lower bounds plb in the parent box) holds
 * every candidate that can be nearest somewhere in the box at[] + size.
 */
static int build(build_ctx *ctx, const int at[3], int size, int level,
                 const uint16_t *list, const double *plb, size_t n)
{
    fsk_matcher *m = ctx->m;
    if (n == 1) {
        fill(m, at, size, SINGLE | list[0]);
        return 0;
    }
    double lo[3], hi[3], box_lo[3], box_hi[3];
    for (int i = 0; i < 3; i++) {
        lo[i] = m->thr[at[i]];
        hi[i] = m->thr[at[i] + size];
    }
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
     * list cannot be nearest. */
    double best_hi = INFINITY;
    size_t best = 0, evaluated = 0;
    for (size_t k = 0; k < n && plb[k] <= best_hi; k++, evaluated++) {
        const double *e = m->pt[list[k]];
        if (m->metric == FSK_METRIC_DE2000)
            fsk_de2000_bounds(box_lo, box_hi, e, &ctx->lo[k], &ctx->hi[k]);
        else
            fsk_box_distance_bounds(box_lo, box_hi, e, &ctx->lo[k], &ctx->hi[k]);
        if (ctx->hi[k] < best_hi) {
            best_hi = ctx->hi[k];
            best = k;
        }
    }
    uint16_t *kept = ctx->lists + (size_t)(level + 1) * m->cand_count;
    double *klb = ctx->lbs + (size_t)(level + 1) * m->cand_count;
    size_t nk = 0;
    for (size_t k = 0; k < evaluated; k++) {
        if (ctx->lo[k] > best_hi)
            continue;
        if (k != best && m->metric != FSK_METRIC_DE2000 &&
            dominated(box_lo, box_hi, m->pt[list[best]], m->pt[list[k]]))
            continue;
        kept[nk] = list[k];
        klb[nk] = ctx->lo[k];
        nk++;
    }
    if (nk == 1) {
        fill(m, at, size, SINGLE | kept[0]);
        return 0;
    }
    sort_by_bound(kept, klb, nk);
    if (size == 1) {
        uint32_t offset = 0;
        int rc = pool_append(m, kept, klb, nk, &offset, ctx->err);
        if (rc)
            return rc;
        m->cells[cell_index(at[0], at[1], at[2])] = offset;
        m->list_cells++;
        m->list_total += nk;
        if (nk > m->list_max)
            m->list_max = nk;
        return 0;
    }
    int half = size / 2;
    for (int c = 0; c < 8; c++) {
        int child[3] = {at[0] + (c & 1 ? half : 0), at[1] + (c & 2 ? half : 0),
                        at[2] + (c & 4 ? half : 0)};
        int rc = build(ctx, child, half, level + 1, kept, klb, nk);
        if (rc)
            return rc;
    }
    return 0;
}

static int build_table(fsk_matcher *m, fsk_err *err)
{
    for (int k = 0; k <= GRID; k++)
        m->thr[k] = (float)fsk_srgb_to_linear((double)k / GRID);
    m->thr[0] = 0.0f;
    m->thr[GRID] = 1.0f;
    size_t n = m->cand_count, levels = GRID_LOG2 + 2;
    m->cells = malloc((size_t)GRID * GRID * GRID * sizeof *m->cells);
    build_ctx ctx = {m, malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                     malloc(levels * n * sizeof(uint16_t)),
                     malloc(levels * n * sizeof(double)), err};
    int rc = 0;
    if (!m->cells || !ctx.lo || !ctx.hi || !ctx.lists || !ctx.lbs) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    } else {
        for (size_t r = 0; r < n; r++) {
            ctx.lists[r] = (uint16_t)r;
            ctx.lbs[r] = 0;
        }
        int origin[3] = {0, 0, 0};
        rc = build(&ctx, origin, GRID, 0, ctx.lists, ctx.lbs, n);
    }
    free(ctx.lo);
    free(ctx.hi);
    free(ctx.lists);
    free(ctx.lbs);
    return rc;
}

/* ---- public ----------------------------------------------------------- */

void fsk_matcher_free(fsk_matcher *m)
{
    if (!m)
        return;
    free(m->lin);
    free(m->all_pt);
    free(m->cand);
    free(m->pt);
    free(m->cells);
    free(m->pool);
    free(m->pool_lb);
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
    if (!m->pt)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t r = 0; r < m->cand_count; r++)
        memcpy(m->pt[r], m->all_pt[m->cand[r]], sizeof m->pt[r]);
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

uint16_t fsk_matcher_nearest_counted(const fsk_matcher *m,
                                     const float linear_rgb[3],
                                     fsk_match_stats *stats)
{
    float c[3];
    clamp3(linear_rgb, c);
    uint32_t v = m->cells[cell_index(cell_of(m->thr, c[0]), cell_of(m->thr, c[1]),
                                     cell_of(m->thr, c[2]))];
    if (stats)
        stats->lookups++;
    if (v & SINGLE) {
        if (stats)
            stats->single++;
        return m->cand[v & 0xFFFFu];
    }
    const uint16_t *list = m->pool + v;
    const float *lb = m->pool_lb + v;
    size_t n = list[0], k = 1;
    double p[3];
    point_of(m, c, p);
    uint16_t best = list[1];
    double best_d = INFINITY;
    /* Lists are sorted by their lower bound in the cell: stop once it
     * exceeds the best distance found (ties go to the lower rank). */
    for (; k <= n && lb[k] <= best_d; k++) {
        double d = score(m, p, m->pt[list[k]]);
        if (d < best_d || (d == best_d && list[k] < best)) {
            best_d = d;
            best = list[k];
        }
    }
    if (stats) {
        stats->listed++;
        stats->evaluated += k - 1;
    }
    return m->cand[best];
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

void fsk_matcher_entry_linear(const fsk_matcher *m, uint16_t entry, float out[3])
{
    for (int c = 0; c < 3; c++)
        out[c] = entry < m->entry_count ? m->lin[entry][c] : 0.0f;
}

void fsk_matcher_get_info(const fsk_matcher *m, fsk_matcher_info *info)
{
    info->metric = m->metric;
    info->entries = m->entry_count;
    info->allowed = m->allowed;
    info->candidates = m->cand_count;
    info->grid = GRID;
    info->single_cells = m->single_cells;
    info->list_cells = m->list_cells;
    info->list_total = m->list_total;
    info->list_max = m->list_max;
}
