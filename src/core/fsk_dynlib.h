/*
 * fsk_dynlib.h — a shared library loaded when it is first needed (dlopen),
 * for the dependencies only some commands use: libsane for scanning,
 * libxml2 for reading 3MF files back. Linked at build time they would be
 * loaded, with everything they pull in (libusb, libudev, libstdc++, ICU),
 * at every start of every command: about 5 ms (10.2 -> 5.0 ms for
 * `filastack --version`), a thirtieth of converting a small image.
 *
 * A library is described by its soname and the names of the functions the
 * caller needs; fsk_dynlib_load fills a table of pointers to them, once
 * per process, whichever thread asks first.
 */
#ifndef FSK_DYNLIB_H
#define FSK_DYNLIB_H

#include <stddef.h>

#include "fsk_error.h"

typedef struct fsk_dynlib {
    const char *soname;        /* e.g. "libsane.so.1" */
    const char *package;       /* the Debian package that provides it, for messages */
    const char *const *names;  /* count symbol names */
    size_t count;
    /* A struct of count function pointers in names' order (and nothing
     * else: each shim checks its size), filled by the load. */
    void *table;
    /* Filled by fsk_dynlib_load; zero-initialise. */
    int tried, failed;
    char error[256];
} fsk_dynlib;

/*
 * Loads lib (the first call; later calls return the first one's result):
 * 0 with every pointer of the table set, or FSK_EUNSUPPORTED with err reading "cannot load
 * SONAME (install PACKAGE): reason".
 */
int fsk_dynlib_load(fsk_dynlib *lib, fsk_err *err);

/*
 * Defines a library's loader in its shim's .c file: for API, a struct of
 * function pointers, and NAMES, the array of their symbol names in member
 * order, the table itself, `const API *const PTR` pointing at it (valid
 * once LOAD succeeded) and `int LOAD(fsk_err *err)`, which loads SONAME
 * (provided by the Debian package PACKAGE) through fsk_dynlib_load.
 */
#define FSK_DYNLIB_DEFINE(API, PTR, LOAD, SONAME, PACKAGE, NAMES)                           \
    _Static_assert(sizeof(API) == sizeof(NAMES) / sizeof((NAMES)[0]) * sizeof(void *),     \
                   #API " holds exactly the functions named");                             \
    static API PTR##_table;                                                                \
    static fsk_dynlib PTR##_lib = {.soname = (SONAME),                                     \
                                   .package = (PACKAGE),                                   \
                                   .names = (NAMES),                                       \
                                   .count = sizeof(NAMES) / sizeof((NAMES)[0]),            \
                                   .table = &PTR##_table};                                 \
    const API *const PTR = &PTR##_table;                                                   \
    int LOAD(fsk_err *err) { return fsk_dynlib_load(&PTR##_lib, err); }

#endif
