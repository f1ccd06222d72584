/*
 * synth_photo.c — a photo-like test image for the benchmark, made from a
 * seed instead of committed as a large binary: a sky gradient over hills of
 * fractal-noise texture, a sun and shaded balls with hard edges, buildings
 * with windows, and film grain, encoded as a baseline JPEG (4:2:0) with
 * libjpeg row by row, so any size takes constant memory.
 *
 *   fsk_synth_photo WIDTH HEIGHT OUT.jpg [QUALITY]
 *
 * Only integer hashing, + - * / and sqrt are used, so the pixels do not
 * depend on the C library's transcendental functions; the same encoder
 * library gives the same file.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

static uint32_t hash3(uint32_t x, uint32_t y, uint32_t s)
{
    uint32_t h = x * 0x8da6b343u ^ y * 0xd8163841u ^ s * 0xcb1ab31fu;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    h *= 0x297a2d39u;
    return h ^ (h >> 15);
}

/* Uniform in 0..1 at a lattice point. */
static double lattice(int64_t x, int64_t y, uint32_t seed)
{
    return (double)(hash3((uint32_t)x, (uint32_t)y, seed) >> 8) / 16777216.0;
}

static double smooth(double t)
{
    return t * t * (3 - 2 * t);
}

/* Value noise in 0..1 with period-free lattice spacing `cell` pixels. */
static double value_noise(double x, double y, double cell, uint32_t seed)
{
    double fx = x / cell, fy = y / cell;
    int64_t ix = (int64_t)floor(fx), iy = (int64_t)floor(fy);
    double tx = smooth(fx - (double)ix), ty = smooth(fy - (double)iy);
    double a = lattice(ix, iy, seed), b = lattice(ix + 1, iy, seed);
    double c = lattice(ix, iy + 1, seed), d = lattice(ix + 1, iy + 1, seed);
    double top = a + (b - a) * tx, bottom = c + (d - c) * tx;
    return top + (bottom - top) * ty;
}

/* Fractal noise: octaves of value noise, each half the size and weight. */
static double fbm(double x, double y, double cell, int octaves, uint32_t seed)
{
    double sum = 0, weight = 0.5, total = 0;
    for (int o = 0; o < octaves; o++) {
        sum += weight * value_noise(x, y, cell, seed + (uint32_t)o);
        total += weight;
        weight *= 0.5;
        cell *= 0.5;
    }
    return sum / total;
}

static double clamp255(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

typedef struct ball {
    double cx, cy, r;      /* fractions of the width */
    double rgb[3];
} ball;

static const ball balls[] = {
    {0.80, 0.16, 0.070, {255, 236, 170}}, /* the sun */
    {0.22, 0.70, 0.090, {200, 30, 40}},
    {0.36, 0.78, 0.060, {30, 90, 210}},
    {0.58, 0.74, 0.075, {250, 190, 20}},
    {0.70, 0.83, 0.045, {120, 40, 160}},
};

/* Color of pixel (x, y) of a w x h image, as sRGB 0..255. */
static void pixel(int x, int y, int w, int h, double out[3])
{
    double u = (double)x / w, v = (double)y / h, s = (double)w / 1000.0;
    /* Sky: deep blue at the top to hazy near the horizon, soft clouds. */
    double cloud = fbm(x, y * 2.5, 180 * s, 5, 11);
    cloud = cloud > 0.55 ? (cloud - 0.55) * 2.2 : 0;
    double c[3] = {40 + 150 * v + 160 * cloud, 90 + 120 * v + 130 * cloud,
                   200 + 40 * v + 40 * cloud};
    /* Hills: a noisy horizon with a hard edge, textured grass and soil. */
    double horizon = 0.45 + 0.12 * (fbm(x, 0, 400 * s, 3, 23) - 0.5) * 2;
    if (v > horizon) {
        double t = fbm(x, y, 60 * s, 5, 31), d = (v - horizon) / (1 - horizon);
        c[0] = 60 + 80 * t + 60 * d;
        c[1] = 110 + 90 * t - 30 * d;
        c[2] = 30 + 40 * t;
        /* Stripes of a field, fading with distance. */
        double stripe = fbm(x * 0.05, y * 4, 20 * s, 2, 37);
        c[1] += 25 * (stripe - 0.5) * d;
    }
    /* Buildings: dark blocks on the horizon with lit windows. */
    int block = (int)(u * 12);
    double top = horizon - 0.05 - 0.12 * lattice(block, 0, 41);
    if (block >= 1 && block <= 4 && v > top && v < horizon + 0.02) {
        double shade = 50 + 40 * lattice(block, 1, 43);
        c[0] = shade;
        c[1] = shade + 5;
        c[2] = shade + 15;
        int wx = (int)(u * 12 * 8) % 8, wy = (int)((v - top) * h / (14 * s));
        if (wx >= 2 && wx <= 5 && wy % 2 == 1 && lattice(x / (int)(12 * s + 1), wy, 47) > 0.4) {
            c[0] = 250;
            c[1] = 220;
            c[2] = 120;
        }
    }
    /* Balls: lit from the upper left, hard outline. */
    for (size_t i = 0; i < sizeof balls / sizeof balls[0]; i++) {
        const ball *b = &balls[i];
        double dx = u - b->cx, dy = (v - b->cy) * h / w;
        double r2 = (dx * dx + dy * dy) / (b->r * b->r);
        if (r2 < 1) {
            double light = 0.35 + 0.65 * (1 - r2) * (1 - (dx + dy) / (2 * b->r));
            for (int k = 0; k < 3; k++)
                c[k] = b->rgb[k] * (i == 0 ? 1 : light) + (i == 0 ? 0 : 30 * (1 - r2) * (1 - r2));
        }
    }
    /* Film grain. */
    double grain = lattice(x, y, 97) - 0.5;
    for (int k = 0; k < 3; k++)
        out[k] = clamp255(c[k] + 14 * grain);
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: fsk_synth_photo WIDTH HEIGHT OUT.jpg [QUALITY]\n");
        return 2;
    }
    int w = atoi(argv[1]), h = atoi(argv[2]), quality = argc > 4 ? atoi(argv[4]) : 90;
    if (w < 16 || h < 16 || w > 30000 || h > 30000 || quality < 1 || quality > 100) {
        fprintf(stderr, "fsk_synth_photo: bad size or quality\n");
        return 2;
    }
    FILE *f = fopen(argv[3], "wb");
    unsigned char *row = malloc((size_t)w * 3);
    if (!f || !row) {
        fprintf(stderr, "fsk_synth_photo: cannot write '%s'\n", argv[3]);
        return 1;
    }
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, f);
    cinfo.image_width = (JDIMENSION)w;
    cinfo.image_height = (JDIMENSION)h;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            double c[3];
            pixel(x, y, w, h, c);
            for (int k = 0; k < 3; k++)
                row[(size_t)x * 3 + (size_t)k] = (unsigned char)(c[k] + 0.5);
        }
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    free(row);
    if (fclose(f) != 0) {
        fprintf(stderr, "fsk_synth_photo: cannot write '%s'\n", argv[3]);
        return 1;
    }
    return 0;
}
