/*
 * write_two_boxes.c — writes the 3MF the PrusaSlicer end-to-end test
 * slices: two 20 x 20 x 2 mm boxes side by side (0.1 mm pixels, 25 layers
 * of 0.08 mm), part 1 on filament 1 and part 2 on filament 2.
 *
 * usage: write_two_boxes OUT.3mf [prusa|bambu|core]
 */
#include <stdio.h>
#include <string.h>

#include "fsk_3mf.h"
#include "test_meshes.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: write_two_boxes OUT.3mf [prusa|bambu|core]\n");
        return 2;
    }
    fsk_voxels grid;
    fsk_mesh meshes[3];
    if (test_grid_init(&grid, 400, 200, 25, 0.1, 0.08, 0.08, 2) != 0)
        return 1;
    test_set_part(&grid, 1, "Cyan PLA", 1, 0x00, 0xA0, 0xE0);
    test_set_part(&grid, 2, "Magenta PLA", 2, 0xE0, 0x00, 0x7A);
    for (int p = 0; p < 3; p++)
        fsk_mesh_init(&meshes[p]);
    if (test_add_box(&meshes[1], 0, 0, 0, 200, 200, 25) != 0 ||
        test_add_box(&meshes[2], 200, 0, 0, 400, 200, 25) != 0)
        return 1;
    fsk_3mf_options opt = {0};
    opt.object_name = "two boxes";
    opt.printer_name = "filastack test printer";
    opt.bed_mm[0] = 250;
    opt.bed_mm[1] = 210;
    if (argc == 3 && strcmp(argv[2], "bambu") == 0)
        opt.flavor = FSK_FLAVOR_BAMBU;
    else if (argc == 3 && strcmp(argv[2], "core") == 0)
        opt.core_only = true;
    fsk_err err = {0};
    int rc = fsk_3mf_write(argv[1], &grid, meshes, &opt, &err);
    if (rc != 0)
        fprintf(stderr, "write_two_boxes: %s\n", err.msg);
    for (int p = 0; p < 3; p++)
        fsk_mesh_free(&meshes[p]);
    test_grid_free(&grid);
    return rc != 0;
}
