/*
 * fuzz_image.c — fuzz target for the image decoders and the resampler:
 * any bytes through fsk_print_image_decode onto a small print grid. Built
 * with standalone.c as a replay driver under gcc (CTest runs the sample
 * images as its corpus), or with -fsanitize=fuzzer under clang.
 */
#include <stddef.h>
#include <stdint.h>

#include "fsk_resample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The grid width comes from the data so both shrinking and growing run;
     * the limits keep every input cheap. */
    fsk_grid_request req = {.width_mm = size ? 1 + data[size - 1] % 64 : 8,
                            .pixel_mm = 1,
                            .max_pixels = 4000000,
                            .max_grid_pixels = 1u << 16};
    fsk_print_image img;
    fsk_image_info info;
    fsk_err err;
    if (fsk_print_image_decode("fuzz", data, size, &req, &img, &info, &err) == 0)
        fsk_print_image_free(&img);
    return 0;
}
