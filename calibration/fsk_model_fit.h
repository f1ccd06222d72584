/*
 * fsk_model_fit.h — fitting the layered light model (fsk_model.h) to
 * measured patches, and judging how well it predicts.
 *
 * The fit adjusts every filament's reflectance and absorption per channel
 * and the background behind the print, by Levenberg-Marquardt on the
 * differences of cube roots of linear RGB (scaled to about L* units, so
 * dark colors count as much as light ones). Parameters are kept in range
 * by their form (logit of the reflectance, log of the absorption) and held
 * weakly to the starting model, so a filament seen in few patches keeps
 * its nominal values. Deterministic: same data, same result.
 */
#ifndef FSK_MODEL_FIT_H
#define FSK_MODEL_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "fsk_calibration.h"
#include "fsk_error.h"
#include "fsk_model.h"

/* Measured patches: count sequences (construction->color_layers slots
 * each, FSK_MAX_COLOR_LAYERS apart) and their linear RGB; use (may be
 * NULL for all) picks the patches that take part. Borrowed. */
typedef struct fsk_fit_data {
    const fsk_construction *construction;
    size_t count;
    const uint8_t (*seq)[FSK_MAX_COLOR_LAYERS];
    const double (*rgb)[3];
    const unsigned char *use;
} fsk_fit_data;

/*
 * Fits the model to data starting from (and held weakly to) prior; *out
 * receives the fitted model. FSK_EINVAL when fewer than 2 patches take
 * part, FSK_ENOMEM.
 */
int fsk_model_fit(const fsk_model *prior, const fsk_fit_data *data, fsk_model *out,
                  fsk_err *err);

/* ΔE00 between model and the patches taking part: mean, and the largest
 * in *max (may be NULL). 0 when none take part. */
double fsk_model_mean_de00(const fsk_model *model, const fsk_fit_data *data, double *max);

/*
 * k-fold cross-validation: patch i is in fold i mod k; each fold is
 * predicted by a model fitted to the others. ΔE00 of those predictions:
 * mean, 95th percentile and largest. k is lowered to the number of
 * patches taking part; FSK_EINVAL with fewer than 4 of them.
 */
int fsk_model_kfold(const fsk_model *prior, const fsk_fit_data *data, int k, double *mean,
                    double *p95, double *max, fsk_err *err);

/*
 * Looks for filaments printed other than their profile says, from a model
 * fitted to the patches: filament f (1..n) is suspect when its fitted
 * opaque color is more than 20 ΔE00 from its nominal one, or its fitted
 * absorption sits at the end of its range (a transmission distance no
 * filament has). Writes one message per suspect filament into msgs (up to
 * max_msgs messages of cap bytes each) and returns how many are suspect.
 */
int fsk_model_check_filaments(const fsk_filament *filaments, int n, const fsk_model *nominal,
                              const fsk_model *fitted, char *msgs, size_t cap, int max_msgs);

#endif
