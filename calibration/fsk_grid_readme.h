/*
 * fsk_grid_readme.h — grid_README.txt: how to print a calibration grid
 * (which filament in which slot, layer heights, which side up, slicer
 * settings) and how to scan it.
 */
#ifndef FSK_GRID_README_H
#define FSK_GRID_README_H

#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_print_files.h"
#include "fsk_profile.h"

/*
 * Writes the instructions for the page_count pages of one grid (pages[i]
 * written as stems[i].json, stems[i].3mf, stems[i]_*.stl) printed on
 * printer with 3MF flavor kind, to path atomically. The text is plain
 * ASCII apart from filament names, deterministic, lines under 80 columns
 * where the names allow. Errors: FSK_EIO, FSK_ENOMEM.
 */
int fsk_grid_readme_write(const char *path, const fsk_grid *const *pages, int page_count,
                          const char *const *stems, const fsk_printer *printer,
                          fsk_threemf_kind kind, fsk_err *err);

#endif
