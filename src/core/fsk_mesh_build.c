/*
 * fsk_mesh_build.c — the voxel mesher: one closed, merged, T-junction-free
 * 2-manifold around the voxels of one part.
 *
 * 1. Occupancy. The part's voxels become bit rows along x (occ[z][y]) and,
 *    by 64x64 bit transposes, bit rows along y (occ_t[z][x]), so that every
 *    face test below is a word operation on two rows. Only the layers from
 *    the part's lowest to its highest are worked on: a color's part spans
 *    a few of the print's layers, the backing the others.
 * 2. Faces. A unit face exists only between a voxel of the part and one
 *    that is not (or the outside of the grid). For each axis plane and
 *    each normal direction the face cells form a bit mask, whose connected
 *    regions are rectilinear polygons, possibly with holes. Rows are y for
 *    the z planes and z (layers) for the x and y planes. Every lattice point
 *    where a region's boundary turns (one or three of its four cells in the
 *    mask, or two diagonal ones) is marked "kept" in a bit array over the
 *    (w+1)(h+1)(layers+1) lattice.
 * 3. Vertices. At each kept lattice point P the 2x2x2 pattern around it
 *    gives the umbrellas (fsk_mesh_corner.h): cycles of faces around P,
 *    usually one, more where solids touch only along an edge or at P. An
 *    edge touched by two solids normally keeps them apart; it joins them
 *    when they also meet beyond both of its ends, as the edge would
 *    otherwise need four triangles between the same two vertices. Points
 *    inside a longer straight line of such contact are turning points of
 *    no region but have two umbrellas, so they are kept too. Each
 *    (P, umbrella) is one vertex, numbered in lattice order; split copies
 *    carry a nudge. A per-word prefix count over the kept bits (plus two
 *    bits per point for the extra copies) turns a lattice point into its
 *    vertex index in O(1).
 * 4. Triangles. Each region is triangulated as one polygon through every
 *    kept lattice point on its boundary (a point where another region
 *    turns, on a straight side of this one, must be a vertex of it too, or
 *    the surface has a T-junction), with no points inside:
 *    fsk_mesh_sweep.h, one sweep over the plane's lattice lines. A region
 *    with n such points and k holes gets n + 2k - 2 triangles, none of zero
 *    area, so the closed surface has about twice as many triangles as
 *    vertices. A vertex at P uses the copy of the umbrella that holds the
 *    region's unit face touching P (at a pinch of the region, the face of
 *    the corner being triangulated).
 *
 * Everything is integer and deterministic; memory is a few bit arrays over
 * the grid, and time is linear in voxels (as words) plus the lattice points
 * on region boundaries, each visited once per pass.
 */
#include "fsk_mesh.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fsk_bits.h"
#include "fsk_mesh_corner.h"
#include "fsk_mesh_sweep.h"

typedef struct builder {
    const fsk_voxels *grid;
    int w, h;
    /* The layers from the part's lowest to its highest: the grid's layers
     * first_layer .. first_layer + layers - 1. Everything below works in
     * these; vertices are moved up by first_layer as they are made. */
    int first_layer, layers;
    size_t xw, yw;       /* words per occupancy row along x / along y */
    uint64_t *occ_all;   /* [z][y][xw] over all the grid's layers */
    uint64_t *occ;       /* from first_layer: bit x set when the voxel is the part */
    uint64_t *occ_t;     /* [z][x][yw]: the same, bit y */
    uint64_t *zero_row;  /* max(xw, yw) zero words: outside the grid */
    uint64_t *mask[2];   /* face masks of one plane: normal -, normal + */
    size_t kw;           /* words per lattice row (w+1 bits) */
    uint64_t *kept;      /* [z][y][kw] lattice points that are vertices */
    uint64_t *extra[2];  /* bits 0 and 1 of (umbrella count - 1) */
    uint32_t *prefix;    /* vertices before each word of kept */
    uint32_t *split;     /* at a split point's first vertex: the umbrella
                            of each face, 2 bits per face */
    size_t split_cap;
    fsk_sweep sweep;
    fsk_corner_table table;
} builder;

/* ---- occupancy ---------------------------------------------------------- */

static const uint64_t *occ_row(const builder *b, int z, int y)
{
    if (z < 0 || z >= b->layers || y < 0 || y >= b->h)
        return b->zero_row;
    return b->occ + ((size_t)z * (size_t)b->h + (size_t)y) * b->xw;
}

static const uint64_t *occ_t_row(const builder *b, int z, int x)
{
    if (z < 0 || z >= b->layers || x < 0 || x >= b->w)
        return b->zero_row;
    return b->occ_t + ((size_t)z * (size_t)b->w + (size_t)x) * b->yw;
}

#ifdef __SSE2__
/* Bit i set when s[i] == part, for 64 bytes, sixteen at a time (SSE2 is
 * part of every x86-64). */
static uint64_t match64(const uint8_t *s, uint8_t part)
{
    const __m128i want = _mm_set1_epi8((char)part);
    uint64_t bits = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        bits |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, want)) << (16 * k);
    }
    return bits;
}
#else
/* Bit i set when s[i] == part, for 64 bytes, eight at a time. */
static uint64_t match64(const uint8_t *s, uint8_t part)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    uint64_t bits = 0;
    for (int k = 0; k < 8; k++) {
        uint64_t t = 0;
        for (int i = 7; i >= 0; i--) /* byte i at bits 8i, whatever the endianness */
            t = t << 8 | s[8 * k + i];
        t ^= part * 0x0101010101010101ull;
        /* High bit of each byte set exactly where the byte is zero. */
        uint64_t zero = ~(((t & low7) + low7) | t | low7);
        /* Gathers bit 8i+7 into bit 56+i: the shifted partial products
         * never overlap, so no carries disturb the top byte. */
        bits |= (((zero >> 7) * 0x0102040810204080ull) >> 56) << (8 * k);
    }
    return bits;
}
#endif

/* Packs the part's voxels of all the grid's layers into bit rows and
 * narrows the builder to the layers that hold some; returns whether any
 * does. */
static int pack_rows(builder *b, int part)
{
    int lowest = -1, highest = -1;
    for (int z = 0; z < b->grid->layers; z++) {
        uint64_t any = 0;
        for (int y = 0; y < b->h; y++) {
            const uint8_t *src = b->grid->parts + fsk_voxel_index(b->grid, 0, y, z);
            uint64_t *dst = b->occ_all + ((size_t)z * (size_t)b->h + (size_t)y) * b->xw;
            for (size_t wi = 0; wi < b->xw; wi++) {
                int n = b->w - (int)wi * 64;
                if (n > 64)
                    n = 64;
                uint64_t bits;
                if (n == 64) {
                    bits = match64(src + wi * 64, (uint8_t)part);
                } else { /* the row's end, padded with a byte that is not part */
                    uint8_t tail[64];
                    memset(tail, (uint8_t)~part, sizeof tail);
                    memcpy(tail, src + wi * 64, (size_t)n);
                    bits = match64(tail, (uint8_t)part) & ((1ull << n) - 1);
                }
                dst[wi] = bits;
                any |= bits;
            }
        }
        if (any) {
            lowest = lowest < 0 ? z : lowest;
            highest = z;
        }
    }
    if (lowest < 0)
        return 0;
    b->first_layer = lowest;
    b->layers = highest - lowest + 1;
    b->occ = b->occ_all + (size_t)lowest * (size_t)b->h * b->xw;
    return 1;
}

/* In-place transpose of a 64x64 bit block: bit i of a[k] <-> bit k of a[i]. */
static void transpose64(uint64_t a[64])
{
    uint64_t m = 0x00000000FFFFFFFFull;
    for (int j = 32; j != 0; j >>= 1, m ^= m << j) {
        for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
            uint64_t t = ((a[k] >> j) ^ a[k | j]) & m;
            a[k] ^= t << j;
            a[k | j] ^= t;
        }
    }
}

static void transpose_rows(builder *b)
{
    uint64_t block[64];
    for (int z = 0; z < b->layers; z++) {
        for (size_t yb = 0; yb < b->yw; yb++) {
            for (size_t xb = 0; xb < b->xw; xb++) {
                for (int k = 0; k < 64; k++)
                    block[k] = occ_row(b, z, (int)yb * 64 + k)[xb];
                transpose64(block);
                int n = b->w - (int)xb * 64;
                if (n > 64)
                    n = 64;
                for (int i = 0; i < n; i++) {
                    size_t x = xb * 64 + (size_t)i;
                    b->occ_t[((size_t)z * (size_t)b->w + x) * b->yw + yb] = block[i];
                }
            }
        }
    }
}

/* Voxels x-1 (bit 0) and x (bit 1) of an occupancy row along x. */
static unsigned two_voxels(const builder *b, const uint64_t *row, int x)
{
    unsigned lo = x > 0 ? (unsigned)(row[(x - 1) >> 6] >> ((x - 1) & 63)) & 1 : 0;
    unsigned hi = x < b->w ? (unsigned)(row[x >> 6] >> (x & 63)) & 1 : 0;
    return lo | hi << 1;
}

/* 2x2x2 pattern around lattice point p, see fsk_mesh_corner.h. */
static unsigned pattern_at(const builder *b, const int p[3])
{
    unsigned pattern = 0;
    for (int k = 0; k < 4; k++) /* k = dy + 2*dz */
        pattern |= two_voxels(b, occ_row(b, p[2] - 1 + (k >> 1), p[1] - 1 + (k & 1)), p[0])
                   << (2 * k);
    return pattern;
}

/* Edges leaving p to resolve as joined (fsk_mesh_corner.h): those whose
 * solid voxels are face-connected beyond both of their ends. */
static unsigned joined_edges(const builder *b, const int p[3], unsigned pattern)
{
    unsigned joined = 0;
    for (unsigned bits = b->table.bridged[pattern]; bits; bits &= bits - 1) {
        int slot = __builtin_ctz(bits), q[3] = {p[0], p[1], p[2]};
        q[slot / 2] += slot & 1 ? 1 : -1;
        if (b->table.bridged[pattern_at(b, q)] >> (slot ^ 1) & 1)
            joined |= 1u << slot;
    }
    return joined;
}

/* The umbrellas at one lattice point: from the table, or worked out when
 * some edges there are joined. */
typedef struct corner {
    int count;
    const uint8_t *umbrella;  /* per face */
    const int8_t (*nudge)[3]; /* per umbrella */
    uint8_t own_umbrella[12];
    int8_t own_nudge[4][3];
} corner;

static void corner_at(const builder *b, const int p[3], corner *c)
{
    unsigned pattern = pattern_at(b, p);
    unsigned joined = b->table.bridged[pattern] ? joined_edges(b, p, pattern) : 0;
    if (joined) {
        c->count = fsk_corner_umbrellas(pattern, joined, c->own_umbrella, c->own_nudge);
        c->umbrella = c->own_umbrella;
        c->nudge = (const int8_t(*)[3])c->own_nudge;
    } else {
        c->count = b->table.count[pattern];
        c->umbrella = b->table.umbrella[pattern];
        c->nudge = (const int8_t(*)[3])b->table.nudge[pattern];
    }
}

/* ---- kept lattice points ------------------------------------------------- */

/* Bit position of lattice point p in kept, extra and prefix (per word). */
static size_t lattice_bit(const builder *b, const int p[3])
{
    return ((size_t)p[2] * (size_t)(b->h + 1) + (size_t)p[1]) * b->kw * 64 + (size_t)p[0];
}

static int bit_set(const uint64_t *bits, size_t pos)
{
    return (int)(bits[pos >> 6] >> (pos & 63)) & 1;
}

static void keep(builder *b, const int p[3])
{
    size_t pos = lattice_bit(b, p);
    b->kept[pos >> 6] |= 1ull << (pos & 63);
}

/* How a plane's mask maps to the lattice: the normal axis and the plane's
 * coordinate on it, the axis along each row's bits and the axis of rows,
 * and the number of cells per row. Lattice line v of the plane (between
 * rows v-1 and v) holds points u = 0..cells. */
typedef struct plane_frame {
    int axis, at, run_axis, row_axis, cells;
} plane_frame;

/* Bit position of point u = 64 * wi of lattice line v of the plane. */
static size_t line_bit(const builder *b, const plane_frame *f, int v, size_t wi)
{
    int p[3];
    p[f->axis] = f->at;
    p[f->run_axis] = (int)wi * 64;
    p[f->row_axis] = v;
    return lattice_bit(b, p);
}

/* Stride between neighbouring points of a line in the lattice bit arrays. */
static size_t run_stride(const builder *b, const plane_frame *f)
{
    return f->run_axis == 0 ? 1 : b->kw * 64;
}

/* Kept bits among want of word wi of lattice line v: a word of kept when
 * the line runs along x, else gathered bit by bit. */
static uint64_t kept_bits(const builder *b, const plane_frame *f, int v, size_t wi, uint64_t want)
{
    size_t pos = line_bit(b, f, v, wi);
    if (f->run_axis == 0)
        return b->kept[pos >> 6] & want;
    uint64_t bits = 0;
    for (; want; want &= want - 1) {
        int i = __builtin_ctzll(want);
        bits |= (uint64_t)bit_set(b->kept, pos + (size_t)i * run_stride(b, f)) << i;
    }
    return bits;
}

/* The cells around the points of word wi of a lattice line between mask
 * rows r0 (below) and r1 (above): bit u of a, b, c, d is cell (u-1, below),
 * (u, below), (u-1, above), (u, above). Words are taken in order; q holds
 * those of word wi-1 (all zero before word 0) and gets those of wi. */
typedef struct line_cells {
    uint64_t a, b, c, d;
} line_cells;

static inline void next_cells(const uint64_t *r0, const uint64_t *r1, size_t words, size_t wi,
                              line_cells *q)
{
    uint64_t b = wi < words ? r0[wi] : 0, d = wi < words ? r1[wi] : 0;
    q->a = b << 1 | q->b >> 63;
    q->c = d << 1 | q->d >> 63;
    q->b = b;
    q->d = d;
}

/* Mask row r of a plane with rows rows, or the zero row outside. */
static const uint64_t *mask_row(const builder *b, const uint64_t *mask, int rows, size_t words,
                                int r)
{
    return r >= 0 && r < rows ? mask + (size_t)r * words : b->zero_row;
}

/* Lattice words per line of the plane: points 0..cells. */
static size_t line_words(const plane_frame *f)
{
    return (size_t)f->cells / 64 + 1;
}

/* Keeps every point where the boundary of the face regions of mask turns:
 * one or three of its four cells in the mask, or two diagonal ones. */
static void keep_turns(builder *b, const plane_frame *f, const uint64_t *mask, int rows,
                       size_t words)
{
    for (int v = 0; v <= rows; v++) {
        const uint64_t *r0 = mask_row(b, mask, rows, words, v - 1);
        const uint64_t *r1 = mask_row(b, mask, rows, words, v);
        line_cells q = {0, 0, 0, 0};
        for (size_t wi = 0; wi < line_words(f); wi++) {
            next_cells(r0, r1, words, wi, &q);
            uint64_t turn = (q.a ^ q.b ^ q.c ^ q.d) | ((q.a ^ q.b) & ~(q.a ^ q.d) & ~(q.b ^ q.c));
            if (!turn)
                continue;
            size_t pos = line_bit(b, f, v, wi);
            if (f->run_axis == 0) {
                b->kept[pos >> 6] |= turn;
                continue;
            }
            for (; turn; turn &= turn - 1) {
                size_t at = pos + (size_t)__builtin_ctzll(turn) * run_stride(b, f);
                b->kept[at >> 6] |= 1ull << (at & 63);
            }
        }
    }
}

/*
 * Where two solids touch along a straight lattice line for more than one
 * voxel, the points inside that line are turning points of no region, yet each
 * has two umbrellas: keep them, so each solid's edge gets its own vertices.
 * diag[k] has bit i set when the four voxels around segment i of the line
 * (rows r[0..3] in cyclic order around it) alternate the k-th way.
 */
static void diagonals(const uint64_t *const r[4], size_t wi, uint64_t diag[2])
{
    diag[0] = r[0][wi] & r[2][wi] & ~r[1][wi] & ~r[3][wi];
    diag[1] = r[1][wi] & r[3][wi] & ~r[0][wi] & ~r[2][wi];
}

/* Keeps lattice points inside runs along x (axis 0) or y (axis 1): rows
 * hold bits along the line; segments i and i+1 meet at point i+1. */
static void keep_runs_along(builder *b, int axis, const uint64_t *const r[4], size_t words,
                            int y_or_x, int z)
{
    uint64_t cur[2], next[2] = {0, 0};
    diagonals(r, 0, cur);
    for (size_t wi = 0; wi < words; wi++) {
        if (wi + 1 < words)
            diagonals(r, wi + 1, next);
        else
            next[0] = next[1] = 0;
        uint64_t both = 0;
        for (int k = 0; k < 2; k++)
            both |= cur[k] & ((cur[k] >> 1) | (next[k] << 63));
        for (; both; both &= both - 1) {
            int p[3];
            p[axis] = (int)(wi * 64) + __builtin_ctzll(both) + 1;
            p[1 - axis] = y_or_x;
            p[2] = z;
            keep(b, p);
        }
        cur[0] = next[0];
        cur[1] = next[1];
    }
}

/* Word wi of a row along x, shifted so that bit x holds voxel x-1. */
static uint64_t shifted(const uint64_t *row, size_t wi)
{
    return (row[wi] << 1) | (wi ? row[wi - 1] >> 63 : 0);
}

static void keep_pinch_runs(builder *b)
{
    for (int z = 1; z < b->layers; z++) {
        for (int y = 1; y < b->h; y++) {
            const uint64_t *const r[4] = {occ_row(b, z - 1, y - 1), occ_row(b, z - 1, y),
                                          occ_row(b, z, y), occ_row(b, z, y - 1)};
            keep_runs_along(b, 0, r, b->xw, y, z);
        }
        for (int x = 1; x < b->w; x++) {
            const uint64_t *const r[4] = {occ_t_row(b, z - 1, x - 1), occ_t_row(b, z - 1, x),
                                          occ_t_row(b, z, x), occ_t_row(b, z, x - 1)};
            keep_runs_along(b, 1, r, b->yw, x, z);
        }
    }
    /* Vertical lines: the four voxels around point (x, y) of a layer are
     * rows y-1 and y at bits x-1 and x. */
    for (int z = 1; z < b->layers; z++) {
        for (int y = 1; y < b->h; y++) {
            const uint64_t *lo_a = occ_row(b, z - 1, y - 1), *lo_b = occ_row(b, z - 1, y);
            const uint64_t *hi_a = occ_row(b, z, y - 1), *hi_b = occ_row(b, z, y);
            for (size_t wi = 0; wi < b->xw; wi++) {
                uint64_t d[2][2];
                const uint64_t *pairs[2][2] = {{lo_a, lo_b}, {hi_a, hi_b}};
                for (int k = 0; k < 2; k++) {
                    uint64_t a0 = shifted(pairs[k][0], wi), a1 = pairs[k][0][wi];
                    uint64_t b0 = shifted(pairs[k][1], wi), b1 = pairs[k][1][wi];
                    d[k][0] = a0 & b1 & ~a1 & ~b0;
                    d[k][1] = a1 & b0 & ~a0 & ~b1;
                }
                uint64_t both = (d[0][0] & d[1][0]) | (d[0][1] & d[1][1]);
                for (; both; both &= both - 1) {
                    int p[3] = {(int)(wi * 64) + __builtin_ctzll(both), y, z};
                    keep(b, p);
                }
            }
        }
    }
}

/* ---- vertices ----------------------------------------------------------- */

/* Records the umbrella of each face at a split point whose first vertex
 * is index. */
static int note_split(builder *b, uint64_t index, const corner *c)
{
    if (index >= b->split_cap) {
        size_t cap = b->split_cap ? b->split_cap : 1024;
        while (cap <= index)
            cap *= 2;
        uint32_t *p = realloc(b->split, cap * sizeof *p);
        if (!p)
            return FSK_ENOMEM;
        b->split = p;
        b->split_cap = cap;
    }
    uint32_t faces = 0;
    for (int f = 0; f < 12; f++)
        if (c->umbrella[f] != FSK_CORNER_NONE)
            faces |= (uint32_t)c->umbrella[f] << (2 * f);
    b->split[index] = faces;
    return 0;
}

/* Numbers the (kept point, umbrella) pairs in lattice order and appends the
 * vertices to out. */
static int number_vertices(builder *b, fsk_mesh *out, fsk_err *err)
{
    size_t words = (size_t)(b->layers + 1) * (size_t)(b->h + 1) * b->kw, kept = 0;
    for (size_t wi = 0; wi < words; wi++)
        kept += (size_t)fsk_popcount64(b->kept[wi]);
    /* A closed surface has about twice as many triangles as vertices
     * (more with holes; the array grows then): room for them at once
     * spares the copies of growing there. */
    size_t triangles = kept < SIZE_MAX / 3 ? 2 * kept + kept / 16 + 64 : kept;
    if (fsk_mesh_reserve(out, kept, triangles) != 0)
        return FSK_ENOMEM;
    uint64_t count = 0;
    size_t wi = 0;
    int p[3];
    for (p[2] = 0; p[2] <= b->layers; p[2]++) {
        for (p[1] = 0; p[1] <= b->h; p[1]++) {
            for (size_t k = 0; k < b->kw; k++, wi++) {
                b->prefix[wi] = (uint32_t)count;
                for (uint64_t bits = b->kept[wi]; bits; bits &= bits - 1) {
                    int bit = __builtin_ctzll(bits);
                    p[0] = (int)k * 64 + bit;
                    corner c;
                    corner_at(b, p, &c);
                    int n = c.count;
                    if (count + (uint64_t)n > (uint64_t)UINT32_MAX + 1)
                        return fsk_err_set(err, FSK_ELIMIT,
                                           "mesh would have more than 2^32 vertices");
                    if (n > 1 && note_split(b, count, &c) != 0)
                        return FSK_ENOMEM;
                    if ((n - 1) & 1)
                        b->extra[0][wi] |= 1ull << bit;
                    if ((n - 1) & 2)
                        b->extra[1][wi] |= 1ull << bit;
                    for (int u = 0; u < n; u++) {
                        fsk_mesh_vertex v = {p[0], p[1], p[2] + b->first_layer, {0, 0, 0}};
                        if (n > 1)
                            memcpy(v.nudge, c.nudge[u], 3);
                        if (fsk_mesh_add_vertex(out, v) < 0)
                            return FSK_ENOMEM;
                    }
                    count += (uint64_t)n;
                }
            }
        }
    }
    return 0;
}

/* Index of the vertex at kept lattice point bit pos on the surface of the
 * unit face with id face (fsk_mesh_corner.h) touching it. */
static uint32_t vertex_at(const builder *b, size_t pos, int face)
{
    size_t wi = pos >> 6;
    int bit = (int)(pos & 63);
    uint64_t before = (1ull << bit) - 1;
    uint64_t e0 = b->extra[0][wi], e1 = b->extra[1][wi], split = e0 | e1;
    uint32_t index = b->prefix[wi] + (uint32_t)fsk_popcount64(b->kept[wi] & before);
    if (split & before)
        index += (uint32_t)(fsk_popcount64(e0 & before) + 2 * fsk_popcount64(e1 & before));
    if (!(split >> bit & 1))
        return index;
    return index + (b->split[index] >> (2 * face) & 3);
}

/* The vertex at bit pos seen from the cell of the plane at offset (du, dv)
 * from the point (0 or 1 each). */
static uint32_t vertex_of_cell(const builder *b, const plane_frame *f, size_t pos, int du,
                               int dv)
{
    int d[3];
    d[f->axis] = 0;
    d[f->run_axis] = du;
    d[f->row_axis] = dv;
    return vertex_at(b, pos, fsk_corner_face(f->axis, d));
}

/* Triangulates the face regions of mask (rows x words) with the sweep. */
static int triangulate_mask(builder *b, const plane_frame *f, int sign, const uint64_t *mask,
                            int rows, size_t words, fsk_mesh *out)
{
    /* (run_axis, row_axis, axis) is right-handed except for y planes. */
    int flip = (sign < 0) != (f->axis == 1);
    if (fsk_sweep_begin(&b->sweep, f->cells, out, flip) != 0)
        return FSK_ENOMEM;
    size_t nw = line_words(f), stride = run_stride(b, f);
    for (int v = 0; v <= rows; v++) {
        const uint64_t *r0 = mask_row(b, mask, rows, words, v - 1);
        const uint64_t *r1 = mask_row(b, mask, rows, words, v);
        line_cells q = {0, 0, 0, 0};
        /* A line between equal rows with no vertex on it changes nothing
         * (checked where the kept bits come by the word). */
        if (v > 0 && v < rows && f->run_axis == 0 && memcmp(r0, r1, words * sizeof *r0) == 0) {
            uint64_t any = 0;
            for (size_t wi = 0; wi < nw && !any; wi++) {
                next_cells(r0, r1, words, wi, &q);
                any = kept_bits(b, f, v, wi, q.a ^ q.b);
            }
            if (!any)
                continue;
            q = (line_cells){0, 0, 0, 0};
        }
        for (size_t wi = 0; wi < nw; wi++) {
            next_cells(r0, r1, words, wi, &q);
            uint64_t cross = (q.a ^ q.b) | (q.c ^ q.d);
            uint64_t flat = (q.a ^ q.c) & ~cross;
            if (!(cross | flat))
                continue;
            uint64_t kept = kept_bits(b, f, v, wi, cross | flat);
            uint64_t points = cross | (flat & kept);
            size_t pos0 = line_bit(b, f, v, wi);
            for (; points; points &= points - 1) {
                int i = __builtin_ctzll(points);
                unsigned cells = (unsigned)((q.a >> i & 1) | (q.b >> i & 1) << 1 |
                                            (q.c >> i & 1) << 2 | (q.d >> i & 1) << 3);
                uint32_t vertex[2] = {UINT32_MAX, UINT32_MAX};
                if (kept >> i & 1) {
                    size_t pos = pos0 + (size_t)i * stride;
                    if (cells == 9 || cells == 6) {
                        /* A pinch: a and d, or c and b, are different corners. */
                        vertex[0] = vertex_of_cell(b, f, pos, 0, cells == 6);
                        vertex[1] = vertex_of_cell(b, f, pos, 1, cells == 9);
                    } else {
                        int cell = cells & 8 ? 3 : cells & 2 ? 1 : cells & 4 ? 2 : 0;
                        vertex[0] = vertex[1] = vertex_of_cell(b, f, pos, cell & 1, cell >> 1);
                    }
                }
                if (fsk_sweep_point(&b->sweep, cells, (int32_t)(wi * 64) + i, v, vertex) != 0)
                    return FSK_ENOMEM;
            }
        }
        fsk_sweep_next_line(&b->sweep);
    }
    return 0;
}

/* ---- planes -------------------------------------------------------------- */

/* Face masks of one plane from the occupancy rows on either side of it:
 * below[r] and above[r] are the rows at coordinate at-1 and at. Without
 * out, keeps the turning points of the face regions; with it, triangulates
 * them. */
static int plane_faces(builder *b, const plane_frame *f, int rows, size_t words,
                       const uint64_t *const *below, const uint64_t *const *above,
                       fsk_mesh *out)
{
    uint64_t any[2] = {0, 0};
    for (int r = 0; r < rows; r++) {
        uint64_t *neg = b->mask[0] + (size_t)r * words;
        uint64_t *pos = b->mask[1] + (size_t)r * words;
        for (size_t wi = 0; wi < words; wi++) {
            neg[wi] = above[r][wi] & ~below[r][wi];
            pos[wi] = below[r][wi] & ~above[r][wi];
            any[0] |= neg[wi];
            any[1] |= pos[wi];
        }
    }
    for (int k = 0; k < 2; k++) {
        if (!any[k])
            continue;
        if (!out)
            keep_turns(b, f, b->mask[k], rows, words);
        else if (triangulate_mask(b, f, k ? 1 : -1, b->mask[k], rows, words, out) != 0)
            return FSK_ENOMEM;
    }
    return 0;
}

static int visit_planes(builder *b, fsk_mesh *out)
{
    int most = b->w > b->h ? b->w : b->h;
    if (b->layers > most)
        most = b->layers;
    const uint64_t **below = malloc((size_t)most * sizeof *below);
    const uint64_t **above = malloc((size_t)most * sizeof *above);
    int rc = below && above ? 0 : FSK_ENOMEM;

    /* x planes: rows are layers, bits are y. */
    for (int x = 0; rc == 0 && x <= b->w; x++) {
        plane_frame f = {0, x, 1, 2, b->h};
        for (int z = 0; z < b->layers; z++) {
            below[z] = occ_t_row(b, z, x - 1);
            above[z] = occ_t_row(b, z, x);
        }
        rc = plane_faces(b, &f, b->layers, b->yw, below, above, out);
    }
    /* y planes: rows are layers, bits are x. */
    for (int y = 0; rc == 0 && y <= b->h; y++) {
        plane_frame f = {1, y, 0, 2, b->w};
        for (int z = 0; z < b->layers; z++) {
            below[z] = occ_row(b, z, y - 1);
            above[z] = occ_row(b, z, y);
        }
        rc = plane_faces(b, &f, b->layers, b->xw, below, above, out);
    }
    /* z planes: rows are y, bits are x. */
    for (int z = 0; rc == 0 && z <= b->layers; z++) {
        plane_frame f = {2, z, 0, 1, b->w};
        for (int y = 0; y < b->h; y++) {
            below[y] = occ_row(b, z - 1, y);
            above[y] = occ_row(b, z, y);
        }
        rc = plane_faces(b, &f, b->h, b->xw, below, above, out);
    }
    free(below);
    free(above);
    return rc;
}

/* ---- driver ------------------------------------------------------------- */

static void builder_free(builder *b)
{
    free(b->occ_all);
    free(b->occ_t);
    free(b->zero_row);
    free(b->mask[0]);
    free(b->mask[1]);
    free(b->kept);
    free(b->extra[0]);
    free(b->extra[1]);
    free(b->prefix);
    free(b->split);
    fsk_sweep_free(&b->sweep);
}

static void *zalloc(size_t count, size_t size)
{
    return count ? calloc(count, size) : NULL;
}

/* The rows of all the grid's layers, for pack_rows. */
static int builder_alloc_rows(builder *b)
{
    b->xw = ((size_t)b->w + 63) / 64;
    b->occ_all = zalloc((size_t)b->grid->layers * (size_t)b->h * b->xw, sizeof *b->occ_all);
    return b->occ_all ? 0 : FSK_ENOMEM;
}

/* The rest, for the layers pack_rows kept. */
static int builder_alloc(builder *b)
{
    size_t w = (size_t)b->w, h = (size_t)b->h, l = (size_t)b->layers;
    b->yw = (h + 63) / 64;
    b->kw = (w + 1 + 63) / 64;
    size_t most_rows = h > l ? h : l;
    size_t mask_words = most_rows * (b->xw > b->yw ? b->xw : b->yw);
    size_t lattice_words = (l + 1) * (h + 1) * b->kw;
    b->occ_t = zalloc(l * w * b->yw, sizeof *b->occ_t);
    b->zero_row = zalloc(b->xw > b->yw ? b->xw : b->yw, sizeof *b->zero_row);
    b->mask[0] = zalloc(mask_words, sizeof *b->mask[0]);
    b->mask[1] = zalloc(mask_words, sizeof *b->mask[1]);
    b->kept = zalloc(lattice_words, sizeof *b->kept);
    b->extra[0] = zalloc(lattice_words, sizeof *b->extra[0]);
    b->extra[1] = zalloc(lattice_words, sizeof *b->extra[1]);
    b->prefix = zalloc(lattice_words, sizeof *b->prefix);
    return b->occ_t && b->zero_row && b->mask[0] && b->mask[1] &&
                   b->kept && b->extra[0] && b->extra[1] && b->prefix
               ? 0
               : FSK_ENOMEM;
}

static int check_grid(const fsk_voxels *grid, int part, fsk_err *err)
{
    if (!grid || !grid->parts || grid->width < 1 || grid->height < 1 || grid->layers < 1)
        return fsk_err_set(err, FSK_EINVAL, "cannot mesh an empty voxel grid");
    if (part < 1 || part > grid->part_count)
        return fsk_err_set(err, FSK_EINVAL, "cannot mesh part %d: the grid has parts 1 to %d",
                           part, grid->part_count);
    /* Lattice coordinates, bit positions and volumes stay far inside
     * int32, size_t and int64 within these bounds. */
    if (grid->width > (1 << 20) || grid->height > (1 << 20) || grid->layers > (1 << 16) ||
        (double)grid->width * grid->height * grid->layers > 1e12)
        return fsk_err_set(err, FSK_ELIMIT, "voxel grid %dx%dx%d is too large to mesh",
                           grid->width, grid->height, grid->layers);
    return 0;
}

int fsk_mesh_build(const fsk_voxels *grid, int part, fsk_mesh *out, fsk_err *err)
{
    fsk_mesh_clear(out);
    int rc = check_grid(grid, part, err);
    if (rc)
        return rc;
    builder b;
    memset(&b, 0, sizeof b);
    fsk_sweep_init(&b.sweep);
    b.grid = grid;
    b.w = grid->width;
    b.h = grid->height;
    rc = builder_alloc_rows(&b);
    if (rc == 0 && pack_rows(&b, part) && (rc = builder_alloc(&b)) == 0) {
        transpose_rows(&b);
        fsk_corner_table_init(&b.table);
        rc = visit_planes(&b, NULL);
        if (rc == 0) {
            keep_pinch_runs(&b);
            rc = number_vertices(&b, out, err);
        }
        if (rc == 0)
            rc = visit_planes(&b, out);
    }
    builder_free(&b);
    if (rc) {
        fsk_mesh_clear(out);
        if (rc == FSK_ENOMEM)
            fsk_err_set(err, rc, "out of memory meshing part %d", part);
    }
    return rc;
}
