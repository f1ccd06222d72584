/*
 * fsk_mesh_container.c — the growable vertex and triangle arrays of
 * fsk_mesh, and the one place lattice points become millimetres.
 */
#include "fsk_mesh.h"

#include <stdlib.h>

void fsk_mesh_init(fsk_mesh *mesh)
{
    mesh->vertices = NULL;
    mesh->vertex_count = mesh->vertex_cap = 0;
    mesh->triangles = NULL;
    mesh->triangle_count = mesh->triangle_cap = 0;
}

void fsk_mesh_free(fsk_mesh *mesh)
{
    if (!mesh)
        return;
    free(mesh->vertices);
    free(mesh->triangles);
    fsk_mesh_init(mesh);
}

/* Grows *cap (doubling) so that it holds at least need elements. */
static int grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return FSK_ENOMEM;
        n *= 2;
    }
    void *p = realloc(*ptr, n * elem);
    if (!p)
        return FSK_ENOMEM;
    *ptr = p;
    *cap = n;
    return 0;
}

int64_t fsk_mesh_add_vertex(fsk_mesh *mesh, fsk_mesh_vertex v)
{
    if (mesh->vertex_count >= UINT32_MAX)
        return -1;
    void *p = mesh->vertices;
    if (grow(&p, &mesh->vertex_cap, mesh->vertex_count + 1, sizeof *mesh->vertices))
        return -1;
    mesh->vertices = p;
    mesh->vertices[mesh->vertex_count] = v;
    return (int64_t)mesh->vertex_count++;
}

int fsk_mesh_add_triangle(fsk_mesh *mesh, uint32_t a, uint32_t b, uint32_t c)
{
    void *p = mesh->triangles;
    if (grow(&p, &mesh->triangle_cap, mesh->triangle_count + 1, sizeof *mesh->triangles))
        return FSK_ENOMEM;
    mesh->triangles = p;
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
