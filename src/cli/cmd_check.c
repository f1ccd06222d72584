/*
 * cmd_check.c — `filastack check FILE...`: is each mesh of each STL or 3MF
 * file a closed, consistently oriented 2-manifold? One line per mesh, or
 * a JSON report; exit 1 when any mesh is not or any file cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "commands.h"
#include "fsk_meshcheck.h"

enum { OPT_JSON = 1 };

static const cli_option check_options[] = {
    {"json", 0, NULL, "print a JSON report on standard output instead of lines", OPT_JSON},
    {0},
};

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* "FILE" or "FILE: MESH" (3MF objects and named ASCII solids). */
static void print_subject(const char *path, const fsk_meshcheck_report *r,
                          const fsk_meshcheck_mesh *m)
{
    if (r->format == FSK_MESH_3MF || (r->mesh_count > 1 && m->name[0]))
        printf("%s: %s: ", path, m->name);
    else
        printf("%s: ", path);
}

static void print_line(const char *path, const fsk_meshcheck_report *r,
                       const fsk_meshcheck_mesh *m)
{
    print_subject(path, r, m);
    uint64_t bad_edges = m->open_edges + m->nonmanifold_edges + m->reversed_edges;
    if (fsk_meshcheck_is_sound(m))
        fputs("closed 2-manifold", stdout);
    else if (m->triangles == 0)
        fputs("NOT closed: no triangles", stdout);
    else if (bad_edges)
        printf("NOT closed: %llu open %s, %llu non-manifold %s, %llu reversed %s, "
               "%llu degenerate %s",
               (unsigned long long)m->open_edges, plural(m->open_edges, "edge", "edges"),
               (unsigned long long)m->nonmanifold_edges,
               plural(m->nonmanifold_edges, "edge", "edges"),
               (unsigned long long)m->reversed_edges,
               plural(m->reversed_edges, "edge", "edges"),
               (unsigned long long)m->degenerate_triangles,
               plural(m->degenerate_triangles, "triangle", "triangles"));
    else if (m->degenerate_triangles)
        printf("closed but %llu degenerate %s", (unsigned long long)m->degenerate_triangles,
               plural(m->degenerate_triangles, "triangle", "triangles"));
    else
        fputs("inside out (negative volume)", stdout);
    printf(", %llu %s, %llu %s, volume %.3f mm³\n", (unsigned long long)m->triangles,
           plural(m->triangles, "triangle", "triangles"), (unsigned long long)m->shells,
           plural(m->shells, "shell", "shells"), m->volume_mm3);
}

static cJSON *vec3(const double v[3])
{
    return cJSON_CreateDoubleArray(v, 3);
}

static cJSON *mesh_json(const fsk_meshcheck_mesh *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddBoolToObject(o, "closed_manifold", fsk_meshcheck_is_sound(m));
    cJSON_AddNumberToObject(o, "triangles", (double)m->triangles);
    cJSON_AddNumberToObject(o, "vertices", (double)m->vertices);
    cJSON_AddNumberToObject(o, "degenerate_triangles", (double)m->degenerate_triangles);
    cJSON_AddNumberToObject(o, "open_edges", (double)m->open_edges);
    cJSON_AddNumberToObject(o, "nonmanifold_edges", (double)m->nonmanifold_edges);
    cJSON_AddNumberToObject(o, "reversed_edges", (double)m->reversed_edges);
    cJSON_AddNumberToObject(o, "shells", (double)m->shells);
    cJSON_AddNumberToObject(o, "volume_mm3", m->volume_mm3);
    cJSON_AddItemToObject(o, "bbox_min_mm", vec3(m->bbox_min_mm));
    cJSON_AddItemToObject(o, "bbox_max_mm", vec3(m->bbox_max_mm));
    return o;
}

static int run_check(cli_ctx *ctx, int argc, char **argv)
{
    cli_parser p;
    if (cli_parser_init(&p, ctx, &cmd_check, argc, argv))
        return CLI_EXIT_FAILURE;
    int json = 0, id;
    const char *arg;
    while ((id = cli_next_option(&p, &arg)) > 0)
        if (id == OPT_JSON)
            json = 1;
    int first = cli_operands(&p);
    cli_parser_free(&p);
    if (id == CLI_OPT_HELP)
        return CLI_EXIT_OK;
    if (id != CLI_OPT_END)
        return CLI_EXIT_USAGE;
    if (first >= argc)
        return cli_usage_error(&cmd_check, "no mesh file given");

    cJSON *files = json ? cJSON_CreateArray() : NULL;
    int failed = 0;
    for (int i = first; i < argc; i++) {
        const char *path = argv[i];
        fsk_meshcheck_report r;
        fsk_err err = {0};
        cJSON *fo = NULL;
        if (json) {
            fo = cJSON_CreateObject();
            cJSON_AddStringToObject(fo, "file", path);
            cJSON_AddItemToArray(files, fo);
        }
        if (fsk_meshcheck_file(path, &r, &err) != 0) {
            cli_fail(&err);
            if (fo)
                cJSON_AddStringToObject(fo, "error", err.msg);
            failed = 1;
            continue;
        }
        if (r.mesh_count == 0) {
            cli_error("'%s' holds no mesh", path);
            if (fo)
                cJSON_AddStringToObject(fo, "error", "no mesh");
            failed = 1;
        }
        cJSON *meshes = NULL;
        if (fo) {
            cJSON_AddStringToObject(fo, "format", fsk_mesh_format_name(r.format));
            meshes = cJSON_AddArrayToObject(fo, "meshes");
        }
        for (size_t k = 0; k < r.mesh_count; k++) {
            const fsk_meshcheck_mesh *m = &r.meshes[k];
            int sound = fsk_meshcheck_is_sound(m);
            failed |= !sound;
            if (meshes)
                cJSON_AddItemToArray(meshes, mesh_json(m));
            else if (!sound || ctx->verbosity > 0)
                print_line(path, &r, m);
        }
        fsk_meshcheck_report_free(&r);
    }
    if (json) {
        char *text = cJSON_Print(files);
        if (text)
            printf("%s\n", text);
        else
            cli_error("out of memory");
        cJSON_free(text);
        cJSON_Delete(files);
    }
    return failed ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

const cli_command cmd_check = {
    .name = "check",
    .operands = "FILE...",
    .summary = "check that each mesh of STL and 3MF files is a closed 2-manifold",
    .description =
        "Reads each FILE (binary or ASCII STL, or 3MF) and checks every mesh in it:\n"
        "is it closed (no open edges), a 2-manifold (no edge shared by more than\n"
        "two triangles), consistently oriented (no reversed neighbours), free of\n"
        "degenerate triangles and of positive volume? Prints one line per mesh;\n"
        "the exit status is 1 if any mesh fails or any file cannot be read.",
    .options = check_options,
    .run = run_check,
};
