/*
 * test_json_profile.c — JSON loading (line numbers, truncation) and profile
 * parsing and validation, on the bundled profiles and on broken documents.
 */
#include <stdlib.h>
#include <string.h>

#include "fsk_json.h"
#include "fsk_profile.h"
#include "tkit.h"

static cJSON *parse(const char *text, fsk_err *err)
{
    return fsk_json_parse("t.json", text, strlen(text), err);
}

static void test_parse_errors_name_line(void)
{
    fsk_err err = {0};
    TKIT_TRUE(parse("{\n\"a\": 1,\n\"b\": ]\n}", &err) == NULL);
    TKIT_EQ_STR(err.msg, "t.json: line 3: malformed JSON");
    TKIT_TRUE(parse("{\n\"a\": [1,\n", &err) == NULL);
    TKIT_CONTAINS(err.msg, "unexpected end of file");
    TKIT_TRUE(parse("{} x", &err) == NULL);
    TKIT_CONTAINS(err.msg, "unexpected text after JSON");
    TKIT_EQ_INT(err.code, FSK_EFORMAT);
    cJSON *ok = parse(" {\"a\": 1}\n", &err);
    TKIT_TRUE(ok != NULL);
    cJSON_Delete(ok);
}

static void test_field_readers(void)
{
    fsk_err err = {0};
    cJSON *root = parse("{\"c\": \"cyan\", \"n\": 7.5, \"i\": 2.5, \"s\": 3, "
                        "\"o\": {\"k\": -1}}", &err);
    TKIT_TRUE(root != NULL);
    unsigned char rgb[3] = {1, 2, 3};
    TKIT_TRUE(fsk_json_color("f.json", "", root, "c", true, rgb, &err) != 0);
    TKIT_EQ_STR(err.msg, "f.json: c: expected \"#RRGGBB\", got \"cyan\"");
    TKIT_EQ_INT(rgb[0], 1);
    double d = 0;
    TKIT_TRUE(fsk_json_number("f.json", "", root, "n", true, 0, 5, &d, &err) != 0);
    TKIT_CONTAINS(err.msg, "n: expected a number from 0 to 5, got 7.5");
    int i = 0;
    TKIT_TRUE(fsk_json_int("f.json", "", root, "i", true, 0, 5, &i, &err) != 0);
    TKIT_CONTAINS(err.msg, "i: expected an integer");
    char s[8];
    TKIT_TRUE(fsk_json_string("f.json", "", root, "s", true, s, sizeof s, &err) != 0);
    TKIT_CONTAINS(err.msg, "s: expected a non-empty string, got 3");
    const cJSON *o = cJSON_GetObjectItem(root, "o");
    TKIT_TRUE(fsk_json_int("f.json", "o", o, "k", true, 0, 5, &i, &err) != 0);
    TKIT_CONTAINS(err.msg, "f.json: o.k: expected an integer from 0 to 5, got -1");
    TKIT_TRUE(fsk_json_int("f.json", "", root, "missing", true, 0, 5, &i, &err) != 0);
    TKIT_EQ_STR(err.msg, "f.json: missing: missing");
    i = 42;
    TKIT_EQ_INT(fsk_json_int("f.json", "", root, "missing", false, 0, 5, &i, &err), 0);
    TKIT_EQ_INT(i, 42);
    cJSON_Delete(root);
}

static void test_filament_parse(void)
{
    fsk_err err = {0};
    cJSON *root = parse("{\"schema\": 1, \"kind\": \"filament\", \"name\": \"Cyan PLA\","
                        " \"brand\": \"B\", \"material\": \"PLA\", \"color\": \"#00a0E0\","
                        " \"td_mm\": 3.5, \"density_g_cm3\": 1.24}", &err);
    fsk_filament f;
    TKIT_EQ_INT(fsk_filament_parse("cyan.json", "cyan", root, &f, &err), 0);
    TKIT_EQ_INT(f.rgb[0], 0x00);
    TKIT_EQ_INT(f.rgb[1], 0xA0);
    TKIT_EQ_INT(f.rgb[2], 0xE0);
    TKIT_NEAR(f.td_mm, 3.5, 0);
    TKIT_EQ_STR(f.id, "cyan");
    cJSON_Delete(root);

    root = parse("{\"schema\": 2, \"kind\": \"filament\"}", &err);
    TKIT_TRUE(fsk_filament_parse("x.json", "x", root, &f, &err) != 0);
    TKIT_CONTAINS(err.msg, "x.json: schema: version 2 is not supported");
    cJSON_Delete(root);

    root = parse("{\"schema\": 1, \"kind\": \"printer\"}", &err);
    TKIT_TRUE(fsk_filament_parse("x.json", "x", root, &f, &err) != 0);
    TKIT_EQ_STR(err.msg, "x.json: kind: expected \"filament\", got \"printer\"");
    cJSON_Delete(root);

    root = parse("{\"schema\": 1, \"kind\": \"filament\", \"colour\": \"#000000\"}", &err);
    TKIT_TRUE(fsk_filament_parse("x.json", "x", root, &f, &err) != 0);
    TKIT_EQ_STR(err.msg, "x.json: colour: unknown member");
    cJSON_Delete(root);
}

static void test_set_parse(void)
{
    fsk_err err = {0};
    cJSON *root = parse("{\"schema\": 1, \"kind\": \"filament-set\", \"name\": \"S\","
                        " \"filaments\": [\"A\", \"B\", \"a\"]}", &err);
    fsk_filament_set s;
    TKIT_TRUE(fsk_filament_set_parse("s.json", "s", root, &s, &err) != 0);
    TKIT_EQ_STR(err.msg, "s.json: filaments[2]: \"a\" is already filament 1 of the set");
    cJSON_Delete(root);
}

static void test_bundled_profiles(void)
{
    fsk_err err = {0};
    fsk_profiles *p = fsk_profiles_load(FSK_TEST_PROFILES_DIR, &err);
    TKIT_TRUE(p != NULL);
    if (!p) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    TKIT_TRUE(fsk_profiles_printer_count(p) >= 3);
    TKIT_TRUE(fsk_profiles_filament_count(p) >= 11);
    /* Every printer's default set resolves to filaments that fit its slots. */
    for (size_t i = 0; i < fsk_profiles_printer_count(p); i++) {
        const fsk_printer *pr = fsk_profiles_printer(p, i);
        const fsk_filament_set *set = fsk_profiles_find_set(p, pr->default_set);
        TKIT_TRUE(set != NULL);
        fsk_filament f[FSK_MAX_FILAMENTS];
        int n = set ? fsk_profiles_resolve_set(p, set, f, &err) : -1;
        TKIT_TRUE(n >= 1 && n <= pr->filament_slots);
    }
    const fsk_filament_set *cmyw = fsk_profiles_find_set(p, "CMYW PLA");
    TKIT_TRUE(cmyw != NULL);
    if (cmyw) {
        TKIT_EQ_INT(cmyw->count, 4);
        TKIT_EQ_STR(cmyw->filaments[0], "Cyan PLA");
        TKIT_EQ_STR(cmyw->filaments[3], "White PLA");
    }
    TKIT_TRUE(fsk_profiles_find_filament(p, "natural pla") != NULL);
    TKIT_TRUE(fsk_profiles_find_printer(p, "no such printer") == NULL);
    fsk_profiles_free(p);
    fsk_profiles_free(NULL);
}

int main(void)
{
    TKIT_RUN(test_parse_errors_name_line);
    TKIT_RUN(test_field_readers);
    TKIT_RUN(test_filament_parse);
    TKIT_RUN(test_set_parse);
    TKIT_RUN(test_bundled_profiles);
    return TKIT_DONE();
}
