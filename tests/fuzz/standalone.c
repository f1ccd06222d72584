/*
 * standalone.c — replays files through a libFuzzer target without libFuzzer:
 * `driver FILE...` feeds each file to LLVMFuzzerTestOneInput, and every
 * prefix of it too (so truncations are covered), then reports the count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    long runs = 0;
    for (int i = 1; i < argc; i++) {
        unsigned char *data;
        size_t size;
        fsk_err err = {0};
        if (fsk_file_read(argv[i], 16u << 20, &data, &size, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        /* Each prefix in a buffer of its own size, so a sanitizer sees any
         * read past the end. */
        size_t step = size / 64 + 1;
        for (size_t n = 0;; n += step) {
            if (n > size)
                n = size;
            unsigned char *copy = malloc(n ? n : 1);
            memcpy(copy, data, n);
            LLVMFuzzerTestOneInput(copy, n);
            free(copy);
            runs++;
            if (n == size)
                break;
        }
        free(data);
    }
    printf("%ld inputs from %d files\n", runs, argc - 1);
    return 0;
}
