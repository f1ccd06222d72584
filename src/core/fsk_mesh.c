/*
 * fsk_mesh.c — the triangle mesh container: growth, millimetre conversion
 * and the exact volume. The mesher itself is in fsk_mesh_build.c.
 */
#include "fsk_mesh.h"

#include <stdlib.h>
#include <string.h>

void fsk_mesh_init(fsk_mesh *mesh)
{
    memset(mesh, 0, sizeof *mesh);
}

void fsk_mesh_free(fsk_mesh *mesh)
{
    if (!mesh)
        return;
    free(mesh->vertices);
    free(mesh->triangles);
    fsk_mesh_init(mesh);
}

void fsk_mesh_clear(fsk_mesh *mesh)
{
    mesh->vertex_count = 0;
    mesh->triangle_count = 0;
}

/* Grows *buf to hold at least need items of size bytes, doubling. */
static int grow(void **buf, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return FSK_ENOMEM;
        n *= 2;
    }
    if (n > SIZE_MAX / size)
        return FSK_ENOMEM;
    void *p = realloc(*buf, n * size);
    if (!p)
        return FSK_ENOMEM;
    *buf = p;
    *cap = n;
    return 0;
}

int fsk_mesh_reserve(fsk_mesh *mesh, size_t vertices, size_t triangles)
{
    void *v = mesh->vertices, *t = (void *)mesh->triangles;
    int rc = grow(&v, &mesh->vertex_cap, vertices, sizeof *mesh->vertices);
    mesh->vertices = v;
    if (rc == 0)
        rc = grow(&t, &mesh->triangle_cap, triangles, sizeof *mesh->triangles);
    mesh->triangles = t;
    return rc;
}

int64_t fsk_mesh_add_vertex(fsk_mesh *mesh, fsk_mesh_vertex v)
{
    if (mesh->vertex_count > UINT32_MAX ||
        fsk_mesh_reserve(mesh, mesh->vertex_count + 1, 0) != 0)
        return -1;
    mesh->vertices[mesh->vertex_count] = v;
    return (int64_t)mesh->vertex_count++;
}

int fsk_mesh_add_triangle(fsk_mesh *mesh, uint32_t a, uint32_t b, uint32_t c)
{
    if (fsk_mesh_reserve(mesh, 0, mesh->triangle_count + 1) != 0)
        return FSK_ENOMEM;
    uint32_t *t = mesh->triangles[mesh->triangle_count++];
    t[0] = a;
    t[1] = b;
    t[2] = c;
    return 0;
}

int64_t fsk_mesh_volume_voxels6(const fsk_mesh *mesh)
{
    /* Divergence theorem: each triangle spans a tetrahedron with the origin
     * whose signed volume is det(a, b, c) / 6. Unsigned arithmetic wraps
     * instead of overflowing; the sum is exact whenever the result fits. */
    uint64_t sum = 0;
    for (size_t t = 0; t < mesh->triangle_count; t++) {
        const fsk_mesh_vertex *a = &mesh->vertices[mesh->triangles[t][0]];
        const fsk_mesh_vertex *b = &mesh->vertices[mesh->triangles[t][1]];
        const fsk_mesh_vertex *c = &mesh->vertices[mesh->triangles[t][2]];
        uint64_t ax = (uint64_t)(int64_t)a->x, ay = (uint64_t)(int64_t)a->y,
                 az = (uint64_t)(int64_t)a->z, bx = (uint64_t)(int64_t)b->x,
                 by = (uint64_t)(int64_t)b->y, bz = (uint64_t)(int64_t)b->z,
                 cx = (uint64_t)(int64_t)c->x, cy = (uint64_t)(int64_t)c->y,
                 cz = (uint64_t)(int64_t)c->z;
        sum += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
    }
    return (int64_t)sum;
}
