/*
 * The Oxidize host: the front of every oxidized executable. It finds the payload appended to its own
 * file, loads the packed .NET runtime from memory and runs the app. Nothing is extracted to disk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_floor.h"
#include "app_files.h"
#include "diagnostics_policy.h"
#include "host_error.h"
#include "native_libraries.h"
#include "oxidize_format.h"
#include "payload.h"
#include "process_start.h"
#include "runtime_host.h"

static void apply_diagnostics_policy(const struct payload *payload)
{
    if (payload->flags & OXPAK_FLAG_DIAGNOSTICS_ENABLED)
        return;
    for (size_t i = 0; i < diagnostics_variable_count; i++)
        unsetenv(diagnostics_variables[i]);
    /* Only the environment variable turns the pipes and socket off (a runtime property does not). */
    setenv("DOTNET_EnableDiagnostics", "0", 1);
}

/* -p:OxidizeUserland=bundled (docs/userland.md): userland_bootstrap.c started this host through the
   carried loader with LD_PRELOAD naming the carried libraries' memfds, and set OXIDIZE_USERLAND. Give
   the user's LD_PRELOAD back (or none) before the runtime copies the environment, so that child
   processes never inherit the memfd paths. Nothing happens in the normal mode. */
static void restore_userland_environment(void)
{
    if (getenv("OXIDIZE_USERLAND") == NULL)
        return;
    const char *user_preload = getenv("OXIDIZE_USERLAND_LD_PRELOAD");
    if (user_preload != NULL)
        setenv("LD_PRELOAD", user_preload, 1);
    else
        unsetenv("LD_PRELOAD");
    unsetenv("OXIDIZE_USERLAND_LD_PRELOAD");
    unsetenv("OXIDIZE_USERLAND");
}

int main(int argc, char **argv)
{
    restore_userland_environment();
    process_start_occupy_standard_descriptors();
    struct host_error error;
    static char executable_path[PATH_MAX];
    static char base_directory[PATH_MAX];
    static struct payload payload;

    process_start_read_executable_path(executable_path, sizeof executable_path, &error);
    /* Map through /proc/self/exe: it names this very file even if the path was replaced since exec. */
    if (payload_map_file(PROCESS_START_SELF_PATH, &payload, &error) != HOST_OK)
        host_error_exit(&error);
    if (payload.flags & OXPAK_FLAG_NATIVE_AOT) {
        host_error_set(&error, HOST_EXIT_RUNTIME_UNSUPPORTED, "this executable was packed for a Native AOT app",
                       "the payload carries no runtime or managed assembly (PublishAot=true); it serves only the AOT app it was appended to");
        host_error_exit(&error);
    }
    if (payload.runtime_contract != OXPAK_RUNTIME_CONTRACT_NET10) {
        host_error_set(&error, HOST_EXIT_RUNTIME_UNSUPPORTED, "this executable was packed for an unsupported .NET runtime",
                       "the payload names runtime %s (host contract %u); this host knows only .NET 10 (contract %d)",
                       payload.runtime_version, payload.runtime_contract, OXPAK_RUNTIME_CONTRACT_NET10);
        host_error_exit(&error);
    }

    process_start_app_directory(executable_path, base_directory, sizeof base_directory);

    if (native_libraries_init(&payload, base_directory, &error) != HOST_OK)
        host_error_exit(&error);
    app_files_init(&payload, base_directory, executable_path);
    apply_diagnostics_policy(&payload);

    struct runtime_launch launch = {
        .payload = &payload,
        .executable_path = executable_path,
        .base_directory = base_directory,
        .argc = argc > 0 ? argc - 1 : 0,
        .argv = (const char **)(argc > 0 ? argv + 1 : argv),
    };
    int exit_code = 0;
    if (runtime_host_run(&launch, &exit_code, &error) != HOST_OK)
        host_error_exit(&error);
    return exit_code;
}
