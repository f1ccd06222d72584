/*
 * fsk_layer_stats.c — material and tool-change figures (see
 * fsk_layer_stats.h). One pass over the voxels counts voxels per part and
 * layer; the tool changes come from a dynamic program over the filament
 * loaded between layers (at most 32 states plus "nothing loaded yet").
 */
#include "fsk_layer_stats.h"

#include <stdlib.h>
#include <string.h>

#include "fsk_parallel.h"

#define MAX_FIL 32
#define NO_COST INT64_MAX

void fsk_layer_stats_free(fsk_layer_stats *out)
{
    if (!out)
        return;
    free(out->layer);
    memset(out, 0, sizeof *out);
}

/* Changes for one layer with filament set s (n members), entered with a
 * loaded (0: none yet) and left with b. */
static int layer_cost(uint32_t s, int n, int a, int b)
{
    int a_in = a > 0 && (s >> (a - 1) & 1u);
    if (a == 0)
        return n - 1;
    if (n == 1)
        return a == b ? 0 : 1;
    return n - 1 + (a_in && a != b ? 0 : 1);
}

/* Fills tool_changes, first_filament and last_filament of every layer. */
static int plan_tool_changes(fsk_layer_stats *st)
{
    int layers = st->layers;
    /* from[k][b]: the filament loaded before layer k on the cheapest way to
     * end layer k with b loaded; -1 when b cannot be loaded after layer k. */
    int8_t (*from)[MAX_FIL + 1] = malloc(((size_t)layers + 1) * sizeof *from);
    if (!from)
        return FSK_ENOMEM;
    int64_t cost[MAX_FIL + 1], next[MAX_FIL + 1];
    for (int b = 0; b <= MAX_FIL; b++)
        cost[b] = b == 0 ? 0 : NO_COST;
    for (int k = 0; k < layers; k++) {
        uint32_t s = st->layer[k].filaments;
        int n = st->layer[k].filament_count;
        for (int b = 0; b <= MAX_FIL; b++) {
            next[b] = NO_COST;
            from[k][b] = -1;
        }
        for (int a = 0; a <= MAX_FIL; a++) {
            if (cost[a] == NO_COST)
                continue;
            if (n == 0) {
                if (cost[a] < next[a]) {
                    next[a] = cost[a];
                    from[k][a] = (int8_t)a;
                }
                continue;
            }
            for (int b = 1; b <= MAX_FIL; b++) {
                if (!(s >> (b - 1) & 1u))
                    continue;
                int64_t c = cost[a] + layer_cost(s, n, a, b);
                if (c < next[b]) { /* strict: the lowest a wins ties */
                    next[b] = c;
                    from[k][b] = (int8_t)a;
                }
            }
        }
        memcpy(cost, next, sizeof cost);
    }
    int end = 0;
    for (int b = 1; b <= MAX_FIL; b++)
        if (cost[b] < cost[end])
            end = b;
    st->tool_changes = cost[end];
    for (int k = layers - 1; k >= 0; k--) {
        fsk_layer_use *u = &st->layer[k];
        int a = from[k][end];
        u->last_filament = end;
        u->tool_changes = u->filament_count ? layer_cost(u->filaments, u->filament_count, a, end) : 0;
        u->first_filament = 0;
        if (u->filament_count == 1) {
            u->first_filament = end;
        } else if (u->filament_count > 1) {
            /* Start with what is loaded when possible, else the lowest
             * filament that is not the last. */
            int a_in = a > 0 && (u->filaments >> (a - 1) & 1u);
            if (a_in && a != end) {
                u->first_filament = a;
            } else {
                for (int f = 1; f <= MAX_FIL && !u->first_filament; f++)
                    if ((u->filaments >> (f - 1) & 1u) && f != end)
                        u->first_filament = f;
            }
        }
        end = a;
    }
    free(from);
    return 0;
}

/* Voxels per part id in each layer, the layers counted side by side. */
typedef struct layer_counts {
    const fsk_voxels *v;
    uint64_t (*count)[256];
} layer_counts;

/* Counts layer z's plane, when z is the first layer in it (the others take
 * its counts afterwards). */
static void count_layer(void *ctx, int z)
{
    const layer_counts *c = ctx;
    if (fsk_voxel_plane_layer(c->v->plane_of, z) != z)
        return;
    size_t plane = (size_t)c->v->width * (size_t)c->v->height;
    const uint8_t *cell = c->v->parts + fsk_voxel_index(c->v, 0, 0, z);
    /* Four tallies, so that runs of one id do not wait on one counter. */
    uint32_t tally[4][256] = {{0}};
    uint64_t *count = c->count[z];
    memset(count, 0, 256 * sizeof *count);
    size_t i = 0;
    while (i < plane) {
        size_t end = plane - i > UINT32_MAX / 2 ? i + UINT32_MAX / 2 : plane;
        for (; i + 4 <= end; i += 4) {
            tally[0][cell[i]]++;
            tally[1][cell[i + 1]]++;
            tally[2][cell[i + 2]]++;
            tally[3][cell[i + 3]]++;
        }
        for (; i < end; i++)
            tally[0][cell[i]]++;
        for (int id = 0; id < 256; id++) {
            count[id] += (uint64_t)tally[0][id] + tally[1][id] + tally[2][id] + tally[3][id];
            tally[0][id] = tally[1][id] = tally[2][id] = tally[3][id] = 0;
        }
    }
}

int fsk_layer_stats_compute(const fsk_voxels *v, int threads, fsk_layer_stats *out,
                            fsk_err *err)
{
    if (!out)
        return fsk_err_set(err, FSK_EINVAL, "layer statistics: no output");
    memset(out, 0, sizeof *out);
    if (!v || v->width < 1 || v->height < 1 || v->layers < 0 || !v->layer_top_mm ||
        (v->layers > 0 && !v->parts) || v->part_count < 0 ||
        v->part_count > FSK_MAX_PARTS)
        return fsk_err_set(err, FSK_EINVAL, "layer statistics: invalid voxel grid");
    for (int p = 1; p <= v->part_count; p++)
        if (v->part[p].filament < 1 || v->part[p].filament > MAX_FIL)
            return fsk_err_set(err, FSK_EINVAL,
                               "layer statistics: part %d has filament %d "
                               "(expected 1 to %d)", p, v->part[p].filament,
                               MAX_FIL);
    out->part_count = v->part_count;
    out->layers = v->layers;
    out->layer = calloc(v->layers > 0 ? (size_t)v->layers : 1, sizeof *out->layer);
    if (!out->layer)
        return fsk_err_set(err, FSK_ENOMEM, "layer statistics: out of memory");

    double pixel_area_mm2 = v->pixel_mm * v->pixel_mm;
    layer_counts counts = {v, malloc((v->layers > 0 ? (size_t)v->layers : 1) *
                                     sizeof *counts.count)};
    if (!counts.count) {
        fsk_layer_stats_free(out);
        return fsk_err_set(err, FSK_ENOMEM, "layer statistics: out of memory");
    }
    fsk_parallel_for(threads, v->layers, count_layer, &counts);
    for (int z = 0; z < v->layers; z++) {
        int first = fsk_voxel_plane_layer(v->plane_of, z);
        if (first != z)
            memcpy(counts.count[z], counts.count[first], sizeof counts.count[z]);
    }
    for (int z = 0; z < v->layers; z++) {
        const uint64_t *count = counts.count[z];
        for (int id = v->part_count + 1; id < 256; id++) {
            if (count[id]) {
                free(counts.count);
                fsk_layer_stats_free(out);
                return fsk_err_set(err, FSK_EINVAL,
                                   "layer statistics: layer %d holds part id %d, "
                                   "but there are %d parts", z, id, v->part_count);
            }
        }
        double thickness_mm = v->layer_top_mm[z + 1] - v->layer_top_mm[z];
        fsk_layer_use *u = &out->layer[z];
        for (int p = 1; p <= v->part_count; p++) {
            if (!count[p])
                continue;
            double mm3 = (double)count[p] * pixel_area_mm2 * thickness_mm;
            out->part[p].voxels += count[p];
            out->part[p].volume_mm3 += mm3;
            u->filaments |= 1u << (v->part[p].filament - 1);
        }
        for (uint32_t bits = u->filaments; bits; bits &= bits - 1)
            u->filament_count++;
    }
    free(counts.count);
    for (int p = 1; p <= v->part_count; p++) {
        fsk_part_stats *s = &out->part[p];
        s->grams = s->volume_mm3 * v->part[p].density_g_cm3 / 1000.0;
        out->total_voxels += s->voxels;
        out->total_volume_mm3 += s->volume_mm3;
        out->total_grams += s->grams;
    }
    if (plan_tool_changes(out) != 0) {
        fsk_layer_stats_free(out);
        return fsk_err_set(err, FSK_ENOMEM, "layer statistics: out of memory");
    }
    return 0;
}
