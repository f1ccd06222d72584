/*
 * test_calibration.c — sequences (count formula against brute force,
 * canonical order and its inverse), the calibration file (parsing, every
 * error with its JSON path, deterministic saving, round trip) and the
 * converter from the reference pipeline's format.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_cal.h"
#include "fsk_calibration.h"
#include "fsk_calibration_ref.h"
#include "fsk_file.h"
#include "tkit.h"

/* Counts valid sequences by trying every tuple of 0..n. */
static uint64_t brute_count(int n, int m)
{
    uint8_t seq[FSK_MAX_COLOR_LAYERS] = {0};
    uint64_t total = 1, valid = 0;
    for (int i = 0; i < m; i++)
        total *= (uint64_t)(n + 1);
    for (uint64_t t = 0; t < total; t++) {
        uint64_t v = t;
        for (int i = 0; i < m; i++) {
            seq[i] = (uint8_t)(v % (uint64_t)(n + 1));
            v /= (uint64_t)(n + 1);
        }
        valid += fsk_sequence_valid(seq, m, n);
    }
    return valid;
}

static void test_sequence_count(void)
{
    for (int n = 1; n <= 6; n++)
        for (int m = 1; m <= 6; m++)
            TKIT_EQ_INT(fsk_sequence_count(n, m), brute_count(n, m));
    TKIT_EQ_INT(fsk_sequence_count(4, 4), 340);
    TKIT_EQ_INT(fsk_sequence_count(1, 5), 5);
    TKIT_EQ_INT(fsk_sequence_count(2, 63), UINT64_MAX - 1);
    TKIT_EQ_INT(fsk_sequence_count(2, 64), 0);
    TKIT_EQ_INT(fsk_sequence_count(16, 16), 0);
    TKIT_EQ_INT(fsk_sequence_count(0, 4), 0);
}

static void test_sequence_order(void)
{
    /* The reference's file order for 4 filaments and 4 layers. */
    static const uint8_t first[10][4] = {
        {1, 0, 0, 0}, {2, 0, 0, 0}, {3, 0, 0, 0}, {4, 0, 0, 0}, {1, 1, 0, 0},
        {1, 2, 0, 0}, {1, 3, 0, 0}, {1, 4, 0, 0}, {2, 1, 0, 0}, {2, 2, 0, 0}};
    uint8_t seq[FSK_MAX_COLOR_LAYERS];
    for (int i = 0; i < 10; i++) {
        fsk_sequence_nth(4, 4, (uint64_t)i, seq);
        TKIT_TRUE(memcmp(seq, first[i], 4) == 0);
    }
    fsk_sequence_nth(4, 4, 339, seq);
    TKIT_TRUE(memcmp(seq, (const uint8_t[]){4, 4, 4, 4}, 4) == 0);
    fsk_sequence_nth(4, 4, 20, seq);
    TKIT_TRUE(memcmp(seq, (const uint8_t[]){1, 1, 1, 0}, 4) == 0);
    /* Every index maps to a valid sequence and back; order is by layers
     * then lexicographic. */
    for (int n = 1; n <= 5; n++) {
        for (int m = 1; m <= 5; m++) {
            uint64_t count = fsk_sequence_count(n, m);
            uint8_t prev[FSK_MAX_COLOR_LAYERS] = {0};
            int bad = 0;
            for (uint64_t i = 0; i < count; i++) {
                fsk_sequence_nth(n, m, i, seq);
                bad += !fsk_sequence_valid(seq, m, n);
                bad += fsk_sequence_index(seq, m, n) != i;
                if (i > 0) {
                    int lp = fsk_sequence_layers(prev, m), ls = fsk_sequence_layers(seq, m);
                    bad += ls < lp || (ls == lp && memcmp(prev, seq, (size_t)m) >= 0);
                }
                memcpy(prev, seq, (size_t)m);
            }
            TKIT_EQ_INT(bad, 0);
        }
    }
    TKIT_EQ_INT(fsk_sequence_index((const uint8_t[]){1, 0, 2, 0}, 4, 4), UINT64_MAX);
}

static void test_sequence_helpers(void)
{
    TKIT_TRUE(fsk_sequence_valid((const uint8_t[]){2, 1, 0}, 3, 2));
    TKIT_TRUE(!fsk_sequence_valid((const uint8_t[]){0, 0, 0}, 3, 2));
    TKIT_TRUE(!fsk_sequence_valid((const uint8_t[]){1, 0, 1}, 3, 2));
    TKIT_TRUE(!fsk_sequence_valid((const uint8_t[]){3, 0, 0}, 3, 2));
    TKIT_EQ_INT(fsk_sequence_layers((const uint8_t[]){2, 2, 1, 0}, 4), 3);
    TKIT_EQ_INT(fsk_sequence_filaments((const uint8_t[]){2, 2, 1, 0}, 4), 2);
    TKIT_EQ_INT(fsk_sequence_filaments((const uint8_t[]){3, 3, 3, 3}, 4), 1);
}

#define HEAD                                                                   \
    "{\"format\": \"filastack-calibration\", \"version\": 1,\n"                \
    " \"filaments\": [{\"name\": \"Cyan\", \"color\": \"#00A0E0\", "           \
    "\"td_mm\": 3.5}, {\"name\": \"White\", \"color\": \"#ffffff\", "          \
    "\"brand\": \"B\", \"material\": \"PLA\", \"density_g_cm3\": 1.24}],\n"

static fsk_calibration *parse(const char *text, fsk_err *err)
{
    fsk_calibration *cal = NULL;
    fsk_calibration_parse("cal.json", text, strlen(text), &cal, err);
    return cal;
}

static void test_parse_good(void)
{
    fsk_err err = {0};
    fsk_calibration *cal = parse(
        HEAD " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"
             " \"backing\": {\"filament\": 2, \"thickness\": 0.64}, \"view\": \"bottom\"},\n"
             " \"source\": {\"kind\": \"scan\", \"device\": \"epson\", \"dpi\": 600},\n"
             " \"entries\": [{\"sequence\": [1, 0], \"rgb\": [0, 160, 224]},\n"
             "  {\"sequence\": [2, 1], \"rgb\": [100, 150.5, 200], \"lab\": [60, -10, -30],"
             " \"spread\": 1.5, \"origin\": \"model\"}]}",
        &err);
    TKIT_TRUE(cal != NULL);
    if (!cal) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    TKIT_EQ_INT(cal->filament_count, 2);
    TKIT_EQ_STR(cal->filaments[0].name, "Cyan");
    TKIT_EQ_INT(cal->filaments[0].rgb[1], 0xA0);
    TKIT_NEAR(cal->filaments[0].td_mm, 3.5, 0);
    TKIT_EQ_STR(cal->filaments[1].material, "PLA");
    TKIT_NEAR(cal->construction.layer_height_mm, 0.08, 0);
    TKIT_EQ_INT(cal->construction.color_layers, 2);
    TKIT_EQ_INT(cal->construction.backing_filament, 2);
    TKIT_NEAR(cal->construction.backing_mm, 0.64, 0);
    TKIT_EQ_INT(cal->construction.view, FSK_VIEW_BOTTOM);
    TKIT_EQ_STR(cal->source.kind, "scan");
    TKIT_EQ_STR(cal->source.device, "epson");
    TKIT_NEAR(cal->source.dpi, 600, 0);
    TKIT_EQ_INT(cal->entry_count, 2);
    /* Lab recomputed from rgb when absent; origin from the source kind. */
    double lab[3];
    fsk_srgb255_to_lab(cal->entries[0].rgb, lab);
    TKIT_NEAR(cal->entries[0].lab[0], lab[0], 1e-12);
    TKIT_NEAR(cal->entries[0].lab[2], lab[2], 1e-12);
    TKIT_EQ_INT(cal->entries[0].origin, FSK_ORIGIN_SCAN);
    TKIT_NEAR(cal->entries[0].spread, 0, 0);
    TKIT_NEAR(cal->entries[1].lab[1], -10, 0);
    TKIT_NEAR(cal->entries[1].rgb[1], 150.5, 0);
    TKIT_EQ_INT(cal->entries[1].origin, FSK_ORIGIN_MODEL);
    TKIT_EQ_INT(cal->entries[1].sequence[0], 2);
    fsk_calibration_free(cal);
}

#define CONSTRUCTION                                                           \
    " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"         \
    " \"backing\": null, \"view\": \"top\"},\n"                                \
    " \"source\": {\"kind\": \"predicted\"},\n"

static void expect_error(const char *text, const char *message)
{
    fsk_err err = {0};
    fsk_calibration *cal = parse(text, &err);
    TKIT_TRUE(cal == NULL);
    TKIT_EQ_STR(err.msg, message);
    TKIT_TRUE(err.code < 0);
    fsk_calibration_free(cal);
}

static void test_parse_errors(void)
{
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 0], \"rgb\": [1, 2, 3]},"
                 " {\"sequence\": [2, 0], \"rgb\": [1, 2, 3]}, {\"sequence\": [1, 1], \"rgb\": [1, 2, 3]},"
                 " {\"sequence\": [1, 7], \"rgb\": [1, 2, 3]}]}",
                 "cal.json: entries[3].sequence[1]: expected an integer from 0 to 2, got 7");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 2], \"rgb\": [1, 2, 3]},"
                 " {\"sequence\": [2, 0], \"rgb\": [1, 2, 3]}, {\"sequence\": [1, 2], \"rgb\": [4, 5, 6]}]}",
                 "cal.json: entries[2].sequence: [1, 2] is listed twice, also at entries[0]");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [0, 2], \"rgb\": [1, 2, 3]}]}",
                 "cal.json: entries[0].sequence: empty slot below a filled one");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [0, 0], \"rgb\": [1, 2, 3]}]}",
                 "cal.json: entries[0].sequence: all slots are empty");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 0, 0], \"rgb\": [1, 2, 3]}]}",
                 "cal.json: entries[0].sequence: expected an array of 2 elements, got [1,0,0]");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1.5, 0], \"rgb\": [1, 2, 3]}]}",
                 "cal.json: entries[0].sequence[0]: expected an integer, got 1.5");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 0], \"rgb\": [1, 256, 3]}]}",
                 "cal.json: entries[0].rgb[1]: expected a number from 0 to 255, got 256");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 0]}]}",
                 "cal.json: entries[0].rgb: missing");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 0], \"rgb\": [1, 2, 3],"
                 " \"origin\": \"guess\"}]}",
                 "cal.json: entries[0].origin: expected \"scan\", \"predicted\" or \"model\", got \"guess\"");
    expect_error(HEAD CONSTRUCTION " \"entries\": []}",
                 "cal.json: entries: expected 1 to 65000 entries, got 0");
    expect_error("{\"format\": \"filastack-grid\", \"version\": 1}",
                 "cal.json: format: expected \"filastack-calibration\", got \"filastack-grid\"");
    expect_error("{\"format\": \"filastack-calibration\", \"version\": 2}",
                 "cal.json: version: version 2 is not supported");
    expect_error(HEAD " \"source\": {\"kind\": \"scan\"}, \"entries\": [{}]}",
                 "cal.json: construction: missing");
    expect_error(HEAD " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"
                 " \"backing\": null, \"view\": \"side\"}, \"entries\": [{}]}",
                 "cal.json: construction.view: expected \"top\" or \"bottom\", got \"side\"");
    expect_error(HEAD " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"
                 " \"backing\": {\"filament\": 1, \"thickness\": 0.5}, \"view\": \"top\"},"
                 " \"entries\": [{}]}",
                 "cal.json: construction.backing.thickness: 0.5 mm is not a multiple of "
                 "the layer height 0.08 mm");
    expect_error(HEAD " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 2,"
                 " \"backing\": {\"filament\": 3, \"thickness\": 0.48}, \"view\": \"top\"},"
                 " \"entries\": [{}]}",
                 "cal.json: construction.backing.filament: expected an integer from 1 to 2, got 3");
    expect_error(HEAD " \"construction\": {\"layer_height\": 0.08, \"color_layers\": 17,"
                 " \"backing\": null, \"view\": \"top\"}, \"entries\": [{}]}",
                 "cal.json: construction.color_layers: expected an integer from 1 to 16, got 17");
    expect_error(HEAD CONSTRUCTION " \"entries\": [{\"sequence\": [1, 0], \"rgb\": [1, 2",
                 "cal.json: line 5: unexpected end of file (truncated JSON)");
    expect_error("{\"format\": \"filastack-calibration\", \"version\": 1, \"entries\": [{}],"
                 " \"filaments\": [{\"name\": \"A\", \"color\": \"red\"}]}",
                 "cal.json: filaments[0].color: expected \"#RRGGBB\", got \"red\"");
}

static char *read_text(const char *path)
{
    unsigned char *data = NULL;
    size_t size;
    if (fsk_file_read(path, 1u << 24, &data, &size, NULL) != 0)
        return NULL;
    return (char *)data;
}

static void test_save_round_trip(void)
{
    char dir[] = "/tmp/fsk_cal_XXXXXX";
    TKIT_TRUE(mkdtemp(dir) != NULL);
    char path1[64], path2[64];
    snprintf(path1, sizeof path1, "%s/a.json", dir);
    snprintf(path2, sizeof path2, "%s/b.json", dir);
    fsk_err err = {0};
    fsk_calibration *cal = fixture_averaging(4, 4, NULL);
    snprintf(cal->filaments[0].name, sizeof cal->filaments[0].name, "Cyan \"Q\" \\ PLA");
    cal->filaments[0].td_mm = 3.25;
    cal->construction.backing_filament = 4;
    cal->construction.backing_mm = 0.48;
    cal->entries[5].rgb[0] = 127.51234;
    cal->entries[5].spread = 0.25;
    cal->entries[6].lab[1] = -0.00001; /* prints as 0, never -0 */
    TKIT_EQ_INT(fsk_calibration_save(path1, cal, &err), 0);
    fsk_calibration *back = NULL;
    TKIT_EQ_INT(fsk_calibration_load(path1, &back, &err), 0);
    TKIT_TRUE(back != NULL);
    if (!back) {
        fprintf(stderr, "%s\n", err.msg);
        fsk_calibration_free(cal);
        return;
    }
    TKIT_EQ_STR(back->filaments[0].name, "Cyan \"Q\" \\ PLA");
    TKIT_EQ_INT(back->entry_count, 340);
    TKIT_EQ_INT(back->construction.backing_filament, 4);
    TKIT_NEAR(back->construction.backing_mm, 0.48, 1e-12);
    TKIT_NEAR(back->entries[5].rgb[0], 127.512, 1e-9);
    TKIT_NEAR(back->entries[5].spread, 0.25, 0);
    int same = 1;
    for (size_t i = 0; i < 340; i++) {
        same &= memcmp(back->entries[i].sequence, cal->entries[i].sequence, 4) == 0;
        for (int c = 0; c < 3; c++)
            same &= fabs(back->entries[i].lab[c] - cal->entries[i].lab[c]) <= 5e-5;
    }
    TKIT_TRUE(same);
    /* Saving what was loaded gives the same bytes. */
    TKIT_EQ_INT(fsk_calibration_save(path2, back, &err), 0);
    char *a = read_text(path1), *b = read_text(path2);
    TKIT_TRUE(a && b && strcmp(a, b) == 0);
    TKIT_TRUE(a && strncmp(a, "{\n  \"format\": \"filastack-calibration\",\n  \"version\": 1,\n", 55) == 0);
    TKIT_CONTAINS(a, "\"name\": \"Cyan \\\"Q\\\" \\\\ PLA\", \"color\": \"#00FFFF\", \"td_mm\": 3.25}");
    TKIT_CONTAINS(a, "\"construction\": {\"layer_height\": 0.08, \"color_layers\": 4, "
                     "\"backing\": {\"filament\": 4, \"thickness\": 0.48}, \"view\": \"top\"}");
    TKIT_CONTAINS(a, "{\"sequence\": [1, 0, 0, 0], \"rgb\": [0, 255, 255], ");
    TKIT_CONTAINS(a, "\"rgb\": [127.512, 128, 255]");
    TKIT_CONTAINS(a, "\"spread\": 0.25, \"origin\": \"predicted\"}");
    TKIT_TRUE(a && !strstr(a, "-0,") && !strstr(a, "-0]"));
    free(a);
    free(b);
    /* A calibration that does not check is not written. */
    back->entries[5].sequence[0] = 0;
    char path3[64];
    snprintf(path3, sizeof path3, "%s/c.json", dir);
    TKIT_TRUE(fsk_calibration_save(path3, back, &err) != 0);
    TKIT_CONTAINS(err.msg, "c.json: entries[5].sequence: empty slot below a filled one");
    TKIT_TRUE(access(path3, F_OK) != 0);
    fsk_calibration_free(back);
    fsk_calibration_free(cal);
    unlink(path1);
    unlink(path2);
    rmdir(dir);
}

/* Writes cal in the reference pipeline's format. */
static char *reference_json(const fsk_calibration *cal)
{
    size_t cap = 64 + cal->entry_count * 80, len = 0;
    char *s = malloc(cap);
    len += (size_t)snprintf(s + len, cap - len, "{\"layers\": %d, \"filaments\": [",
                            cal->construction.color_layers);
    for (int i = 0; i < cal->filament_count; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s{\"name\": \"%s\", \"rgb\": [%d, %d, %d]}",
                                i ? ", " : "", cal->filaments[i].name, cal->filaments[i].rgb[0],
                                cal->filaments[i].rgb[1], cal->filaments[i].rgb[2]);
    len += (size_t)snprintf(s + len, cap - len, "], \"entries\": [\n");
    for (size_t i = 0; i < cal->entry_count; i++) {
        const fsk_cal_entry *e = &cal->entries[i];
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"rgb\": [%g, %g, %g], \"sequence\": [%d, %d, %d, %d]}",
                                i ? ",\n" : "", e->rgb[0], e->rgb[1], e->rgb[2], e->sequence[0],
                                e->sequence[1], e->sequence[2], e->sequence[3]);
    }
    snprintf(s + len, cap - len, "]}\n");
    return s;
}

static void test_reference_converter(void)
{
    fsk_err err = {0};
    fsk_calibration *model = fixture_averaging(4, 4, NULL);
    char *json = reference_json(model);
    fsk_calibration *cal = NULL;
    TKIT_EQ_INT(fsk_calibration_from_reference("ref.json", json, strlen(json), 0.08, &cal, &err), 0);
    TKIT_TRUE(cal != NULL);
    if (cal) {
        TKIT_EQ_INT(cal->entry_count, 340);
        TKIT_EQ_INT(cal->filament_count, 4);
        TKIT_EQ_INT(cal->filaments[2].rgb[0], 255);
        TKIT_EQ_INT(cal->filaments[2].rgb[2], 0);
        TKIT_EQ_STR(cal->source.kind, "reference");
        TKIT_EQ_INT(cal->construction.backing_filament, 0);
        TKIT_EQ_INT(cal->construction.view, FSK_VIEW_TOP);
        TKIT_NEAR(cal->construction.layer_height_mm, 0.08, 0);
        int same = 1;
        for (size_t i = 0; i < 340; i++) {
            same &= memcmp(cal->entries[i].sequence, model->entries[i].sequence, 4) == 0;
            same &= cal->entries[i].origin == FSK_ORIGIN_PREDICTED;
            for (int c = 0; c < 3; c++)
                same &= cal->entries[i].rgb[c] == model->entries[i].rgb[c] &&
                        fabs(cal->entries[i].lab[c] - model->entries[i].lab[c]) < 1e-12;
        }
        TKIT_TRUE(same);
    }
    fsk_calibration_free(cal);
    free(json);
    fsk_calibration_free(model);

    const char *bad = "{\"layers\": 2, \"filaments\": [{\"name\": \"A\", \"rgb\": [1, 2, 3]}],"
                      " \"entries\": [{\"rgb\": [1, 2, 3], \"sequence\": [1, 2]}]}";
    TKIT_TRUE(fsk_calibration_from_reference("ref.json", bad, strlen(bad), 0.08, &cal, &err) != 0);
    TKIT_EQ_STR(err.msg, "ref.json: entries[0].sequence[1]: expected an integer from 0 to 1, got 2");
    const char *dup = "{\"layers\": 1, \"filaments\": [{\"name\": \"A\", \"rgb\": [1, 2, 3]}],"
                      " \"entries\": [{\"rgb\": [1, 2, 3], \"sequence\": [1]},"
                      " {\"rgb\": [1, 2, 3], \"sequence\": [1]}]}";
    TKIT_TRUE(fsk_calibration_from_reference("ref.json", dup, strlen(dup), 0.08, &cal, &err) != 0);
    TKIT_EQ_STR(err.msg, "ref.json: entries[1].sequence: [1] is listed twice, also at entries[0]");
}

int main(void)
{
    TKIT_RUN(test_sequence_count);
    TKIT_RUN(test_sequence_order);
    TKIT_RUN(test_sequence_helpers);
    TKIT_RUN(test_parse_good);
    TKIT_RUN(test_parse_errors);
    TKIT_RUN(test_save_round_trip);
    TKIT_RUN(test_reference_converter);
    return TKIT_DONE();
}
