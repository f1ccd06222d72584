/*
 * fsk_model_fit.c — Levenberg-Marquardt fit of the layered light model,
 * cross-validation and the filament plausibility check (see
 * fsk_model_fit.h).
 */
#include "fsk_model_fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_color.h"
#include "fsk_linsolve.h"

#define PRIOR_WEIGHT 0.3 /* per unit of logit or log, in L*-like units */
#define MAX_PARAMS (6 * FSK_MAX_FILAMENTS + 3)

typedef struct problem {
    const fsk_fit_data *data;
    const fsk_model *prior;
    int n;                 /* filaments */
    int np;                /* active parameters */
    int param[MAX_PARAMS]; /* active parameter -> slot in the full vector */
    double theta0[MAX_PARAMS];
    size_t *rows;          /* patches taking part */
    size_t nrows;
} problem;

static double logit(double p)
{
    p = fmin(fmax(p, 1e-6), 1 - 1e-6);
    return log(p / (1 - p));
}

static double sigmoid(double u)
{
    return 1 / (1 + exp(-u));
}

/* Full vector: filament f channel c reflectance at 6f+c, absorption at
 * 6f+3+c, background at 6n+c. */
static void to_theta(const fsk_model *m, int n, double *t)
{
    for (int f = 0; f < n; f++)
        for (int c = 0; c < 3; c++) {
            t[6 * f + c] = logit(m->filament[f].reflect[c]);
            t[6 * f + 3 + c] = log(fmax(m->filament[f].absorb_per_mm[c], 1e-6));
        }
    for (int c = 0; c < 3; c++)
        t[6 * n + c] = logit(m->background[c]);
}

static void from_theta(const double *t, int n, const fsk_model *like, fsk_model *m)
{
    *m = *like;
    for (int f = 0; f < n; f++)
        for (int c = 0; c < 3; c++) {
            m->filament[f].reflect[c] = fmin(fmax(sigmoid(t[6 * f + c]), 0.001), 0.999);
            m->filament[f].absorb_per_mm[c] = exp(t[6 * f + 3 + c]);
        }
    for (int c = 0; c < 3; c++)
        m->background[c] = sigmoid(t[6 * n + c]);
}

static double clamp_param(int slot, int n, double v)
{
    if (slot < 6 * n && slot % 6 >= 3)
        return fmin(fmax(v, log(0.01)), log(300.0));
    return fmin(fmax(v, -7.0), 7.0);
}

static double lstar_like(double v)
{
    return 100.0 * cbrt(fmax(v, 1e-6));
}

/* Residuals of the full vector t: 3 per patch, then one per active
 * parameter (the prior). Returns the sum of squares. */
static double residuals(const problem *p, const double *t, double *r)
{
    fsk_model m;
    from_theta(t, p->n, p->prior, &m);
    const fsk_fit_data *d = p->data;
    double ss = 0;
    for (size_t k = 0; k < p->nrows; k++) {
        size_t i = p->rows[k];
        double lin[3];
        fsk_model_predict(&m, d->construction, d->seq[i], lin);
        for (int c = 0; c < 3; c++) {
            double v = lstar_like(lin[c]) - lstar_like(d->rgb[i][c]);
            r[3 * k + (size_t)c] = v;
            ss += v * v;
        }
    }
    for (int j = 0; j < p->np; j++) {
        double v = PRIOR_WEIGHT * (t[p->param[j]] - p->theta0[p->param[j]]);
        r[3 * p->nrows + (size_t)j] = v;
        ss += v * v;
    }
    return ss;
}

static int setup(problem *p, const fsk_model *prior, const fsk_fit_data *d, fsk_err *err)
{
    memset(p, 0, sizeof *p);
    p->data = d;
    p->prior = prior;
    p->n = prior->filament_count;
    p->rows = malloc((d->count ? d->count : 1) * sizeof *p->rows);
    if (!p->rows)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    int used[FSK_MAX_FILAMENTS + 1] = {0};
    const int m = d->construction->color_layers;
    for (size_t i = 0; i < d->count; i++) {
        if (d->use && !d->use[i])
            continue;
        p->rows[p->nrows++] = i;
        for (int s = 0; s < m; s++)
            if (d->seq[i][s] >= 1 && d->seq[i][s] <= p->n)
                used[d->seq[i][s]] = 1;
    }
    if (p->nrows < 2)
        return fsk_err_set(err, FSK_EINVAL, "too few patches to fit the model (%zu)",
                           p->nrows);
    int b = d->construction->backing_filament;
    if (b >= 1 && b <= p->n)
        used[b] = 1;
    to_theta(prior, p->n, p->theta0);
    for (int f = 0; f < p->n; f++)
        if (used[f + 1])
            for (int k = 0; k < 6; k++)
                p->param[p->np++] = 6 * f + k;
    for (int c = 0; c < 3; c++)
        p->param[p->np++] = 6 * p->n + c;
    return 0;
}

int fsk_model_fit(const fsk_model *prior, const fsk_fit_data *data, fsk_model *out,
                  fsk_err *err)
{
    problem p;
    int rc = setup(&p, prior, data, err);
    if (rc) {
        free(p.rows);
        return rc;
    }
    const size_t nr = 3 * p.nrows + (size_t)p.np;
    const int np = p.np;
    double *r = malloc(nr * sizeof *r), *r2 = malloc(nr * sizeof *r2);
    double *jac = malloc(nr * (size_t)np * sizeof *jac);
    double *a = malloc((size_t)np * (size_t)np * sizeof *a);
    double *jtj = malloc((size_t)np * (size_t)np * sizeof *jtj);
    if (!r || !r2 || !jac || !a || !jtj) {
        rc = fsk_err_set(err, FSK_ENOMEM, "out of memory");
        goto done;
    }
    double t[MAX_PARAMS], trial[MAX_PARAMS], g[MAX_PARAMS], step[MAX_PARAMS];
    memcpy(t, p.theta0, sizeof t);
    double cost = residuals(&p, t, r), mu = 1e-3;
    for (int it = 0; it < 100; it++) {
        /* Forward-difference Jacobian, one column per active parameter. */
        for (int j = 0; j < np; j++) {
            memcpy(trial, t, sizeof trial);
            const double h = 1e-5;
            trial[p.param[j]] += h;
            residuals(&p, trial, r2);
            for (size_t i = 0; i < nr; i++)
                jac[(size_t)j * nr + i] = (r2[i] - r[i]) / h;
        }
        for (int j = 0; j < np; j++) {
            g[j] = 0;
            for (size_t i = 0; i < nr; i++)
                g[j] += jac[(size_t)j * nr + i] * r[i];
        }
        for (int j = 0; j < np; j++)
            for (int k = j; k < np; k++) {
                double s = 0;
                for (size_t i = 0; i < nr; i++)
                    s += jac[(size_t)j * nr + i] * jac[(size_t)k * nr + i];
                jtj[j * np + k] = jtj[k * np + j] = s;
            }
        bool improved = false;
        while (!improved && mu < 1e10) {
            memcpy(a, jtj, (size_t)np * (size_t)np * sizeof *a);
            for (int j = 0; j < np; j++) {
                a[j * np + j] += mu * a[j * np + j] + 1e-12;
                step[j] = -g[j];
            }
            if (!fsk_solve(np, a, step)) {
                mu *= 10;
                continue;
            }
            memcpy(trial, t, sizeof trial);
            for (int j = 0; j < np; j++)
                trial[p.param[j]] = clamp_param(p.param[j], p.n, t[p.param[j]] + step[j]);
            double c2 = residuals(&p, trial, r2);
            if (c2 < cost) {
                improved = true;
                double gain = cost - c2;
                memcpy(t, trial, sizeof t);
                memcpy(r, r2, nr * sizeof *r);
                cost = c2;
                mu = fmax(mu / 3, 1e-9);
                if (gain < 1e-9 * cost)
                    it = 1000;
            } else {
                mu *= 4;
            }
        }
        if (!improved)
            break;
    }
    from_theta(t, p.n, prior, out);
done:
    free(r);
    free(r2);
    free(jac);
    free(a);
    free(jtj);
    free(p.rows);
    return rc;
}

static double patch_de(const fsk_model *model, const fsk_fit_data *d, size_t i)
{
    double lin[3], a[3], b[3];
    fsk_model_predict(model, d->construction, d->seq[i], lin);
    fsk_linear_to_lab(lin, a);
    fsk_linear_to_lab(d->rgb[i], b);
    return fsk_de2000(a, b);
}

double fsk_model_mean_de00(const fsk_model *model, const fsk_fit_data *data, double *max)
{
    double sum = 0, mx = 0;
    size_t n = 0;
    for (size_t i = 0; i < data->count; i++) {
        if (data->use && !data->use[i])
            continue;
        double e = patch_de(model, data, i);
        sum += e;
        mx = fmax(mx, e);
        n++;
    }
    if (max)
        *max = mx;
    return n ? sum / (double)n : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int fsk_model_kfold(const fsk_model *prior, const fsk_fit_data *data, int k, double *mean,
                    double *p95, double *max, fsk_err *err)
{
    *mean = *p95 = *max = 0;
    size_t n = 0;
    for (size_t i = 0; i < data->count; i++)
        n += !data->use || data->use[i];
    if (n < 4)
        return fsk_err_set(err, FSK_EINVAL, "too few patches to cross-validate (%zu)", n);
    if ((size_t)k > n)
        k = (int)n;
    if (k < 2)
        k = 2;
    unsigned char *use = malloc(data->count);
    double *de = malloc(n * sizeof *de);
    if (!use || !de) {
        free(use);
        free(de);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    size_t m = 0;
    int rc = 0;
    for (int fold = 0; fold < k && rc == 0; fold++) {
        for (size_t i = 0; i < data->count; i++)
            use[i] = (!data->use || data->use[i]) && (int)(i % (size_t)k) != fold;
        fsk_fit_data train = *data;
        train.use = use;
        fsk_model fitted;
        rc = fsk_model_fit(prior, &train, &fitted, err);
        for (size_t i = 0; rc == 0 && i < data->count; i++)
            if ((!data->use || data->use[i]) && (int)(i % (size_t)k) == fold)
                de[m++] = patch_de(&fitted, data, i);
    }
    if (rc == 0 && m > 0) {
        double sum = 0;
        for (size_t i = 0; i < m; i++)
            sum += de[i];
        qsort(de, m, sizeof *de, cmp_double);
        *mean = sum / (double)m;
        *p95 = de[(size_t)floor(0.95 * (double)(m - 1) + 0.5)];
        *max = de[m - 1];
    }
    free(use);
    free(de);
    return rc;
}

int fsk_model_check_filaments(const fsk_filament *filaments, int n, const fsk_model *nominal,
                              const fsk_model *fitted, char *msgs, size_t cap, int max_msgs)
{
    int suspects = 0;
    for (int f = 0; f < n; f++) {
        const fsk_optics *a = &nominal->filament[f], *b = &fitted->filament[f];
        double want[3], got[3];
        fsk_linear_to_lab(a->reflect, want);
        fsk_linear_to_lab(b->reflect, got);
        double de = fsk_de2000(want, got);
        bool extreme = false;
        for (int c = 0; c < 3; c++)
            extreme = extreme || b->absorb_per_mm[c] <= 0.0101 || b->absorb_per_mm[c] >= 299;
        if (!(de > 20) && !extreme)
            continue;
        if (suspects < max_msgs) {
            const fsk_filament *fl = &filaments[f];
            char *msg = msgs + (size_t)suspects * cap;
            if (de > 20)
                snprintf(msg, cap,
                         "filament %d '%s' (#%02X%02X%02X) does not look like its profile: "
                         "its patches fit an opaque color of #%02X%02X%02X (ΔE00 %.0f); was "
                         "the grid printed with other filaments?",
                         f + 1, fl->name, fl->rgb[0], fl->rgb[1], fl->rgb[2],
                         fsk_linear_to_srgb8(b->reflect[0]), fsk_linear_to_srgb8(b->reflect[1]),
                         fsk_linear_to_srgb8(b->reflect[2]), de);
            else
                snprintf(msg, cap,
                         "filament %d '%s': its patches fit a transmission distance no "
                         "filament has; was the grid printed with other filaments?",
                         f + 1, fl->name);
        }
        suspects++;
    }
    return suspects;
}
