/*
 * fsk_meshcheck.h — is a mesh file printable as it is? Reads STL (binary
 * or ASCII) and 3MF, and for each mesh counts what makes a surface not a
 * closed, consistently oriented 2-manifold: open edges, non-manifold
 * edges, edges used twice in the same direction, degenerate triangles;
 * plus shells, signed volume and bounding box.
 *
 * STL triangles are welded into shared vertices by exact coordinates
 * (no tolerance: vertices a slicer would merge only within a tolerance
 * count as distinct). 3MF meshes are already indexed and are taken as
 * they are, in their object's coordinates (build transforms are not
 * applied) scaled to millimetres by the model's unit.
 *
 * Every input is bounded: files over FSK_MESHCHECK_MAX_FILE_BYTES, more
 * than FSK_MESHCHECK_MAX_TRIANGLES triangles or FSK_MESHCHECK_MAX_VERTICES
 * vertices per file, or 3MF parts inflating past
 * FSK_MESHCHECK_MAX_PART_BYTES are refused with FSK_ELIMIT. Memory use is
 * about 100 bytes per triangle on top of the file.
 */
#ifndef FSK_MESHCHECK_H
#define FSK_MESHCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_error.h"

#define FSK_MESHCHECK_MAX_FILE_BYTES ((size_t)1 << 30)
#define FSK_MESHCHECK_MAX_PART_BYTES ((size_t)1 << 30)
#define FSK_MESHCHECK_MAX_TRIANGLES ((size_t)1 << 24)
#define FSK_MESHCHECK_MAX_VERTICES ((size_t)1 << 25)
#define FSK_MESHCHECK_NAME_MAX 128

typedef enum fsk_mesh_format {
    FSK_MESH_STL_BINARY,
    FSK_MESH_STL_ASCII,
    FSK_MESH_3MF
} fsk_mesh_format;

/* The findings for one mesh (an STL solid or a 3MF object with a mesh). */
typedef struct fsk_meshcheck_mesh {
    /* 3MF: the object's name, else "object ID"; ASCII STL: the solid's
     * name; binary STL: "". */
    char name[FSK_MESHCHECK_NAME_MAX];
    uint64_t triangles;
    uint64_t vertices;          /* distinct vertices (after welding, for STL) */
    /* Triangles of zero area: two corners the same vertex, or three
     * collinear corners (cross product exactly zero). Those with a
     * repeated corner are left out of the edge counts and shells. */
    uint64_t degenerate_triangles;
    /* Undirected edges used by one triangle only (holes, cracks). */
    uint64_t open_edges;
    /* Edges used by more than two triangles. */
    uint64_t nonmanifold_edges;
    /* Edges used by exactly two triangles in the same direction: a
     * neighbour faces the other way. */
    uint64_t reversed_edges;
    /* Connected pieces, triangles joined through shared edges. */
    uint64_t shells;
    /* Signed enclosed volume in mm^3; negative when the surface is inside
     * out. Meaningful only for closed meshes. */
    double volume_mm3;
    /* Bounding box of the vertices used by triangles, mm; zeros when there
     * are no triangles. */
    double bbox_min_mm[3], bbox_max_mm[3];
} fsk_meshcheck_mesh;

typedef struct fsk_meshcheck_report {
    fsk_mesh_format format;
    fsk_meshcheck_mesh *meshes; /* mesh_count entries, in file order; owned */
    size_t mesh_count;
} fsk_meshcheck_report;

/*
 * Reads and checks the mesh file at path: 3MF when it starts like a ZIP
 * archive, else STL (binary when the size is exactly 84 + 50 * the
 * triangle count of its header, even if it begins with "solid"; ASCII when
 * it begins with "solid" and looks like text). On success fills *out
 * (caller frees with fsk_meshcheck_report_free) with one entry per mesh.
 * Errors name the file: "cannot read 'a.stl': truncated binary STL: ...".
 * Codes: FSK_EIO, FSK_EFORMAT, FSK_ELIMIT, FSK_EUNSUPPORTED, FSK_ENOMEM.
 */
int fsk_meshcheck_file(const char *path, fsk_meshcheck_report *out, fsk_err *err);

/*
 * As fsk_meshcheck_file on a file's bytes held in memory (borrowed);
 * messages do not name a file.
 */
int fsk_meshcheck_memory(const unsigned char *data, size_t size,
                         fsk_meshcheck_report *out, fsk_err *err);

/* Frees what the report holds (not the struct) and empties it; NULL is a no-op. */
void fsk_meshcheck_report_free(fsk_meshcheck_report *report);

/*
 * Checks one indexed mesh: vertices in mm, triangles as vertex indices
 * (counter-clockwise seen from outside). out->name is left as it is; every
 * other field is set. Returns 0, FSK_EINVAL (an index >= vertex_count),
 * FSK_ELIMIT (2^31 triangles or more) or FSK_ENOMEM.
 */
int fsk_meshcheck_analyze(const double (*vertices)[3], size_t vertex_count,
                          const uint32_t (*triangles)[3], size_t triangle_count,
                          fsk_meshcheck_mesh *out, fsk_err *err);

/*
 * 1 when the mesh is a closed, consistently oriented 2-manifold with
 * positive volume: at least one triangle, no open, non-manifold or
 * reversed edges, no degenerate triangles; else 0.
 */
int fsk_meshcheck_is_sound(const fsk_meshcheck_mesh *mesh);

/* "binary STL", "ASCII STL" or "3MF". */
const char *fsk_mesh_format_name(fsk_mesh_format format);

#endif
