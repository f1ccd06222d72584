/*
 * fsk_xml_lib.c — libxml2's reader loaded on first use (fsk_xml_lib.h).
 */
#include "fsk_xml_lib.h"

#include "fsk_dynlib.h"

/* In the order of the members of fsk_xml_api. */
static const char *const names[] = {
    "xmlReaderForMemory",
    "xmlTextReaderSetStructuredErrorHandler",
    "xmlTextReaderRead",
    "xmlTextReaderNodeType",
    "xmlTextReaderIsEmptyElement",
    "xmlTextReaderConstLocalName",
    "xmlTextReaderConstValue",
    "xmlTextReaderMoveToAttribute",
    "xmlTextReaderMoveToNextAttribute",
    "xmlTextReaderMoveToElement",
    "xmlTextReaderGetParserLineNumber",
    "xmlFreeTextReader",
};

_Static_assert(sizeof(fsk_xml_api) == sizeof names / sizeof names[0] * sizeof(void *),
               "fsk_xml_api holds exactly the functions named");

static fsk_xml_api api;
static fsk_dynlib lib = {
    .soname = "libxml2.so.2",
    .package = "libxml2",
    .names = names,
    .count = sizeof names / sizeof names[0],
    .table = &api,
};

const fsk_xml_api *const fsk_xml = &api;

int fsk_xml_load(fsk_err *err)
{
    return fsk_dynlib_load(&lib, err);
}
