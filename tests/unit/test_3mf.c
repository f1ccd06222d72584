/*
 * test_3mf.c — the 3MF writer on hand-made meshes: two boxes side by side
 * (parts 1 and 2, filaments 1 and 2) and an empty backing part on filament
 * 3, on a grid with a 0.2 mm first layer and 0.08 mm layers. Each flavor is
 * read back by Python's zipfile and xmllint; the PrusaSlicer volume ranges
 * must cover every triangle exactly once; the print config must survive
 * PrusaSlicer's line-by-line reader; Bambu's JSON must parse.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_3mf.h"
#include "fsk_file.h"
#include "fsk_mm_texts.h"
#include "fsk_zip_write.h"
#include "fsk_text_sink.h"
#include "test_meshes.h"
#include "test_tools.h"
#include "tkit.h"

static char dir[32];
static fsk_voxels grid;
static fsk_mesh meshes[4];

static void setup(void)
{
    test_grid_init(&grid, 400, 200, 25, 0.1, 0.2, 0.08, 3);
    test_set_part(&grid, 1, "Cyan PLA", 1, 0x00, 0xA0, 0xE0);
    test_set_part(&grid, 2, "Magenta & \"Co\" <PLA>", 2, 0xE0, 0x00, 0x7A);
    test_set_part(&grid, 3, "backing (White PLA)", 3, 0xFF, 0xFF, 0xFF);
    grid.part[3].is_backing = 1;
    for (int p = 0; p < 4; p++)
        fsk_mesh_init(&meshes[p]);
    test_add_box(&meshes[1], 0, 0, 0, 200, 200, 25);
    test_add_box(&meshes[2], 200, 0, 0, 400, 200, 25);
}

static int write_flavor(const char *file, int flavor, fsk_err *err)
{
    char path[64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    fsk_3mf_options opt = {0};
    opt.object_name = "two boxes";
    opt.core_only = flavor < 0;
    opt.flavor = flavor < 0 ? FSK_FLAVOR_PRUSA : (fsk_slicer_flavor)flavor;
    return fsk_3mf_write(path, &grid, meshes, &opt, err);
}

static char *entry(const char *file, const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return test_zip_entry(path, name, NULL);
}

/* xmllint's verdict on one entry: 0 when well-formed. */
static int xml_ok(const char *file, const char *name)
{
    return test_sh(TEST_ZIP_READ_PY " '%s/%s' '%s' | xmllint --noout -", dir, file, name);
}

static char *entry_names(const char *file)
{
    return test_capture(NULL, "python3 -c 'import sys, zipfile; "
                              "print(\" \".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "
                              "'%s/%s'", dir, file);
}

static void test_format_mm(void)
{
    char s[33];
    fsk_format_mm(12.3, s);
    TKIT_EQ_STR(s, "12.3");
    fsk_format_mm(0.08 * 3, s);
    TKIT_EQ_STR(s, "0.24");
    fsk_format_mm(0.1 * 123, s);
    TKIT_EQ_STR(s, "12.3");
    fsk_format_mm(20, s);
    TKIT_EQ_STR(s, "20");
    fsk_format_mm(0, s);
    TKIT_EQ_STR(s, "0");
    fsk_format_mm(-1e-9, s);
    TKIT_EQ_STR(s, "0");
    fsk_format_mm(-2.5, s);
    TKIT_EQ_STR(s, "-2.5");
    fsk_format_mm(1234.5678914, s);
    TKIT_EQ_STR(s, "1234.567891");
    fsk_format_mm(0.0000014, s);
    TKIT_EQ_STR(s, "0.000001");
    fsk_format_mm(999999999.999999, s);
    TKIT_EQ_STR(s, "999999999.999999");
    TKIT_EQ_INT(fsk_format_mm(1e10, s), 5);
    TKIT_EQ_STR(s, "1e+10");
}

/* Every text of a table equals fsk_format_mm of its value: steps that are
 * exact in binary and ones that are not, and listed values. */
static void test_mm_texts(void)
{
    static const double steps[] = {0.265625, 0.1, 0.2, 0.08, 1.0 / 3};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        fsk_mm_texts t;
        TKIT_EQ_INT(fsk_mm_texts_init(&t, NULL, steps[k], 5001), 0);
        long differ = 0;
        for (size_t i = 0; i < t.count; i++) {
            char want[33];
            int n = fsk_format_mm((double)i * steps[k], want);
            differ += (size_t)n != t.start[i + 1] - t.start[i] ||
                      memcmp(want, t.text + t.start[i], (size_t)n) != 0;
        }
        TKIT_EQ_INT(differ, 0);
        fsk_mm_texts_free(&t);
    }
    static const double values[] = {0, 0.08, 0.16, 0.24000000000000002, -2.5, 1e10};
    static const char *const texts[] = {"0", "0.08", "0.16", "0.24", "-2.5", "1e+10"};
    fsk_mm_texts t;
    TKIT_EQ_INT(fsk_mm_texts_init(&t, values, 0, 6), 0);
    for (size_t i = 0; i < 6; i++) {
        size_t n = t.start[i + 1] - t.start[i];
        TKIT_EQ_INT((int)n, (int)strlen(texts[i]));
        TKIT_TRUE(memcmp(t.text + t.start[i], texts[i], n) == 0);
    }
    fsk_mm_texts_free(&t);
}

/* Every index text equals snprintf's, across the digit counts up to
 * 100,001 (tables past a power of ten and not), and an empty table. */
static void test_index_texts(void)
{
    static const size_t counts[] = {1, 10, 11, 100001};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        fsk_mm_texts t;
        TKIT_EQ_INT(fsk_index_texts_init(&t, counts[k]), 0);
        TKIT_EQ_INT((int)t.count, (int)counts[k]);
        long differ = 0;
        for (size_t i = 0; i < t.count; i++) {
            char want[24];
            int n = snprintf(want, sizeof want, "%zu", i);
            differ += (size_t)n != t.start[i + 1] - t.start[i] ||
                      memcmp(want, t.text + t.start[i], (size_t)n) != 0;
        }
        TKIT_EQ_INT(differ, 0);
        fsk_mm_texts_free(&t);
    }
    fsk_mm_texts t;
    TKIT_EQ_INT(fsk_index_texts_init(&t, 0), 0);
    TKIT_EQ_INT((int)t.count, 0);
    fsk_mm_texts_free(&t);
}

/* Numbers streamed into a ZIP entry, read back by Python's zipfile: every
 * digit count, and the ends of the range. */
static void test_sink_numbers(void)
{
    static const uint64_t values[] = {0, 7, 10, 42, 99, 100, 101, 999, 1000, 12345,
                                      100000, 9876543, 4294967295u, UINT64_MAX};
    char path[600], want[1024] = "";
    snprintf(path, sizeof path, "%s/numbers.zip", dir);
    fsk_err err = {0};
    fsk_out *out = fsk_out_open(path, &err);
    fsk_zip *zip = out ? fsk_zip_open(out, &err) : NULL;
    TKIT_TRUE(zip != NULL);
    if (!zip)
        return;
    static fsk_text_sink sink;
    TKIT_EQ_INT(fsk_sink_begin(&sink, zip, "n.txt", FSK_ZIP_STORE, &err), 0);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        fsk_sink_uint(&sink, values[i]);
        fsk_sink_str(&sink, " ");
        snprintf(want + strlen(want), sizeof want - strlen(want), "%llu ",
                 (unsigned long long)values[i]);
    }
    TKIT_EQ_INT(fsk_sink_end(&sink), 0);
    TKIT_EQ_INT(fsk_zip_close(zip, &err), 0);
    TKIT_EQ_INT(fsk_out_commit(out, &err), 0);
    char *got = test_capture(NULL, "python3 -c 'import sys, zipfile; "
                                   "sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(\"n.txt\")"
                                   ".decode())' '%s'", path);
    TKIT_EQ_STR(got ? got : "", want);
    free(got);
}

static void test_prusa_package(void)
{
    fsk_err err = {0};
    TKIT_EQ_INT(write_flavor("p.3mf", FSK_FLAVOR_PRUSA, &err), 0);
    TKIT_EQ_INT(test_sh("python3 -m zipfile -t '%s/p.3mf' >/dev/null", dir), 0);
    char *names = entry_names("p.3mf");
    TKIT_EQ_STR(names, "[Content_Types].xml _rels/.rels 3D/3dmodel.model "
                       "Metadata/Slic3r_PE.config Metadata/Slic3r_PE_model.config\n");
    free(names);
    TKIT_EQ_INT(xml_ok("p.3mf", "[Content_Types].xml"), 0);
    TKIT_EQ_INT(xml_ok("p.3mf", "_rels/.rels"), 0);
    TKIT_EQ_INT(xml_ok("p.3mf", "3D/3dmodel.model"), 0);
    TKIT_EQ_INT(xml_ok("p.3mf", "Metadata/Slic3r_PE_model.config"), 0);

    char *model = entry("p.3mf", "3D/3dmodel.model");
    TKIT_TRUE(model != NULL);
    if (!model)
        return;
    /* One object, the second box's vertices after the first's. */
    TKIT_EQ_INT(test_count(model, "<object "), 1);
    TKIT_EQ_INT(test_count(model, "<vertex "), 16);
    TKIT_EQ_INT(test_count(model, "<triangle "), 24);
    TKIT_CONTAINS(model, "<base name=\"Magenta &amp; &quot;Co&quot; &lt;PLA&gt;\" "
                         "displaycolor=\"#E0007AFF\"/>");
    TKIT_EQ_INT(test_count(model, "<base "), 2); /* the empty backing is left out */
    /* Box 2's corner (1,1,1) is vertex 8+7 at x 40, y 20, z 0.2 + 24 * 0.08. */
    TKIT_CONTAINS(model, "<vertex x=\"40\" y=\"20\" z=\"2.12\"/>\n    </vertices>");
    TKIT_CONTAINS(model, "<vertex x=\"20\" y=\"0\" z=\"0\"/>\n<vertex x=\"40\"");
    /* Box 2's first triangle {0,2,3} shifted by 8, colored by material 1. */
    TKIT_CONTAINS(model, "<triangle v1=\"8\" v2=\"10\" v3=\"11\" p1=\"1\"/>");
    TKIT_CONTAINS(model, "<triangle v1=\"0\" v2=\"2\" v3=\"3\"/>");
    TKIT_CONTAINS(model, "<metadata name=\"slic3rpe:Version3mf\">1</metadata>");
    TKIT_CONTAINS(model, "<item objectid=\"2\" transform=\"1 0 0 0 1 0 0 0 1 0 0 0\"");
    free(model);

    /* Volume ranges: in order, no gap, no overlap, all 24 triangles. */
    char *cfg = entry("p.3mf", "Metadata/Slic3r_PE_model.config");
    TKIT_TRUE(cfg != NULL);
    if (!cfg)
        return;
    TKIT_CONTAINS(cfg, "<object id=\"2\" instances_count=\"1\">");
    long next = 0;
    int volumes = 0;
    for (const char *p = cfg; (p = strstr(p, "<volume firstid=\"")) != NULL; p++) {
        long first = -1, last = -1;
        TKIT_EQ_INT(sscanf(p, "<volume firstid=\"%ld\" lastid=\"%ld\"", &first, &last), 2);
        TKIT_EQ_INT(first, next);
        TKIT_TRUE(last >= first);
        next = last + 1;
        volumes++;
    }
    TKIT_EQ_INT(volumes, 2);
    TKIT_EQ_INT(next, 24);
    TKIT_CONTAINS(cfg, "key=\"name\" value=\"Cyan PLA\"/>\n"
                       "   <metadata type=\"volume\" key=\"volume_type\" value=\"ModelPart\"/>\n"
                       "   <metadata type=\"volume\" key=\"extruder\" value=\"1\"/>");
    TKIT_CONTAINS(cfg, "key=\"extruder\" value=\"2\"/>");
    free(cfg);
}

/*
 * Reads "; key = value" lines the way PrusaSlicer's legacy reader does:
 * from the last line upwards, stopping at the first line that does not fit
 * and never reading the first line. Returns how many pairs it took.
 */
static int prusa_reader_pairs(const char *text)
{
    int pairs = 0;
    const char *end = text + strlen(text);
    for (;;) {
        while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
            end--;
        const char *start = end;
        while (start > text && start[-1] != '\n')
            start--;
        if (start == text || end - start < 10 || start[0] != ';' || start[1] != ' ')
            break;
        const char *sep = memchr(start, '=', (size_t)(end - start));
        if (!sep || sep[-1] != ' ' || sep[1] != ' ' || !(start[2] >= 'a' && start[2] <= 'z'))
            break;
        pairs++;
        end = start;
    }
    return pairs;
}

static void test_prusa_print_config(void)
{
    char *cfg = entry("p.3mf", "Metadata/Slic3r_PE.config");
    TKIT_TRUE(cfg != NULL);
    if (!cfg)
        return;
    TKIT_CONTAINS(cfg, "\n; layer_height = 0.08\n");
    TKIT_CONTAINS(cfg, "\n; first_layer_height = 0.2\n");
    /* Three extruders: filament 3 has no mesh but is a filament of the print. */
    TKIT_CONTAINS(cfg, "\n; nozzle_diameter = 0.4,0.4,0.4\n");
    TKIT_CONTAINS(cfg, "\n; extruder_colour = #00A0E0;#E0007A;#FFFFFF\n");
    TKIT_CONTAINS(cfg, "\n; wiping_volumes_matrix = 0,140,140,140,0,140,140,140,0\n");
    TKIT_CONTAINS(cfg, "\n; wipe_tower = 1\n");
    TKIT_CONTAINS(cfg, "\n; use_relative_e_distances = 1\n");
    /* Every line but the header and the blank line after it is read. */
    TKIT_EQ_INT(prusa_reader_pairs(cfg), test_count(cfg, "\n") - 2);
    TKIT_TRUE(prusa_reader_pairs(cfg) >= 13);
    free(cfg);
}

static void test_options_override_grid(void)
{
    fsk_err err = {0};
    fsk_3mf_options opt = {0};
    opt.layer_height_mm = 0.1;
    opt.first_layer_height_mm = 0.3;
    opt.nozzle_mm = 0.6;
    opt.printer_name = "My\nPrinter";
    opt.bed_mm[0] = 250;
    opt.bed_mm[1] = 210;
    char path[64];
    snprintf(path, sizeof path, "%s/o.3mf", dir);
    TKIT_EQ_INT(fsk_3mf_write(path, &grid, meshes, &opt, &err), 0);
    char *cfg = entry("o.3mf", "Metadata/Slic3r_PE.config");
    TKIT_CONTAINS(cfg, "\n; layer_height = 0.1\n");
    TKIT_CONTAINS(cfg, "\n; first_layer_height = 0.3\n");
    TKIT_CONTAINS(cfg, "\n; nozzle_diameter = 0.6,0.6,0.6\n");
    TKIT_CONTAINS(cfg, "\n; printer_settings_id = My Printer\n");
    TKIT_CONTAINS(cfg, "\n; bed_shape = 0x0,250x0,250x210,0x210\n");
    TKIT_EQ_INT(prusa_reader_pairs(cfg), test_count(cfg, "\n") - 2);
    free(cfg);
    /* The 40 x 20 mm model is centered on the 250 x 210 mm bed. */
    char *model = entry("o.3mf", "3D/3dmodel.model");
    TKIT_CONTAINS(model, "transform=\"1 0 0 0 1 0 0 0 1 105 95 0\"");
    free(model);
}

static void test_bambu_package(void)
{
    fsk_err err = {0};
    TKIT_EQ_INT(write_flavor("b.3mf", FSK_FLAVOR_BAMBU, &err), 0);
    TKIT_EQ_INT(test_sh("python3 -m zipfile -t '%s/b.3mf' >/dev/null", dir), 0);
    char *names = entry_names("b.3mf");
    TKIT_EQ_STR(names, "[Content_Types].xml _rels/.rels 3D/3dmodel.model "
                       "Metadata/model_settings.config Metadata/project_settings.config\n");
    free(names);
    TKIT_EQ_INT(xml_ok("b.3mf", "3D/3dmodel.model"), 0);
    TKIT_EQ_INT(xml_ok("b.3mf", "Metadata/model_settings.config"), 0);

    char *model = entry("b.3mf", "3D/3dmodel.model");
    TKIT_TRUE(model != NULL);
    if (!model)
        return;
    /* Objects 2 and 3 hold the boxes, object 4 assembles them. */
    TKIT_EQ_INT(test_count(model, "<object "), 3);
    TKIT_CONTAINS(model, "<object id=\"2\" type=\"model\" name=\"Cyan PLA\" pid=\"1\" pindex=\"0\">");
    TKIT_CONTAINS(model, "pid=\"1\" pindex=\"1\">");
    TKIT_CONTAINS(model, "<components>\n    <component objectid=\"2\"/>\n"
                         "    <component objectid=\"3\"/>\n   </components>");
    TKIT_CONTAINS(model, "<item objectid=\"4\" ");
    TKIT_CONTAINS(model, "<metadata name=\"Application\">BambuStudio-");
    /* Each object indexes its own 8 vertices. */
    TKIT_EQ_INT(test_count(model, "v1=\"8\""), 0);
    TKIT_EQ_INT(test_count(model, "<triangle "), 24);
    free(model);

    char *settings = entry("b.3mf", "Metadata/model_settings.config");
    TKIT_CONTAINS(settings, "<object id=\"4\">");
    TKIT_CONTAINS(settings, "<part id=\"2\" subtype=\"normal_part\">\n"
                            "      <metadata key=\"name\" value=\"Cyan PLA\"/>");
    TKIT_CONTAINS(settings, "<part id=\"3\" subtype=\"normal_part\">");
    TKIT_EQ_INT(test_count(settings, "<metadata key=\"extruder\" value=\"2\"/>"), 1);
    free(settings);

    char *json = entry("b.3mf", "Metadata/project_settings.config");
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    TKIT_TRUE(root != NULL);
    TKIT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "layer_height")), "0.08");
    TKIT_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "initial_layer_print_height")),
                "0.2");
    cJSON *colors = cJSON_GetObjectItem(root, "filament_colour");
    TKIT_EQ_INT(cJSON_GetArraySize(colors), 3);
    TKIT_EQ_STR(cJSON_GetStringValue(cJSON_GetArrayItem(colors, 1)), "#E0007A");
    cJSON_Delete(root);
    free(json);
}

static void test_core_package(void)
{
    fsk_err err = {0};
    TKIT_EQ_INT(write_flavor("c.3mf", -1, &err), 0);
    char *names = entry_names("c.3mf");
    TKIT_EQ_STR(names, "[Content_Types].xml _rels/.rels 3D/3dmodel.model\n");
    free(names);
    TKIT_EQ_INT(xml_ok("c.3mf", "3D/3dmodel.model"), 0);
    char *model = entry("c.3mf", "3D/3dmodel.model");
    TKIT_CONTAINS(model, "<metadata name=\"Application\">filastack-");
    TKIT_EQ_INT(test_count(model, "slic3rpe"), 0);
    TKIT_EQ_INT(test_count(model, "BambuStudio"), 0);
    TKIT_EQ_INT(test_count(model, "<component "), 2);
    free(model);
}

static void test_deterministic(void)
{
    fsk_err err = {0};
    TKIT_EQ_INT(write_flavor("d1.3mf", FSK_FLAVOR_PRUSA, &err), 0);
    TKIT_EQ_INT(write_flavor("d2.3mf", FSK_FLAVOR_PRUSA, &err), 0);
    TKIT_EQ_INT(test_sh("cmp -s '%s/d1.3mf' '%s/d2.3mf'", dir, dir), 0);
    TKIT_EQ_INT(write_flavor("d3.3mf", FSK_FLAVOR_BAMBU, &err), 0);
    TKIT_EQ_INT(write_flavor("d4.3mf", FSK_FLAVOR_BAMBU, &err), 0);
    TKIT_EQ_INT(test_sh("cmp -s '%s/d3.3mf' '%s/d4.3mf'", dir, dir), 0);
}

/* Names from profiles may hold anything; the XML must stay well-formed. */
static void test_names_are_sanitized(void)
{
    fsk_err err = {0};
    fsk_part saved = grid.part[1];
    snprintf(grid.part[1].name, sizeof grid.part[1].name, "Bad\x01\xff\xc3 na\xc3\xafve");
    TKIT_EQ_INT(write_flavor("n.3mf", FSK_FLAVOR_BAMBU, &err), 0);
    grid.part[1] = saved;
    TKIT_EQ_INT(xml_ok("n.3mf", "3D/3dmodel.model"), 0);
    TKIT_EQ_INT(xml_ok("n.3mf", "Metadata/model_settings.config"), 0);
    char *model = entry("n.3mf", "3D/3dmodel.model");
    TKIT_CONTAINS(model, "name=\"Bad ?? na\xc3\xafve\"");
    free(model);
}

/* Bad input: an error naming the file, and no output file at all. */
static void test_errors_leave_nothing(void)
{
    fsk_err err = {0};
    fsk_mesh none[4];
    for (int p = 0; p < 4; p++)
        fsk_mesh_init(&none[p]);
    char path[64];
    snprintf(path, sizeof path, "%s/e.3mf", dir);
    TKIT_EQ_INT(fsk_3mf_write(path, &grid, none, NULL, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "e.3mf': no part has a mesh");

    meshes[2].triangles[5][1] = 99;
    TKIT_EQ_INT(fsk_3mf_write(path, &grid, meshes, NULL, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "part 2 has a triangle with a vertex index out of range");
    meshes[2].triangles[5][1] = 2;

    meshes[1].vertices[7].z = 26;
    TKIT_EQ_INT(fsk_3mf_write(path, &grid, meshes, NULL, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "part 1 has a vertex at layer 26, outside the grid's 0..25");
    meshes[1].vertices[7].z = 25;

    grid.part[3].filament = 17;
    TKIT_EQ_INT(fsk_3mf_write(path, &grid, meshes, NULL, &err), FSK_EINVAL);
    TKIT_CONTAINS(err.msg, "part 3 has filament 17");
    grid.part[3].filament = 3;

    TKIT_EQ_INT(test_sh("ls '%s' | grep -q '^e\\.3mf'", dir), 1);
    snprintf(path, sizeof path, "%s/missing/e.3mf", dir);
    TKIT_EQ_INT(fsk_3mf_write(path, &grid, meshes, NULL, &err), FSK_EIO);
    TKIT_CONTAINS(err.msg, "cannot write '");
}

int main(void)
{
    if (test_scratch(dir) != 0) {
        perror("mkdtemp");
        return 1;
    }
    setup();
    TKIT_RUN(test_format_mm);
    TKIT_RUN(test_mm_texts);
    TKIT_RUN(test_index_texts);
    TKIT_RUN(test_sink_numbers);
    TKIT_RUN(test_prusa_package);
    TKIT_RUN(test_prusa_print_config);
    TKIT_RUN(test_options_override_grid);
    TKIT_RUN(test_bambu_package);
    TKIT_RUN(test_core_package);
    TKIT_RUN(test_deterministic);
    TKIT_RUN(test_names_are_sanitized);
    TKIT_RUN(test_errors_leave_nothing);
    for (int p = 0; p < 4; p++)
        fsk_mesh_free(&meshes[p]);
    test_grid_free(&grid);
    test_scratch_remove(dir);
    return TKIT_DONE();
}
