/*
 * fsk_stl.c — the binary STL writer: little-endian records streamed
 * through a 64 KiB block buffer into an atomic output file.
 */
#include "fsk_stl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"

#define STL_HEADER_BYTES 80
#define STL_RECORD_BYTES 50
#define STL_BLOCK_BYTES (64u * 1024u)

static unsigned char *put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)((v >> 8) & 0xFF);
    p[2] = (unsigned char)((v >> 16) & 0xFF);
    p[3] = (unsigned char)(v >> 24);
    return p + 4;
}

static unsigned char *put_f32(unsigned char *p, double v)
{
    float f = (float)v;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return put_u32(p, bits);
}

/* Unit normal of the triangle a, b, c (counter-clockwise), or zero. */
static void unit_normal(const double a[3], const double b[3], const double c[3],
                        double n[3])
{
    double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    n[0] = u[1] * v[2] - u[2] * v[1];
    n[1] = u[2] * v[0] - u[0] * v[2];
    n[2] = u[0] * v[1] - u[1] * v[0];
    /* Most faces of a voxel mesh lie in axis planes: one component is
     * nonzero, and then sqrt(x * x) is |x| exactly (away from underflow
     * and overflow), so the division below gives -1 or 1, and each zero
     * divided keeps its sign. */
    int axis = -1, nonzero = 0;
    for (int k = 0; k < 3; k++)
        if (n[k] != 0) {
            axis = k;
            nonzero++;
        }
    if (nonzero == 1 && fabs(n[axis]) > 1e-150 && fabs(n[axis]) < 1e150) {
        n[axis] = n[axis] > 0 ? 1.0 : -1.0;
        return;
    }
    double len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    for (int k = 0; k < 3; k++)
        n[k] = len > 0 ? n[k] / len : 0.0;
}

int fsk_stl_write(const char *path, const fsk_mesh *mesh, const fsk_voxels *grid,
                  const char *solid_name, fsk_stl_stats *stats, fsk_err *err)
{
    if (mesh->triangle_count > UINT32_MAX)
        return fsk_err_set(err, FSK_ELIMIT,
                           "cannot write '%s': %zu triangles is more than binary STL holds",
                           path, mesh->triangle_count);
    unsigned char *block = malloc(STL_BLOCK_BYTES);
    if (!block)
        return fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", path);
    fsk_out *out = fsk_out_open(path, err);
    if (!out) {
        free(block);
        return err ? err->code : FSK_EIO;
    }

    unsigned char head[STL_HEADER_BYTES + 4];
    memset(head, 0, sizeof head);
    char text[STL_HEADER_BYTES + 1];
    int n = snprintf(text, sizeof text, "filastack binary STL%s%s",
                     solid_name && solid_name[0] ? ": " : "",
                     solid_name ? solid_name : "");
    size_t len = n < 0 ? 0 : (size_t)n < STL_HEADER_BYTES ? (size_t)n : STL_HEADER_BYTES;
    memcpy(head, text, len);
    put_u32(head + STL_HEADER_BYTES, (uint32_t)mesh->triangle_count);
    fsk_out_write(out, head, sizeof head);

    size_t used = 0;
    for (size_t t = 0; t < mesh->triangle_count; t++) {
        double p[3][3], nrm[3];
        for (int k = 0; k < 3; k++)
            fsk_mesh_vertex_mm(mesh, mesh->triangles[t][k], grid, 1, p[k]);
        unit_normal(p[0], p[1], p[2], nrm);
        if (used + STL_RECORD_BYTES > STL_BLOCK_BYTES) {
            fsk_out_write(out, block, used);
            used = 0;
        }
        unsigned char *q = block + used;
        for (int k = 0; k < 3; k++)
            q = put_f32(q, nrm[k]);
        for (int v = 0; v < 3; v++)
            for (int k = 0; k < 3; k++)
                q = put_f32(q, p[v][k]);
        q[0] = q[1] = 0; /* attribute byte count */
        used += STL_RECORD_BYTES;
    }
    fsk_out_write(out, block, used);
    free(block);
    int rc = fsk_out_commit(out, err);
    if (rc)
        return rc;
    if (stats) {
        stats->triangles = mesh->triangle_count;
        stats->bytes = sizeof head + (uint64_t)mesh->triangle_count * STL_RECORD_BYTES;
    }
    return 0;
}
