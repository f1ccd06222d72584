/*
 * fuzz_json.c — fuzz target for the JSON readers: any bytes as a
 * calibration file and as a printer, filament and filament-set profile.
 * Replayed by standalone.c under gcc over the bundled profiles and the test
 * calibrations; under clang, link with -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_json.h"
#include "fsk_profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fsk_err err;
    fsk_calibration *cal = NULL;
    if (fsk_calibration_parse("fuzz", (const char *)data, size, &cal, &err) == 0)
        fsk_calibration_free(cal);
    cJSON *root = fsk_json_parse("fuzz", (const char *)data, size, &err);
    if (!root)
        return 0;
    fsk_profile_kind kind;
    if (fsk_profile_kind_of("fuzz", root, &kind, &err) == 0) {
        fsk_printer printer;
        fsk_filament filament;
        fsk_filament_set set;
        fsk_printer_parse("fuzz", "fuzz", root, &printer, &err);
        fsk_filament_parse("fuzz", "fuzz", root, &filament, &err);
        fsk_filament_set_parse("fuzz", "fuzz", root, &set, &err);
    }
    cJSON_Delete(root);
    return 0;
}
