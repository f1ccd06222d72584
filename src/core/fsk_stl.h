/*
 * fsk_stl.h — binary STL output of one mesh.
 *
 * Binary STL: an 80-byte header (never beginning with "solid", which would
 * make readers take the file for ASCII STL), a little-endian uint32
 * triangle count, then per triangle a unit normal and three vertices as
 * little-endian float32 millimetres and a zero 16-bit attribute.
 */
#ifndef FSK_STL_H
#define FSK_STL_H

#include <stdint.h>

#include "fsk_error.h"
#include "fsk_mesh.h"
#include "fsk_voxels.h"

typedef struct fsk_stl_stats {
    uint64_t triangles; /* triangles written */
    uint64_t bytes;     /* file size */
} fsk_stl_stats;

/*
 * Writes mesh as a binary STL at path (atomically, through fsk_out, in
 * 64 KiB blocks), positions in mm from grid (fsk_mesh_vertex_mm with split
 * vertex copies nudged). The header is "filastack binary STL: NAME" padded
 * with NULs to 80 bytes (NAME cut to fit; solid_name may be NULL or "").
 * Normals are unit vectors computed from the millimetre positions (0,0,0
 * for a zero-area triangle). The output is deterministic. stats may be
 * NULL. Returns 0, FSK_ELIMIT (more than 2^32-1 triangles), FSK_ENOMEM or
 * FSK_EIO; on error no file is left at path.
 */
int fsk_stl_write(const char *path, const fsk_mesh *mesh, const fsk_voxels *grid,
                  const char *solid_name, fsk_stl_stats *stats, fsk_err *err);

#endif
