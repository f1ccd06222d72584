/*
 * test_layers.c — layer expansion (exact voxel contents in both views,
 * mirroring, transparency, the part table, errors) and the layer
 * statistics (volumes, grams, filaments per layer, tool changes), all on
 * tiny cases computed by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "fsk_labels.h"
#include "fsk_layer_stats.h"
#include "fsk_layers.h"
#include "tkit.h"

#define E FSK_LABEL_EMPTY
#define BK FSK_LABEL_BACKING

static fsk_calibration cal;
static fsk_cal_entry entries[8];

static void set_filament(int f, const char *name, int r, int g, int b,
                         double density)
{
    fsk_filament *fil = &cal.filaments[f - 1];
    snprintf(fil->name, sizeof fil->name, "%s", name);
    fil->rgb[0] = (unsigned char)r;
    fil->rgb[1] = (unsigned char)g;
    fil->rgb[2] = (unsigned char)b;
    fil->density_g_cm3 = density;
}

/* Four filaments, 0.1 mm layers, three color layers; the backing and view
 * as given; entries from a string per sequence ("120" = [1, 2, 0]). */
static void setup(int backing, double backing_mm, fsk_view view,
                  const char *const *seqs, int count)
{
    memset(&cal, 0, sizeof cal);
    memset(entries, 0, sizeof entries);
    cal.filament_count = 4;
    set_filament(1, "Cyan PLA", 0, 160, 224, 1.24);
    set_filament(2, "Magenta PLA", 224, 0, 128, 1.24);
    set_filament(3, "White PLA", 255, 255, 255, 1.25);
    set_filament(4, "Black PLA", 0, 0, 0, 1.30);
    cal.construction.layer_height_mm = 0.1;
    cal.construction.color_layers = 3;
    cal.construction.backing_filament = backing;
    cal.construction.backing_mm = backing_mm;
    cal.construction.view = view;
    for (int i = 0; i < count; i++)
        for (int s = 0; s < 3; s++)
            entries[i].sequence[s] = (uint8_t)(seqs[i][s] - '0');
    cal.entries = entries;
    cal.entry_count = (size_t)count;
}

/* The column at bed (x, y) as a string of part ids, "3312". */
static const char *column(const fsk_voxels *v, int x, int y)
{
    static char s[64];
    int z = 0;
    for (; z < v->layers && z < 63; z++)
        s[z] = (char)('0' + v->parts[fsk_voxel_index(v, x, y, z)]);
    s[z] = '\0';
    return s;
}

static const char *const two_seqs[] = {"120", "200"};

static void test_top_2x1(void)
{
    setup(3, 0.2, FSK_VIEW_TOP, two_seqs, 2);
    uint16_t labels[2] = {0, 1};
    fsk_voxels v;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_layers_expand(labels, 2, 1, &cal, 0.5, 1, &v, &err), 0);
    TKIT_EQ_INT(v.width, 2);
    TKIT_EQ_INT(v.height, 1);
    TKIT_EQ_INT(v.layers, 4); /* 2 backing + the tallest sequence, 2 */
    TKIT_NEAR(v.pixel_mm, 0.5, 0);
    for (int k = 0; k <= 4; k++)
        TKIT_NEAR(v.layer_top_mm[k], 0.1 * k, 1e-12);
    TKIT_EQ_INT(v.part_count, 3);
    TKIT_EQ_STR(v.part[1].name, "Cyan PLA");
    TKIT_EQ_INT(v.part[1].filament, 1);
    TKIT_EQ_INT(v.part[1].rgb[1], 160);
    TKIT_EQ_INT(v.part[1].is_backing, 0);
    TKIT_EQ_STR(v.part[2].name, "Magenta PLA");
    TKIT_EQ_INT(v.part[2].filament, 2);
    TKIT_EQ_STR(v.part[3].name, "backing (White PLA)");
    TKIT_EQ_INT(v.part[3].filament, 3);
    TKIT_EQ_INT(v.part[3].is_backing, 1);
    TKIT_NEAR(v.part[3].density_g_cm3, 1.25, 0);
    TKIT_EQ_INT(v.part[3].rgb[0], 255);
    TKIT_EQ_STR(column(&v, 0, 0), "3312");
    TKIT_EQ_STR(column(&v, 1, 0), "3320");
    /* The two backing layers, all 3, share a plane; the others have their
     * own. */
    TKIT_TRUE(v.plane_of != NULL);
    if (v.plane_of) {
        TKIT_EQ_INT(v.plane_of[0], v.plane_of[1]);
        TKIT_TRUE(v.plane_of[2] != v.plane_of[0] && v.plane_of[3] != v.plane_of[0] &&
                  v.plane_of[2] != v.plane_of[3]);
    }
    /* Statistics count a shared plane for each layer in it. */
    fsk_layer_stats st;
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 2, &st, &err), 0);
    TKIT_EQ_INT(st.part[3].voxels, 4);
    TKIT_EQ_INT(st.part[1].voxels, 1);
    TKIT_EQ_INT(st.part[2].voxels, 2);
    TKIT_EQ_INT(st.layer[0].filament_count, 1);
    TKIT_EQ_INT(st.layer[1].filament_count, 1);
    fsk_layer_stats_free(&st);
    fsk_voxels_free(&v);
    TKIT_TRUE(v.parts == NULL && v.plane_of == NULL && v.layer_top_mm == NULL &&
              v.layers == 0);
    fsk_voxels_free(&v);
    fsk_voxels_free(NULL);
}

static void test_bottom_2x1(void)
{
    setup(3, 0.2, FSK_VIEW_BOTTOM, two_seqs, 2);
    uint16_t labels[2] = {0, 1};
    fsk_voxels v;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_layers_expand(labels, 2, 1, &cal, 0.5, 1, &v, &err), 0);
    TKIT_EQ_INT(v.layers, 5); /* M = 3 color layers + 2 backing */
    TKIT_EQ_INT(v.part_count, 3);
    TKIT_EQ_STR(v.part[3].name, "backing (White PLA)");
    /* Mirrored: bed x 0 is image column 1. Slot 0 on the bed, then the
     * backing filament fills the empty slots and the backing. */
    TKIT_EQ_STR(column(&v, 0, 0), "23333");
    TKIT_EQ_STR(column(&v, 1, 0), "12333");
    fsk_voxels_free(&v);
}

/* 2x2: row 0 = {entry 0, EMPTY}, row 1 = {BACKING, entry 1}. */
static void test_transparency_and_frame(void)
{
    uint16_t labels[4] = {0, E, BK, 1};
    fsk_voxels v;
    fsk_err err = {0};
    setup(3, 0.2, FSK_VIEW_TOP, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(labels, 2, 2, &cal, 0.4, 1, &v, &err), 0);
    TKIT_EQ_STR(column(&v, 0, 1), "3312"); /* row 0 is at the back */
    TKIT_EQ_STR(column(&v, 1, 1), "0000");
    TKIT_EQ_STR(column(&v, 0, 0), "3300");
    TKIT_EQ_STR(column(&v, 1, 0), "3320");
    fsk_voxels_free(&v);
    setup(3, 0.2, FSK_VIEW_BOTTOM, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(labels, 2, 2, &cal, 0.4, 1, &v, &err), 0);
    TKIT_EQ_STR(column(&v, 1, 1), "12333");
    TKIT_EQ_STR(column(&v, 0, 1), "00000");
    TKIT_EQ_STR(column(&v, 1, 0), "33333"); /* backing only: full height */
    TKIT_EQ_STR(column(&v, 0, 0), "23333");
    fsk_voxels_free(&v);
    /* Only backing and empty pixels: the backing part alone, B layers. */
    uint16_t only[2] = {BK, E};
    setup(4, 0.3, FSK_VIEW_TOP, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(only, 2, 1, &cal, 0.4, 1, &v, &err), 0);
    TKIT_EQ_INT(v.part_count, 1);
    TKIT_EQ_STR(v.part[1].name, "backing (Black PLA)");
    TKIT_EQ_INT(v.part[1].filament, 4);
    TKIT_EQ_STR(column(&v, 0, 0), "111");
    TKIT_EQ_STR(column(&v, 1, 0), "000");
    fsk_voxels_free(&v);
}

/* Layers filled on several threads give the same grid as on one, seen
 * from above and (mirrored) from below. */
static void test_threads_same_grid(void)
{
    enum { W = 37, H = 23 };
    static const uint16_t values[4] = {0, 1, E, BK};
    uint16_t labels[W * H];
    uint32_t seed = 11;
    for (int i = 0; i < W * H; i++) {
        seed = seed * 1664525u + 1013904223u;
        labels[i] = values[seed >> 30];
    }
    const fsk_view views[2] = {FSK_VIEW_TOP, FSK_VIEW_BOTTOM};
    for (int k = 0; k < 2; k++) {
        fsk_voxels one, four;
        fsk_err err = {0};
        setup(3, 0.2, views[k], two_seqs, 2);
        TKIT_EQ_INT(fsk_layers_expand(labels, W, H, &cal, 0.4, 1, &one, &err), 0);
        TKIT_EQ_INT(fsk_layers_expand(labels, W, H, &cal, 0.4, 4, &four, &err), 0);
        TKIT_EQ_INT(four.layers, one.layers);
        TKIT_TRUE(one.layers > 1);
        int differ = 0;
        for (int z = 0; z < one.layers; z++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    differ += one.parts[fsk_voxel_index(&one, x, y, z)] !=
                              four.parts[fsk_voxel_index(&four, x, y, z)];
        TKIT_EQ_INT(differ, 0);
        fsk_voxels_free(&one);
        fsk_voxels_free(&four);
    }
}

static void test_unused_filament_has_no_part(void)
{
    static const char *const seqs[] = {"100", "210", "333", "440"};
    uint16_t labels[3] = {1, 0, 1};
    fsk_voxels v;
    fsk_err err = {0};
    setup(0, 0, FSK_VIEW_TOP, seqs, 4);
    TKIT_EQ_INT(fsk_layers_expand(labels, 3, 1, &cal, 0.4, 1, &v, &err), 0);
    TKIT_EQ_INT(v.part_count, 2);
    TKIT_EQ_STR(v.part[1].name, "Cyan PLA");
    TKIT_EQ_STR(v.part[2].name, "Magenta PLA");
    TKIT_EQ_INT(v.layers, 2);
    TKIT_EQ_STR(column(&v, 0, 0), "21");
    TKIT_EQ_STR(column(&v, 1, 0), "10");
    fsk_voxels_free(&v);
    /* Without a backing, view bottom has no filler either. */
    setup(0, 0, FSK_VIEW_BOTTOM, seqs, 4);
    TKIT_EQ_INT(fsk_layers_expand(labels, 3, 1, &cal, 0.4, 1, &v, &err), 0);
    TKIT_EQ_INT(v.layers, 2);
    TKIT_EQ_STR(column(&v, 0, 0), "21");
    TKIT_EQ_STR(column(&v, 1, 0), "10");
    fsk_voxels_free(&v);
    /* Filament 4 used only by a sequence; the backing is filament 3: a
     * color part for 4, and the backing part for 3, but none for 3's color. */
    uint16_t four[1] = {3};
    setup(3, 0.1, FSK_VIEW_TOP, seqs, 4);
    TKIT_EQ_INT(fsk_layers_expand(four, 1, 1, &cal, 0.4, 1, &v, &err), 0);
    TKIT_EQ_INT(v.part_count, 2);
    TKIT_EQ_STR(v.part[1].name, "Black PLA");
    TKIT_EQ_STR(v.part[2].name, "backing (White PLA)");
    TKIT_EQ_STR(column(&v, 0, 0), "211");
    fsk_voxels_free(&v);
}

static void test_backing_count(void)
{
    fsk_construction c = {.layer_height_mm = 0.1, .color_layers = 4,
                          .backing_filament = 3, .backing_mm = 0.2};
    TKIT_EQ_INT(fsk_layers_backing_count(&c), 2);
    c.backing_mm = 0.34;
    TKIT_EQ_INT(fsk_layers_backing_count(&c), 3);
    c.backing_mm = 0.0;
    TKIT_EQ_INT(fsk_layers_backing_count(&c), 1);
    c.layer_height_mm = 0.2;
    c.backing_mm = 0.6;
    TKIT_EQ_INT(fsk_layers_backing_count(&c), 3);
    c.backing_filament = 0;
    TKIT_EQ_INT(fsk_layers_backing_count(&c), 0);
}

static void test_long_backing_name(void)
{
    setup(3, 0.1, FSK_VIEW_TOP, two_seqs, 2);
    memset(cal.filaments[2].name, 'x', FSK_NAME_MAX - 1);
    cal.filaments[2].name[FSK_NAME_MAX - 1] = '\0';
    uint16_t labels[1] = {0};
    fsk_voxels v;
    TKIT_EQ_INT(fsk_layers_expand(labels, 1, 1, &cal, 0.4, 1, &v, NULL), 0);
    size_t len = strlen(v.part[3].name);
    TKIT_TRUE(len < FSK_NAME_MAX);
    TKIT_TRUE(strncmp(v.part[3].name, "backing (xxx", 12) == 0);
    TKIT_EQ_INT(v.part[3].name[len - 1], ')');
    fsk_voxels_free(&v);
}

static void test_errors(void)
{
    fsk_voxels v;
    fsk_err err = {0};
    uint16_t bad[2] = {0, 5};
    setup(3, 0.2, FSK_VIEW_TOP, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(bad, 2, 1, &cal, 0.4, 1, &v, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "label map pixel (1, 0) refers to calibration entry 5, "
                         "but there are only 2");
    TKIT_TRUE(v.parts == NULL && v.part_count == 0);
    fsk_voxels_free(&v);

    uint16_t backing_only[2] = {0, BK};
    setup(0, 0, FSK_VIEW_TOP, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(backing_only, 2, 1, &cal, 0.4, 1, &v, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "label map pixel (1, 0) asks for the backing only, "
                         "but the construction has no backing");

    uint16_t empty[3] = {E, E, E};
    setup(3, 0.2, FSK_VIEW_TOP, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(empty, 3, 1, &cal, 0.4, 1, &v, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "nothing to print: every pixel of the label map is empty");

    static const char *const wild[] = {"170"};
    uint16_t one[1] = {0};
    setup(3, 0.2, FSK_VIEW_TOP, wild, 1);
    TKIT_EQ_INT(fsk_layers_expand(one, 1, 1, &cal, 0.4, 1, &v, &err), FSK_EINVAL);
    TKIT_EQ_STR(err.msg, "calibration entry 0: slot 2 uses filament 7, but there are only 4");

    setup(3, 0.2, FSK_VIEW_TOP, two_seqs, 2);
    TKIT_EQ_INT(fsk_layers_expand(one, 1, 1, &cal, 0.0, 1, &v, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "invalid pixel size");
    cal.construction.backing_filament = 5;
    TKIT_EQ_INT(fsk_layers_expand(one, 1, 1, &cal, 0.4, 1, &v, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "backing filament 5 does not exist");
    cal.construction.backing_filament = 3;
    cal.construction.backing_mm = 1000;
    TKIT_EQ_INT(fsk_layers_expand(one, 1, 1, &cal, 0.4, 1, &v, &err), FSK_ELIMIT);
    TKIT_EQ_INT(fsk_layers_expand(one, 0, 1, &cal, 0.4, 1, &v, &err), FSK_EINVAL);
}

static void test_stats_top_2x1(void)
{
    setup(3, 0.2, FSK_VIEW_TOP, two_seqs, 2);
    uint16_t labels[2] = {0, 1};
    fsk_voxels v;
    fsk_layer_stats st;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_layers_expand(labels, 2, 1, &cal, 0.5, 1, &v, &err), 0);
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 1, &st, &err), 0);
    /* A voxel is 0.5 x 0.5 x 0.1 = 0.025 mm^3. */
    TKIT_EQ_INT(st.part_count, 3);
    TKIT_EQ_INT(st.part[1].voxels, 1);
    TKIT_NEAR(st.part[1].volume_mm3, 0.025, 1e-12);
    TKIT_NEAR(st.part[1].grams, 0.025 * 1.24 / 1000, 1e-15);
    TKIT_EQ_INT(st.part[2].voxels, 2);
    TKIT_NEAR(st.part[2].volume_mm3, 0.05, 1e-12);
    TKIT_EQ_INT(st.part[3].voxels, 4);
    TKIT_NEAR(st.part[3].volume_mm3, 0.1, 1e-12);
    TKIT_NEAR(st.part[3].grams, 0.1 * 1.25 / 1000, 1e-15);
    TKIT_EQ_INT(st.total_voxels, 7);
    TKIT_NEAR(st.total_volume_mm3, 0.175, 1e-12);
    TKIT_NEAR(st.total_grams, 0.000218, 1e-12);
    /* Layers {3} {3} {1,2} {2}: the third layer enters with 3 loaded, so
     * both its filaments are changes; it ends with 2, which layer 4 needs. */
    TKIT_EQ_INT(st.layers, 4);
    TKIT_EQ_INT(st.layer[0].filaments, 4);
    TKIT_EQ_INT(st.layer[1].filaments, 4);
    TKIT_EQ_INT(st.layer[2].filaments, 3);
    TKIT_EQ_INT(st.layer[2].filament_count, 2);
    TKIT_EQ_INT(st.layer[3].filaments, 2);
    TKIT_EQ_INT(st.layer[0].tool_changes, 0);
    TKIT_EQ_INT(st.layer[1].tool_changes, 0);
    TKIT_EQ_INT(st.layer[2].tool_changes, 2);
    TKIT_EQ_INT(st.layer[3].tool_changes, 0);
    TKIT_EQ_INT(st.layer[2].first_filament, 1);
    TKIT_EQ_INT(st.layer[2].last_filament, 2);
    TKIT_EQ_INT(st.tool_changes, 2);
    fsk_layer_stats_free(&st);
    TKIT_TRUE(st.layer == NULL);
    fsk_layer_stats_free(NULL);
    fsk_voxels_free(&v);
}

static void test_stats_bottom_2x1(void)
{
    setup(3, 0.2, FSK_VIEW_BOTTOM, two_seqs, 2);
    uint16_t labels[2] = {0, 1};
    fsk_voxels v;
    fsk_layer_stats st;
    TKIT_EQ_INT(fsk_layers_expand(labels, 2, 1, &cal, 0.5, 1, &v, NULL), 0);
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 1, &st, NULL), 0);
    /* Layers {1,2} {2,3} {3} {3} {3}: start 1, change to 2, stay on 2
     * into layer 2, change to 3. */
    TKIT_EQ_INT(st.part[3].voxels, 7);
    TKIT_EQ_INT(st.layer[0].filaments, 3);
    TKIT_EQ_INT(st.layer[1].filaments, 6);
    TKIT_EQ_INT(st.layer[0].tool_changes, 1);
    TKIT_EQ_INT(st.layer[1].tool_changes, 1);
    TKIT_EQ_INT(st.layer[2].tool_changes, 0);
    TKIT_EQ_INT(st.layer[0].first_filament, 1);
    TKIT_EQ_INT(st.layer[0].last_filament, 2);
    TKIT_EQ_INT(st.layer[1].first_filament, 2);
    TKIT_EQ_INT(st.layer[1].last_filament, 3);
    TKIT_EQ_INT(st.tool_changes, 2);
    fsk_layer_stats_free(&st);
    fsk_voxels_free(&v);
}

/* A hand-made grid, width 3, one row; each string is a layer of part ids. */
static void grid(fsk_voxels *v, uint8_t *cells, double *tops,
                 const char *const *layers, int count)
{
    memset(v, 0, sizeof *v);
    v->width = 3;
    v->height = 1;
    v->layers = count;
    v->parts = cells;
    v->pixel_mm = 1.0;
    v->layer_top_mm = tops;
    for (int z = 0; z < count; z++)
        for (int x = 0; x < 3; x++)
            cells[z * 3 + x] = (uint8_t)(layers[z][x] - '0');
    for (int z = 0; z <= count; z++)
        tops[z] = 0.2 * z;
    v->part_count = 4;
    v->part[1].filament = 1;
    v->part[2].filament = 2;
    v->part[3].filament = 4;
    v->part[4].filament = 4; /* a backing of filament 4 */
    v->part[4].is_backing = 1;
}

static void test_tool_change_plan(void)
{
    uint8_t cells[30];
    double tops[11];
    fsk_voxels v;
    fsk_layer_stats st;
    /* {4} {1,2} {1}: layer 1 must end with 1 (2 changes, not 3). */
    static const char *const a[] = {"333", "120", "100"};
    grid(&v, cells, tops, a, 3);
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 1, &st, NULL), 0);
    TKIT_EQ_INT(st.tool_changes, 2);
    TKIT_EQ_INT(st.layer[1].first_filament, 2);
    TKIT_EQ_INT(st.layer[1].last_filament, 1);
    TKIT_EQ_INT(st.layer[2].tool_changes, 0);
    fsk_layer_stats_free(&st);
    /* Same, but layer 2 prints 2: layer 1 ends with 2. */
    static const char *const b[] = {"333", "120", "020"};
    grid(&v, cells, tops, b, 3);
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 1, &st, NULL), 0);
    TKIT_EQ_INT(st.tool_changes, 2);
    TKIT_EQ_INT(st.layer[1].first_filament, 1);
    TKIT_EQ_INT(st.layer[1].last_filament, 2);
    fsk_layer_stats_free(&st);
    /* {1} {} {1,2} {4 color + 4 backing}: the empty layer keeps 1 loaded,
     * backing and color of filament 4 are one filament. */
    static const char *const c[] = {"100", "000", "210", "343"};
    grid(&v, cells, tops, c, 4);
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 1, &st, NULL), 0);
    TKIT_EQ_INT(st.layer[1].filaments, 0);
    TKIT_EQ_INT(st.layer[1].tool_changes, 0);
    TKIT_EQ_INT(st.layer[1].last_filament, 1);
    TKIT_EQ_INT(st.layer[2].tool_changes, 1);
    TKIT_EQ_INT(st.layer[3].filaments, 8);
    TKIT_EQ_INT(st.layer[3].filament_count, 1);
    TKIT_EQ_INT(st.layer[3].tool_changes, 1);
    TKIT_EQ_INT(st.tool_changes, 2);
    /* Volumes: 1 x 1 x 0.2 mm per voxel. */
    TKIT_NEAR(st.part[3].volume_mm3, 0.4, 1e-12);
    TKIT_NEAR(st.part[4].volume_mm3, 0.2, 1e-12);
    fsk_layer_stats_free(&st);
    /* A part id beyond the table is refused. */
    static const char *const d[] = {"150"};
    grid(&v, cells, tops, d, 1);
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_layer_stats_compute(&v, 1, &st, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "layer 0 holds part id 5, but there are 4 parts");
    TKIT_TRUE(st.layer == NULL);
}

int main(void)
{
    TKIT_RUN(test_top_2x1);
    TKIT_RUN(test_bottom_2x1);
    TKIT_RUN(test_transparency_and_frame);
    TKIT_RUN(test_threads_same_grid);
    TKIT_RUN(test_unused_filament_has_no_part);
    TKIT_RUN(test_backing_count);
    TKIT_RUN(test_long_backing_name);
    TKIT_RUN(test_errors);
    TKIT_RUN(test_stats_top_2x1);
    TKIT_RUN(test_stats_bottom_2x1);
    TKIT_RUN(test_tool_change_plan);
    return TKIT_DONE();
}
