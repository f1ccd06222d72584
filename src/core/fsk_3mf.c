/*
 * fsk_3mf.c — the 3MF package: planning (parts, ids, extruders, layer
 * heights, placement), the OPC parts every 3MF needs, and the model XML,
 * streamed vertex by vertex into the deflate stream. Slicer metadata is in
 * fsk_3mf_slicer.c.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_3mf_plan.h"
#include "fsk_bits.h"
#include "fsk_file.h"
#include "fsk_mm_texts.h"
#include "fsk_version.h"

/* PrusaSlicer indexes vertices and triangles of one object with int. */
#define PRUSA_MAX_INDEX 0x7FFFFFFFull

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\n"
    " <Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\n"
    " <Default Extension=\"model\" "
    "ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+xml\"/>\n"
    "</Types>\n";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\n"
    " <Relationship Target=\"/3D/3dmodel.model\" Id=\"rel0\" "
    "Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/>\n"
    "</Relationships>\n";

void fsk_3mf_hex_color(const unsigned char rgb[3], char out[8])
{
    snprintf(out, 8, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
}

static int is_prusa(const fsk_3mf_plan *plan)
{
    return !plan->core_only && plan->flavor == FSK_FLAVOR_PRUSA;
}

static const char *part_name(const fsk_3mf_plan *plan, int i, char buf[24])
{
    const char *name = plan->grid->part[plan->part[i]].name;
    if (name[0])
        return name;
    snprintf(buf, 24, "part %d", plan->part[i]);
    return buf;
}

/* Layer thickness k of the grid, rounded to the nm the file can hold. */
static double grid_layer_mm(const fsk_voxels *grid, int k)
{
    return round((grid->layer_top_mm[k + 1] - grid->layer_top_mm[k]) * 1e6) / 1e6;
}

/* Min and max x, y, z in mm over every written vertex (infinite when
 * there are none): the lattice extremes, converted as fsk_mesh_vertex_mm
 * converts a vertex (x, y and the layer tops all grow with the lattice). */
static void bounds(const fsk_3mf_plan *plan, double lo[3], double hi[3])
{
    int32_t least[3] = {INT32_MAX, INT32_MAX, INT32_MAX}, most[3] = {INT32_MIN, INT32_MIN,
                                                                     INT32_MIN};
    for (int i = 0; i < plan->part_n; i++) {
        const fsk_mesh *m = &plan->meshes[plan->part[i]];
        for (size_t v = 0; v < m->vertex_count; v++) {
            const int32_t at[3] = {m->vertices[v].x, m->vertices[v].y, m->vertices[v].z};
            for (int k = 0; k < 3; k++) {
                least[k] = at[k] < least[k] ? at[k] : least[k];
                most[k] = at[k] > most[k] ? at[k] : most[k];
            }
        }
    }
    for (int k = 0; k < 3; k++) {
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
    if (least[0] > most[0])
        return;
    const fsk_voxels *grid = plan->grid;
    lo[0] = least[0] * grid->pixel_mm;
    lo[1] = least[1] * grid->pixel_mm;
    lo[2] = grid->layer_top_mm[least[2]];
    hi[0] = most[0] * grid->pixel_mm;
    hi[1] = most[1] * grid->pixel_mm;
    hi[2] = grid->layer_top_mm[most[2]];
}

/*
 * Most tool changes in one layer, estimated from the layers each written
 * part spans: a layer with d filaments needs d - 1 changes when it shares
 * one with the layer below (the slicer starts with that one), else d.
 */
static int max_tool_changes(const fsk_3mf_plan *plan, fsk_err *err)
{
    const fsk_voxels *grid = plan->grid;
    uint32_t *used = calloc((size_t)grid->layers, sizeof *used);
    if (!used)
        return fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", plan->path);
    for (int i = 0; i < plan->part_n; i++) {
        const fsk_mesh *m = &plan->meshes[plan->part[i]];
        int32_t z0 = INT32_MAX, z1 = -1;
        for (size_t v = 0; v < m->vertex_count; v++) {
            z0 = m->vertices[v].z < z0 ? m->vertices[v].z : z0;
            z1 = m->vertices[v].z > z1 ? m->vertices[v].z : z1;
        }
        for (int32_t z = z0; z < z1 && z < grid->layers; z++)
            used[z] |= 1u << (grid->part[plan->part[i]].filament - 1);
    }
    int most = 0;
    for (int z = 0; z < grid->layers; z++) {
        int d = fsk_popcount64(used[z]);
        int changes = d - (d > 0 && (z == 0 || (used[z] & used[z - 1])) ? 1 : 0);
        most = changes > most ? changes : most;
    }
    free(used);
    return most;
}

/* Every vertex on the grid's layers, every triangle on existing vertices. */
static int check_mesh(const char *path, const fsk_voxels *grid, int part, const fsk_mesh *m,
                      fsk_err *err)
{
    for (size_t v = 0; v < m->vertex_count; v++) {
        int32_t z = m->vertices[v].z;
        if (z < 0 || z > grid->layers)
            return fsk_err_set(err, FSK_EINVAL,
                               "cannot write '%s': part %d has a vertex at layer %d, "
                               "outside the grid's 0..%d", path, part, (int)z, grid->layers);
    }
    for (size_t t = 0; t < m->triangle_count; t++) {
        const uint32_t *tri = m->triangles[t];
        if (tri[0] >= m->vertex_count || tri[1] >= m->vertex_count ||
            tri[2] >= m->vertex_count)
            return fsk_err_set(err, FSK_EINVAL,
                               "cannot write '%s': part %d has a triangle with a vertex "
                               "index out of range", path, part);
    }
    return 0;
}

/* Checks the meshes against the grid and fills plan; 0 or FSK_EINVAL/ELIMIT. */
static int make_plan(const char *path, const fsk_voxels *grid, const fsk_mesh *meshes,
                     const fsk_3mf_options *opt, fsk_3mf_plan *plan, fsk_err *err)
{
    static const fsk_3mf_options defaults = {0};
    if (!opt)
        opt = &defaults;
    memset(plan, 0, sizeof *plan);
    plan->grid = grid;
    plan->meshes = meshes;
    plan->path = path;
    plan->core_only = opt->core_only;
    plan->flavor = opt->flavor;
    plan->name = opt->object_name && opt->object_name[0] ? opt->object_name : "filastack";
    plan->printer = opt->printer_name ? opt->printer_name : "";
    plan->nozzle_mm = opt->nozzle_mm > 0 ? opt->nozzle_mm : 0.4;
    if (grid->part_count < 1 || grid->part_count > FSK_MAX_PARTS || grid->layers < 1 ||
        !grid->layer_top_mm || !(grid->pixel_mm > 0))
        return fsk_err_set(err, FSK_EINVAL, "cannot write '%s': invalid voxel grid", path);

    uint64_t vertices = 0;
    for (int p = 1; p <= grid->part_count; p++) {
        int f = grid->part[p].filament;
        if (f < 1 || f > FSK_MAX_FILAMENTS)
            return fsk_err_set(err, FSK_EINVAL,
                               "cannot write '%s': part %d has filament %d, not 1..%d",
                               path, p, f, FSK_MAX_FILAMENTS);
        if (f > plan->extruders) {
            for (int e = plan->extruders; e < f; e++)
                memset(plan->extruder_rgb[e], 0x80, 3);
            plan->extruders = f;
        }
        const fsk_mesh *m = &meshes[p];
        if (m->triangle_count == 0)
            continue;
        int rc = check_mesh(path, grid, p, m, err);
        if (rc)
            return rc;
        plan->part[plan->part_n] = p;
        plan->first_triangle[plan->part_n] = plan->triangle_total;
        plan->mesh_object_id[plan->part_n] = FSK_3MF_MATERIALS_ID + 1 + plan->part_n;
        plan->part_n++;
        plan->triangle_total += m->triangle_count;
        vertices += m->vertex_count;
    }
    /* The first non-backing part of each filament names its color. */
    for (int pass = 0; pass < 2; pass++)
        for (int p = grid->part_count; p >= 1; p--)
            if ((grid->part[p].is_backing == 0) == pass)
                memcpy(plan->extruder_rgb[grid->part[p].filament - 1], grid->part[p].rgb, 3);
    if (plan->part_n == 0)
        return fsk_err_set(err, FSK_EINVAL, "cannot write '%s': no part has a mesh", path);
    if (is_prusa(plan) && (vertices > PRUSA_MAX_INDEX || plan->triangle_total > PRUSA_MAX_INDEX))
        return fsk_err_set(err, FSK_ELIMIT,
                           "cannot write '%s': more than 2^31 vertices or triangles in one object",
                           path);
    plan->object_id = is_prusa(plan) ? FSK_3MF_MATERIALS_ID + 1
                                     : FSK_3MF_MATERIALS_ID + 1 + plan->part_n;

    plan->first_layer_mm = opt->first_layer_height_mm > 0 ? opt->first_layer_height_mm
                                                          : grid_layer_mm(grid, 0);
    plan->layer_mm = opt->layer_height_mm > 0 ? opt->layer_height_mm
                     : grid->layers > 1      ? grid_layer_mm(grid, 1)
                                             : plan->first_layer_mm;
    if (!(plan->first_layer_mm > 0) || !(plan->layer_mm > 0))
        return fsk_err_set(err, FSK_EINVAL,
                           "cannot write '%s': layer heights must be positive", path);

    if (opt->bed_mm[0] > 0 && opt->bed_mm[1] > 0) {
        plan->bed_mm[0] = opt->bed_mm[0];
        plan->bed_mm[1] = opt->bed_mm[1];
        double lo[3], hi[3];
        bounds(plan, lo, hi);
        if (isfinite(lo[0])) {
            plan->offset_mm[0] = round((opt->bed_mm[0] - lo[0] - hi[0]) / 2 * 1e3) / 1e3;
            plan->offset_mm[1] = round((opt->bed_mm[1] - lo[1] - hi[1]) / 2 * 1e3) / 1e3;
            plan->offset_mm[2] = -lo[2];
            if (is_prusa(plan) && plan->extruders > 1) {
                int changes = max_tool_changes(plan, err);
                if (changes < 0)
                    return changes;
                plan->tool_changes = changes;
                return fsk_3mf_place_tower(plan, lo, hi, err);
            }
        }
    }
    return 0;
}

static void put_header(fsk_text_sink *s, const fsk_3mf_plan *plan)
{
    fsk_sink_str(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<model unit=\"millimeter\" xml:lang=\"en-US\" "
                    "xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\"");
    if (is_prusa(plan))
        fsk_sink_str(s, " xmlns:slic3rpe=\"http://schemas.slic3r.org/3mf/2017/06\"");
    else if (!plan->core_only)
        fsk_sink_str(s, " xmlns:BambuStudio=\"http://schemas.bambulab.com/package/2021\"");
    fsk_sink_str(s, ">\n <metadata name=\"Title\">");
    fsk_sink_xml(s, plan->name);
    fsk_sink_str(s, "</metadata>\n <metadata name=\"Application\">");
    if (!plan->core_only && plan->flavor == FSK_FLAVOR_BAMBU)
        fsk_sink_str(s, FSK_3MF_BAMBU_APPLICATION);
    else
        fsk_sink_str(s, "filastack-" FSK_VERSION);
    fsk_sink_str(s, "</metadata>\n <metadata name=\"Description\">made with filastack "
                    FSK_VERSION "</metadata>\n");
    if (is_prusa(plan))
        fsk_sink_str(s, " <metadata name=\"slic3rpe:Version3mf\">1</metadata>\n");
    else if (!plan->core_only)
        fsk_sink_str(s, " <metadata name=\"BambuStudio:3mfVersion\">1</metadata>\n");

    fsk_sink_printf(s, " <resources>\n  <basematerials id=\"%d\">\n", FSK_3MF_MATERIALS_ID);
    for (int i = 0; i < plan->part_n; i++) {
        char buf[24], hex[8];
        fsk_3mf_hex_color(plan->grid->part[plan->part[i]].rgb, hex);
        fsk_sink_str(s, "   <base name=\"");
        fsk_sink_xml(s, part_name(plan, i, buf));
        fsk_sink_printf(s, "\" displaycolor=\"%sFF\"/>\n", hex);
    }
    fsk_sink_str(s, "  </basematerials>\n");
}

/* The numbers of the model formatted once: the lattice's coordinates in
 * mm (columns, rows and layer tops) for all the vertices, and the vertex
 * indices the triangles print. */
typedef struct model_texts {
    fsk_mm_texts x, y, z;
    fsk_mm_texts index;
} model_texts;

/* The most vertex indices a triangle list prints: Prusa's one object
 * numbers the parts' vertices one after the other, the others number
 * each part's own. */
static size_t index_count(const fsk_3mf_plan *plan)
{
    size_t most = 0, all = 0;
    for (int i = 0; i < plan->part_n; i++) {
        size_t n = plan->meshes[plan->part[i]].vertex_count;
        all += n;
        if (n > most)
            most = n;
    }
    return is_prusa(plan) ? all : most;
}

static int model_texts_init(model_texts *mt, const fsk_3mf_plan *plan)
{
    const fsk_voxels *grid = plan->grid;
    memset(mt, 0, sizeof *mt);
    if (fsk_mm_texts_init(&mt->x, NULL, grid->pixel_mm, (size_t)grid->width + 1) ||
        fsk_mm_texts_init(&mt->y, NULL, grid->pixel_mm, (size_t)grid->height + 1) ||
        fsk_mm_texts_init(&mt->z, grid->layer_top_mm, 0, (size_t)grid->layers + 1) ||
        fsk_index_texts_init(&mt->index, index_count(plan)))
        return FSK_ENOMEM;
    return 0;
}

static void model_texts_free(model_texts *mt)
{
    fsk_mm_texts_free(&mt->x);
    fsk_mm_texts_free(&mt->y);
    fsk_mm_texts_free(&mt->z);
    fsk_mm_texts_free(&mt->index);
}

static bool on_lattice(const model_texts *mt, const fsk_mesh_vertex *q)
{
    return q->x >= 0 && (size_t)q->x < mt->x.count && q->y >= 0 &&
           (size_t)q->y < mt->y.count && q->z >= 0 && (size_t)q->z < mt->z.count;
}

/* Longest vertex and triangle lines, and what they may write past their
 * ends (fsk_mm_text_put). */
#define VERTEX_LINE_MAX (32 + 3 * FSK_MM_TEXT_MAX)
#define TRIANGLE_LINE_MAX (32 + 3 * FSK_MM_TEXT_MAX + 32)

/* Streams the vertices of part[i] in mm: lattice points from their texts,
 * a line at a time; any other point formatted. */
static int put_vertices(fsk_text_sink *s, const fsk_3mf_plan *plan, const model_texts *mt,
                        int i)
{
    const fsk_mesh *m = &plan->meshes[plan->part[i]];
    for (size_t v = 0; v < m->vertex_count; v++) {
        const fsk_mesh_vertex *q = &m->vertices[v];
        if (on_lattice(mt, q)) {
            char *p = fsk_sink_room(s, VERTEX_LINE_MAX);
            if (!p)
                return s->rc;
            FSK_PUT_LITERAL(p, "<vertex x=\"");
            p = fsk_mm_text_put(p, &mt->x, (size_t)q->x);
            FSK_PUT_LITERAL(p, "\" y=\"");
            p = fsk_mm_text_put(p, &mt->y, (size_t)q->y);
            FSK_PUT_LITERAL(p, "\" z=\"");
            p = fsk_mm_text_put(p, &mt->z, (size_t)q->z);
            FSK_PUT_LITERAL(p, "\"/>\n");
            fsk_sink_wrote(s, p);
            continue;
        }
        double mm[3];
        fsk_mesh_vertex_mm(m, v, plan->grid, 0, mm);
        fsk_sink_str(s, "<vertex x=\"");
        fsk_sink_mm(s, mm[0]);
        fsk_sink_str(s, "\" y=\"");
        fsk_sink_mm(s, mm[1]);
        fsk_sink_str(s, "\" z=\"");
        fsk_sink_mm(s, mm[2]);
        fsk_sink_str(s, "\"/>\n");
        if (s->rc)
            return s->rc;
    }
    return 0;
}

/*
 * Streams the triangles of part[i], their indices shifted by base (their
 * texts from mt); material is the basematerials index to set per
 * triangle, or -1 for the object's.
 */
static int put_triangles(fsk_text_sink *s, const fsk_3mf_plan *plan, const model_texts *mt,
                         int i, uint64_t base, int material)
{
    const fsk_mesh *m = &plan->meshes[plan->part[i]];
    char tail[32] = "\"/>\n";
    if (material >= 0)
        snprintf(tail, sizeof tail, "\" p1=\"%d\"/>\n", material);
    const size_t tail_len = strlen(tail);
    for (size_t t = 0; t < m->triangle_count; t++) {
        const uint32_t *tri = m->triangles[t];
        char *p = fsk_sink_room(s, TRIANGLE_LINE_MAX);
        if (!p)
            return s->rc;
        FSK_PUT_LITERAL(p, "<triangle v1=\"");
        p = fsk_mm_text_put(p, &mt->index, base + tri[0]);
        FSK_PUT_LITERAL(p, "\" v2=\"");
        p = fsk_mm_text_put(p, &mt->index, base + tri[1]);
        FSK_PUT_LITERAL(p, "\" v3=\"");
        p = fsk_mm_text_put(p, &mt->index, base + tri[2]);
        memcpy(p, tail, sizeof tail); /* a fixed-size move */
        p += tail_len;
        fsk_sink_wrote(s, p);
    }
    return 0;
}

/* PrusaSlicer: one object, the parts' meshes one after the other. */
static int put_prusa_object(fsk_text_sink *s, const fsk_3mf_plan *plan,
                            const model_texts *mt)
{
    fsk_sink_printf(s, "  <object id=\"%d\" type=\"model\" name=\"", plan->object_id);
    fsk_sink_xml(s, plan->name);
    fsk_sink_printf(s, "\" pid=\"%d\" pindex=\"0\">\n   <mesh>\n    <vertices>\n",
                    FSK_3MF_MATERIALS_ID);
    for (int i = 0; i < plan->part_n; i++)
        if (put_vertices(s, plan, mt, i))
            return s->rc;
    fsk_sink_str(s, "    </vertices>\n    <triangles>\n");
    uint64_t base = 0;
    for (int i = 0; i < plan->part_n; i++) {
        if (put_triangles(s, plan, mt, i, base, i == 0 ? -1 : i))
            return s->rc;
        base += plan->meshes[plan->part[i]].vertex_count;
    }
    fsk_sink_str(s, "    </triangles>\n   </mesh>\n  </object>\n");
    return s->rc;
}

/* Core and Bambu: an object per part, and an assembly of them all. */
static int put_part_objects(fsk_text_sink *s, const fsk_3mf_plan *plan,
                            const model_texts *mt)
{
    for (int i = 0; i < plan->part_n; i++) {
        char buf[24];
        fsk_sink_printf(s, "  <object id=\"%d\" type=\"model\" name=\"", plan->mesh_object_id[i]);
        fsk_sink_xml(s, part_name(plan, i, buf));
        fsk_sink_printf(s, "\" pid=\"%d\" pindex=\"%d\">\n   <mesh>\n    <vertices>\n",
                        FSK_3MF_MATERIALS_ID, i);
        if (put_vertices(s, plan, mt, i))
            return s->rc;
        fsk_sink_str(s, "    </vertices>\n    <triangles>\n");
        if (put_triangles(s, plan, mt, i, 0, -1))
            return s->rc;
        fsk_sink_str(s, "    </triangles>\n   </mesh>\n  </object>\n");
    }
    fsk_sink_printf(s, "  <object id=\"%d\" type=\"model\" name=\"", plan->object_id);
    fsk_sink_xml(s, plan->name);
    fsk_sink_str(s, "\">\n   <components>\n");
    for (int i = 0; i < plan->part_n; i++)
        fsk_sink_printf(s, "    <component objectid=\"%d\"/>\n", plan->mesh_object_id[i]);
    fsk_sink_str(s, "   </components>\n  </object>\n");
    return s->rc;
}

static int put_model(fsk_text_sink *s, fsk_zip *zip, const fsk_3mf_plan *plan, fsk_err *err)
{
    model_texts mt;
    if (model_texts_init(&mt, plan)) {
        model_texts_free(&mt);
        return fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", plan->path);
    }
    if (fsk_sink_begin(s, zip, "3D/3dmodel.model", FSK_ZIP_FAST, err)) {
        model_texts_free(&mt);
        return s->rc;
    }
    put_header(s, plan);
    int rc = (is_prusa(plan) ? put_prusa_object : put_part_objects)(s, plan, &mt);
    model_texts_free(&mt);
    if (rc)
        return s->rc;
    fsk_sink_printf(s, " </resources>\n <build>\n  <item objectid=\"%d\" transform=\"1 0 0 0 1 0 0 0 1 ",
                    plan->object_id);
    for (int k = 0; k < 3; k++) {
        fsk_sink_mm(s, plan->offset_mm[k]);
        fsk_sink_str(s, k < 2 ? " " : "\" printable=\"1\"/>\n </build>\n</model>\n");
    }
    return fsk_sink_end(s);
}

int fsk_3mf_write(const char *path, const fsk_voxels *grid, const fsk_mesh *meshes,
                  const fsk_3mf_options *opt, fsk_err *err)
{
    fsk_3mf_plan plan;
    int rc = make_plan(path, grid, meshes, opt, &plan, err);
    if (rc)
        return rc;
    fsk_text_sink *sink = malloc(sizeof *sink);
    if (!sink)
        return fsk_err_set(err, FSK_ENOMEM, "cannot write '%s': out of memory", path);
    fsk_out *out = fsk_out_open(path, err);
    if (!out) {
        free(sink);
        return err ? err->code : FSK_EIO;
    }
    fsk_zip *zip = fsk_zip_open(out, err);
    rc = zip ? fsk_zip_set_threads(zip, opt ? opt->threads : 0, err) : FSK_ENOMEM;
    if (rc == 0)
        rc = fsk_zip_add(zip, "[Content_Types].xml", FSK_ZIP_DEFLATE, content_types,
                         sizeof content_types - 1, err);
    if (rc == 0)
        rc = fsk_zip_add(zip, "_rels/.rels", FSK_ZIP_DEFLATE, root_rels,
                         sizeof root_rels - 1, err);
    if (rc == 0)
        rc = put_model(sink, zip, &plan, err);
    if (rc == 0 && is_prusa(&plan))
        rc = fsk_3mf_prusa_metadata(sink, zip, &plan, err);
    if (rc == 0 && !plan.core_only && plan.flavor == FSK_FLAVOR_BAMBU)
        rc = fsk_3mf_bambu_metadata(sink, zip, &plan, err);
    free(sink);
    if (rc == 0) {
        rc = fsk_zip_close(zip, err);
        zip = NULL;
    }
    fsk_zip_abort(zip);
    if (rc != 0) {
        fsk_out_abort(out);
        return rc;
    }
    return fsk_out_commit(out, err);
}
