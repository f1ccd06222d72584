/*
 * fsk_mesh_container.c — the growable vertex and triangle arrays of
 * fsk_mesh, and the one place lattice points become millimetres.
 */
#include <stdlib.h>

#include "fsk_mesh.h"

void fsk_mesh_init(fsk_mesh *mesh)
{
    mesh->vertices = NULL;
    mesh->vertex_count = mesh->vertex_cap = 0;
    mesh->triangles = NULL;
    mesh->triangle_count = mesh->triangle_cap = 0;
}

void fsk_mesh_free(fsk_mesh *mesh)
{
    free(mesh->vertices);
    free(mesh->triangles);
    fsk_mesh_init(mesh);
}

/* Grows *items to hold at least one more element of size elem; 0 or -1. */
static int grow(void **items, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 64;
    if (new_cap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*items, new_cap * elem);
    if (!p)
        return -1;
    *items = p;
    *cap = new_cap;
    return 0;
}

int64_t fsk_mesh_add_vertex(fsk_mesh *mesh, fsk_mesh_vertex v)
{
    /* Indices are stored as uint32_t in triangles. */
    if (mesh->vertex_count >= UINT32_MAX)
        return -1;
    void *items = mesh->vertices;
    if (grow(&items, &mesh->vertex_cap, mesh->vertex_count, sizeof v) != 0)
        return -1;
    mesh->vertices = items;
    mesh->vertices[mesh->vertex_count] = v;
    return (int64_t)mesh->vertex_count++;
}

int fsk_mesh_add_triangle(fsk_mesh *mesh, uint32_t a, uint32_t b, uint32_t c)
{
    void *items = mesh->triangles;
    if (grow(&items, &mesh->triangle_cap, mesh->triangle_count,
             sizeof mesh->triangles[0]) != 0)
        return FSK_ENOMEM;
    mesh->triangles = items;
    uint32_t *t = mesh->triangles[mesh->triangle_count++];
    t[0] = a;
    t[1] = b;
    t[2] = c;
    return 0;
}

void fsk_mesh_vertex_mm(const fsk_mesh *mesh, size_t i, const fsk_voxels *grid,
                        int apply_nudge, double out[3])
{
    const fsk_mesh_vertex *v = &mesh->vertices[i];
    out[0] = v->x * grid->pixel_mm;
    out[1] = v->y * grid->pixel_mm;
    out[2] = grid->layer_top_mm[v->z];
    if (apply_nudge)
        for (int k = 0; k < 3; k++)
            out[k] += v->nudge[k] * FSK_NUDGE_MM;
}
