/*
 * fsk_mesh_sweep.c — sweep triangulation of a plane's face regions (see
 * fsk_mesh_sweep.h).
 *
 * Points are ordered by (v, u): as if the sweep line were tilted a little,
 * so that a horizontal edge rises slowly to the right and no two points are
 * level. Under that order each region vertex is of one of the usual kinds of
 * a monotone decomposition: start, end, split, merge, or regular on a left
 * or right chain. Between two reported points on line v the sweep line runs
 * just above v to the left of them and just below v to the right, so the
 * spans it crosses are those of cell row v to the left (already made) and
 * those of row v-1 to the right (still to be consumed), and the span it is
 * in at the crossing is cur. The four cells left of P (a, c) and right of it
 * (b, d) tell which kind P is; see sweep_point.
 *
 * The monotone pieces are those of the classic decomposition (de Berg et
 * al., Computational Geometry, ch. 3): a split vertex gets a diagonal to the
 * last vertex of its span, a merge vertex one to the next vertex of its
 * span. Each piece is triangulated while it grows with the stack algorithm
 * for monotone polygons: the stack is a reflex chain of one side; a vertex
 * on the other side sees all of it and fans to it, a vertex on the same side
 * cuts off strictly convex corners. A piece ends by fanning from its top.
 * The last vertex of a span is always the top of its stacks, which makes it
 * the helper of the classic algorithm. Two copies of a pinch point are
 * reported as separate vertices of different spans (the one whose cell is
 * below comes first), so no triangle uses both.
 */
#include "fsk_mesh_sweep.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
enum { LEFT = 0, RIGHT = 1 };

void fsk_sweep_init(fsk_sweep *s)
{
    memset(s, 0, sizeof *s);
    s->free_node = NIL;
}

void fsk_sweep_free(fsk_sweep *s)
{
    free(s->node);
    free(s->below);
    free(s->above);
    fsk_sweep_init(s);
}

int fsk_sweep_begin(fsk_sweep *s, int cells, fsk_mesh *out, int flip)
{
    /* A row of n cells has at most (n + 1) / 2 runs. */
    size_t need = (size_t)cells / 2 + 2;
    if (need > s->span_cap) {
        fsk_sweep_span *lo = realloc(s->below, need * sizeof *lo);
        if (lo)
            s->below = lo;
        fsk_sweep_span *hi = realloc(s->above, need * sizeof *hi);
        if (hi)
            s->above = hi;
        if (!lo || !hi)
            return FSK_ENOMEM;
        s->span_cap = need;
    }
    s->below_count = s->below_next = s->above_count = 0;
    s->in_span = 0;
    /* Every piece is closed at the end of a plane, so all nodes are free. */
    s->node_count = 0;
    s->free_node = NIL;
    s->out = out;
    s->flip = flip;
    return 0;
}

void fsk_sweep_next_line(fsk_sweep *s)
{
    fsk_sweep_span *t = s->below;
    s->below = s->above;
    s->above = t;
    s->below_count = s->above_count;
    s->below_next = s->above_count = 0;
}

/* ---- nodes and triangles ------------------------------------------------- */

static uint32_t new_node(fsk_sweep *s, uint32_t vertex, int32_t u, int32_t v, uint32_t next)
{
    uint32_t i = s->free_node;
    if (i != NIL) {
        s->free_node = s->node[i].next;
    } else {
        if (s->node_count == s->node_cap) {
            uint32_t cap = s->node_cap ? s->node_cap * 2 : 1024;
            fsk_sweep_node *p = cap > s->node_cap ? realloc(s->node, cap * sizeof *p) : NULL;
            if (!p)
                return NIL;
            s->node = p;
            s->node_cap = cap;
        }
        i = s->node_count++;
    }
    s->node[i] = (fsk_sweep_node){vertex, next, u, v};
    return i;
}

static void free_node(fsk_sweep *s, uint32_t i)
{
    s->node[i].next = s->free_node;
    s->free_node = i;
}

/* Twice the signed area of (p, q, r) in (u, v): > 0 counter-clockwise. */
static int64_t orient(const fsk_sweep_node *p, const fsk_sweep_node *q, const fsk_sweep_node *r)
{
    return (int64_t)(q->u - p->u) * (r->v - p->v) - (int64_t)(q->v - p->v) * (r->u - p->u);
}

static int emit(fsk_sweep *s, const fsk_sweep_node *p, const fsk_sweep_node *q,
                const fsk_sweep_node *r)
{
    fsk_mesh *m = s->out;
    if (m->triangle_count == m->triangle_cap &&
        fsk_mesh_reserve(m, 0, m->triangle_cap < 1024 ? 1024 : m->triangle_cap * 2) != 0)
        return FSK_ENOMEM;
    uint32_t *t = m->triangles[m->triangle_count++];
    int ccw = (orient(p, q, r) > 0) != s->flip;
    t[0] = p->vertex;
    t[1] = ccw ? q->vertex : r->vertex;
    t[2] = ccw ? r->vertex : q->vertex;
    return 0;
}

/* ---- pieces -------------------------------------------------------------- */

/* Fans from p to every edge of the stack and frees it: p is the piece's top
 * vertex, or the last before its top (on the other side of a diagonal). */
static int close_piece(fsk_sweep *s, uint32_t top, const fsk_sweep_node *p)
{
    for (uint32_t t = top, next; t != NIL; t = next) {
        next = s->node[t].next;
        if (next != NIL && emit(s, p, &s->node[t], &s->node[next]) != 0)
            return FSK_ENOMEM;
        free_node(s, t);
    }
    return 0;
}

/* Adds vertex p on the given side of the piece in slot k of span. */
static int add_vertex(fsk_sweep *s, fsk_sweep_span *span, int k, const fsk_sweep_node *p,
                      int side)
{
    uint32_t t = span->top[k];
    if (side != span->side[k]) {
        /* The other side: fan to the whole chain, keep its top. */
        uint32_t next = s->node[t].next;
        while (next != NIL) {
            if (emit(s, p, &s->node[t], &s->node[next]) != 0)
                return FSK_ENOMEM;
            uint32_t after = s->node[next].next;
            if (t != span->top[k])
                free_node(s, t);
            t = next;
            next = after;
        }
        if (t != span->top[k])
            free_node(s, t);
        t = span->top[k];
        s->node[t].next = NIL;
    } else {
        /* The same side: cut off corners while they are strictly convex;
         * a left chain has the region on its right. */
        uint32_t next;
        while ((next = s->node[t].next) != NIL) {
            int64_t o = orient(&s->node[next], &s->node[t], p);
            if (side == LEFT ? o >= 0 : o <= 0)
                break;
            if (emit(s, &s->node[next], &s->node[t], p) != 0)
                return FSK_ENOMEM;
            free_node(s, t);
            t = next;
        }
    }
    uint32_t n = new_node(s, p->vertex, p->u, p->v, t);
    if (n == NIL)
        return FSK_ENOMEM;
    span->top[k] = n;
    span->side[k] = (uint8_t)side;
    return 0;
}

/* A vertex on the left boundary of span: ends the left piece of a pending
 * merge (the merge vertex's diagonal) and continues the right one. */
static int add_left(fsk_sweep *s, fsk_sweep_span *span, const fsk_sweep_node *p)
{
    if (span->pieces == 2) {
        if (close_piece(s, span->top[0], p) != 0)
            return FSK_ENOMEM;
        span->top[0] = span->top[1];
        span->side[0] = span->side[1];
        span->pieces = 1;
    }
    return add_vertex(s, span, 0, p, LEFT);
}

static int add_right(fsk_sweep *s, fsk_sweep_span *span, const fsk_sweep_node *p)
{
    if (span->pieces == 2) {
        if (close_piece(s, span->top[1], p) != 0)
            return FSK_ENOMEM;
        span->pieces = 1;
    }
    return add_vertex(s, span, 0, p, RIGHT);
}

static int end_span(fsk_sweep *s, fsk_sweep_span *span, const fsk_sweep_node *p)
{
    for (int k = 0; k < span->pieces; k++)
        if (close_piece(s, span->top[k], p) != 0)
            return FSK_ENOMEM;
    return 0;
}

static int start_span(fsk_sweep *s, fsk_sweep_span *span, const fsk_sweep_node *p)
{
    span->top[0] = new_node(s, p->vertex, p->u, p->v, NIL);
    span->side[0] = LEFT;
    span->pieces = 1;
    return span->top[0] == NIL ? FSK_ENOMEM : 0;
}

/* Split vertex p inside span: the part left of p goes to left, the part
 * right of it stays in span. The diagonal goes to the span's last vertex h:
 * the piece holding h's chain keeps its stack, the other starts at h, p. */
static int split_span(fsk_sweep *s, fsk_sweep_span *span, fsk_sweep_span *left,
                      const fsk_sweep_node *p)
{
    if (span->pieces == 2) {
        *left = (fsk_sweep_span){{span->top[0], NIL}, {span->side[0], 0}, 1};
        span->top[0] = span->top[1];
        span->side[0] = span->side[1];
        span->pieces = 1;
        if (add_vertex(s, left, 0, p, RIGHT) != 0)
            return FSK_ENOMEM;
        return add_vertex(s, span, 0, p, LEFT);
    }
    const fsk_sweep_node *h = &s->node[span->top[0]];
    uint32_t base = new_node(s, h->vertex, h->u, h->v, NIL);
    if (base == NIL)
        return FSK_ENOMEM;
    fsk_sweep_span fresh = {{base, NIL}, {0, 0}, 1};
    if (span->side[0] == LEFT) {
        fresh.side[0] = LEFT;
        *left = fresh;
        if (add_vertex(s, left, 0, p, RIGHT) != 0)
            return FSK_ENOMEM;
        return add_vertex(s, span, 0, p, LEFT);
    }
    fresh.side[0] = RIGHT;
    *left = *span;
    *span = fresh;
    if (add_vertex(s, left, 0, p, RIGHT) != 0)
        return FSK_ENOMEM;
    return add_vertex(s, span, 0, p, LEFT);
}

/* ---- the sweep ----------------------------------------------------------- */

static fsk_sweep_span *take_below(fsk_sweep *s)
{
    return &s->below[s->below_next++];
}

static void put_above(fsk_sweep *s, const fsk_sweep_span *span)
{
    s->above[s->above_count++] = *span;
}

int fsk_sweep_point(fsk_sweep *s, unsigned cells, int32_t u, int32_t v,
                    const uint32_t vertex[2])
{
    /* Left of P the line has cell a below and c above; right of it b and d. */
    unsigned left = (cells & 1) | (cells >> 1 & 2), right = (cells >> 1 & 1) | (cells >> 2 & 2);
    int kept = vertex[0] != UINT32_MAX;
    fsk_sweep_node p0 = {vertex[0], NIL, u, v}, p1 = {vertex[1], NIL, u, v};
    fsk_sweep_span *cur = &s->cur;
    int rc = 0;
    switch (left << 2 | right) {
    case 0 << 2 | 2: /* d: start */
        rc = start_span(s, cur, &p1);
        s->in_span = 1;
        break;
    case 0 << 2 | 1: /* b: the left chain of a span below turns right */
        *cur = *take_below(s);
        s->in_span = 1;
        rc = add_left(s, cur, &p1);
        break;
    case 0 << 2 | 3: /* b, d: a straight left side */
        *cur = *take_below(s);
        s->in_span = 1;
        if (kept)
            rc = add_left(s, cur, &p1);
        break;
    case 1 << 2 | 0: /* a: end */
        rc = end_span(s, cur, &p0);
        s->in_span = 0;
        break;
    case 1 << 2 | 1: /* a, b: a straight bottom edge of the span above */
        if (kept)
            rc = add_left(s, cur, &p0);
        break;
    case 1 << 2 | 2: /* a, d: pinch; the lower copy ends a span, the upper one
                        starts one */
        rc = end_span(s, cur, &p0);
        if (rc == 0)
            rc = start_span(s, cur, &p1);
        break;
    case 1 << 2 | 3: /* a, b, d: the left chain turns up */
        rc = add_left(s, cur, &p0);
        break;
    case 2 << 2 | 0: /* c: the right chain turns up and the span is made */
        rc = add_right(s, cur, &p0);
        put_above(s, cur);
        s->in_span = 0;
        break;
    case 2 << 2 | 1: /* b, c: pinch; c's copy ends the right chain of cur,
                        b's starts the left chain of the next span below */
        rc = add_right(s, cur, &p0);
        put_above(s, cur);
        *cur = *take_below(s);
        if (rc == 0)
            rc = add_left(s, cur, &p1);
        break;
    case 2 << 2 | 2: /* c, d: a straight top edge of the span below */
        if (kept)
            rc = add_right(s, cur, &p0);
        break;
    case 2 << 2 | 3: { /* b, c, d: merge of cur and the next span below */
        fsk_sweep_span *next = take_below(s);
        rc = add_right(s, cur, &p0);
        if (rc == 0)
            rc = add_left(s, next, &p1);
        cur->top[1] = next->top[0];
        cur->side[1] = next->side[0];
        cur->pieces = 2;
        break;
    }
    case 3 << 2 | 0: /* a, c: a straight right side */
        if (kept)
            rc = add_right(s, cur, &p0);
        put_above(s, cur);
        s->in_span = 0;
        break;
    case 3 << 2 | 1: { /* a, b, c: split */
        fsk_sweep_span left_part;
        rc = split_span(s, cur, &left_part, &p0);
        put_above(s, &left_part);
        break;
    }
    case 3 << 2 | 2: /* a, c, d: the right chain turns right */
        rc = add_right(s, cur, &p0);
        break;
    default: /* no boundary at P */
        break;
    }
    return rc;
}
