/*
 * fsk_color.h — color science: sRGB transfer function, linear RGB <-> CIE
 * XYZ (D65, sRGB primaries per IEC 61966-2-1) <-> CIELAB, and the color
 * differences ΔE*ab (1976) and CIEDE2000 (Sharma, Wu & Dalal, 2005).
 *
 * Conventions: sRGB and linear RGB are 0..1 unless a name says 255; XYZ is
 * scaled so that Y of white is 1; Lab uses the D65 white of the same matrix,
 * so every gray (r = g = b) has a = b = 0 exactly up to rounding.
 */
#ifndef FSK_COLOR_H
#define FSK_COLOR_H

#include <stdint.h>

/* sRGB encoded value (0..1) to linear light (0..1), exact piecewise formula;
 * values outside 0..1 are extended symmetrically (sign kept). */
double fsk_srgb_to_linear(double v);

/* Linear light (0..1) to sRGB encoded (0..1), the inverse of the above. */
double fsk_linear_to_srgb(double v);

/*
 * Decode tables: entry i is the linear value of the sRGB code i/255 (256
 * entries) or i/65535 (65536 entries). Built once on first use (thread
 * safe); the pointers stay valid for the life of the program.
 */
const float *fsk_srgb8_to_linear_table(void);
const float *fsk_srgb16_to_linear_table(void);

/* Linear RGB (0..1) to sRGB code 0..255 with rounding and clamping. */
uint8_t fsk_linear_to_srgb8(double v);

/* The D65 white point of the sRGB matrix (X, Y = 1, Z). */
void fsk_white_xyz(double xyz[3]);

void fsk_linear_to_xyz(const double rgb[3], double xyz[3]);
void fsk_xyz_to_linear(const double xyz[3], double rgb[3]);
void fsk_xyz_to_lab(const double xyz[3], double lab[3]);
void fsk_lab_to_xyz(const double lab[3], double xyz[3]);

/* The CIELAB function f(t) (t = X/Xn etc.); monotonic increasing. */
double fsk_lab_f(double t);

/* Shortcuts: linear RGB <-> Lab, and sRGB 0..255 (not rounded) <-> Lab. */
void fsk_linear_to_lab(const double rgb[3], double lab[3]);
void fsk_lab_to_linear(const double lab[3], double rgb[3]);
void fsk_srgb255_to_lab(const double rgb255[3], double lab[3]);
/* Lab to sRGB 0..255, not clamped (out-of-gamut colors leave 0..255). */
void fsk_lab_to_srgb255(const double lab[3], double rgb255[3]);

/*
 * Cells of equal width in sRGB over linear values, for tables indexed by
 * color: fsk_srgb_cells_init fills edges[0..count] with the linear value
 * of sRGB k/count (edges[0] = 0, edges[count] = 1), count 1 ..
 * FSK_SRGB_CELLS_MAX, and fsk_srgb_cell gives the cell 0..count-1 whose
 * edges hold the linear value v (clamped to the ends; a value on an edge
 * goes up).
 *
 * The lookup takes no search: a value in (0, 1) is located by the top bits
 * of its float (its exponent and 7 bits of mantissa: buckets at most
 * 0.8 % wide), and each bucket remembers the cell of its least value. For
 * up to 256 cells neighbouring edges lie further apart (0.9 % at the top),
 * so at most one step up follows (the same holds for the 8-bit rounding).
 */
#define FSK_SRGB_CELLS_MAX 256
#define FSK_SRGB_CELL_BUCKET_SHIFT 16
#define FSK_SRGB_CELL_BUCKETS (0x3F800000u >> FSK_SRGB_CELL_BUCKET_SHIFT) /* up to 1.0f */
typedef struct fsk_srgb_cells {
    int count;
    float edges[FSK_SRGB_CELLS_MAX + 1];
    uint8_t bucket_cell[FSK_SRGB_CELL_BUCKETS];
} fsk_srgb_cells;

void fsk_srgb_cells_init(fsk_srgb_cells *cells, int count);

/* The same for rounding to 8-bit sRGB: 256 cells, cell k the linear values
 * whose sRGB value rounds to code k (edges at sRGB (k - 1/2) / 255). */
void fsk_srgb8_cells_init(fsk_srgb_cells *cells);

static inline int fsk_srgb_cell(const fsk_srgb_cells *cells, float v)
{
    if (!(v > 0))
        return 0;
    if (v >= 1)
        return cells->count - 1;
    union {
        float f;
        uint32_t u;
    } bits = {v};
    int k = cells->bucket_cell[bits.u >> FSK_SRGB_CELL_BUCKET_SHIFT];
    /* Without a branch: where values sit close to an edge, which way they
     * go is unpredictable. edges[count] is 1, above v. */
    return k + (cells->edges[k + 1] <= v);
}

/* ΔE*ab 1976: Euclidean distance in CIELAB. */
double fsk_de76(const double lab1[3], const double lab2[3]);

/* CIEDE2000 with kL = kC = kH = 1, exactly as in Sharma, Wu & Dalal (2005),
 * including their rules for achromatic colors and the mean hue. Symmetric. */
double fsk_de2000(const double lab1[3], const double lab2[3]);

/* fsk_de2000 of eight pairs, lab1[j] and lab2[j], into out[j], in single
 * precision: within 1e-4 of it (test_color checks). For statistics
 * reported to a thousandth, such as the preview's color error: eight
 * pairs take about as long as one fsk_de2000 call. */
void fsk_de2000_eight(const double *const lab1[8], const double *const lab2[8], float out[8]);

/* The same with the first colors given as linear RGB in [0, 1], rgb[3 j]
 * to rgb[3 j + 2], their CIELAB taken in floats as well: within 1e-4 of
 * fsk_de2000 of fsk_linear_to_lab's CIELAB (test_color checks). */
void fsk_de2000_eight_linear(const float rgb[24], const double *const lab2[8], float out[8]);

/* A color prepared for fsk_de2000_range: its Lab and chroma C*ab, rounded
 * to float. */
typedef struct fsk_de2000_point {
    float l, a, b, c;
} fsk_de2000_point;

void fsk_de2000_point_of(const double lab[3], fsk_de2000_point *out);

/*
 * Bounds *lo <= fsk_de2000(lab1, lab2) <= *hi (the colors of p1 and p2, in
 * that order) without the trigonometry, in floats, for pruning exact
 * searches: about 1e-4 of (|L1| + |L2| + C1 + C2) apart, more in blue mean
 * hues (the rotation term), looser for near-opposite hues and near-zero
 * chroma; never below what the lightness term alone allows. When that
 * term puts the pair beyond limit, *lo > limit and *hi = INFINITY. Thread
 * safe (a table built once).
 */
void fsk_de2000_range(const fsk_de2000_point *p1, const fsk_de2000_point *p2,
                      double limit, double *lo, double *hi);

/* The same for FSK_DE2000_LANES colors at once, p1 against each of p2[j]
 * (repeat one to fill): lo[j], hi[j] are what fsk_de2000_range gives for
 * p2[j], in about the time of one. */
#define FSK_DE2000_LANES 8
void fsk_de2000_ranges(const fsk_de2000_point *p1,
                       const fsk_de2000_point *const p2[FSK_DE2000_LANES], double limit,
                       float lo[FSK_DE2000_LANES], float hi[FSK_DE2000_LANES]);

/* CIEDE2000's hue weighting T of the mean hue (degrees). */
double fsk_de2000_t(double hbar_deg);

/*
 * Bounds for fast matching. fsk_lab_box encloses the Lab image of the
 * linear RGB box [lo, hi] (0..1): the Lab of its 8 corners widened by a
 * bound on the curvature of the CIELAB function (the error of multilinear
 * interpolation), so every color of the box lies in [lab_lo, lab_hi].
 */
void fsk_lab_box(const double lo[3], const double hi[3], double lab_lo[3],
                 double lab_hi[3]);

/*
 * Interval bounds of ΔE00 (and ΔE76, and Euclidean distance) between any
 * color of the Lab box [lo, hi] and the color e: on return
 * *dmin <= fsk_de2000(p, e) <= *dmax for every p in the box. Exact for a box
 * of zero size up to rounding; the wider the box, the looser the bounds.
 */
void fsk_de2000_bounds(const double lo[3], const double hi[3], const double e[3],
                       double *dmin, double *dmax);
/* The same for four colors at once: dmin[j], dmax[j] bound the ΔE00 of
 * the box's colors and e[j] (repeat one to fill), in much less time than
 * four calls. */
void fsk_de2000_bounds_four(const double lo[3], const double hi[3], const double *const e[4],
                            double dmin[4], double dmax[4]);
void fsk_box_distance_bounds(const double lo[3], const double hi[3],
                             const double e[3], double *dmin, double *dmax);

#endif
