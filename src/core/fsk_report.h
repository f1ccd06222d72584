/*
 * fsk_report.h — <stem>_report.json: what a conversion made and how well
 * it matches the artwork ("format": "filastack-report", version 1; the
 * fields are listed in filastack(5)). Everything in it is deterministic
 * except "timings_ms".
 */
#ifndef FSK_REPORT_H
#define FSK_REPORT_H

#include "fsk_convert.h"

/* Writes the report of a finished conversion to path, atomically. */
int fsk_report_write(const char *path, const char *input, const fsk_calibration *cal,
                     const fsk_convert_options *opt, const fsk_convert_result *res,
                     fsk_err *err);

#endif
