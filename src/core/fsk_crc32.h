/*
 * fsk_crc32.h — the CRC-32 of zip and PNG (zlib's crc32), with carry-less
 * multiplication where the processor has it.
 */
#ifndef FSK_CRC32_H
#define FSK_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* crc32(crc, data, len) as zlib computes it: start from 0, and pass the
 * last result to continue over more data. */
uint32_t fsk_crc32(uint32_t crc, const unsigned char *data, size_t len);

#endif
