/*
 * fsk_dynlib.c — shared libraries loaded on first use (fsk_dynlib.h).
 */
#include "fsk_dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Loads are rare (a scan, a file checked): one lock serves them all. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static void load(fsk_dynlib *lib)
{
    /* Global, as a linked library's symbols are: libraries it loads itself
     * (SANE's backends) may resolve against it. */
    void *handle = dlopen(lib->soname, RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(lib->error, sizeof lib->error, "%s", why ? why : "not found");
        lib->failed = 1;
        return;
    }
    for (size_t i = 0; i < lib->count; i++) {
        void *sym = dlsym(handle, lib->names[i]);
        if (!sym) {
            snprintf(lib->error, sizeof lib->error, "it has no symbol %s", lib->names[i]);
            lib->failed = 1;
            return; /* the library stays loaded, unused */
        }
        /* POSIX makes dlsym's void * convertible to a function pointer;
         * copied as bytes, no cast is needed. */
        memcpy((char *)lib->table + i * sizeof sym, &sym, sizeof sym);
    }
}

int fsk_dynlib_load(fsk_dynlib *lib, fsk_err *err)
{
    pthread_mutex_lock(&load_lock);
    if (!lib->tried) {
        lib->tried = 1;
        load(lib);
    }
    int failed = lib->failed;
    pthread_mutex_unlock(&load_lock);
    if (failed)
        return fsk_err_set(err, FSK_EUNSUPPORTED, "cannot load %s (install %s): %s",
                           lib->soname, lib->package, lib->error);
    return 0;
}
