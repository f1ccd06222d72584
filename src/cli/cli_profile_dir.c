/*
 * cli_profile_dir.c — where the command line finds its profiles, both
 * installed and when run from the build tree, and the lazily loaded store.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fsk_paths.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool starts_with_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

const char *cli_profile_dir(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("FILASTACK_PROFILES_DIR");
    if (env && env[0])
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (starts_with_dir(exe, FSK_BUILD_DIR) && is_dir(FSK_SOURCE_PROFILES_DIR))
            return FSK_SOURCE_PROFILES_DIR;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int len = snprintf(found, sizeof found, "%s/../%s", exe,
                               FSK_RELATIVE_PROFILES_DIR);
            if (len > 0 && (size_t)len < sizeof found && is_dir(found))
                return found;
        }
    }
    return FSK_INSTALL_PROFILES_DIR;
}

fsk_profiles *cli_profiles(cli_ctx *ctx)
{
    if (!ctx->profiles) {
        fsk_err err = {0};
        const char *dir = cli_profile_dir();
        cli_verbose(ctx, "profiles from '%s'", dir);
        ctx->profiles = fsk_profiles_load(dir, &err);
        if (!ctx->profiles)
            cli_fail(&err);
    }
    return ctx->profiles;
}
