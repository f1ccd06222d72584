/*
 * test_dynlib.c — libraries loaded on first use: a library and its
 * functions found and callable, a missing library and a missing symbol
 * reported in one line (and remembered, not retried), and libxml2 through
 * the mesh checker's loader.
 */
#include <math.h>
#include <string.h>

#include "fsk_dynlib.h"
#include "fsk_xml_lib.h"
#include "tkit.h"

typedef struct math_api {
    double (*cos)(double);
    double (*sqrt)(double);
} math_api;

static void test_loads_functions(void)
{
    static const char *const names[] = {"cos", "sqrt"};
    static math_api api;
    static fsk_dynlib lib = {.soname = "libm.so.6", .package = "libc6", .names = names,
                             .count = 2, .table = &api};
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_dynlib_load(&lib, &err), 0);
    TKIT_TRUE(api.cos != NULL && api.sqrt != NULL);
    if (api.cos && api.sqrt) {
        TKIT_NEAR(api.cos(0.5), cos(0.5), 0);
        TKIT_NEAR(api.sqrt(2.0), sqrt(2.0), 0);
    }
    /* A second call finds it loaded. */
    TKIT_EQ_INT(fsk_dynlib_load(&lib, &err), 0);
}

static void test_missing_library(void)
{
    static const char *const names[] = {"anything"};
    static void *table[1];
    static fsk_dynlib lib = {.soname = "libfilastack-absent.so.9", .package = "nothing",
                             .names = names, .count = 1, .table = table};
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_dynlib_load(&lib, &err), FSK_EUNSUPPORTED);
    TKIT_CONTAINS(err.msg, "cannot load libfilastack-absent.so.9 (install nothing): ");
    TKIT_TRUE(strchr(err.msg, '\n') == NULL);
    fsk_err again = {0};
    TKIT_EQ_INT(fsk_dynlib_load(&lib, &again), FSK_EUNSUPPORTED);
    TKIT_EQ_STR(again.msg, err.msg);
}

static void test_missing_symbol(void)
{
    static const char *const names[] = {"cos", "fsk_no_such_function"};
    static void *table[2];
    static fsk_dynlib lib = {.soname = "libm.so.6", .package = "libc6", .names = names,
                             .count = 2, .table = table};
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_dynlib_load(&lib, &err), FSK_EUNSUPPORTED);
    TKIT_EQ_STR(err.msg, "cannot load libm.so.6 (install libc6): it has no symbol "
                         "fsk_no_such_function");
}

/* libxml2 parses through the loaded table. */
static void test_xml_reader(void)
{
    fsk_err err = {0};
    TKIT_EQ_INT(fsk_xml_load(&err), 0);
    static const char doc[] = "<model unit=\"inch\"><object id=\"7\"/></model>";
    xmlTextReaderPtr r = fsk_xml->reader_for_memory(doc, (int)strlen(doc), NULL, NULL, 0);
    TKIT_TRUE(r != NULL);
    if (!r)
        return;
    int elements = 0;
    while (fsk_xml->read(r) == 1)
        if (fsk_xml->node_type(r) == XML_READER_TYPE_ELEMENT) {
            elements++;
            if (elements == 1) {
                TKIT_EQ_STR((const char *)fsk_xml->const_local_name(r), "model");
                TKIT_EQ_INT(fsk_xml->move_to_attribute(r, (const xmlChar *)"unit"), 1);
                TKIT_EQ_STR((const char *)fsk_xml->const_value(r), "inch");
                fsk_xml->move_to_element(r);
            }
        }
    TKIT_EQ_INT(elements, 2);
    fsk_xml->free_reader(r);
}

int main(void)
{
    TKIT_RUN(test_loads_functions);
    TKIT_RUN(test_missing_library);
    TKIT_RUN(test_missing_symbol);
    TKIT_RUN(test_xml_reader);
    return TKIT_DONE();
}
