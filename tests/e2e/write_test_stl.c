/*
 * write_test_stl.c — writes the hand-built two-cube shape (two voxels
 * touching along one edge, with split, nudged vertex copies) with
 * fsk_stl_write, for checks by outside tools. Usage: write_test_stl OUT.stl
 */
#include <stdio.h>

#include "fsk_stl.h"
#include "mesh_shapes.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: write_test_stl OUT.stl\n", stderr);
        return 2;
    }
    fsk_voxels g;
    double tops[3];
    shape_grid(&g, tops);
    fsk_mesh m;
    fsk_mesh_init(&m);
    fsk_err err = {0};
    int rc = shape_two_cubes(&m) ? FSK_ENOMEM
                                 : fsk_stl_write(argv[1], &m, &g, "two cubes", NULL, &err);
    fsk_mesh_free(&m);
    if (rc) {
        fprintf(stderr, "write_test_stl: %s\n", err.msg);
        return 1;
    }
    return 0;
}
