/*
 * synth_scan.h — synthetic scans of calibration grids for the analyzer's
 * tests: a grid built in memory, patch colors from a perturbed filament
 * model (so the model never fits them exactly), and a renderer that draws
 * a grid as a flatbed would see it — any rotation, shear, mirroring,
 * resolution, uneven illumination, blur, noise, dust and a fibre — into
 * 8-bit sRGB, written as PNG (with its dpi) or JPEG (libjpeg), or PPM for
 * SANE's pnm backend.
 *
 * Header-only (static functions) so the unit test and the e2e sweep share
 * it. Deterministic: every random choice comes from the pose's seed.
 */
#ifndef SYNTH_SCAN_H
#define SYNTH_SCAN_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "fsk_color.h"
#include "fsk_grid.h"
#include "fsk_image.h"
#include "fsk_model.h"

#define SYNTH_PI 3.14159265358979323846

/* ---- random numbers ------------------------------------------------ */

typedef struct synth_rng {
    uint64_t s;
} synth_rng;

static inline double synth_uniform(synth_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (double)(r->s >> 11) / 9007199254740992.0;
}

static inline double synth_gauss(synth_rng *r)
{
    double u = synth_uniform(r), v = synth_uniform(r);
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * SYNTH_PI * v);
}

/* ---- a grid in memory ---------------------------------------------- */

static inline void synth_filament(fsk_filament *f, const char *name, unsigned rgb, double td)
{
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->rgb[0] = (unsigned char)(rgb >> 16);
    f->rgb[1] = (unsigned char)(rgb >> 8);
    f->rgb[2] = (unsigned char)rgb;
    f->td_mm = td;
}

static inline void synth_grid_free(fsk_grid *g)
{
    if (!g)
        return;
    free(g->marks);
    free(g->patches);
    free(g);
}

/*
 * A grid of every sequence of the first n of Cyan, Magenta, Yellow, White
 * (backing: White when n == 4, else filament 1, 0.64 mm) in m layers of
 * 0.08 mm, patches of patch_mm with gaps of gap_mm in rows of cols (0:
 * about square), and three marks of different sizes in Magenta at three
 * corners.
 */
static inline fsk_grid *synth_grid(int n, int m, double patch_mm, double gap_mm, int cols)
{
    fsk_grid *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    synth_filament(&g->filaments[0], "Cyan PLA", 0x0086D6, 3.2);
    synth_filament(&g->filaments[1], "Magenta PLA", 0xEC008C, 4.0);
    synth_filament(&g->filaments[2], "Yellow PLA", 0xF4EE2A, 4.8);
    synth_filament(&g->filaments[3], "White PLA", 0xFFFFFF, 5.0);
    g->filament_count = n;
    g->construction.layer_height_mm = 0.08;
    g->construction.color_layers = m;
    g->construction.backing_filament = n == 4 ? 4 : 1;
    g->construction.backing_mm = 0.64;
    g->construction.view = FSK_VIEW_TOP;
    g->base_filament = g->construction.backing_filament;
    g->page = g->pages = 1;
    size_t count = (size_t)fsk_sequence_count(n, m);
    if (cols <= 0)
        cols = (int)ceil(sqrt((double)count));
    int rows = (int)((count + (size_t)cols - 1) / (size_t)cols);
    double pitch = patch_mm + gap_mm, margin = 14;
    g->size_mm[0] = 2 * margin + cols * pitch - gap_mm;
    g->size_mm[1] = 2 * margin + rows * pitch - gap_mm;
    g->patch_count = count;
    g->patches = calloc(count, sizeof *g->patches);
    g->mark_count = 3;
    g->marks = calloc(3, sizeof *g->marks);
    if (!g->patches || !g->marks) {
        synth_grid_free(g);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        fsk_grid_patch *p = &g->patches[i];
        p->id = (int)i;
        fsk_sequence_nth(n, m, i, p->sequence);
        p->rect_mm[0] = margin + (double)(i % (size_t)cols) * pitch;
        p->rect_mm[1] = margin + (double)(i / (size_t)cols) * pitch;
        p->rect_mm[2] = p->rect_mm[3] = patch_mm;
    }
    int mark_f = n >= 2 ? 2 : 1;
    const double sizes[3] = {9, 6, 7.5};
    const double at[3][2] = {{2, 2}, {g->size_mm[0] - 2 - sizes[1], 2},
                             {2, g->size_mm[1] - 2 - sizes[2]}};
    for (int k = 0; k < 3; k++) {
        g->marks[k].filament = mark_f;
        g->marks[k].rect_mm[0] = at[k][0];
        g->marks[k].rect_mm[1] = at[k][1];
        g->marks[k].rect_mm[2] = g->marks[k].rect_mm[3] = sizes[k];
    }
    return g;
}

/* ---- colors -------------------------------------------------------- */

/*
 * The "printed" colors of grid g's patches (linear RGB, out[patch_count]):
 * the model of the grid's filaments (with printed[k] replacing filament k
 * when given) with every optical parameter perturbed by up to perturb
 * (relative), plus a per-patch jitter of about jitter ΔE in Lab. base and
 * mark (may be NULL) get the same model's backing alone and the first
 * mark's full stack.
 */
static inline void synth_colors(const fsk_grid *g, const fsk_filament *printed, double perturb,
                                double jitter, uint64_t seed, double (*out)[3], double base[3],
                                double mark[3])
{
    synth_rng r = {seed * 2654435761u + 12345};
    fsk_model model;
    fsk_model_from_filaments(printed ? printed : g->filaments, g->filament_count, &model);
    for (int k = 0; k < g->filament_count; k++)
        for (int c = 0; c < 3; c++) {
            model.filament[k].reflect[c] *= 1 + perturb * (2 * synth_uniform(&r) - 1);
            model.filament[k].reflect[c] = fmin(model.filament[k].reflect[c], 0.99);
            model.filament[k].absorb_per_mm[c] *= 1 + 3 * perturb * (2 * synth_uniform(&r) - 1);
        }
    /* A scanner's exposure keeps white paper below full scale; so does the
     * synthetic one, with room for uneven illumination. */
    const double exposure = 0.85;
    for (int c = 0; c < 3; c++)
        model.background[c] *= exposure;
    for (int k = 0; k < g->filament_count; k++)
        for (int c = 0; c < 3; c++)
            model.filament[k].reflect[c] *= exposure;
    for (size_t i = 0; i < g->patch_count; i++) {
        double lin[3], lab[3];
        fsk_model_predict(&model, &g->construction, g->patches[i].sequence, lin);
        fsk_linear_to_lab(lin, lab);
        for (int c = 0; c < 3; c++)
            lab[c] += jitter * 0.6 * synth_gauss(&r);
        fsk_lab_to_linear(lab, out[i]);
        for (int c = 0; c < 3; c++)
            out[i][c] = fmin(fmax(out[i][c], 0.0005), 0.995);
    }
    uint8_t seq[FSK_MAX_COLOR_LAYERS] = {0};
    if (base) {
        if (g->construction.backing_filament > 0) {
            fsk_model_predict(&model, &g->construction, seq, base);
        } else {
            memset(seq, g->base_filament, (size_t)g->construction.color_layers);
            fsk_model_predict(&model, &g->construction, seq, base);
        }
    }
    if (mark && g->mark_count) {
        memset(seq, g->marks[0].filament, (size_t)g->construction.color_layers);
        fsk_model_predict(&model, &g->construction, seq, mark);
    }
}

static inline void synth_patch_colors(const fsk_grid *g, const fsk_filament *printed,
                                      double perturb, double jitter, uint64_t seed,
                                      double (*out)[3])
{
    synth_colors(g, printed, perturb, jitter, seed, out, NULL, NULL);
}

/* ---- rendering ----------------------------------------------------- */

typedef struct synth_pose {
    double dpi;
    double angle_deg;   /* rotation of the plate on the glass */
    double shear_deg;   /* skew of the scan's axes */
    bool mirror;        /* the plate seen from the wrong side */
    double shift_mm[2]; /* of the plate's centre from the image's */
    double margin_mm;   /* around the plate's bounding box */
    double blur_px;     /* Gaussian sigma */
    double noise;       /* sigma, in 8-bit sRGB steps */
    int dust;           /* dark specks */
    bool fibre;         /* a dark hair across the plate */
    double illum;       /* amplitude of the illumination's variation */
    uint64_t seed;
} synth_pose;

typedef struct synth_image {
    int w, h;
    unsigned char *rgb; /* 8-bit sRGB */
    double dpi;
} synth_image;

/* Plate (mm, relative to the plate's top-left) to image px, and back. */
typedef struct synth_map {
    double a[6], inv[6];
} synth_map;

static inline void synth_map_make(const fsk_grid *g, const synth_pose *p, int w, int h,
                                  synth_map *m)
{
    double s = p->dpi / 25.4, th = p->angle_deg * SYNTH_PI / 180, sh = tan(p->shear_deg * SYNTH_PI / 180);
    double my = p->mirror ? -1 : 1;
    /* v = R(th) * S(sh) * diag(1, my) * (P - C) * s + image centre + shift */
    double l00 = 1, l01 = sh * my, l10 = 0, l11 = my;
    double c = cos(th), sn = sin(th);
    double a00 = s * (c * l00 - sn * l10), a01 = s * (c * l01 - sn * l11);
    double a10 = s * (sn * l00 + c * l10), a11 = s * (sn * l01 + c * l11);
    double cx = g->size_mm[0] / 2, cy = g->size_mm[1] / 2;
    double tx = w / 2.0 + p->shift_mm[0] * s - (a00 * cx + a01 * cy);
    double ty = h / 2.0 + p->shift_mm[1] * s - (a10 * cx + a11 * cy);
    m->a[0] = tx, m->a[1] = a00, m->a[2] = a01, m->a[3] = ty, m->a[4] = a10, m->a[5] = a11;
    double det = a00 * a11 - a01 * a10;
    m->inv[1] = a11 / det, m->inv[2] = -a01 / det, m->inv[4] = -a10 / det, m->inv[5] = a00 / det;
    m->inv[0] = -(m->inv[1] * tx + m->inv[2] * ty);
    m->inv[3] = -(m->inv[4] * tx + m->inv[5] * ty);
}

/* Which rectangle (patch i >= 0, mark -2-k, base -1, outside -100) covers (X, Y). */
typedef struct synth_index {
    double cell;
    int nx, ny;
    int *list; /* per cell, up to 6 rectangle codes, -100 ends */
} synth_index;

static inline int synth_index_build(const fsk_grid *g, synth_index *ix)
{
    ix->cell = 1.0;
    ix->nx = (int)ceil(g->size_mm[0] / ix->cell) + 1;
    ix->ny = (int)ceil(g->size_mm[1] / ix->cell) + 1;
    ix->list = malloc((size_t)ix->nx * (size_t)ix->ny * 6 * sizeof *ix->list);
    if (!ix->list)
        return -1;
    for (size_t i = 0; i < (size_t)ix->nx * (size_t)ix->ny * 6; i++)
        ix->list[i] = -100;
    size_t total = g->patch_count + g->mark_count;
    for (size_t k = 0; k < total; k++) {
        const double *r = k < g->patch_count ? g->patches[k].rect_mm
                                             : g->marks[k - g->patch_count].rect_mm;
        int code = k < g->patch_count ? (int)k : -2 - (int)(k - g->patch_count);
        for (int cy = (int)floor(r[1] / ix->cell); cy <= (int)floor((r[1] + r[3]) / ix->cell); cy++)
            for (int cx = (int)floor(r[0] / ix->cell); cx <= (int)floor((r[0] + r[2]) / ix->cell);
                 cx++) {
                if (cx < 0 || cy < 0 || cx >= ix->nx || cy >= ix->ny)
                    continue;
                int *l = ix->list + ((size_t)cy * (size_t)ix->nx + (size_t)cx) * 6;
                for (int j = 0; j < 6; j++)
                    if (l[j] == -100) {
                        l[j] = code;
                        break;
                    }
            }
    }
    return 0;
}

static inline int synth_lookup(const fsk_grid *g, const synth_index *ix, double X, double Y)
{
    if (X < 0 || Y < 0 || X >= g->size_mm[0] || Y >= g->size_mm[1])
        return -100;
    const int *l = ix->list + ((size_t)(int)(Y / ix->cell) * (size_t)ix->nx + (size_t)(int)(X / ix->cell)) * 6;
    for (int j = 0; j < 6 && l[j] != -100; j++) {
        const double *r = l[j] >= 0 ? g->patches[l[j]].rect_mm : g->marks[-2 - l[j]].rect_mm;
        if (X >= r[0] && X < r[0] + r[2] && Y >= r[1] && Y < r[1] + r[3])
            return l[j];
    }
    return -1;
}

static inline void synth_blur(float *img, int w, int h, double sigma)
{
    if (!(sigma > 0.05))
        return;
    int rad = (int)ceil(3 * sigma);
    double *k = malloc(sizeof *k * (size_t)(2 * rad + 1));
    float *tmp = malloc(sizeof *tmp * (size_t)w * (size_t)h * 3);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return;
    }
    double sum = 0;
    for (int i = -rad; i <= rad; i++)
        sum += k[i + rad] = exp(-0.5 * i * i / (sigma * sigma));
    for (int i = 0; i <= 2 * rad; i++)
        k[i] /= sum;
    for (int pass = 0; pass < 2; pass++) {
        const float *src = pass ? tmp : img;
        float *dst = pass ? img : tmp;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) {
                    double s = 0;
                    for (int i = -rad; i <= rad; i++) {
                        int xx = pass ? x : x + i, yy = pass ? y + i : y;
                        xx = xx < 0 ? 0 : xx >= w ? w - 1 : xx;
                        yy = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
                        s += k[i + rad] * src[((size_t)yy * (size_t)w + (size_t)xx) * 3 + (size_t)c];
                    }
                    dst[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] = (float)s;
                }
    }
    free(k);
    free(tmp);
}

/* A dark disc of radius r px at (x, y), drawn into linear img. */
static inline void synth_disc(float *img, int w, int h, double x, double y, double r, float v)
{
    for (int yy = (int)floor(y - r); yy <= (int)ceil(y + r); yy++)
        for (int xx = (int)floor(x - r); xx <= (int)ceil(x + r); xx++) {
            if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                continue;
            if (hypot(xx + 0.5 - x, yy + 0.5 - y) <= r)
                for (int c = 0; c < 3; c++)
                    img[((size_t)yy * (size_t)w + (size_t)xx) * 3 + (size_t)c] = v;
        }
}

/*
 * Renders grid g with patch colors patch_lin (linear), the base and mark
 * colors base_lin and mark_lin, and lid_lin outside the plate, in pose p.
 * The illumination varies as 1 + illum * (0.6u - 0.4v + 0.5(u^2 - 1/3) +
 * 0.3uv) over the plate (u, v in -1..1), whose mean over the plate is 1.
 * Returns 0, or -1 without memory. Free out->rgb with free().
 */
static inline int synth_render(const fsk_grid *g, const double (*patch_lin)[3],
                               const double base_lin[3], const double mark_lin[3],
                               const double lid_lin[3], const synth_pose *p, synth_image *out)
{
    double s = p->dpi / 25.4;
    /* Image size: the transformed plate's bounding box plus the margin. */
    synth_pose q = *p;
    q.shift_mm[0] = q.shift_mm[1] = 0;
    synth_map m0;
    synth_map_make(g, &q, 0, 0, &m0);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        double X = (k & 1) * g->size_mm[0], Y = (k >> 1) * g->size_mm[1];
        double x = m0.a[0] + m0.a[1] * X + m0.a[2] * Y, y = m0.a[3] + m0.a[4] * X + m0.a[5] * Y;
        x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
    }
    int w = (int)ceil(x1 - x0 + 2 * p->margin_mm * s + 2 * fabs(p->shift_mm[0]) * s);
    int h = (int)ceil(y1 - y0 + 2 * p->margin_mm * s + 2 * fabs(p->shift_mm[1]) * s);
    synth_map m;
    synth_map_make(g, p, w, h, &m);
    synth_index ix;
    float *lin = malloc(sizeof *lin * (size_t)w * (size_t)h * 3);
    out->rgb = malloc((size_t)w * (size_t)h * 3);
    if (!lin || !out->rgb || synth_index_build(g, &ix) != 0) {
        free(lin);
        free(out->rgb);
        return -1;
    }
    out->w = w;
    out->h = h;
    out->dpi = p->dpi;
    enum { SS = 3 };
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double acc[3] = {0, 0, 0};
            double Xc = m.inv[0] + m.inv[1] * (x + 0.5) + m.inv[2] * (y + 0.5);
            double Yc = m.inv[3] + m.inv[4] * (x + 0.5) + m.inv[5] * (y + 0.5);
            for (int sy = 0; sy < SS; sy++)
                for (int sx = 0; sx < SS; sx++) {
                    double px = x + (sx + 0.5) / SS, py = y + (sy + 0.5) / SS;
                    double X = m.inv[0] + m.inv[1] * px + m.inv[2] * py;
                    double Y = m.inv[3] + m.inv[4] * px + m.inv[5] * py;
                    int code = synth_lookup(g, &ix, X, Y);
                    const double *col = code >= 0 ? patch_lin[code]
                                        : code == -1 ? base_lin
                                        : code == -100 ? lid_lin : mark_lin;
                    for (int c = 0; c < 3; c++)
                        acc[c] += col[c];
                }
            double u = fmin(fmax(2 * Xc / g->size_mm[0] - 1, -1.5), 1.5);
            double v = fmin(fmax(2 * Yc / g->size_mm[1] - 1, -1.5), 1.5);
            double light = 1 + p->illum * (0.6 * u - 0.4 * v + 0.5 * (u * u - 1.0 / 3) + 0.3 * u * v);
            for (int c = 0; c < 3; c++)
                lin[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] =
                    (float)(acc[c] / (SS * SS) * light);
        }
    free(ix.list);
    synth_blur(lin, w, h, p->blur_px);
    synth_rng r = {p->seed * 0x9E3779B97F4A7C15ull + 1};
    for (int k = 0; k < p->dust; k++)
        synth_disc(lin, w, h, synth_uniform(&r) * w, synth_uniform(&r) * h,
                   0.6 + 1.6 * synth_uniform(&r) * s / 12, 0.02f);
    if (p->fibre) {
        /* A curved hair from one side of the image to the other. */
        double ax = 0, ay = h * (0.2 + 0.6 * synth_uniform(&r));
        double bx = w, by = h * (0.2 + 0.6 * synth_uniform(&r));
        double cx = w * 0.5, cy = h * synth_uniform(&r);
        double width = fmax(0.7, s * 0.06);
        for (int i = 0; i <= 4 * (w + h); i++) {
            double t = (double)i / (4 * (w + h));
            double x = (1 - t) * (1 - t) * ax + 2 * t * (1 - t) * cx + t * t * bx;
            double y = (1 - t) * (1 - t) * ay + 2 * t * (1 - t) * cy + t * t * by;
            synth_disc(lin, w, h, x, y, width, 0.03f);
        }
    }
    for (size_t i = 0; i < (size_t)w * (size_t)h * 3; i++) {
        double v = fsk_linear_to_srgb(fmin(fmax(lin[i], 0), 1)) * 255 + p->noise * synth_gauss(&r);
        out->rgb[i] = (unsigned char)fmin(fmax(floor(v + 0.5), 0), 255);
    }
    free(lin);
    return 0;
}

/* ---- writing ------------------------------------------------------- */

static inline int synth_write_png(const char *path, const synth_image *im)
{
    fsk_png_spec spec = {.width = im->w, .height = im->h, .channels = 3, .bits = 8, .dpi = im->dpi};
    return fsk_png_write(path, &spec, im->rgb, (size_t)im->w * 3, NULL);
}

static inline int synth_write_ppm(const char *path, const synth_image *im)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fprintf(f, "P6\n%d %d\n255\n", im->w, im->h);
    size_t n = fwrite(im->rgb, 1, (size_t)im->w * (size_t)im->h * 3, f);
    int bad = fclose(f) != 0 || n != (size_t)im->w * (size_t)im->h * 3;
    return bad ? -1 : 0;
}

/* JPEG at quality (4:2:0 chroma), the dpi in the JFIF header when with_dpi. */
static inline int synth_write_jpeg(const char *path, const synth_image *im, int quality,
                                   bool with_dpi)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, f);
    cinfo.image_width = (JDIMENSION)im->w;
    cinfo.image_height = (JDIMENSION)im->h;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (with_dpi) {
        cinfo.density_unit = 1;
        cinfo.X_density = cinfo.Y_density = (UINT16)lround(im->dpi);
    }
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = im->rgb + (size_t)cinfo.next_scanline * (size_t)im->w * 3;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return fclose(f) == 0 ? 0 : -1;
}

#endif
