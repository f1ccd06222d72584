/*
 * fsk_meshcheck_internal.h — shared by the mesh checker's readers
 * (fsk_meshcheck_stl.c, fsk_meshcheck_3mf.c) and its core
 * (fsk_meshcheck.c); not part of the public interface.
 */
#ifndef FSK_MESHCHECK_INTERNAL_H
#define FSK_MESHCHECK_INTERNAL_H

#include "fsk_meshcheck.h"

/* A mesh being read: growable vertex (mm) and triangle arrays. */
typedef struct fsk_mc_builder {
    double (*v)[3];
    size_t nv, cap_v;
    uint32_t (*t)[3];
    size_t nt, cap_t;
    size_t total_triangles; /* over every mesh of the file, for the limit */
    size_t total_vertices;
} fsk_mc_builder;

/* Append one vertex or triangle; 0, FSK_ENOMEM or FSK_ELIMIT (file limits). */
int fsk_mc_push_vertex(fsk_mc_builder *b, double x, double y, double z, fsk_err *err);
int fsk_mc_push_triangle(fsk_mc_builder *b, uint32_t a, uint32_t c1, uint32_t c2,
                         fsk_err *err);

/*
 * Analyses the builder's mesh, appends it to report under name, and empties
 * the builder (keeping its buffers and file totals). 0 or an FSK_E* code.
 */
int fsk_mc_finish(fsk_mc_builder *b, const char *name, fsk_meshcheck_report *report,
                  fsk_err *err);

void fsk_mc_builder_free(fsk_mc_builder *b);

/* The readers: append every mesh of the file's bytes to report. */
int fsk_meshcheck_read_stl(const unsigned char *data, size_t size,
                           fsk_meshcheck_report *report, fsk_err *err);
int fsk_meshcheck_read_3mf(const unsigned char *data, size_t size,
                           fsk_meshcheck_report *report, fsk_err *err);

#endif
