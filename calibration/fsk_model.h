/*
 * fsk_model.h — the layered light model: the color a stack of thin
 * filament layers shows, from each filament's color and transmission
 * distance (TD). It predicts calibrations without printing, orders the
 * sequences of a calibration grid, and is the prior the scan analyzer fits.
 *
 * Per channel c of linear RGB, a filament has the reflectance rho_c of an
 * opaque slab (its nominal color, decoded from sRGB) and an attenuation
 * coefficient alpha_c per mm. A layer of thickness t lets through
 * tau = exp(-alpha_c t) of the light on each pass, so over a background of
 * reflectance R it shows
 *
 *     R' = rho_c (1 - tau^2) + tau^2 R
 *
 * (light that crosses the layer twice sees the background; the rest is
 * scattered back with the filament's own color). The stack is composited
 * from the layer farthest from the viewer to the nearest, starting from the
 * background: the backing when there is one, else what lies behind the
 * print while it is looked at (a scanner lid, FSK_MODEL_BACKGROUND).
 *
 * From TD: at thickness TD a mid-gray channel (rho = 0.5) lets 1 % of the
 * light through, and channels a filament reflects strongly are absorbed
 * less: alpha_c = ln(100) / TD * (1.5 - rho_c). Filaments without a TD use
 * FSK_MODEL_DEFAULT_TD_MM.
 */
#ifndef FSK_MODEL_H
#define FSK_MODEL_H

#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_profile.h"

#define FSK_MODEL_DEFAULT_TD_MM 3.0
#define FSK_MODEL_BACKGROUND 0.80 /* linear reflectance of a white scanner lid */

typedef struct fsk_optics {
    double reflect[3];       /* rho: linear reflectance of an opaque slab */
    double absorb_per_mm[3]; /* alpha: single-pass attenuation, 1/mm */
} fsk_optics;

typedef struct fsk_model {
    int filament_count;
    fsk_optics filament[FSK_MAX_FILAMENTS]; /* filament k is filament[k-1] */
    double background[3];                   /* linear reflectance behind the print */
} fsk_model;

/* The model of n filaments from their nominal colors and TDs. */
void fsk_model_from_filaments(const fsk_filament *filaments, int n, fsk_model *out);

/*
 * Linear RGB (0..1) of sequence seq (construction->color_layers slots)
 * built as construction says: view top stacks backing, slot 0, slot 1, ...
 * upward and is seen from the top; view bottom is seen through slot 0, with
 * the backing (and, for empty slots, backing filament) behind.
 */
void fsk_model_predict(const fsk_model *model, const fsk_construction *construction,
                       const uint8_t *seq, double linear_rgb[3]);

/* Fills a calibration's entry colors (rgb, lab, origin "predicted"). */
void fsk_model_predict_entry(const fsk_model *model, const fsk_construction *construction,
                             fsk_cal_entry *entry);

/* Default color layers and backing thickness of a construction. */
#define FSK_DEFAULT_COLOR_LAYERS 4
#define FSK_DEFAULT_BACKING_MM 0.64

/*
 * The default construction for n filaments printed with layer_height_mm
 * layers: FSK_DEFAULT_COLOR_LAYERS color layers, seen from the top, over a
 * backing of the lightest filament (highest CIELAB L*) about
 * FSK_DEFAULT_BACKING_MM thick (a whole number of layers).
 */
void fsk_model_default_construction(const fsk_filament *filaments, int n,
                                    double layer_height_mm, fsk_construction *out);

/*
 * A predicted calibration: every valid sequence of n filaments under
 * construction, in canonical order, colored by the model of the filaments,
 * source kind "predicted". Fails with FSK_ELIMIT when there are more than
 * 65000 sequences, FSK_EINVAL for an invalid construction, FSK_ENOMEM.
 * Caller frees *out with fsk_calibration_free.
 */
int fsk_model_calibration(const fsk_filament *filaments, int n,
                          const fsk_construction *construction,
                          fsk_calibration **out, fsk_err *err);

#endif
