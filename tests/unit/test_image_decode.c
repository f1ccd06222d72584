/*
 * test_image_decode.c — the PNG and JPEG decoders on the sample images of
 * tests/data/images (see its README.md for how each was made): delivered
 * samples for every PNG color type and depth, JPEG color spaces, EXIF
 * orientation, dpi, scaled decoding, size limits, damaged and truncated
 * data (every prefix of a file), and sink errors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_file.h"
#include "fsk_image.h"
#include "fsk_resample.h"
#include "tkit.h"

typedef struct capture {
    fsk_image_info info;
    int plans, begins, rows;
    int min_w, min_h;    /* what plan asks for; 0 = keep the full size */
    int fail_rows;       /* rows returns FSK_ECANCELED when set */
    uint16_t *px;        /* width*height*4 samples, 8-bit values widened */
} capture;

static int cap_plan(void *ctx, const fsk_image_info *info, int *min_w, int *min_h,
                    fsk_err *err)
{
    (void)info;
    (void)err;
    capture *c = ctx;
    c->plans++;
    if (c->min_w)
        *min_w = c->min_w;
    if (c->min_h)
        *min_h = c->min_h;
    return 0;
}

static int cap_begin(void *ctx, const fsk_image_info *info, fsk_err *err)
{
    capture *c = ctx;
    c->begins++;
    c->info = *info;
    c->px = calloc((size_t)info->width * (size_t)info->height * 4, sizeof *c->px);
    return c->px ? 0 : fsk_err_set(err, FSK_ENOMEM, "out of memory");
}

static int cap_rows(void *ctx, int y, int count, const void *rgba, size_t stride,
                    fsk_err *err)
{
    capture *c = ctx;
    if (c->fail_rows)
        return fsk_err_set(err, FSK_ECANCELED, "stopped by the sink");
    c->rows += count;
    size_t n = (size_t)c->info.width * 4;
    for (int k = 0; k < count; k++) {
        const unsigned char *row = (const unsigned char *)rgba + stride * (size_t)k;
        uint16_t *dst = c->px + n * (size_t)(y + k);
        for (size_t i = 0; i < n; i++)
            dst[i] = c->info.bits == 16 ? ((const uint16_t *)(const void *)row)[i] : row[i];
    }
    return 0;
}

static unsigned char *read_sample(const char *file, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/images/%s", FSK_TEST_DATA_DIR, file);
    unsigned char *data = NULL;
    fsk_err err = {0};
    if (fsk_file_read(path, 1 << 20, &data, size, &err) != 0)
        fprintf(stderr, "%s\n", err.msg);
    return data;
}

/* Decodes a sample into c (which the caller may preset); returns the code. */
static int decode(const char *file, capture *c, fsk_err *err)
{
    size_t size = 0;
    unsigned char *data = read_sample(file, &size);
    if (!data)
        return -100;
    fsk_row_sink sink = {.ctx = c, .plan = cap_plan, .begin = cap_begin, .rows = cap_rows};
    fsk_err_clear(err);
    int rc = fsk_image_decode(file, data, size, NULL, &sink, err);
    free(data);
    return rc;
}

static const uint16_t *pixel(const capture *c, int x, int y)
{
    return c->px + ((size_t)y * (size_t)c->info.width + (size_t)x) * 4;
}

#define EXPECT_PIXEL(c, x, y, r, g, b, a)                                      \
    do {                                                                       \
        const uint16_t *p_ = pixel(c, x, y);                                   \
        TKIT_EQ_INT(p_[0], r);                                                 \
        TKIT_EQ_INT(p_[1], g);                                                 \
        TKIT_EQ_INT(p_[2], b);                                                 \
        TKIT_EQ_INT(p_[3], a);                                                 \
    } while (0)

/* Samples within tol of the expected color (JPEG). */
#define EXPECT_NEAR_PIXEL(c, x, y, r, g, b, tol)                               \
    do {                                                                       \
        const uint16_t *p_ = pixel(c, x, y);                                   \
        TKIT_NEAR(p_[0], r, tol);                                              \
        TKIT_NEAR(p_[1], g, tol);                                              \
        TKIT_NEAR(p_[2], b, tol);                                              \
        TKIT_EQ_INT(p_[3], 255);                                               \
    } while (0)

static void test_png_gray_depths(void)
{
    static const char *files[] = {"png_gray2.png", "png_gray4.png", "png_gray8.png"};
    for (int i = 0; i < 3; i++) {
        capture c = {0};
        fsk_err err;
        TKIT_EQ_INT(decode(files[i], &c, &err), 0);
        TKIT_EQ_STR(c.info.format, "PNG");
        TKIT_EQ_INT(c.info.width, 16);
        TKIT_EQ_INT(c.info.height, 12);
        TKIT_EQ_INT(c.info.bits, 8);
        TKIT_EQ_INT(c.rows, 12);
        EXPECT_PIXEL(&c, 0, 0, 0, 0, 0, 255);
        EXPECT_PIXEL(&c, 15, 0, 85, 85, 85, 255);
        EXPECT_PIXEL(&c, 0, 11, 170, 170, 170, 255);
        EXPECT_PIXEL(&c, 15, 11, 255, 255, 255, 255);
        free(c.px);
    }
    capture c = {0};
    fsk_err err;
    TKIT_EQ_INT(decode("png_gray1.png", &c, &err), 0);
    EXPECT_PIXEL(&c, 7, 5, 0, 0, 0, 255);
    EXPECT_PIXEL(&c, 8, 5, 255, 255, 255, 255);
    EXPECT_PIXEL(&c, 8, 6, 0, 0, 0, 255);
    free(c.px);
}

static void test_png_sixteen_bits_kept(void)
{
    capture c = {0};
    fsk_err err;
    TKIT_EQ_INT(decode("png_gray16.png", &c, &err), 0);
    TKIT_EQ_INT(c.info.bits, 16);
    EXPECT_PIXEL(&c, 15, 0, 1000, 1000, 1000, 65535);
    EXPECT_PIXEL(&c, 0, 11, 43690, 43690, 43690, 65535);
    free(c.px);
    memset(&c, 0, sizeof c);
    TKIT_EQ_INT(decode("png_rgb16.png", &c, &err), 0);
    TKIT_EQ_INT(c.info.bits, 16);
    EXPECT_PIXEL(&c, 0, 0, 65535, 0, 1000, 65535);
    free(c.px);
    memset(&c, 0, sizeof c);
    TKIT_EQ_INT(decode("png_rgba16.png", &c, &err), 0);
    EXPECT_PIXEL(&c, 0, 0, 65535, 0, 1000, 65535);
    EXPECT_PIXEL(&c, 15, 0, 0, 65535, 0, 0);
    EXPECT_PIXEL(&c, 0, 11, 0, 0, 65535, 32768);
    free(c.px);
}

/* Every 8-bit RGBA variant of the quadrant picture decodes to the same
 * samples: red | green (alpha 0) over blue (alpha 128) | white. */
static void test_png_alpha_variants(void)
{
    static const char *files[] = {"png_rgba8.png", "png_adam7.png", "png_palette_trns.png"};
    for (int i = 0; i < 3; i++) {
        capture c = {0};
        fsk_err err;
        TKIT_EQ_INT(decode(files[i], &c, &err), 0);
        TKIT_EQ_INT(c.info.bits, 8);
        EXPECT_PIXEL(&c, 0, 0, 255, 0, 0, 255);
        EXPECT_PIXEL(&c, 15, 0, 0, 255, 0, 0);
        EXPECT_PIXEL(&c, 0, 11, 0, 0, 255, 128);
        EXPECT_PIXEL(&c, 15, 11, 255, 255, 255, 255);
        EXPECT_PIXEL(&c, 7, 5, 255, 0, 0, 255);
        EXPECT_PIXEL(&c, 8, 6, 255, 255, 255, 255);
        free(c.px);
    }
    capture c = {0};
    fsk_err err;
    TKIT_EQ_INT(decode("png_gray_alpha8.png", &c, &err), 0);
    EXPECT_PIXEL(&c, 15, 0, 85, 85, 85, 0);
    EXPECT_PIXEL(&c, 0, 11, 170, 170, 170, 128);
    free(c.px);
    memset(&c, 0, sizeof c);
    TKIT_EQ_INT(decode("png_rgb8.png", &c, &err), 0);
    EXPECT_PIXEL(&c, 15, 0, 0, 255, 0, 255);
    free(c.px);
}

static void test_png_phys_dpi(void)
{
    capture c = {0};
    fsk_err err;
    TKIT_EQ_INT(decode("png_gray8.png", &c, &err), 0);
    /* 300 dpi is stored as 11811 pixels per metre */
    TKIT_NEAR(c.info.dpi_x, 11811 * 0.0254, 1e-9);
    TKIT_NEAR(c.info.dpi_y, 299.9994, 1e-3);
    TKIT_EQ_INT(c.info.orientation, 1);
    free(c.px);
}

static void test_jpeg_color_spaces(void)
{
    static const char *files[] = {"jpeg_baseline.jpg", "jpeg_progressive.jpg",
                                  "jpeg_arithmetic.jpg", "jpeg_cmyk.jpg", "jpeg_ycck.jpg",
                                  "jpeg_upright.jpg"};
    for (int i = 0; i < 6; i++) {
        capture c = {0};
        fsk_err err;
        TKIT_EQ_INT(decode(files[i], &c, &err), 0);
        TKIT_EQ_STR(c.info.format, "JPEG");
        TKIT_EQ_INT(c.info.width, 48);
        TKIT_EQ_INT(c.info.height, 32);
        TKIT_EQ_INT(c.info.bits, 8);
        TKIT_EQ_INT(c.rows, 32);
        /* quadrant centres, away from the ringing of the edges */
        EXPECT_NEAR_PIXEL(&c, 6, 4, 255, 0, 0, 8);
        EXPECT_NEAR_PIXEL(&c, 41, 4, 0, 255, 0, 8);
        EXPECT_NEAR_PIXEL(&c, 6, 27, 0, 0, 255, 8);
        EXPECT_NEAR_PIXEL(&c, 41, 27, 255, 255, 255, 8);
        free(c.px);
    }
    capture c = {0};
    fsk_err err;
    TKIT_EQ_INT(decode("jpeg_gray.jpg", &c, &err), 0);
    const uint16_t *p = pixel(&c, 6, 4);
    TKIT_EQ_INT(p[0], p[1]);
    TKIT_EQ_INT(p[1], p[2]);
    TKIT_NEAR(p[0], 76, 8); /* luma of red: 0.299 * 255 */
    free(c.px);
}

static void test_jpeg_density_dpi(void)
{
    capture c = {0};
    fsk_err err;
    TKIT_EQ_INT(decode("jpeg_baseline.jpg", &c, &err), 0);
    TKIT_NEAR(c.info.dpi_x, 300, 1e-9);
    free(c.px);
    memset(&c, 0, sizeof c);
    TKIT_EQ_INT(decode("jpeg_upright.jpg", &c, &err), 0);
    TKIT_NEAR(c.info.dpi_x, 0, 0); /* JFIF aspect ratio only */
    free(c.px);
}

static void test_jpeg_exif_orientation(void)
{
    for (int k = 1; k <= 8; k++) {
        char file[64];
        snprintf(file, sizeof file, "exif_orientation%d.jpg", k);
        capture c = {0};
        fsk_err err;
        TKIT_EQ_INT(decode(file, &c, &err), 0);
        TKIT_EQ_INT(c.info.orientation, k);
        TKIT_EQ_INT(c.info.width, k >= 5 ? 32 : 48);
        TKIT_EQ_INT(c.info.full_height, k >= 5 ? 48 : 32);
        free(c.px);
    }
}

static void test_jpeg_scaled_decoding(void)
{
    struct { int min_w, min_h, w, h; } cases[] = {
        {6, 4, 6, 4},     /* 1/8 */
        {7, 4, 12, 8},    /* 2/8 */
        {1, 9, 18, 12},   /* 2/8 gives 8 rows, too few; 3/8 gives 12 */
        {25, 1, 30, 20},  /* 5/8 */
        {48, 32, 48, 32}, /* full */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        capture c = {.min_w = cases[i].min_w, .min_h = cases[i].min_h};
        fsk_err err;
        TKIT_EQ_INT(decode("jpeg_progressive.jpg", &c, &err), 0);
        TKIT_EQ_INT(c.plans, 1);
        TKIT_EQ_INT(c.info.width, cases[i].w);
        TKIT_EQ_INT(c.info.height, cases[i].h);
        TKIT_EQ_INT(c.info.full_width, 48);
        TKIT_EQ_INT(c.rows, cases[i].h);
        /* still the picture: red at the top left */
        EXPECT_NEAR_PIXEL(&c, 0, 0, 255, 0, 0, 12);
        free(c.px);
    }
}

static void test_bad_files(void)
{
    struct { const char *file; int code; const char *msg; } cases[] = {
        {"bad_png_truncated.png", FSK_EFORMAT, "'bad_png_truncated.png': truncated PNG data"},
        {"bad_png_damaged.png", FSK_EFORMAT,
         "'bad_png_damaged.png': corrupt PNG data: IDAT: invalid distance too far back"},
        {"bad_png_zlib.png", FSK_EFORMAT,
         "'bad_png_zlib.png': corrupt PNG data: IDAT: invalid block type"},
        {"bad_png_huge.png", FSK_ELIMIT,
         "'bad_png_huge.png': image of 100000x100000 pixels exceeds the limit of 100000000 "
         "pixels"},
        {"bad_jpeg_truncated.jpg", FSK_EFORMAT, "'bad_jpeg_truncated.jpg': truncated JPEG data"},
        {"bad_jpeg_progressive_truncated.jpg", FSK_EFORMAT,
         "'bad_jpeg_progressive_truncated.jpg': truncated JPEG data"},
        {"bad_jpeg_huffman.jpg", FSK_EFORMAT,
         "'bad_jpeg_huffman.jpg': corrupt JPEG data: bogus Huffman table definition"},
        {"bad_jpeg_huge.jpg", FSK_ELIMIT,
         "'bad_jpeg_huge.jpg': image of 60000x60000 pixels exceeds the limit of 100000000 "
         "pixels"},
        {"bad_not_image.png", FSK_EFORMAT, "'bad_not_image.png': not a PNG or JPEG file"},
        {"bad_empty.jpg", FSK_EFORMAT, "'bad_empty.jpg': empty file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        capture c = {0};
        fsk_err err;
        TKIT_EQ_INT(decode(cases[i].file, &c, &err), cases[i].code);
        TKIT_EQ_STR(err.msg, cases[i].msg);
        if (cases[i].code == FSK_ELIMIT) /* refused before anything else */
            TKIT_EQ_INT(c.plans + c.begins + c.rows, 0);
        free(c.px);
    }
}

/* Every prefix of a file that lacks more than its last `tail` bytes must
 * fail (no partial image is ever accepted): a PNG may stop after its last
 * IDAT (tail 12, the IEND chunk), a JPEG may lose its EOI marker (tail 2). */
static void check_prefixes(const char *file, size_t tail)
{
    size_t size = 0;
    unsigned char *data = read_sample(file, &size);
    TKIT_TRUE(data != NULL);
    size_t must_fail_below = size - tail;
    int accepted_short = 0, total = 0;
    for (size_t n = 0; data && n < size; n++) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, data, n);
        capture c = {0};
        fsk_row_sink sink = {.ctx = &c, .plan = cap_plan, .begin = cap_begin,
                             .rows = cap_rows};
        fsk_err err = {0};
        int rc = fsk_image_decode(file, copy, n, NULL, &sink, &err);
        if (rc == 0 && n < must_fail_below)
            accepted_short++;
        if (rc != 0 && err.msg[0] != '\'')
            accepted_short += 1000; /* every failure must explain itself */
        total++;
        free(c.px);
        free(copy);
    }
    TKIT_EQ_INT(accepted_short, 0);
    TKIT_EQ_INT(total, (int)size);
    free(data);
}

static void test_every_prefix_fails(void)
{
    check_prefixes("png_adam7.png", 12);
    check_prefixes("png_rgba16.png", 12);
    check_prefixes("png_palette_trns.png", 12);
    check_prefixes("jpeg_progressive.jpg", 2);
    check_prefixes("jpeg_arithmetic.jpg", 2);
    check_prefixes("exif_orientation6.jpg", 2);
    check_prefixes("jpeg_cmyk.jpg", 2);
}

static void test_limit_and_sink_errors(void)
{
    size_t size = 0;
    unsigned char *data = read_sample("png_rgb8.png", &size);
    capture c = {0};
    fsk_row_sink sink = {.ctx = &c, .plan = cap_plan, .begin = cap_begin, .rows = cap_rows};
    fsk_decode_opts opts = {.max_pixels = 191}; /* the image has 192 */
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_image_decode("x.png", data, size, &opts, &sink, &err), FSK_ELIMIT);
    TKIT_EQ_STR(err.msg, "'x.png': image of 16x12 pixels exceeds the limit of 191 pixels");
    opts.max_pixels = 192;
    TKIT_EQ_INT(fsk_image_decode("x.png", data, size, &opts, &sink, &err), 0);
    free(c.px);
    free(data);

    static const char *files[] = {"png_rgb8.png", "png_adam7.png", "jpeg_baseline.jpg"};
    for (int i = 0; i < 3; i++) {
        memset(&c, 0, sizeof c);
        c.fail_rows = 1;
        TKIT_EQ_INT(decode(files[i], &c, &err), FSK_ECANCELED);
        TKIT_EQ_STR(err.msg, "stopped by the sink");
        free(c.px);
    }
}

static void test_print_image_load(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/images/png_rgba8.png", FSK_TEST_DATA_DIR);
    fsk_grid_request req = {.width_mm = 8, .pixel_mm = 1};
    fsk_print_image im;
    fsk_image_info info;
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_print_image_load(path, &req, &im, &info, &err), 0);
    TKIT_EQ_INT(im.width, 8);
    TKIT_EQ_INT(im.height, 6);
    TKIT_EQ_INT(info.width, 16);
    /* 2x2 source pixels per cell, all of one quadrant */
    TKIT_NEAR(im.rgba[0], 1.0, 1e-6);
    TKIT_NEAR(im.rgba[3], 1.0, 1e-6);
    const float *tr = im.rgba + 7 * 4;
    TKIT_NEAR(tr[0] + tr[1] + tr[2] + tr[3], 0, 0);
    const float *bl = im.rgba + (5 * 8) * 4;
    TKIT_NEAR(bl[2], 1.0, 1e-6);
    TKIT_NEAR(bl[3], 128 / 255.0, 1e-6);
    fsk_print_image_free(&im);

    snprintf(path, sizeof path, "%s/images/bad_png_truncated.png", FSK_TEST_DATA_DIR);
    TKIT_EQ_INT(fsk_print_image_load(path, &req, &im, &info, &err), FSK_EFORMAT);
    char want[1200];
    snprintf(want, sizeof want, "cannot read '%s': truncated PNG data", path);
    TKIT_EQ_STR(err.msg, want);
    TKIT_TRUE(im.rgba == NULL);

    /* A grid too large for the limit is refused before decoding. */
    snprintf(path, sizeof path, "%s/images/jpeg_baseline.jpg", FSK_TEST_DATA_DIR);
    req = (fsk_grid_request){.width_mm = 100, .pixel_mm = 1, .max_grid_pixels = 6666};
    TKIT_EQ_INT(fsk_print_image_load(path, &req, &im, &info, &err), FSK_ELIMIT);
    snprintf(want, sizeof want,
             "cannot read '%s': print grid of 100x67 pixels exceeds the limit of 6666 pixels",
             path);
    TKIT_EQ_STR(err.msg, want);
}

int main(void)
{
    TKIT_RUN(test_png_gray_depths);
    TKIT_RUN(test_png_sixteen_bits_kept);
    TKIT_RUN(test_png_alpha_variants);
    TKIT_RUN(test_png_phys_dpi);
    TKIT_RUN(test_jpeg_color_spaces);
    TKIT_RUN(test_jpeg_density_dpi);
    TKIT_RUN(test_jpeg_exif_orientation);
    TKIT_RUN(test_jpeg_scaled_decoding);
    TKIT_RUN(test_bad_files);
    TKIT_RUN(test_every_prefix_fails);
    TKIT_RUN(test_limit_and_sink_errors);
    TKIT_RUN(test_print_image_load);
    return TKIT_DONE();
}
