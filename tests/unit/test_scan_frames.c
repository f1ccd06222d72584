/*
 * test_scan_frames.c — the SANE frame assembler on hand-made byte streams:
 * padded lines, reads split anywhere, 1-bit line art (gray: 1 is black;
 * color: 1 is full intensity), 16-bit host-order samples, three-pass
 * frames, unknown line counts with their memory bound, and the errors for
 * short, inconsistent or incomplete scans.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_scan_frames.h"
#include "tkit.h"

/* Feeds data in pieces of step bytes (0: all at once). */
static int feed(fsk_scan_frames *f, const void *data, size_t n, size_t step, fsk_err *err)
{
    const unsigned char *p = data;
    if (step == 0)
        step = n;
    for (size_t i = 0; i < n; i += step) {
        int rc = fsk_scan_frames_feed(f, p + i, n - i < step ? n - i : step, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* One frame start to finish; returns the assembled image (check .pixels). */
static fsk_scan_image one_frame(const fsk_frame_params *p, const void *data, size_t n,
                                size_t step, int *rc)
{
    fsk_err err = {0};
    fsk_scan_image img = {0};
    fsk_scan_frames *f = fsk_scan_frames_create(1u << 20);
    *rc = fsk_scan_frames_begin(f, p, &err);
    if (!*rc)
        *rc = feed(f, data, n, step, &err);
    if (!*rc)
        *rc = fsk_scan_frames_end(f, &err);
    if (!*rc)
        *rc = fsk_scan_frames_finish(f, &img, &err);
    fsk_scan_frames_free(f);
    return img;
}

static void test_gray_padded_any_split(void)
{
    /* 3 pixels in lines of 5 bytes: the 2 padding bytes (0xEE) must vanish. */
    const unsigned char data[] = {10, 20, 30, 0xEE, 0xEE, 40, 50, 60, 0xEE, 0xEE};
    fsk_frame_params p = {FSK_FRAME_GRAY, 1, 5, 3, 2, 8};
    for (size_t step = 0; step <= 4; step++) {
        int rc;
        fsk_scan_image img = one_frame(&p, data, sizeof data, step, &rc);
        TKIT_EQ_INT(rc, 0);
        TKIT_EQ_INT(img.width, 3);
        TKIT_EQ_INT(img.height, 2);
        TKIT_EQ_INT(img.channels, 1);
        TKIT_EQ_INT(img.bits, 8);
        TKIT_EQ_INT(img.stride, 3);
        const unsigned char want[] = {10, 20, 30, 40, 50, 60};
        TKIT_TRUE(img.pixels && memcmp(img.pixels, want, 6) == 0);
        fsk_scan_image_free(&img);
    }
}

static void test_lineart_gray_and_color(void)
{
    /* 10 gray pixels 1,0,1,1,0,0,0,0 | 1,0 (+6 unused bits), then a pad byte. */
    const unsigned char gray[] = {0xB0, 0x80, 0x00};
    fsk_frame_params p = {FSK_FRAME_GRAY, 1, 3, 10, 1, 1};
    int rc;
    fsk_scan_image img = one_frame(&p, gray, sizeof gray, 1, &rc);
    TKIT_EQ_INT(rc, 0);
    const unsigned char want[] = {0, 255, 0, 0, 255, 255, 255, 255, 0, 255};
    TKIT_TRUE(img.pixels && memcmp(img.pixels, want, 10) == 0);
    TKIT_EQ_INT(img.bits, 8);
    fsk_scan_image_free(&img);

    /* 3 RGB pixels, 9 bits: 101 011 000 -> 1 means full intensity. */
    const unsigned char rgb[] = {0xAC, 0x00};
    fsk_frame_params pc = {FSK_FRAME_RGB, 1, 2, 3, 1, 1};
    img = one_frame(&pc, rgb, sizeof rgb, 0, &rc);
    TKIT_EQ_INT(rc, 0);
    const unsigned char want_rgb[] = {255, 0, 255, 0, 255, 255, 0, 0, 0};
    TKIT_EQ_INT(img.channels, 3);
    TKIT_TRUE(img.pixels && memcmp(img.pixels, want_rgb, 9) == 0);
    fsk_scan_image_free(&img);
}

static void test_16bit_host_order(void)
{
    uint16_t line[2 * 3] = {1, 2, 3, 0x1234, 0xFFFE, 0x0100};
    fsk_frame_params p = {FSK_FRAME_RGB, 1, 12, 2, 1, 16};
    int rc;
    fsk_scan_image img = one_frame(&p, line, sizeof line, 5, &rc);
    TKIT_EQ_INT(rc, 0);
    TKIT_EQ_INT(img.bits, 16);
    TKIT_EQ_INT(img.stride, 12);
    uint16_t got[6] = {0};
    if (img.pixels)
        memcpy(got, img.pixels, sizeof got);
    TKIT_EQ_INT(got[3], 0x1234);
    TKIT_EQ_INT(got[4], 0xFFFE);
    TKIT_EQ_INT(got[5], 0x0100);
    fsk_scan_image_free(&img);
}

static void test_three_pass_any_order(void)
{
    /* 2x1 pixels sent as blue, red, green frames. */
    fsk_err err = {0};
    fsk_scan_frames *f = fsk_scan_frames_create(1u << 20);
    const fsk_frame_format order[3] = {FSK_FRAME_BLUE, FSK_FRAME_RED, FSK_FRAME_GREEN};
    const unsigned char planes[3][2] = {{5, 6}, {1, 2}, {3, 4}};
    for (int k = 0; k < 3; k++) {
        fsk_frame_params p = {order[k], k == 2, 2, 2, 1, 8};
        TKIT_EQ_INT(fsk_scan_frames_begin(f, &p, &err), 0);
        TKIT_EQ_INT(fsk_scan_frames_feed(f, planes[k], 2, &err), 0);
        TKIT_EQ_INT(fsk_scan_frames_end(f, &err), 0);
    }
    fsk_scan_image img;
    TKIT_EQ_INT(fsk_scan_frames_finish(f, &img, &err), 0);
    const unsigned char want[] = {1, 3, 5, 2, 4, 6};
    TKIT_EQ_INT(img.channels, 3);
    TKIT_TRUE(img.pixels && memcmp(img.pixels, want, 6) == 0);
    fsk_scan_image_free(&img);
    fsk_scan_frames_free(f);
}

static void test_three_pass_errors(void)
{
    fsk_err err = {0};
    fsk_scan_frames *f = fsk_scan_frames_create(1u << 20);
    const unsigned char d[4] = {1, 2, 3, 4};
    fsk_frame_params red = {FSK_FRAME_RED, 0, 2, 2, 2, 8};
    TKIT_EQ_INT(fsk_scan_frames_begin(f, &red, &err), 0);
    TKIT_EQ_INT(fsk_scan_frames_feed(f, d, 4, &err), 0);
    TKIT_EQ_INT(fsk_scan_frames_end(f, &err), 0);
    TKIT_TRUE(fsk_scan_frames_begin(f, &red, &err) != 0);
    TKIT_EQ_STR(err.msg, "scanner sent the red frame twice");
    fsk_frame_params wide = {FSK_FRAME_GREEN, 0, 3, 3, 2, 8};
    TKIT_EQ_INT(fsk_scan_frames_begin(f, &wide, &err), FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "green frame of 3x2 pixels at 8 bits after one of 2x2");
    fsk_scan_image img;
    TKIT_EQ_INT(fsk_scan_frames_finish(f, &img, &err), FSK_EFORMAT);
    TKIT_EQ_STR(err.msg, "scanner sent only 1 of the 3 color frames of a three-pass scan");
    fsk_scan_frames_free(f);
}

static void test_unknown_lines(void)
{
    /* A hand scanner: 7 lines of 4 pixels plus half a line, in odd pieces. */
    unsigned char data[30];
    for (int i = 0; i < 30; i++)
        data[i] = (unsigned char)(3 * i);
    fsk_frame_params p = {FSK_FRAME_GRAY, 1, 4, 4, -1, 8};
    int rc;
    fsk_scan_image img = one_frame(&p, data, sizeof data, 3, &rc);
    TKIT_EQ_INT(rc, 0);
    TKIT_EQ_INT(img.height, 7);
    TKIT_TRUE(img.pixels && memcmp(img.pixels, data, 28) == 0);
    fsk_scan_image_free(&img);

    /* Bounded: 100 lines of 1000 bytes do not fit in 64 KB. */
    fsk_err err = {0};
    fsk_scan_frames *f = fsk_scan_frames_create(64 * 1024);
    fsk_frame_params big = {FSK_FRAME_GRAY, 1, 1000, 1000, -1, 8};
    TKIT_EQ_INT(fsk_scan_frames_begin(f, &big, &err), 0);
    unsigned char *line = calloc(1, 1000);
    rc = 0;
    for (int y = 0; y < 100 && !rc; y++)
        rc = fsk_scan_frames_feed(f, line, 1000, &err);
    TKIT_EQ_INT(rc, FSK_ELIMIT);
    TKIT_EQ_STR(err.msg, "scan is larger than the limit of 65536 bytes");
    free(line);
    fsk_scan_frames_free(f);
}

static void test_bad_streams(void)
{
    fsk_err err = {0};
    fsk_scan_frames *f = fsk_scan_frames_create(1u << 20);
    fsk_frame_params short_bpl = {FSK_FRAME_RGB, 1, 5, 2, 3, 8};
    TKIT_EQ_INT(fsk_scan_frames_begin(f, &short_bpl, &err), FSK_EFORMAT);
    TKIT_EQ_STR(err.msg,
                "scanner sent 5 bytes per line, too few for 2 RGB pixels of 8 bits");
    fsk_frame_params depth4 = {FSK_FRAME_GRAY, 1, 5, 2, 3, 4};
    TKIT_EQ_INT(fsk_scan_frames_begin(f, &depth4, &err), FSK_EFORMAT);
    TKIT_CONTAINS(err.msg, "4-bit samples");
    fsk_frame_params p = {FSK_FRAME_GRAY, 1, 2, 2, 3, 8};
    TKIT_EQ_INT(fsk_scan_frames_begin(f, &p, &err), 0);
    TKIT_EQ_INT(fsk_scan_frames_feed(f, "abcde", 5, &err), 0);
    TKIT_EQ_INT(fsk_scan_frames_end(f, &err), FSK_EFORMAT);
    TKIT_EQ_STR(err.msg, "scan ended early: 2 of 3 lines received");
    fsk_scan_frames_free(f);

    /* More lines than announced are ignored. */
    fsk_frame_params one = {FSK_FRAME_GRAY, 1, 2, 2, 1, 8};
    int rc;
    fsk_scan_image img = one_frame(&one, "abcdef", 6, 0, &rc);
    TKIT_EQ_INT(rc, 0);
    TKIT_EQ_INT(img.height, 1);
    TKIT_TRUE(img.pixels && memcmp(img.pixels, "ab", 2) == 0);
    fsk_scan_image_free(&img);
}

int main(void)
{
    TKIT_RUN(test_gray_padded_any_split);
    TKIT_RUN(test_lineart_gray_and_color);
    TKIT_RUN(test_16bit_host_order);
    TKIT_RUN(test_three_pass_any_order);
    TKIT_RUN(test_three_pass_errors);
    TKIT_RUN(test_unknown_lines);
    TKIT_RUN(test_bad_streams);
    return TKIT_DONE();
}
