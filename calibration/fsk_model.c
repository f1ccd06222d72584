/*
 * fsk_model.c — the layered light model (formulas in fsk_model.h).
 */
#include "fsk_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fsk_color.h"

void fsk_model_from_filaments(const fsk_filament *filaments, int n, fsk_model *out)
{
    out->filament_count = n;
    for (int c = 0; c < 3; c++)
        out->background[c] = FSK_MODEL_BACKGROUND;
    for (int k = 0; k < n && k < FSK_MAX_FILAMENTS; k++) {
        double td = filaments[k].td_mm > 0 ? filaments[k].td_mm : FSK_MODEL_DEFAULT_TD_MM;
        for (int c = 0; c < 3; c++) {
            /* An opaque slab never reflects all or nothing of a channel. */
            double rho = fsk_srgb_to_linear(filaments[k].rgb[c] / 255.0);
            rho = fmin(fmax(rho, 0.002), 0.998);
            out->filament[k].reflect[c] = rho;
            out->filament[k].absorb_per_mm[c] = log(100.0) / td * (1.5 - rho);
        }
    }
}

/* Puts one layer of filament f (1-based), t_mm thick, over reflectance r. */
static void over(const fsk_model *m, int f, double t_mm, double r[3])
{
    const fsk_optics *o = &m->filament[f - 1];
    for (int c = 0; c < 3; c++) {
        double tau2 = exp(-2.0 * o->absorb_per_mm[c] * t_mm);
        r[c] = o->reflect[c] * (1.0 - tau2) + tau2 * r[c];
    }
}

void fsk_model_predict(const fsk_model *model, const fsk_construction *cons,
                       const uint8_t *seq, double linear_rgb[3])
{
    const int m = cons->color_layers;
    const double h = cons->layer_height_mm;
    const int backing = cons->backing_filament;
    double r[3] = {model->background[0], model->background[1], model->background[2]};
    if (backing > 0)
        over(model, backing, cons->backing_mm, r);
    if (cons->view == FSK_VIEW_TOP) {
        /* Farthest first: slot 0 sits on the backing, the top slot is seen. */
        for (int i = 0; i < m; i++)
            if (seq[i])
                over(model, seq[i], h, r);
    } else {
        /* Seen through slot 0; empty slots are printed in backing filament. */
        for (int i = m - 1; i >= 0; i--) {
            if (seq[i])
                over(model, seq[i], h, r);
            else if (backing > 0)
                over(model, backing, h, r);
        }
    }
    for (int c = 0; c < 3; c++)
        linear_rgb[c] = r[c];
}

void fsk_model_predict_entry(const fsk_model *model, const fsk_construction *cons,
                             fsk_cal_entry *entry)
{
    double lin[3];
    fsk_model_predict(model, cons, entry->sequence, lin);
    for (int c = 0; c < 3; c++)
        entry->rgb[c] = 255.0 * fsk_linear_to_srgb(lin[c]);
    fsk_linear_to_lab(lin, entry->lab);
    entry->spread = 0;
    entry->origin = FSK_ORIGIN_PREDICTED;
}

void fsk_model_default_construction(const fsk_filament *filaments, int n,
                                    double layer_height_mm, fsk_construction *out)
{
    int lightest = 1;
    double best_l = -1;
    for (int k = 0; k < n; k++) {
        double rgb[3] = {filaments[k].rgb[0], filaments[k].rgb[1], filaments[k].rgb[2]}, lab[3];
        fsk_srgb255_to_lab(rgb, lab);
        if (lab[0] > best_l) {
            best_l = lab[0];
            lightest = k + 1;
        }
    }
    memset(out, 0, sizeof *out);
    out->layer_height_mm = layer_height_mm;
    out->color_layers = FSK_DEFAULT_COLOR_LAYERS;
    out->backing_filament = lightest;
    out->backing_mm = layer_height_mm * fmax(1.0, round(FSK_DEFAULT_BACKING_MM / layer_height_mm));
    out->view = FSK_VIEW_TOP;
}

int fsk_model_calibration(const fsk_filament *filaments, int n,
                          const fsk_construction *cons, fsk_calibration **out,
                          fsk_err *err)
{
    *out = NULL;
    uint64_t count = fsk_sequence_count(n, cons->color_layers);
    if (count == 0 || count > 65000)
        return fsk_err_set(err, FSK_ELIMIT,
                           "%d filaments in %d layers make too many sequences to predict",
                           n, cons->color_layers);
    fsk_calibration *cal = fsk_calibration_new((size_t)count, err);
    if (!cal)
        return err ? err->code : FSK_ENOMEM;
    cal->filament_count = n;
    for (int k = 0; k < n; k++)
        cal->filaments[k] = filaments[k];
    cal->construction = *cons;
    snprintf(cal->source.kind, sizeof cal->source.kind, "predicted");
    snprintf(cal->source.device, sizeof cal->source.device, "filastack layered light model");
    fsk_model model;
    fsk_model_from_filaments(filaments, n, &model);
    for (uint64_t i = 0; i < count; i++) {
        fsk_cal_entry *e = &cal->entries[i];
        fsk_sequence_nth(n, cons->color_layers, i, e->sequence);
        fsk_model_predict_entry(&model, cons, e);
    }
    int rc = fsk_calibration_check("predicted calibration", cal, err);
    if (rc) {
        fsk_calibration_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}
