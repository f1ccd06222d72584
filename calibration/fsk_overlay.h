/*
 * fsk_overlay.h — a picture that shows how a scan was read: the scan with
 * every sampled area outlined (green), patches flagged as not uniform
 * outlined and crossed (red), the fiducial marks circled (blue when found,
 * red when missing) and the plate's outline (blue), so a user sees at a
 * glance that the grid was read right.
 */
#ifndef FSK_OVERLAY_H
#define FSK_OVERLAY_H

#include "fsk_analyze.h"
#include "fsk_error.h"
#include "fsk_grid.h"
#include "fsk_linear_image.h"

/*
 * Writes the overlay of scan img read as res (a result of
 * fsk_analyze_scan for grid) to path as an 8-bit RGB PNG, atomically, with
 * the scan's resolution. FSK_ENOMEM, FSK_EIO.
 */
int fsk_overlay_write(const char *path, const fsk_linear_image *img, const fsk_grid *grid,
                      const fsk_scan_result *res, fsk_err *err);

#endif
