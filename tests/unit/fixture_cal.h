/*
 * fixture_cal.h — calibrations built in memory for the unit tests.
 *
 * fixture_averaging builds what the reference pipeline's make_calibration.js
 * writes: every valid sequence of n filaments and m layers in canonical
 * order, colored by the mean of its filled layers' RGB rounded half up
 * (JavaScript's Math.round). fixture_simple builds a calibration from an
 * explicit list of sequences and colors.
 */
#ifndef FIXTURE_CAL_H
#define FIXTURE_CAL_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fsk_calibration.h"
#include "fsk_color.h"

static inline void fixture_header(fsk_calibration *cal, int n, int m)
{
    cal->filament_count = n;
    for (int i = 0; i < n; i++)
        snprintf(cal->filaments[i].name, sizeof cal->filaments[i].name, "F%d", i + 1);
    cal->construction.layer_height_mm = 0.08;
    cal->construction.color_layers = m;
    cal->construction.view = FSK_VIEW_TOP;
    snprintf(cal->source.kind, sizeof cal->source.kind, "predicted");
}

/* rgb NULL: the reference's default, Cyan, Magenta, Yellow, White. */
static inline fsk_calibration *fixture_averaging(int n, int m,
                                                 const unsigned char (*rgb)[3])
{
    static const unsigned char cmyw[4][3] = {
        {0, 255, 255}, {255, 0, 255}, {255, 255, 0}, {255, 255, 255}};
    if (!rgb)
        rgb = cmyw;
    size_t count = (size_t)fsk_sequence_count(n, m);
    fsk_calibration *cal = fsk_calibration_new(count, NULL);
    if (!cal)
        return NULL;
    fixture_header(cal, n, m);
    for (int i = 0; i < n; i++)
        memcpy(cal->filaments[i].rgb, rgb[i], 3);
    for (size_t i = 0; i < count; i++) {
        fsk_cal_entry *e = &cal->entries[i];
        fsk_sequence_nth(n, m, i, e->sequence);
        int layers = fsk_sequence_layers(e->sequence, m);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int s = 0; s < layers; s++)
                sum += rgb[e->sequence[s] - 1][c];
            e->rgb[c] = floor(sum / layers + 0.5);
        }
        fsk_srgb255_to_lab(e->rgb, e->lab);
        e->origin = FSK_ORIGIN_PREDICTED;
    }
    return cal;
}

/* count entries of m slots: seqs[i][0..m-1] and rgbs[i] (sRGB 0..255). */
static inline fsk_calibration *fixture_simple(int n, int m, size_t count,
                                       const uint8_t seqs[][4],
                                       const double rgbs[][3])
{
    fsk_calibration *cal = fsk_calibration_new(count, NULL);
    if (!cal)
        return NULL;
    fixture_header(cal, n, m);
    for (size_t i = 0; i < count; i++) {
        memcpy(cal->entries[i].sequence, seqs[i], (size_t)m);
        memcpy(cal->entries[i].rgb, rgbs[i], sizeof rgbs[i]);
        fsk_srgb255_to_lab(cal->entries[i].rgb, cal->entries[i].lab);
    }
    return cal;
}

#endif
