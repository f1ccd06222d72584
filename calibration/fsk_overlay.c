/*
 * fsk_overlay.c — drawing the reading of a scan over it (see
 * fsk_overlay.h).
 */
#include "fsk_overlay.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_image.h"
#include "fsk_sample.h"

typedef struct canvas {
    unsigned char *px; /* RGB */
    int w, h, thick;
} canvas;

static void dot(canvas *cv, int x, int y, const unsigned char rgb[3])
{
    int r0 = -(cv->thick - 1) / 2, r1 = cv->thick / 2;
    for (int dy = r0; dy <= r1; dy++)
        for (int dx = r0; dx <= r1; dx++) {
            int xx = x + dx, yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < cv->w && yy < cv->h)
                memcpy(cv->px + ((size_t)yy * (size_t)cv->w + (size_t)xx) * 3, rgb, 3);
        }
}

static void line(canvas *cv, double x0, double y0, double x1, double y1,
                 const unsigned char rgb[3])
{
    double len = hypot(x1 - x0, y1 - y0);
    int steps = (int)ceil(len) + 1;
    if (steps > 100000)
        return;
    for (int i = 0; i <= steps; i++) {
        double t = (double)i / steps;
        dot(cv, (int)floor(x0 + t * (x1 - x0)), (int)floor(y0 + t * (y1 - y0)), rgb);
    }
}

/* The outline of plate rectangle r under map. */
static void rect(canvas *cv, const fsk_affine *map, const double r[4],
                 const unsigned char rgb[3])
{
    double x[4], y[4];
    static const int corner[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (int k = 0; k < 4; k++)
        fsk_affine_apply(map, r[0] + corner[k][0] * r[2], r[1] + corner[k][1] * r[3], &x[k],
                         &y[k]);
    for (int k = 0; k < 4; k++)
        line(cv, x[k], y[k], x[(k + 1) % 4], y[(k + 1) % 4], rgb);
}

static void cross(canvas *cv, const fsk_affine *map, const double r[4],
                  const unsigned char rgb[3])
{
    double ax, ay, bx, by;
    fsk_affine_apply(map, r[0], r[1], &ax, &ay);
    fsk_affine_apply(map, r[0] + r[2], r[1] + r[3], &bx, &by);
    line(cv, ax, ay, bx, by, rgb);
    fsk_affine_apply(map, r[0] + r[2], r[1], &ax, &ay);
    fsk_affine_apply(map, r[0], r[1] + r[3], &bx, &by);
    line(cv, ax, ay, bx, by, rgb);
}

static void circle(canvas *cv, double cx, double cy, double radius, const unsigned char rgb[3])
{
    int n = (int)fmin(fmax(16, radius), 2000);
    for (int k = 0; k < n; k++) {
        double a0 = 2 * 3.14159265358979323846 * k / n;
        double a1 = 2 * 3.14159265358979323846 * (k + 1) / n;
        line(cv, cx + radius * cos(a0), cy + radius * sin(a0), cx + radius * cos(a1),
             cy + radius * sin(a1), rgb);
    }
}

int fsk_overlay_write(const char *path, const fsk_linear_image *img, const fsk_grid *grid,
                      const fsk_scan_result *res, fsk_err *err)
{
    static const unsigned char green[3] = {0, 210, 0}, red[3] = {255, 0, 0},
                               blue[3] = {0, 110, 255};
    size_t npx = (size_t)img->width * (size_t)img->height;
    canvas cv = {malloc(npx * 3), img->width, img->height, 1};
    uint8_t *lut = malloc(65536);
    if (!cv.px || !lut) {
        free(cv.px);
        free(lut);
        return fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", path);
    }
    for (int i = 0; i < 65536; i++)
        lut[i] = fsk_linear_to_srgb8(i / 65535.0);
    for (size_t i = 0; i < npx * 3; i++) {
        float v = img->rgb[i];
        cv.px[i] = v <= 0 ? 0 : v >= 1 ? 255 : lut[(int)(v * 65535.0f + 0.5f)];
    }
    free(lut);
    const fsk_affine *map = &res->reg.map;
    double scale = fsk_affine_scale(map);
    cv.thick = (int)fmax(1, lround(scale / 8));
    double plate[4] = {0, 0, grid->size_mm[0], grid->size_mm[1]};
    rect(&cv, map, plate, blue);
    for (size_t i = 0; i < grid->patch_count; i++) {
        const fsk_patch_sample *s = &res->patch[i];
        if (!s->valid)
            continue;
        const double *r = grid->patches[i].rect_mm;
        double m = fsk_sample_margin_mm(r, scale);
        double inner[4] = {r[0] + m, r[1] + m, r[2] - 2 * m, r[3] - 2 * m};
        rect(&cv, map, inner, s->flagged ? red : green);
        if (s->flagged) {
            rect(&cv, map, r, red);
            cross(&cv, map, r, red);
        }
    }
    for (size_t k = 0; k < grid->mark_count; k++) {
        const double *r = grid->marks[k].rect_mm;
        double x, y;
        fsk_affine_apply(map, r[0] + r[2] / 2, r[1] + r[3] / 2, &x, &y);
        circle(&cv, x, y, 0.75 * hypot(r[2], r[3]) * scale, res->mark_found[k] ? blue : red);
    }
    fsk_png_spec spec = {.width = img->width, .height = img->height, .channels = 3, .bits = 8,
                         .dpi = img->dpi_x > 0 ? img->dpi_x : 0};
    int rc = fsk_png_write(path, &spec, cv.px, (size_t)img->width * 3, err);
    free(cv.px);
    return rc;
}
