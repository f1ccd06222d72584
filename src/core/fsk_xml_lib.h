/*
 * fsk_xml_lib.h — the part of libxml2's streaming reader the mesh checker
 * uses, loaded when a 3MF is first read back (fsk_dynlib.h): libxml2 and
 * the ICU libraries it pulls in cost every other command ~4 ms to load.
 */
#ifndef FSK_XML_LIB_H
#define FSK_XML_LIB_H

#include <libxml/xmlreader.h>

#include "fsk_error.h"

typedef struct fsk_xml_api {
    xmlTextReaderPtr (*reader_for_memory)(const char *buffer, int size, const char *url,
                                          const char *encoding, int options);
    void (*set_structured_error_handler)(xmlTextReaderPtr reader, xmlStructuredErrorFunc f,
                                         void *arg);
    int (*read)(xmlTextReaderPtr reader);
    int (*node_type)(xmlTextReaderPtr reader);
    int (*is_empty_element)(xmlTextReaderPtr reader);
    const xmlChar *(*const_local_name)(xmlTextReaderPtr reader);
    const xmlChar *(*const_value)(xmlTextReaderPtr reader);
    int (*move_to_attribute)(xmlTextReaderPtr reader, const xmlChar *name);
    int (*move_to_next_attribute)(xmlTextReaderPtr reader);
    int (*move_to_element)(xmlTextReaderPtr reader);
    int (*get_parser_line_number)(xmlTextReaderPtr reader);
    void (*free_reader)(xmlTextReaderPtr reader);
} fsk_xml_api;

/* Loads libxml2 (the first call does): 0, or FSK_EUNSUPPORTED with err
 * reading "cannot load libxml2.so.2 ...". */
int fsk_xml_load(fsk_err *err);

/* libxml2's functions, for use after fsk_xml_load succeeded. */
extern const fsk_xml_api *const fsk_xml;

#endif
