/*
 * fsk_palette.c — palette reduction: the max_colors calibrated entries
 * that reproduce an image best (k-medoids over calibrated entries with the
 * image's colors as weighted points, total CIEDE2000 as the cost).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_quantize.h"

#define BINS 32
/* Most point-candidate distances kept in memory (floats). */
#define DISTANCE_BUDGET (16u * 1024u * 1024u)
#define MAX_SWAP_PASSES 16

typedef struct point {
    double lab[3];
    double weight;
} point;

/* The opaque pixels gathered into sRGB cells, each at its mean color. */
static int gather(const float *rgba, size_t count, point **out, size_t *n,
                  fsk_err *err)
{
    fsk_srgb_cells cells;
    fsk_srgb_cells_init(&cells, BINS);
    double *acc = calloc((size_t)BINS * BINS * BINS * 4, sizeof *acc);
    if (!acc)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        const float *p = rgba + i * 4;
        if (!(p[3] >= 0.5f))
            continue;
        float c[3];
        for (int k = 0; k < 3; k++)
            c[k] = !(p[k] > 0) ? 0.0f : p[k] > 1 ? 1.0f : p[k];
        size_t r = (size_t)fsk_srgb_cell(&cells, c[0]);
        size_t g = (size_t)fsk_srgb_cell(&cells, c[1]);
        size_t b = (r * BINS + g) * BINS + (size_t)fsk_srgb_cell(&cells, c[2]);
        for (int k = 0; k < 3; k++)
            acc[b * 4 + k] += c[k];
        acc[b * 4 + 3] += 1;
    }
    size_t used = 0;
    for (size_t b = 0; b < (size_t)BINS * BINS * BINS; b++)
        used += acc[b * 4 + 3] > 0;
    if (used == 0) {
        free(acc);
        return fsk_err_set(err, FSK_EINVAL, "image has no opaque pixels");
    }
    point *pts = malloc(used * sizeof *pts);
    if (!pts) {
        free(acc);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    size_t j = 0;
    for (size_t b = 0; b < (size_t)BINS * BINS * BINS; b++) {
        double w = acc[b * 4 + 3];
        if (w <= 0)
            continue;
        double lin[3] = {acc[b * 4] / w, acc[b * 4 + 1] / w, acc[b * 4 + 2] / w};
        fsk_linear_to_lab(lin, pts[j].lab);
        pts[j].weight = w;
        j++;
    }
    free(acc);
    *out = pts;
    *n = used;
    return 0;
}

typedef struct problem {
    size_t np, nc;    /* points, candidates */
    const point *pts;
    float *dist;      /* np x nc */
    size_t *chosen;   /* candidate positions */
    size_t k;
    double *d1, *d2;  /* per point: nearest and second nearest chosen */
    size_t *near;     /* per point: index into chosen of the nearest */
} problem;

static void assign(problem *pb)
{
    for (size_t p = 0; p < pb->np; p++) {
        double a = INFINITY, b = INFINITY;
        size_t at = 0;
        for (size_t j = 0; j < pb->k; j++) {
            double d = pb->dist[p * pb->nc + pb->chosen[j]];
            if (d < a) {
                b = a;
                a = d;
                at = j;
            } else if (d < b) {
                b = d;
            }
        }
        pb->d1[p] = a;
        pb->d2[p] = b;
        pb->near[p] = at;
    }
}

static bool is_chosen(const problem *pb, size_t c)
{
    for (size_t j = 0; j < pb->k; j++)
        if (pb->chosen[j] == c)
            return true;
    return false;
}

/* Adds, one at a time, the candidate that lowers the total the most. */
static void greedy(problem *pb, size_t want)
{
    for (size_t p = 0; p < pb->np; p++)
        pb->d1[p] = INFINITY;
    while (pb->k < want) {
        size_t best = 0;
        double best_cost = INFINITY;
        for (size_t c = 0; c < pb->nc; c++) {
            if (is_chosen(pb, c))
                continue;
            double cost = 0;
            for (size_t p = 0; p < pb->np; p++)
                cost += pb->pts[p].weight * fmin(pb->d1[p], pb->dist[p * pb->nc + c]);
            if (cost < best_cost) {
                best_cost = cost;
                best = c;
            }
        }
        pb->chosen[pb->k++] = best;
        for (size_t p = 0; p < pb->np; p++)
            pb->d1[p] = fmin(pb->d1[p], pb->dist[p * pb->nc + best]);
    }
}

/* Swaps a chosen candidate for another while the best swap lowers the
 * total; ties keep the earlier candidate. */
static void refine(problem *pb)
{
    for (int pass = 0; pass < MAX_SWAP_PASSES; pass++) {
        assign(pb);
        double now = 0;
        for (size_t p = 0; p < pb->np; p++)
            now += pb->pts[p].weight * pb->d1[p];
        double best_cost = now - 1e-9 * (1 + now);
        size_t best_j = 0, best_c = 0;
        bool found = false;
        for (size_t j = 0; j < pb->k; j++) {
            for (size_t c = 0; c < pb->nc; c++) {
                if (is_chosen(pb, c))
                    continue;
                double cost = 0;
                for (size_t p = 0; p < pb->np && cost < best_cost; p++) {
                    double keep = pb->near[p] == j ? pb->d2[p] : pb->d1[p];
                    cost += pb->pts[p].weight * fmin(keep, pb->dist[p * pb->nc + c]);
                }
                if (cost < best_cost) {
                    best_cost = cost;
                    best_j = j;
                    best_c = c;
                    found = true;
                }
            }
        }
        if (!found)
            return;
        pb->chosen[best_j] = best_c;
    }
}

static int cmp_u16(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return (x > y) - (x < y);
}

/* When points x candidates is too large, only entries that are nearest to
 * some point (the heaviest first) stay candidates. */
static size_t limit_candidates(const fsk_matcher *m, const point *pts, size_t np,
                               const uint16_t *cand, size_t nc, uint16_t *keep,
                               const fsk_calibration *cal)
{
    double *hit = calloc(cal->entry_count, sizeof *hit);
    if (!hit)
        return 0;
    for (size_t p = 0; p < np; p++) {
        double lin[3];
        fsk_lab_to_linear(pts[p].lab, lin);
        float c[3] = {(float)lin[0], (float)lin[1], (float)lin[2]};
        hit[fsk_matcher_nearest(m, c)] += pts[p].weight;
    }
    size_t limit = DISTANCE_BUDGET / np, n = 0;
    if (limit < 1)
        limit = 1;
    /* Heaviest hits first, in preference order among equals. */
    while (n < limit) {
        size_t best = nc;
        for (size_t c = 0; c < nc; c++)
            if (hit[cand[c]] > 0 && (best == nc || hit[cand[c]] > hit[cand[best]]))
                best = c;
        if (best == nc)
            break;
        keep[n++] = cand[best];
        hit[cand[best]] = 0;
    }
    free(hit);
    return n;
}

int fsk_palette_reduce(const float *rgba, int width, int height,
                       const fsk_calibration *cal, const uint16_t *allowed,
                       size_t allowed_count, int max_colors, uint16_t *out,
                       size_t *out_count, fsk_err *err)
{
    *out_count = 0;
    if (width < 1 || height < 1 || max_colors < 1 ||
        (uint64_t)width * (uint64_t)height > SIZE_MAX / 16)
        return fsk_err_set(err, FSK_EINVAL, "bad arguments for palette reduction");
    fsk_matcher *m = fsk_matcher_create(cal, allowed, allowed_count, FSK_METRIC_DE2000, err);
    if (!m)
        return err ? err->code : FSK_EINVAL;
    point *pts = NULL;
    size_t np = 0, nc;
    int rc = gather(rgba, (size_t)width * (size_t)height, &pts, &np, err);
    const uint16_t *all = fsk_matcher_candidates(m, &nc);
    uint16_t *cand = rc ? NULL : malloc(nc * sizeof *cand);
    if (!rc && !cand)
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
    if (!rc) {
        memcpy(cand, all, nc * sizeof *cand);
        if (np * nc > DISTANCE_BUDGET && nc > (size_t)max_colors) {
            nc = limit_candidates(m, pts, np, all, nc, cand, cal);
            if (nc == 0)
                rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        }
    }
    if (!rc && nc <= (size_t)max_colors) {
        memcpy(out, cand, nc * sizeof *out);
        *out_count = nc;
    } else if (!rc) {
        problem pb = {np, nc, pts, malloc(np * nc * sizeof(float)),
                      malloc((size_t)max_colors * sizeof(size_t)), 0,
                      malloc(np * sizeof(double)), malloc(np * sizeof(double)),
                      malloc(np * sizeof(size_t))};
        if (!pb.dist || !pb.chosen || !pb.d1 || !pb.d2 || !pb.near) {
            rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        } else {
            for (size_t p = 0; p < np; p++)
                for (size_t c = 0; c < nc; c++)
                    pb.dist[p * nc + c] =
                        (float)fsk_de2000(pts[p].lab, cal->entries[cand[c]].lab);
            greedy(&pb, (size_t)max_colors);
            refine(&pb);
            for (size_t j = 0; j < pb.k; j++)
                out[j] = cand[pb.chosen[j]];
            *out_count = pb.k;
        }
        free(pb.dist);
        free(pb.chosen);
        free(pb.d1);
        free(pb.d2);
        free(pb.near);
    }
    if (!rc)
        qsort(out, *out_count, sizeof *out, cmp_u16);
    free(cand);
    free(pts);
    fsk_matcher_free(m);
    return rc;
}
