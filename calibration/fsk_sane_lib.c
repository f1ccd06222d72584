/*
 * fsk_sane_lib.c — libsane loaded on first use (fsk_sane_lib.h).
 */
#include "fsk_sane_lib.h"

#include "fsk_dynlib.h"

/* In the order of the members of fsk_sane_api. */
static const char *const names[] = {
    "sane_init",  "sane_exit",           "sane_get_devices", "sane_open",
    "sane_close", "sane_get_option_descriptor", "sane_control_option",
    "sane_get_parameters", "sane_start", "sane_read", "sane_cancel",
};

_Static_assert(sizeof(fsk_sane_api) == sizeof names / sizeof names[0] * sizeof(void *),
               "fsk_sane_api holds exactly the functions named");

static fsk_sane_api api;
static fsk_dynlib lib = {
    .soname = "libsane.so.1",
    .package = "libsane1",
    .names = names,
    .count = sizeof names / sizeof names[0],
    .table = &api,
};

const fsk_sane_api *const fsk_sane = &api;

int fsk_sane_load(fsk_err *err)
{
    return fsk_dynlib_load(&lib, err);
}
