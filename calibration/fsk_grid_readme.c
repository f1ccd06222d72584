/*
 * fsk_grid_readme.c — grid_README.txt (fsk_grid_readme.h).
 */
#include "fsk_grid_readme.h"

#include <math.h>
#include <stdio.h>

#include "fsk_file.h"
#include "fsk_layers.h"

static const char *slicer_name(fsk_threemf_kind kind)
{
    switch (kind) {
    case FSK_3MF_PRUSA: return "PrusaSlicer";
    case FSK_3MF_BAMBU: return "Bambu Studio or OrcaSlicer";
    case FSK_3MF_CORE: return "any slicer that reads 3MF";
    case FSK_3MF_NONE: break;
    }
    return "";
}

static void what(FILE *f, const fsk_grid *const *pages, int page_count,
                 const char *const *stems)
{
    const fsk_grid *g = pages[0];
    int n = g->filament_count, m = g->construction.color_layers;
    size_t patches = 0;
    for (int p = 0; p < page_count; p++)
        patches += pages[p]->patch_count;
    uint64_t all = fsk_sequence_count(n, m);
    fprintf(f, "filastack calibration grid\n==========================\n\n");
    if ((uint64_t)patches == all)
        fprintf(f, "%zu patches: every sequence of %d filaments in %d color layers.\n",
                patches, n, m);
    else
        fprintf(f,
                "%zu patches of the %llu sequences of %d filaments in %d color layers:\n"
                "every single-filament stack and the ones that spread the predicted\n"
                "colors most. Use --pages to print all of them.\n",
                patches, (unsigned long long)all, n, m);
    for (int p = 0; p < page_count; p++)
        fprintf(f, "%s %s.json: %zu patches on a %g x %g mm plate (%s.3mf, %s_*.stl)\n",
                page_count > 1 ? "- page" : "-", stems[p], pages[p]->patch_count,
                pages[p]->size_mm[0], pages[p]->size_mm[1], stems[p], stems[p]);
}

static void slots(FILE *f, const fsk_grid *g, const fsk_printer *printer)
{
    fprintf(f, "\nFilaments: load each one into its slot (AMS slot, MMU filament or tool)\n");
    for (int k = 0; k < g->filament_count; k++) {
        const fsk_filament *fl = &g->filaments[k];
        fprintf(f, "  slot %d: %s (#%02X%02X%02X)\n", k + 1, fl->name, fl->rgb[0],
                fl->rgb[1], fl->rgb[2]);
    }
    if (printer)
        fprintf(f, "Printer: %s, %g mm nozzle.\n", printer->name, printer->nozzle_mm);
}

static void print_steps(FILE *f, const fsk_grid *g, const char *stem, fsk_threemf_kind kind)
{
    const fsk_construction *c = &g->construction;
    const fsk_filament *base = &g->filaments[g->base_filament - 1];
    const fsk_filament *mark = g->mark_count ? &g->filaments[g->marks[0].filament - 1] : base;
    int backing_layers = fsk_layers_backing_count(c);
    double h = c->layer_height_mm;
    fprintf(f, "\nHow it is built\n---------------\n");
    fprintf(f, "Every patch is one sequence: up to %d color layers of %g mm, slot by\n"
               "slot as grid.json lists them (the first number is printed first).\n",
            c->color_layers, h);
    if (c->backing_filament > 0)
        fprintf(f, "The backing is %d layers (%g mm) of %s. It shows in the gaps.\n",
                backing_layers, backing_layers * h, base->name);
    else
        fprintf(f, "There is no backing: the gaps and margins are full-height stacks of\n"
                   "%s, which hold the plate together.\n", base->name);
    fprintf(f, "Three square marks (8, 6 and 4.4 mm) at three corners, printed in\n"
               "%s, tell the scan reader where the plate is, which way it is\n"
               "turned and whether it is mirrored. The fourth corner stays empty.\n",
            mark->name);

    fprintf(f, "\nPrint\n-----\n");
    if (kind != FSK_3MF_NONE)
        fprintf(f, "- Open %s.3mf in %s.\n"
                   "  It holds one object with one part per filament, each on its slot,\n"
                   "  the layer heights below and the wipe tower's place.\n",
                stem, slicer_name(kind));
    else
        fprintf(f, "- Load the %s_*.stl files together as ONE object with several parts\n"
                   "  (they are aligned) and give each part its filament's slot.\n", stem);
    fprintf(f, "- Layer height %g mm, and the first layer %g mm too: every layer of the\n"
               "  grid is one color or backing layer, so a thicker first layer would\n"
               "  change the colors.\n", h, h);
    fprintf(f, "- Do not scale, mirror or cut the object; leave it flat on the bed as it\n"
               "  is loaded.\n");
    if (c->view == FSK_VIEW_TOP)
        fprintf(f, "- View top: the color layers are printed last, on top of the backing.\n"
                   "  The top face is the one you look at and scan.\n");
    else
        fprintf(f, "- View bottom: the color layers are printed first, face down on the\n"
                   "  bed; the face that touched the bed is the one you look at and scan.\n"
                   "  A smooth build sheet gives the most even patches.\n");
    fprintf(f, "- Infill 100 %% (every layer solid): the layers are thin and a sparse\n"
               "  infill would show through.\n");
    fprintf(f, "- No ironing (it remelts the top layer and smears the colors), no fuzzy\n"
               "  skin, no variable layer height.\n");
    fprintf(f, "- Keep the wipe tower and the purge volumes: a patch must not carry the\n"
               "  previous filament's color.\n");
}

static void scan_steps(FILE *f, const fsk_grid *g, int page_count, const char *json)
{
    fprintf(f, "\nScan\n----\n");
    fprintf(f, "- Let the plate cool, peel it off flat and keep the face to scan clean.\n");
    if (g->construction.view == FSK_VIEW_TOP)
        fprintf(f, "- Put the top face (the last printed layer) down on the scanner glass,\n");
    else
        fprintf(f, "- Put the face that was on the bed down on the scanner glass,\n");
    fprintf(f, "  at least 5 mm from the glass edges. Any angle works: the marks find\n"
               "  the plate. Close the lid; a white lid is the background the filament\n"
               "  model assumes behind the print.\n");
    fprintf(f, "- Flatbed scanner, color, 300 dpi or more, 8 or 16 bits per channel.\n"
               "  Turn off every automatic correction: auto exposure and levels, color\n"
               "  restoration, dust removal, descreening, sharpening, backlight fix.\n"
               "  Save a PNG (or a high-quality JPEG); 'filastack scan --resolution 300\n"
               "  -o scan.png' does this through SANE.\n");
    if (page_count > 1)
        fprintf(f, "- Scan every page with the same scanner and settings, one scan each.\n");
    fprintf(f, "- Read the scan with 'filastack calibrate analyze' and the page's .json\n"
               "  (see filastack-calibrate(1)). Before printing, 'filastack calibrate\n"
               "  predict %s.json -o predicted.json' gives the model's prediction of\n"
               "  the same patches.\n", json);
}

int fsk_grid_readme_write(const char *path, const fsk_grid *const *pages, int page_count,
                          const char *const *stems, const fsk_printer *printer,
                          fsk_threemf_kind kind, fsk_err *err)
{
    fsk_out *out = fsk_out_open(path, err);
    if (!out)
        return err && err->code ? err->code : FSK_EIO;
    FILE *f = fsk_out_stream(out);
    what(f, pages, page_count, stems);
    slots(f, pages[0], printer);
    print_steps(f, pages[0], page_count > 1 ? "grid_pN" : stems[0], kind);
    scan_steps(f, pages[0], page_count, stems[0]);
    return fsk_out_commit(out, err);
}
