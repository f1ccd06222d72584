/*
 * cli_printer.c — the printer a command works for: `--printer NAME|FILE`
 * or the default printer of the profile store.
 */
#include <string.h>

#include "cli.h"
#include "fsk_json.h"

#define DEFAULT_PRINTER "bambu-x1c-ams"

static int looks_like_file(const char *arg)
{
    size_t n = strlen(arg);
    return strchr(arg, '/') || (n > 5 && strcmp(arg + n - 5, ".json") == 0);
}

static int printer_from_file(const char *path, fsk_printer *out)
{
    fsk_err err = {0};
    cJSON *root = fsk_json_load(path, &err);
    if (!root)
        return cli_fail(&err);
    fsk_profile_kind kind;
    char id[FSK_NAME_MAX];
    fsk_profile_id_from_path(path, id);
    int rc = fsk_profile_kind_of(path, root, &kind, &err);
    if (rc == 0 && kind != FSK_PROFILE_PRINTER)
        rc = fsk_err_set(&err, FSK_EINVAL, "%s: a %s profile, not a printer", path,
                         fsk_profile_kind_name(kind));
    if (rc == 0)
        rc = fsk_printer_parse(path, id, root, out, &err);
    cJSON_Delete(root);
    return rc ? cli_fail(&err) : 0;
}

int cli_printer(cli_ctx *ctx, const char *arg, fsk_printer *out)
{
    if (arg && looks_like_file(arg))
        return printer_from_file(arg, out);
    fsk_profiles *pr = cli_profiles(ctx);
    if (!pr)
        return CLI_EXIT_FAILURE;
    const fsk_printer *p = NULL;
    if (arg) {
        p = fsk_profiles_find_printer(pr, arg);
        if (!p) {
            cli_error("no printer named '%s' (see 'filastack profiles list')", arg);
            return CLI_EXIT_FAILURE;
        }
    } else {
        p = fsk_profiles_find_printer(pr, DEFAULT_PRINTER);
        if (!p && fsk_profiles_printer_count(pr) > 0)
            p = fsk_profiles_printer(pr, 0);
        if (!p) {
            cli_error("no printer profiles in '%s'", fsk_profiles_dir(pr));
            return CLI_EXIT_FAILURE;
        }
    }
    *out = *p;
    return 0;
}

int cli_threemf_kind(const cli_command *cmd, const char *arg, const fsk_printer *printer,
                     fsk_threemf_kind *out)
{
    static const char *const names[] = {"prusa", "bambu", "core", "none", NULL};
    if (!arg) {
        *out = printer->flavor == FSK_FLAVOR_BAMBU ? FSK_3MF_BAMBU : FSK_3MF_PRUSA;
        return 0;
    }
    for (int i = 0; names[i]; i++)
        if (strcmp(arg, names[i]) == 0) {
            *out = (fsk_threemf_kind)i;
            return 0;
        }
    return cli_usage_error(cmd, "option '--3mf': unknown value '%s'", arg);
}
