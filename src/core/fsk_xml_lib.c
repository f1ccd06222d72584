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

FSK_DYNLIB_DEFINE(fsk_xml_api, fsk_xml, fsk_xml_load, "libxml2.so.2", "libxml2", names)
