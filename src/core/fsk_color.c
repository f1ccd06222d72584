/*
 * fsk_color.c — sRGB transfer, XYZ and CIELAB conversions, ΔE76 and
 * CIEDE2000. The RGB <-> XYZ matrices are derived from the sRGB primaries
 * and the D65 chromaticity (0.3127, 0.3290) in exact rational arithmetic
 * and rounded to double once.
 */
#include "fsk_color.h"
#include "fsk_color_terms.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

static const double RGB_TO_XYZ[3][3] = {
    {0.41239079926595951, 0.35758433938387796, 0.18048078840183429},
    {0.21263900587151036, 0.71516867876775592, 0.072192315360733714},
    {0.019330818715591849, 0.11919477979462599, 0.95053215224966059}};

static const double XYZ_TO_RGB[3][3] = {
    {3.2409699419045213, -1.5373831775700935, -0.49861076029300327},
    {-0.96924363628087984, 1.8759675015077206, 0.041555057407175612},
    {0.055630079696993608, -0.20397695888897657, 1.0569715142428786}};

/* The white point is the image of RGB (1,1,1), so grays map to a = b = 0. */
#define WHITE_X (0.41239079926595951 + 0.35758433938387796 + 0.18048078840183429)
#define WHITE_Y (0.21263900587151036 + 0.71516867876775592 + 0.072192315360733714)
#define WHITE_Z (0.019330818715591849 + 0.11919477979462599 + 0.95053215224966059)


double fsk_srgb_to_linear(double v)
{
    double a = fabs(v);
    double r = a <= 0.04045 ? a / 12.92 : pow((a + 0.055) / 1.055, 2.4);
    return v < 0 ? -r : r;
}

double fsk_linear_to_srgb(double v)
{
    double a = fabs(v);
    double r = a <= 0.0031308 ? a * 12.92 : 1.055 * pow(a, 1.0 / 2.4) - 0.055;
    return v < 0 ? -r : r;
}

static float table8[256];
static float table16[65536];
static pthread_once_t once8 = PTHREAD_ONCE_INIT;
static pthread_once_t once16 = PTHREAD_ONCE_INIT;

static void build8(void)
{
    for (int i = 0; i < 256; i++)
        table8[i] = (float)fsk_srgb_to_linear(i / 255.0);
}

static void build16(void)
{
    for (int i = 0; i < 65536; i++)
        table16[i] = (float)fsk_srgb_to_linear(i / 65535.0);
}

const float *fsk_srgb8_to_linear_table(void)
{
    pthread_once(&once8, build8);
    return table8;
}

const float *fsk_srgb16_to_linear_table(void)
{
    pthread_once(&once16, build16);
    return table16;
}

uint8_t fsk_linear_to_srgb8(double v)
{
    if (!(v > 0))
        return 0;
    if (v >= 1)
        return 255;
    return (uint8_t)lround(fsk_linear_to_srgb(v) * 255.0);
}

void fsk_white_xyz(double xyz[3])
{
    xyz[0] = WHITE_X;
    xyz[1] = WHITE_Y;
    xyz[2] = WHITE_Z;
}

static void mul3(const double m[3][3], const double in[3], double out[3])
{
    double r[3];
    for (int i = 0; i < 3; i++)
        r[i] = m[i][0] * in[0] + m[i][1] * in[1] + m[i][2] * in[2];
    out[0] = r[0];
    out[1] = r[1];
    out[2] = r[2];
}

void fsk_linear_to_xyz(const double rgb[3], double xyz[3])
{
    mul3(RGB_TO_XYZ, rgb, xyz);
}

void fsk_xyz_to_linear(const double xyz[3], double rgb[3])
{
    mul3(XYZ_TO_RGB, xyz, rgb);
}

#define LAB_EPS FSK_LAB_EPS
#define LAB_KAPPA FSK_LAB_KAPPA

FSK_DEFINE_CBRT_REFINE(refine_cube_root, double)

/*
 * Cube root of a t > 0 below 1e300 (so nothing overflows): a first guess
 * from the bits refined (fsk_color_terms.h). Within 1 ulp of the true cube
 * root (libm's cbrt is within 4), in a third of libm's time: every
 * pixel's Lab takes three.
 */
static double cube_root(double t)
{
    return refine_cube_root(fsk_cbrt_guess(t), t);
}

double fsk_lab_f(double t)
{
    if (t > LAB_EPS)
        return t < 1e300 ? cube_root(t) : cbrt(t);
    return (LAB_KAPPA * t + 16.0) / 116.0;
}

static double lab_finv(double f)
{
    double t = f * f * f;
    return t > LAB_EPS ? t : (116.0 * f - 16.0) / LAB_KAPPA;
}

void fsk_xyz_to_lab(const double xyz[3], double lab[3])
{
    double fx = fsk_lab_f(xyz[0] / WHITE_X);
    double fy = fsk_lab_f(xyz[1] / WHITE_Y);
    double fz = fsk_lab_f(xyz[2] / WHITE_Z);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}

void fsk_lab_to_xyz(const double lab[3], double xyz[3])
{
    double fy = (lab[0] + 16.0) / 116.0;
    double fx = fy + lab[1] / 500.0;
    double fz = fy - lab[2] / 200.0;
    xyz[0] = WHITE_X * lab_finv(fx);
    xyz[1] = WHITE_Y * lab_finv(fy);
    xyz[2] = WHITE_Z * lab_finv(fz);
}

void fsk_linear_to_lab(const double rgb[3], double lab[3])
{
    double xyz[3];
    fsk_linear_to_xyz(rgb, xyz);
    fsk_xyz_to_lab(xyz, lab);
}

void fsk_lab_to_linear(const double lab[3], double rgb[3])
{
    double xyz[3];
    fsk_lab_to_xyz(lab, xyz);
    fsk_xyz_to_linear(xyz, rgb);
}

void fsk_srgb255_to_lab(const double rgb255[3], double lab[3])
{
    double lin[3];
    for (int i = 0; i < 3; i++)
        lin[i] = fsk_srgb_to_linear(rgb255[i] / 255.0);
    fsk_linear_to_lab(lin, lab);
}

void fsk_lab_to_srgb255(const double lab[3], double rgb255[3])
{
    double lin[3];
    fsk_lab_to_linear(lab, lin);
    for (int i = 0; i < 3; i++)
        rgb255[i] = fsk_linear_to_srgb(lin[i]) * 255.0;
}

double fsk_de76(const double lab1[3], const double lab2[3])
{
    double dl = lab1[0] - lab2[0], da = lab1[1] - lab2[1], db = lab1[2] - lab2[2];
    return sqrt(dl * dl + da * da + db * db);
}

static double deg(double rad) { return rad * (180.0 / FSK_PI); }
static double rad(double deg_) { return deg_ * (FSK_PI / 180.0); }

/* Hue angle in degrees, 0..360; 0 for the achromatic a = b = 0. */
static double hue_deg(double b, double a)
{
    if (a == 0 && b == 0)
        return 0;
    double h = deg(atan2(b, a));
    return h < 0 ? h + 360.0 : h;
}

FSK_DEFINE_POW7(pow7, double)
FSK_DEFINE_DE2000_T(t_of, double, double)
FSK_DEFINE_DE2000_SL(sl_of, double, double, sqrt)

double fsk_de2000_t(double hbar)
{
    return t_of(cos(rad(hbar)), sin(rad(hbar)));
}

/*
 * The hue terms of CIEDE2000 from the two hue directions: the difference
 * term 2 sqrt(C1'C2') sin(dh/2), the mean hue in degrees and its cosine
 * and sine. Where both colors have chroma and are not exactly opposite,
 * from unit vectors, with one arc tangent: |u2 - u1| = 2 sin(|dh|/2), the
 * sign of dh is that of u1 x u2, and the mean hue (the middle of the
 * shorter arc, as the standard's case analysis gives) is the direction of
 * u1 + u2. Otherwise by the standard's angles.
 *
 * The mean hue in degrees serves only the rotation term, which peaks at
 * 275 degrees and is below 4e-18 for mean hues under 115 degrees: there
 * it changes no bit of the result (see fsk_de2000), so for a direction
 * safely inside (0, 113.6) degrees *hbar is left NAN and no arc tangent
 * is taken.
 */
static void hue_terms(double a1, double b1, double cp1, double a2, double b2, double cp2,
                      double *dhh, double *hbar, double *cos_h, double *sin_h)
{
    double cprod = cp1 * cp2;
    if (cprod != 0) {
        double u1x = a1 / cp1, u1y = b1 / cp1, u2x = a2 / cp2, u2y = b2 / cp2;
        double mx = u1x + u2x, my = u1y + u2y, mm = sqrt(mx * mx + my * my);
        if (mm > 1e-6) {
            double dx = u2x - u1x, dy = u2y - u1y;
            double half_chord = 0.5 * sqrt(dx * dx + dy * dy);
            double cross = u1x * u2y - u1y * u2x;
            *dhh = 2.0 * sqrt(cprod) * (cross < 0 ? -half_chord : half_chord);
            *cos_h = mx / mm;
            *sin_h = my / mm;
            if (my > 1e-9 * mm && mx > -0.4 * mm) {
                *hbar = NAN;
                return;
            }
            double h = deg(atan2(my, mx));
            *hbar = h < 0 ? h + 360.0 : h;
            return;
        }
    }
    double h1 = hue_deg(b1, a1), h2 = hue_deg(b2, a2);
    double dh = 0;
    if (cprod != 0) {
        dh = h2 - h1;
        if (dh > 180)
            dh -= 360;
        else if (dh < -180)
            dh += 360;
    }
    *dhh = 2.0 * sqrt(cprod) * sin(rad(dh) / 2.0);
    if (cprod == 0)
        *hbar = h1 + h2;
    else if (fabs(h1 - h2) <= 180)
        *hbar = 0.5 * (h1 + h2);
    else if (h1 + h2 < 360)
        *hbar = 0.5 * (h1 + h2 + 360);
    else
        *hbar = 0.5 * (h1 + h2 - 360);
    *cos_h = cos(rad(*hbar));
    *sin_h = sin(rad(*hbar));
}

double fsk_de2000(const double lab1[3], const double lab2[3])
{
    double c1 = sqrt(lab1[1] * lab1[1] + lab1[2] * lab1[2]);
    double c2 = sqrt(lab2[1] * lab2[1] + lab2[2] * lab2[2]);
    double cbar = 0.5 * (c1 + c2);
    double cbar7 = pow7(cbar);
    double g = 0.5 * (1.0 - sqrt(cbar7 / (cbar7 + FSK_POW25_7)));
    double a1 = (1.0 + g) * lab1[1], a2 = (1.0 + g) * lab2[1];
    double cp1 = sqrt(a1 * a1 + lab1[2] * lab1[2]);
    double cp2 = sqrt(a2 * a2 + lab2[2] * lab2[2]);

    double dl = lab2[0] - lab1[0];
    double dc = cp2 - cp1;
    double dhh, hbar, cos_h, sin_h;
    hue_terms(a1, lab1[2], cp1, a2, lab2[2], cp2, &dhh, &hbar, &cos_h, &sin_h);

    double lbar = 0.5 * (lab1[0] + lab2[0]);
    double cpbar = 0.5 * (cp1 + cp2);
    double t = t_of(cos_h, sin_h);
    double sl = sl_of(lbar);
    double sc = 1.0 + 0.045 * cpbar;
    double sh = 1.0 + 0.015 * cpbar * t;
    /* The rotation term. Left out when hbar is NAN (a mean hue under 115
     * degrees): then |RT| < 2 sin(60 exp(-6.4^2) degrees) < 4e-18, so
     * |RT y z| < 2e-18 (y^2 + z^2), less than half a unit in the last place
     * of x^2 + y^2 + z^2, and adding it would leave q as it is. */
    double rt = 0;
    if (!isnan(hbar)) {
        double dtheta = 30.0 * exp(-((hbar - 275) / 25) * ((hbar - 275) / 25));
        double cpbar7 = pow7(cpbar);
        double rc = 2.0 * sqrt(cpbar7 / (cpbar7 + FSK_POW25_7));
        rt = -sin(rad(2 * dtheta)) * rc;
    }

    double x = dl / sl, y = dc / sc, z = dhh / sh;
    double q = x * x + y * y + z * z + rt * y * z;
    return sqrt(q > 0 ? q : 0);
}

void fsk_lab_box(const double lo[3], const double hi[3], double lab_lo[3],
                 double lab_hi[3])
{
    for (int i = 0; i < 3; i++) {
        lab_lo[i] = INFINITY;
        lab_hi[i] = -INFINITY;
    }
    for (int c = 0; c < 8; c++) {
        double rgb[3] = {c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1],
                         c & 4 ? hi[2] : lo[2]};
        double lab[3];
        fsk_linear_to_lab(rgb, lab);
        for (int i = 0; i < 3; i++) {
            lab_lo[i] = lab[i] < lab_lo[i] ? lab[i] : lab_lo[i];
            lab_hi[i] = lab[i] > lab_hi[i] ? lab[i] : lab_hi[i];
        }
    }
    /* Multilinear interpolation of f(X/Xn) from the corners errs by at most
     * sum_i h_i^2 / 8 * max |d2f/dc_i^2| (c_i the RGB channels); f'' of the
     * cube root is largest at the darkest point, and 0 on the linear part. */
    static const double white[3] = {WHITE_X, WHITE_Y, WHITE_Z};
    double e[3];
    for (int j = 0; j < 3; j++) {
        double t0 = 0, t1 = 0, k = 0;
        for (int i = 0; i < 3; i++) {
            double w = RGB_TO_XYZ[j][i] / white[j];
            double h = hi[i] - lo[i];
            t0 += w * lo[i];
            t1 += w * hi[i];
            k += w * w * h * h;
        }
        double f2 = t1 <= LAB_EPS ? 0 : (2.0 / 9.0) * pow(fmax(t0, LAB_EPS), -5.0 / 3.0);
        e[j] = k * f2 / 8.0 * (1 + 1e-9) + 1e-12;
    }
    double margin[3] = {116.0 * e[1], 500.0 * (e[0] + e[1]), 200.0 * (e[1] + e[2])};
    for (int i = 0; i < 3; i++) {
        lab_lo[i] -= margin[i] + 1e-9;
        lab_hi[i] += margin[i] + 1e-9;
    }
}

/* Each bucket's cell, once the edges are set: the last cell whose lower
 * edge is at most the bucket's least value, found by one walk up the
 * edges, since the buckets' least values rise with their index. */
static void index_buckets(fsk_srgb_cells *cells)
{
    int k = 0;
    for (uint32_t b = 0; b < FSK_SRGB_CELL_BUCKETS; b++) {
        union {
            uint32_t u;
            float f;
        } least = {b << FSK_SRGB_CELL_BUCKET_SHIFT};
        while (k + 1 < cells->count && cells->edges[k + 1] <= least.f)
            k++;
        cells->bucket_cell[b] = (uint8_t)k;
    }
}

void fsk_srgb_cells_init(fsk_srgb_cells *cells, int count)
{
    count = count < 1 ? 1 : count > FSK_SRGB_CELLS_MAX ? FSK_SRGB_CELLS_MAX : count;
    cells->count = count;
    for (int k = 0; k <= count; k++)
        cells->edges[k] = (float)fsk_srgb_to_linear((double)k / count);
    cells->edges[0] = 0.0f;
    cells->edges[count] = 1.0f;
    index_buckets(cells);
}

void fsk_srgb8_cells_init(fsk_srgb_cells *cells)
{
    cells->count = 256;
    for (int k = 1; k < 256; k++)
        cells->edges[k] = (float)fsk_srgb_to_linear((k - 0.5) / 255.0);
    cells->edges[0] = 0.0f;
    cells->edges[256] = 1.0f;
    index_buckets(cells);
}
