/*
 * fsk_calibration_ref.h — reading the reference pipeline's calibration
 * format into a filastack calibration, so both can be run on the same data.
 *
 * The reference format is
 *   {"layers": M, "filaments": [{"name": "Cyan", "rgb": [0, 255, 255]}, ...],
 *    "entries": [{"rgb": [r, g, b], "sequence": [1, 0, 0, 0]}, ...]}
 * with sequence slots bottom to top, 0 = empty, k = filament k.
 */
#ifndef FSK_CALIBRATION_REF_H
#define FSK_CALIBRATION_REF_H

#include <stddef.h>

#include "fsk_calibration.h"
#include "fsk_error.h"

/*
 * Converts the reference calibration in json (size bytes; name is used in
 * messages) into a new calibration: no backing, view top, the given layer
 * height (mm), source kind "reference", every entry's origin "predicted",
 * Lab computed from the RGB. Sequences are checked like a calibration
 * file's. On success the caller frees *out with fsk_calibration_free.
 */
int fsk_calibration_from_reference(const char *name, const char *json,
                                   size_t size, double layer_height_mm,
                                   fsk_calibration **out, fsk_err *err);

#endif
