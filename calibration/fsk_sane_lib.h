/*
 * fsk_sane_lib.h — libsane's entry points, loaded when a scan first needs
 * them (fsk_dynlib.h): commands that never scan do not load the scanner
 * stack.
 */
#ifndef FSK_SANE_LIB_H
#define FSK_SANE_LIB_H

#include <sane/sane.h>

#include "fsk_error.h"

typedef struct fsk_sane_api {
    SANE_Status (*init)(SANE_Int *version_code, SANE_Auth_Callback authorize);
    void (*exit)(void);
    SANE_Status (*get_devices)(const SANE_Device ***device_list, SANE_Bool local_only);
    SANE_Status (*open)(SANE_String_Const devicename, SANE_Handle *handle);
    void (*close)(SANE_Handle handle);
    const SANE_Option_Descriptor *(*get_option_descriptor)(SANE_Handle handle,
                                                           SANE_Int option);
    SANE_Status (*control_option)(SANE_Handle handle, SANE_Int option, SANE_Action action,
                                  void *value, SANE_Int *info);
    SANE_Status (*get_parameters)(SANE_Handle handle, SANE_Parameters *params);
    SANE_Status (*start)(SANE_Handle handle);
    SANE_Status (*read)(SANE_Handle handle, SANE_Byte *data, SANE_Int max_length,
                        SANE_Int *length);
    void (*cancel)(SANE_Handle handle);
} fsk_sane_api;

/* Loads libsane (the first call does): 0, or FSK_EUNSUPPORTED with err
 * reading "cannot load libsane.so.1 ...". */
int fsk_sane_load(fsk_err *err);

/* libsane's functions, for use after fsk_sane_load succeeded. */
extern const fsk_sane_api *const fsk_sane;

#endif
