/*
 * test_grid.c — grid.json: parsing a hand-written grid, every check with
 * its JSON path (sequences, ids, rectangles outside the plate or
 * overlapping, pages), the exact text fsk_grid_save writes, and a round
 * trip that saves byte-identical text again.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsk_file.h"
#include "fsk_grid.h"
#include "tkit.h"

#define HEAD                                                                   \
    "{\"format\": \"filastack-grid\", \"version\": 1,\n"                       \
    " \"filaments\": [{\"name\": \"Cyan\", \"color\": \"#00A0E0\", "           \
    "\"td_mm\": 3.5}, {\"name\": \"White\", \"color\": \"#ffffff\"}],\n"       \
    " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"         \
    " \"backing\": {\"filament\": 2, \"thickness\": 0.48}, \"view\": \"top\"},\n" \
    " \"size_mm\": [40, 30], \"base_filament\": 2,\n"

#define MARKS " \"marks\": [{\"filament\": 1, \"rect_mm\": [1, 1, 8, 8]}],\n"

static fsk_grid *parse(const char *text, fsk_err *err)
{
    fsk_grid *g = NULL;
    fsk_grid_parse("grid.json", text, strlen(text), &g, err);
    return g;
}

static void test_parse_good(void)
{
    fsk_err err = {0};
    fsk_grid *g = parse(HEAD MARKS
                        " \"patches\": [{\"id\": 0, \"sequence\": [1, 0],"
                        " \"rect_mm\": [10, 10, 6, 6]},\n"
                        "  {\"id\": 7, \"sequence\": [2, 1], \"rect_mm\": [16, 10, 6, 6.5]}]}",
                        &err);
    TKIT_TRUE(g != NULL);
    if (!g) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    TKIT_EQ_INT(g->filament_count, 2);
    TKIT_EQ_STR(g->filaments[1].name, "White");
    TKIT_NEAR(g->filaments[0].td_mm, 3.5, 0);
    TKIT_EQ_INT(g->construction.color_layers, 2);
    TKIT_EQ_INT(g->construction.backing_filament, 2);
    TKIT_NEAR(g->construction.backing_mm, 0.48, 0);
    TKIT_NEAR(g->size_mm[0], 40, 0);
    TKIT_NEAR(g->size_mm[1], 30, 0);
    TKIT_EQ_INT(g->base_filament, 2);
    TKIT_EQ_INT(g->page, 1); /* optional, 1 of 1 */
    TKIT_EQ_INT(g->pages, 1);
    TKIT_EQ_INT(g->mark_count, 1);
    TKIT_EQ_INT(g->marks[0].filament, 1);
    TKIT_NEAR(g->marks[0].rect_mm[2], 8, 0);
    TKIT_EQ_INT(g->patch_count, 2);
    TKIT_EQ_INT(g->patches[1].id, 7);
    TKIT_EQ_INT(g->patches[1].sequence[0], 2);
    TKIT_EQ_INT(g->patches[1].sequence[1], 1);
    TKIT_NEAR(g->patches[1].rect_mm[3], 6.5, 0);
    fsk_grid_free(g);
}

static void expect_error(const char *text, const char *message)
{
    fsk_err err = {0};
    fsk_grid *g = parse(text, &err);
    TKIT_TRUE(g == NULL);
    TKIT_EQ_STR(err.msg, message);
    TKIT_TRUE(err.code < 0);
    fsk_grid_free(g);
}

#define P(id, s0, s1, x, y)                                                    \
    "{\"id\": " #id ", \"sequence\": [" #s0 ", " #s1 "], \"rect_mm\": [" #x ", " #y ", 6, 6]}"

static void test_parse_errors(void)
{
    expect_error(HEAD MARKS " \"patches\": [" P(0, 1, 0, 10, 10) ", " P(1, 1, 3, 20, 10) "]}",
                 "grid.json: patches[1].sequence[1]: expected an integer from 0 to 2, got 3");
    expect_error(HEAD MARKS " \"patches\": [" P(0, 1, 2, 10, 10) ", " P(1, 2, 0, 20, 10) ", "
                 P(2, 1, 2, 30, 10) "]}",
                 "grid.json: patches[2].sequence: [1, 2] is listed twice, also at patches[0]");
    expect_error(HEAD MARKS " \"patches\": [" P(0, 0, 1, 10, 10) "]}",
                 "grid.json: patches[0].sequence: empty slot below a filled one");
    expect_error(HEAD MARKS " \"patches\": [" P(4, 1, 0, 10, 10) ", " P(4, 2, 0, 20, 10) "]}",
                 "grid.json: patches[1].id: 4 is used twice, also at patches[0]");
    expect_error(HEAD MARKS " \"patches\": [" P(-1, 1, 0, 10, 10) "]}",
                 "grid.json: patches[0].id: expected an integer from 0 to 2147483647, got -1");
    expect_error(HEAD MARKS " \"patches\": [" P(0, 1, 0, 35, 10) "]}",
                 "grid.json: patches[0].rect_mm: [35, 10, 6, 6] reaches outside the 40 x 30 "
                 "mm plate");
    expect_error(HEAD MARKS " \"patches\": [{\"id\": 0, \"sequence\": [1, 0],"
                 " \"rect_mm\": [10, 10, 0, 6]}]}",
                 "grid.json: patches[0].rect_mm: width and height must be positive, got 0 x 6");
    expect_error(HEAD MARKS " \"patches\": [{\"id\": 0, \"sequence\": [1, 0],"
                 " \"rect_mm\": [10, 10, 6]}]}",
                 "grid.json: patches[0].rect_mm: expected an array of 4 elements, got [10,10,6]");
    expect_error(HEAD MARKS " \"patches\": [{\"id\": 0, \"sequence\": [1, 0],"
                 " \"rect_mm\": [10, -1, 6, 6]}]}",
                 "grid.json: patches[0].rect_mm[1]: expected a number from 0 to 2000, got -1");
    /* Touching is fine, overlapping is not; marks count too. */
    expect_error(HEAD MARKS " \"patches\": [" P(0, 1, 0, 10, 10) ", " P(1, 2, 0, 16, 10) ", "
                 P(2, 1, 1, 21.5, 12) "]}",
                 "grid.json: patches[2].rect_mm: overlaps patches[1]");
    expect_error(HEAD MARKS " \"patches\": [" P(0, 1, 0, 10, 10) ", " P(1, 2, 0, 5, 5) "]}",
                 "grid.json: patches[1].rect_mm: overlaps marks[0]");
    expect_error(HEAD " \"marks\": [{\"filament\": 3, \"rect_mm\": [1, 1, 8, 8]}],"
                 " \"patches\": [" P(0, 1, 0, 10, 10) "]}",
                 "grid.json: marks[0].filament: expected an integer from 1 to 2, got 3");
    expect_error(HEAD MARKS " \"patches\": []}",
                 "grid.json: patches: expected 1 to 65000 elements, got 0");
    expect_error(HEAD MARKS " \"page\": 3, \"pages\": 2, \"patches\": [" P(0, 1, 0, 10, 10) "]}",
                 "grid.json: page: expected an integer from 1 to 2, got 3");
    expect_error("{\"format\": \"filastack-grid\", \"version\": 1,\n"
                 " \"filaments\": [{\"name\": \"Cyan\", \"color\": \"#00A0E0\"}],\n"
                 " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"
                 " \"backing\": null, \"view\": \"top\"},\n"
                 " \"size_mm\": [40, 30], \"base_filament\": 2, \"marks\": [],"
                 " \"patches\": [" P(0, 1, 0, 10, 10) "]}",
                 "grid.json: base_filament: expected an integer from 1 to 1, got 2");
    expect_error("{\"format\": \"filastack-grid\", \"version\": 1,\n"
                 " \"filaments\": [{\"name\": \"Cyan\", \"color\": \"#00A0E0\"}],\n"
                 " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"
                 " \"backing\": {\"filament\": 1, \"thickness\": 0.1}, \"view\": \"top\"},\n"
                 " \"size_mm\": [40, 30], \"base_filament\": 1, \"marks\": [],"
                 " \"patches\": [" P(0, 1, 0, 10, 10) "]}",
                 "grid.json: construction.backing.thickness: 0.1 mm is not a multiple of the "
                 "layer height 0.08 mm");
    expect_error("{\"format\": \"filastack-calibration\", \"version\": 1}",
                 "grid.json: format: expected \"filastack-grid\", got \"filastack-calibration\"");
    expect_error("{\"format\": \"filastack-grid\", \"version\": 2}",
                 "grid.json: version: version 2 is not supported");
    expect_error(HEAD " \"patches\": [" P(0, 1, 0, 10, 10) "]}", "grid.json: marks: missing");
    expect_error(HEAD MARKS " \"patches\": [" P(0, 1, 0, 10, 10),
                 "grid.json: line 6: unexpected end of file (truncated JSON)");
}

static char *read_text(const char *path)
{
    unsigned char *data = NULL;
    size_t size;
    if (fsk_file_read(path, 1u << 24, &data, &size, NULL) != 0)
        return NULL;
    return (char *)data;
}

static const char expected_text[] =
    "{\n"
    "  \"format\": \"filastack-grid\",\n"
    "  \"version\": 1,\n"
    "  \"filaments\": [\n"
    "    {\"name\": \"Cyan \\\"C\\\"\", \"color\": \"#00A0E0\", \"td_mm\": 3.5},\n"
    "    {\"name\": \"White\", \"color\": \"#FFFFFF\", \"material\": \"PLA\"}\n"
    "  ],\n"
    "  \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2, \"backing\": "
    "{\"filament\": 2, \"thickness\": 0.48}, \"view\": \"bottom\"},\n"
    "  \"size_mm\": [40, 30.5],\n"
    "  \"base_filament\": 2,\n"
    "  \"page\": 2,\n"
    "  \"pages\": 3,\n"
    "  \"marks\": [\n"
    "    {\"filament\": 1, \"rect_mm\": [1, 1, 8, 8]},\n"
    "    {\"filament\": 1, \"rect_mm\": [30, 1, 4.5, 4.5]}\n"
    "  ],\n"
    "  \"patches\": [\n"
    "    {\"id\": 12, \"sequence\": [1, 0], \"rect_mm\": [10, 10, 6, 6]},\n"
    "    {\"id\": 13, \"sequence\": [2, 1], \"rect_mm\": [17.2, 10, 6, 6]}\n"
    "  ]\n"
    "}\n";

static fsk_grid *sample_grid(void)
{
    fsk_grid *g = fsk_grid_new(2, 2, NULL);
    if (!g)
        return NULL;
    g->filament_count = 2;
    snprintf(g->filaments[0].name, sizeof g->filaments[0].name, "Cyan \"C\"");
    memcpy(g->filaments[0].rgb, (const unsigned char[]){0x00, 0xA0, 0xE0}, 3);
    g->filaments[0].td_mm = 3.5;
    snprintf(g->filaments[1].name, sizeof g->filaments[1].name, "White");
    snprintf(g->filaments[1].material, sizeof g->filaments[1].material, "PLA");
    memset(g->filaments[1].rgb, 255, 3);
    g->construction = (fsk_construction){.layer_height_mm = 0.08, .color_layers = 2,
                                         .backing_filament = 2, .backing_mm = 0.48,
                                         .view = FSK_VIEW_BOTTOM};
    g->size_mm[0] = 40;
    g->size_mm[1] = 30.5;
    g->base_filament = 2;
    g->page = 2;
    g->pages = 3;
    g->marks[0] = (fsk_grid_mark){1, {1, 1, 8, 8}};
    g->marks[1] = (fsk_grid_mark){1, {30, 1, 4.5, 4.5}};
    g->patches[0] = (fsk_grid_patch){.id = 12, .sequence = {1, 0}, .rect_mm = {10, 10, 6, 6}};
    /* 10 + 6 + 1.2 in binary floating point is not 17.2 exactly. */
    g->patches[1] = (fsk_grid_patch){.id = 13, .sequence = {2, 1},
                                     .rect_mm = {10 + 6 + 1.2, 10, 6, 6}};
    return g;
}

static void test_save_round_trip(void)
{
    char dir[] = "/tmp/fsk_grid_XXXXXX";
    TKIT_TRUE(mkdtemp(dir) != NULL);
    char path1[64], path2[64];
    snprintf(path1, sizeof path1, "%s/a.json", dir);
    snprintf(path2, sizeof path2, "%s/b.json", dir);
    fsk_err err = {0};
    fsk_grid *g = sample_grid();
    TKIT_TRUE(g != NULL);
    TKIT_EQ_INT(fsk_grid_save(path1, g, &err), 0);
    char *text1 = read_text(path1);
    TKIT_EQ_STR(text1, expected_text);
    fsk_grid *back = NULL;
    TKIT_EQ_INT(fsk_grid_load(path1, &back, &err), 0);
    TKIT_TRUE(back != NULL);
    if (back) {
        TKIT_EQ_STR(back->filaments[0].name, "Cyan \"C\"");
        TKIT_EQ_INT(back->construction.view, FSK_VIEW_BOTTOM);
        TKIT_EQ_INT(back->page, 2);
        TKIT_NEAR(back->patches[1].rect_mm[0], 17.2, 1e-12);
        TKIT_EQ_INT(fsk_grid_save(path2, back, &err), 0);
        char *text2 = read_text(path2);
        TKIT_EQ_STR(text2, text1);
        free(text2);
    }
    /* An invalid grid is refused before anything is written. */
    g->patches[1].sequence[0] = 1;
    g->patches[1].sequence[1] = 0;
    unlink(path2);
    TKIT_TRUE(fsk_grid_save(path2, g, &err) < 0);
    TKIT_CONTAINS(err.msg, "/b.json: patches[1].sequence: [1, 0] is listed twice, also "
                           "at patches[0]");
    TKIT_TRUE(access(path2, F_OK) != 0);
    fsk_grid_free(back);
    fsk_grid_free(g);
    free(text1);
    unlink(path1);
    unlink(path2);
    rmdir(dir);
}

static void test_new_limits(void)
{
    fsk_err err = {0};
    TKIT_TRUE(fsk_grid_new(FSK_GRID_MAX_MARKS + 1, 1, &err) == NULL);
    TKIT_EQ_INT(err.code, FSK_ELIMIT);
    TKIT_TRUE(fsk_grid_new(0, FSK_CAL_MAX_ENTRIES + 1, &err) == NULL);
    fsk_grid *g = fsk_grid_new(0, 3, &err);
    TKIT_TRUE(g != NULL);
    if (g) {
        TKIT_EQ_INT(g->patch_count, 3);
        TKIT_EQ_INT(g->page, 1);
        TKIT_EQ_INT(g->pages, 1);
        TKIT_TRUE(g->marks == NULL);
    }
    fsk_grid_free(g);
    fsk_grid_free(NULL);
}

int main(void)
{
    TKIT_RUN(test_parse_good);
    TKIT_RUN(test_parse_errors);
    TKIT_RUN(test_save_round_trip);
    TKIT_RUN(test_new_limits);
    return TKIT_DONE();
}
