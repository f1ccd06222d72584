/*
 * refcal.c — converts a calibration of the reference pipeline
 * (../shared/baseline, {"layers", "filaments", "entries"}) into a filastack
 * calibration, for the benchmark and the tests that compare with it.
 *
 *   fsk_refcal REFERENCE.json LAYER_HEIGHT_MM OUT.json
 */
#include <stdio.h>
#include <stdlib.h>

#include "fsk_calibration.h"
#include "fsk_calibration_ref.h"
#include "fsk_file.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fsk_refcal REFERENCE.json LAYER_HEIGHT_MM OUT.json\n");
        return 2;
    }
    fsk_err err = {0};
    unsigned char *data;
    size_t size;
    fsk_calibration *cal = NULL;
    if (fsk_file_read(argv[1], 1u << 26, &data, &size, &err) == 0) {
        fsk_calibration_from_reference(argv[1], (const char *)data, size, atof(argv[2]),
                                       &cal, &err);
        free(data);
    }
    if (!cal || fsk_calibration_save(argv[3], cal, &err) != 0) {
        fprintf(stderr, "fsk_refcal: %s\n", err.msg);
        fsk_calibration_free(cal);
        return 1;
    }
    fsk_calibration_free(cal);
    return 0;
}
