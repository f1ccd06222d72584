/*
 * fast_vs_exact.c — counts the pixels of an image on which the matcher's
 * lookup table answers differently from the exact search, for each metric:
 *
 *   fsk_fast_vs_exact CALIBRATION.json IMAGE WIDTH_MM PIXEL_MM
 *
 * Prints one line per metric; exits 1 when any pixel differs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fsk_calibration.h"
#include "fsk_match.h"
#include "fsk_resample.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: fsk_fast_vs_exact CALIBRATION.json IMAGE WIDTH_MM PIXEL_MM\n");
        return 2;
    }
    fsk_err err = {0};
    fsk_calibration *cal = NULL;
    fsk_print_image img = {0};
    fsk_grid_request req = {.width_mm = atof(argv[3]), .pixel_mm = atof(argv[4])};
    if (fsk_calibration_load(argv[1], &cal, &err) != 0 ||
        fsk_print_image_load(argv[2], &req, &img, NULL, &err) != 0) {
        fprintf(stderr, "fsk_fast_vs_exact: %s\n", err.msg);
        fsk_calibration_free(cal);
        return 1;
    }
    int status = 0;
    const fsk_metric metrics[] = {FSK_METRIC_DE2000, FSK_METRIC_DE76, FSK_METRIC_RGB};
    for (size_t k = 0; k < sizeof metrics / sizeof metrics[0]; k++) {
        fsk_matcher *m = fsk_matcher_create(cal, NULL, 0, metrics[k], &err);
        if (!m) {
            fprintf(stderr, "fsk_fast_vs_exact: %s\n", err.msg);
            status = 1;
            break;
        }
        long differ = 0, n = (long)img.width * img.height;
        for (long i = 0; i < n; i++)
            differ += fsk_matcher_nearest(m, img.rgba + 4 * i) !=
                      fsk_matcher_nearest_exact(m, img.rgba + 4 * i);
        printf("%s: the lookup table differs from the exact search on %ld of %ld pixels\n",
               fsk_metric_name(metrics[k]), differ, n);
        status |= differ != 0;
        fsk_matcher_free(m);
    }
    fsk_print_image_free(&img);
    fsk_calibration_free(cal);
    return status;
}
