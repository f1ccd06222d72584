/*
 * fsk_sane_lib.c — libsane loaded on first use (fsk_sane_lib.h).
 */
#include "fsk_sane_lib.h"

#include "fsk_dynlib.h"

/* In the order of the members of fsk_sane_api. */
static const char *const names[] = {
    "sane_init",
    "sane_exit",
    "sane_get_devices",
    "sane_open",
    "sane_close",
    "sane_get_option_descriptor",
    "sane_control_option",
    "sane_get_parameters",
    "sane_start",
    "sane_read",
    "sane_cancel",
};

FSK_DYNLIB_DEFINE(fsk_sane_api, fsk_sane, fsk_sane_load, "libsane.so.1", "libsane1", names)
