/*
 * fsk_meshcheck_3mf.c — the mesh checker's 3MF reader: the ZIP container
 * through fsk_unzip, the model parts through libxml2's streaming reader
 * from memory (no network, no entity substitution, no DTD loading), loaded
 * on the first read (fsk_xml_lib.h). Every
 * <object> holding a <mesh> becomes one report entry; model parts that the
 * root part's components reference (3MF production extension, p:path) are
 * read too.
 */
#include "fsk_meshcheck_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_unzip.h"
#include "fsk_xml_lib.h"

#define MAX_PARTS 1024
#define DEFAULT_MODEL "3D/3dmodel.model"
#define MODEL_REL_TYPE "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"

/* A component's reference into another part, with its parent's name. */
typedef struct part_ref {
    char *path;
    unsigned long object_id;
    char name[FSK_MESHCHECK_NAME_MAX];
} part_ref;

typedef struct reader_state {
    fsk_unzip *zip;
    fsk_mc_builder builder;
    fsk_meshcheck_report *report;
    char **parts; /* part names to read, the root first; owned */
    size_t part_count;
    part_ref *refs;
    size_t ref_count;
    char xml_error[256];
} reader_state;

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *arg, const xmlError *e)
#else
static void on_xml_error(void *arg, xmlErrorPtr e)
#endif
{
    reader_state *s = arg;
    if (s->xml_error[0] || !e)
        return;
    snprintf(s->xml_error, sizeof s->xml_error, "line %d: %s", e->line,
             e->message ? e->message : "malformed XML");
    size_t n = strlen(s->xml_error);
    while (n > 0 && (s->xml_error[n - 1] == '\n' || s->xml_error[n - 1] == ' '))
        s->xml_error[--n] = '\0';
}

static xmlTextReaderPtr open_xml(reader_state *s, const unsigned char *text, size_t size)
{
    s->xml_error[0] = '\0';
    xmlTextReaderPtr r = fsk_xml->reader_for_memory((const char *)text, (int)size, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING);
    if (r)
        fsk_xml->set_structured_error_handler(r, on_xml_error, s);
    return r;
}

static int xml_failed(reader_state *s, const char *part, fsk_err *err)
{
    return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': %s", part,
                       s->xml_error[0] ? s->xml_error : "malformed XML");
}

/* 3MF has no use for a DTD; refusing one rules out entity expansion tricks. */
static int no_doctype(const char *part, fsk_err *err)
{
    return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': a DOCTYPE is not allowed", part);
}

static int add_part(reader_state *s, const char *name, fsk_err *err)
{
    while (*name == '/')
        name++;
    for (size_t i = 0; i < s->part_count; i++)
        if (strcmp(s->parts[i], name) == 0)
            return 0;
    if (s->part_count >= MAX_PARTS)
        return fsk_err_set(err, FSK_ELIMIT, "3MF references more than %d model parts",
                           MAX_PARTS);
    char **p = realloc(s->parts, (s->part_count + 1) * sizeof *p);
    if (!p)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    s->parts = p;
    if (!(s->parts[s->part_count] = strdup(name)))
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    s->part_count++;
    return 0;
}

static int read_part(reader_state *s, const char *name, unsigned char **text, size_t *size,
                     fsk_err *err)
{
    long i = fsk_unzip_find(s->zip, name);
    if (i < 0)
        return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s' is missing", name);
    return fsk_unzip_extract(s->zip, (size_t)i, FSK_MESHCHECK_MAX_PART_BYTES, text, size, err);
}

/* The value of attribute `name` of the current element, copied into buf
 * (n bytes, cut short if longer), or NULL when the element has none. */
static const char *attribute(xmlTextReaderPtr r, const char *name, char *buf, size_t n)
{
    if (fsk_xml->move_to_attribute(r, (const xmlChar *)name) != 1)
        return NULL;
    const xmlChar *v = fsk_xml->const_value(r);
    snprintf(buf, n, "%s", v ? (const char *)v : "");
    fsk_xml->move_to_element(r);
    return buf;
}

static int is_element(xmlTextReaderPtr r, const char *local)
{
    return fsk_xml->node_type(r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)fsk_xml->const_local_name(r), local) == 0;
}

/* Finds the root model part in _rels/.rels; DEFAULT_MODEL when there is none. */
static int find_root_part(reader_state *s, fsk_err *err)
{
    if (fsk_unzip_find(s->zip, "_rels/.rels") < 0)
        return add_part(s, DEFAULT_MODEL, err);
    unsigned char *text;
    size_t size;
    int rc = read_part(s, "_rels/.rels", &text, &size, err);
    if (rc)
        return rc;
    xmlTextReaderPtr r = open_xml(s, text, size);
    if (!r) {
        free(text);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    char target[1024] = "";
    int step;
    while ((step = fsk_xml->read(r)) == 1) {
        if (fsk_xml->node_type(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
            fsk_xml->free_reader(r);
            free(text);
            return no_doctype("_rels/.rels", err);
        }
        if (!is_element(r, "Relationship"))
            continue;
        char type[256], tgt[sizeof target];
        if (attribute(r, "Type", type, sizeof type) && attribute(r, "Target", tgt, sizeof tgt) &&
            strcmp(type, MODEL_REL_TYPE) == 0 && !target[0])
            snprintf(target, sizeof target, "%s", tgt);
    }
    fsk_xml->free_reader(r);
    free(text);
    if (step < 0)
        return xml_failed(s, "_rels/.rels", err);
    return add_part(s, target[0] ? target : DEFAULT_MODEL, err);
}

static double unit_mm(const char *unit)
{
    static const struct { const char *name; double mm; } units[] = {
        {"micron", 0.001}, {"millimeter", 1}, {"centimeter", 10},
        {"inch", 25.4},    {"foot", 304.8},   {"meter", 1000},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].mm;
    return 0;
}

/* What the model reader knows about where it is. */
typedef struct model_pos {
    const char *part;
    int is_root;
    double scale;      /* model unit in mm */
    int in_object, in_mesh;
    unsigned long object_id;
    char name[FSK_MESHCHECK_NAME_MAX];
} model_pos;

static int bad_value(const model_pos *m, xmlTextReaderPtr r, const char *what,
                     const char *value, fsk_err *err)
{
    return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': line %d: %s '%s'", m->part,
                       fsk_xml->get_parser_line_number(r), what, value);
}

static int parse_ulong(const char *text, unsigned long *out)
{
    if (*text < '0' || *text > '9')
        return -1;
    char *end;
    *out = strtoul(text, &end, 10);
    return *end ? -1 : 0;
}

static int on_object(reader_state *s, model_pos *m, xmlTextReaderPtr r, fsk_err *err)
{
    m->in_object = 1;
    m->object_id = 0;
    m->name[0] = '\0';
    int have_id = 0;
    while (fsk_xml->move_to_next_attribute(r) == 1) {
        const char *k = (const char *)fsk_xml->const_local_name(r);
        const char *v = (const char *)fsk_xml->const_value(r);
        if (strcmp(k, "id") == 0) {
            if (parse_ulong(v, &m->object_id))
                return bad_value(m, r, "bad object id", v, err);
            have_id = 1;
        } else if (strcmp(k, "name") == 0) {
            snprintf(m->name, sizeof m->name, "%s", v);
        }
    }
    fsk_xml->move_to_element(r);
    if (!have_id)
        return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': line %d: object without an id",
                           m->part, fsk_xml->get_parser_line_number(r));
    for (size_t i = 0; !m->name[0] && !m->is_root && i < s->ref_count; i++)
        if (s->refs[i].object_id == m->object_id && strcmp(s->refs[i].path, m->part) == 0)
            snprintf(m->name, sizeof m->name, "%s", s->refs[i].name);
    if (!m->name[0])
        snprintf(m->name, sizeof m->name, "object %lu", m->object_id);
    return 0;
}

static int on_vertex(reader_state *s, model_pos *m, xmlTextReaderPtr r, fsk_err *err)
{
    double p[3] = {0, 0, 0};
    int have = 0;
    while (fsk_xml->move_to_next_attribute(r) == 1) {
        const char *k = (const char *)fsk_xml->const_local_name(r);
        if ((k[0] != 'x' && k[0] != 'y' && k[0] != 'z') || k[1])
            continue;
        const char *v = (const char *)fsk_xml->const_value(r);
        char *end;
        double x = strtod(v, &end);
        if (end == v || *end || !isfinite(x))
            return bad_value(m, r, "bad vertex coordinate", v, err);
        p[k[0] - 'x'] = x * m->scale;
        have |= 1 << (k[0] - 'x');
    }
    fsk_xml->move_to_element(r);
    if (have != 7)
        return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': line %d: vertex without x, y and z",
                           m->part, fsk_xml->get_parser_line_number(r));
    return fsk_mc_push_vertex(&s->builder, p[0], p[1], p[2], err);
}

static int on_triangle(reader_state *s, model_pos *m, xmlTextReaderPtr r, fsk_err *err)
{
    unsigned long v[3];
    int have = 0;
    while (fsk_xml->move_to_next_attribute(r) == 1) {
        const char *k = (const char *)fsk_xml->const_local_name(r);
        if (k[0] != 'v' || k[1] < '1' || k[1] > '3' || k[2])
            continue;
        const char *val = (const char *)fsk_xml->const_value(r);
        int c = k[1] - '1';
        if (parse_ulong(val, &v[c]))
            return bad_value(m, r, "bad vertex index", val, err);
        if (v[c] >= s->builder.nv)
            return fsk_err_set(err, FSK_EFORMAT,
                               "3MF part '%s': line %d: triangle refers to vertex %lu of %zu",
                               m->part, fsk_xml->get_parser_line_number(r), v[c],
                               s->builder.nv);
        have |= 1 << c;
    }
    fsk_xml->move_to_element(r);
    if (have != 7)
        return fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': line %d: triangle without v1, v2 and v3",
                           m->part, fsk_xml->get_parser_line_number(r));
    return fsk_mc_push_triangle(&s->builder, (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2], err);
}

static int on_component(reader_state *s, model_pos *m, xmlTextReaderPtr r, fsk_err *err)
{
    unsigned long id = 0;
    int have_id = 0;
    char path[1024] = "";
    while (fsk_xml->move_to_next_attribute(r) == 1) {
        const char *k = (const char *)fsk_xml->const_local_name(r);
        const char *v = (const char *)fsk_xml->const_value(r);
        if (strcmp(k, "objectid") == 0)
            have_id = parse_ulong(v, &id) == 0;
        else if (strcmp(k, "path") == 0)
            snprintf(path, sizeof path, "%s", v[0] == '/' ? v + 1 : v);
    }
    fsk_xml->move_to_element(r);
    if (!path[0] || !have_id || strcmp(path, m->part) == 0)
        return 0;
    int rc = add_part(s, path, err);
    if (rc)
        return rc;
    if (s->ref_count >= MAX_PARTS * 16)
        return 0; /* names are a nicety; stop remembering them */
    part_ref *p = realloc(s->refs, (s->ref_count + 1) * sizeof *p);
    if (!p || !(p[s->ref_count].path = strdup(path))) {
        if (p)
            s->refs = p;
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    s->refs = p;
    p[s->ref_count].object_id = id;
    snprintf(p[s->ref_count].name, sizeof p->name, "%s", m->name);
    s->ref_count++;
    return 0;
}

static int on_element(reader_state *s, model_pos *m, xmlTextReaderPtr r, fsk_err *err)
{
    const char *tag = (const char *)fsk_xml->const_local_name(r);
    int empty = fsk_xml->is_empty_element(r);
    if (strcmp(tag, "model") == 0) {
        char buf[64];
        const char *unit = attribute(r, "unit", buf, sizeof buf);
        m->scale = unit ? unit_mm(unit) : 1.0;
        return m->scale > 0 ? 0 : bad_value(m, r, "unknown unit", unit, err);
    }
    if (strcmp(tag, "object") == 0) {
        int rc = on_object(s, m, r, err);
        if (empty)
            m->in_object = 0;
        return rc;
    }
    if (!m->in_object)
        return 0;
    if (strcmp(tag, "mesh") == 0) {
        m->in_mesh = 1;
        s->builder.nv = s->builder.nt = 0;
        if (empty) {
            m->in_mesh = 0;
            return fsk_mc_finish(&s->builder, m->name, s->report, err);
        }
        return 0;
    }
    if (m->in_mesh && strcmp(tag, "vertex") == 0)
        return on_vertex(s, m, r, err);
    if (m->in_mesh && strcmp(tag, "triangle") == 0)
        return on_triangle(s, m, r, err);
    if (strcmp(tag, "component") == 0)
        return on_component(s, m, r, err);
    return 0;
}

static int read_model(reader_state *s, size_t part_index, fsk_err *err)
{
    const char *part = s->parts[part_index];
    unsigned char *text;
    size_t size;
    int rc = read_part(s, part, &text, &size, err);
    if (rc)
        return rc;
    if (size > INT32_MAX) {
        free(text);
        return fsk_err_set(err, FSK_ELIMIT, "3MF part '%s' is too large", part);
    }
    xmlTextReaderPtr r = open_xml(s, text, size);
    if (!r) {
        free(text);
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    }
    model_pos m = {.part = part, .is_root = part_index == 0, .scale = 1.0};
    int step = 0, seen_model = 0;
    while (rc == 0 && (step = fsk_xml->read(r)) == 1) {
        int type = fsk_xml->node_type(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            rc = no_doctype(part, err);
        } else if (type == XML_READER_TYPE_ELEMENT) {
            if (!seen_model && strcmp((const char *)fsk_xml->const_local_name(r), "model"))
                rc = fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': the root element is not <model>",
                                 part);
            seen_model = 1;
            if (!rc)
                rc = on_element(s, &m, r, err);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            const char *tag = (const char *)fsk_xml->const_local_name(r);
            if (strcmp(tag, "object") == 0) {
                m.in_object = 0;
            } else if (m.in_mesh && strcmp(tag, "mesh") == 0) {
                m.in_mesh = 0;
                rc = fsk_mc_finish(&s->builder, m.name, s->report, err);
            }
        }
    }
    if (rc == 0 && step < 0)
        rc = xml_failed(s, part, err);
    if (rc == 0 && !seen_model)
        rc = fsk_err_set(err, FSK_EFORMAT, "3MF part '%s': no <model> element", part);
    fsk_xml->free_reader(r);
    free(text);
    return rc;
}

int fsk_meshcheck_read_3mf(const unsigned char *data, size_t size,
                           fsk_meshcheck_report *report, fsk_err *err)
{
    reader_state s = {.report = report};
    report->format = FSK_MESH_3MF;
    int rc = fsk_xml_load(err);
    if (rc)
        return rc;
    rc = fsk_unzip_open(data, size, &s.zip, err);
    if (rc == 0)
        rc = find_root_part(&s, err);
    /* Parts added while reading (components) are read in turn. */
    for (size_t i = 0; rc == 0 && i < s.part_count; i++)
        rc = read_model(&s, i, err);
    fsk_unzip_close(s.zip);
    fsk_mc_builder_free(&s.builder);
    for (size_t i = 0; i < s.part_count; i++)
        free(s.parts[i]);
    free(s.parts);
    for (size_t i = 0; i < s.ref_count; i++)
        free(s.refs[i].path);
    free(s.refs);
    return rc;
}
