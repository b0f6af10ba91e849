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
#include "host_error.h"
#include "native_libraries.h"
#include "oxidize_format.h"
#include "payload.h"
#include "runtime_host.h"

static const char self_path[] = "/proc/self/exe";

static void read_executable_path(char *path, size_t size, struct host_error *error)
{
    ssize_t length = readlink(self_path, path, size - 1);
    if (length <= 0 || (size_t)length >= size - 1) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot find the executable's own path",
                       "readlink(\"%s\") failed or the path is too long: %m (is /proc mounted?)", self_path);
        host_error_exit(error);
    }
    path[length] = '\0';
    /* Started from a memfd (fexecve) or a file deleted since: there is no folder the app's files live in. */
    if (path[0] != '/' || strncmp(path, "/memfd:", 7) == 0 || (length > 10 && strcmp(path + length - 10, " (deleted)") == 0)) {
        host_error_set(error, HOST_EXIT_NO_APP_DIRECTORY, "this executable must be started from a file on a path",
                       "%s is \"%s\": the app's folder (AppContext.BaseDirectory) would not exist; run it from the file itself", self_path, path);
        host_error_exit(error);
    }
}

/*
 * Variables with which whoever controls the environment could make the runtime load code from a path
 * (a profiler, a standalone GC) or write files (EventPipe traces, the diagnostics pipes and socket in
 * /tmp). An oxidized app ignores them unless it was built with OxidizeEnableDiagnostics=true; the
 * runtime also reads the legacy COMPlus_ prefix. docs/security.md lists them.
 */
static const char *const diagnostics_variables[] = {
    "CORECLR_ENABLE_PROFILING", "CORECLR_PROFILER", "CORECLR_PROFILER_PATH", "CORECLR_PROFILER_PATH_64",
    "DOTNET_EnableEventPipe", "COMPlus_EnableEventPipe", "DOTNET_EventPipeOutputPath", "COMPlus_EventPipeOutputPath",
    "DOTNET_EventPipeConfig", "COMPlus_EventPipeConfig", "DOTNET_GCPath", "COMPlus_GCPath",
    "COMPlus_EnableDiagnostics", "DOTNET_DiagnosticPorts", "COMPlus_DiagnosticPorts",
};

static void apply_diagnostics_policy(const struct payload *payload)
{
    if (payload->flags & OXPAK_FLAG_DIAGNOSTICS_ENABLED)
        return;
    for (size_t i = 0; i < sizeof diagnostics_variables / sizeof diagnostics_variables[0]; i++)
        unsetenv(diagnostics_variables[i]);
    /* Only the environment variable turns the pipes and socket off (a runtime property does not). */
    setenv("DOTNET_EnableDiagnostics", "0", 1);
}

/* Without /dev/null (a root with no /dev), a pipe stands in: its read end for stdin, whose writer is
   closed so reads see end of file, and its write end for stdout or stderr, whose reader is closed so
   writes fail with EPIPE, which .NET's console ignores as it does when a reader went away. Nothing
   written there is kept, as with /dev/null. */
static int occupy_with_pipe(int fd)
{
    int ends[2];
    if (pipe(ends) != 0)
        return -1;
    int keep = fd == 0 ? ends[0] : ends[1];
    int drop = fd == 0 ? ends[1] : ends[0];
    if (keep != fd && dup2(keep, fd) != fd)
        return -1;
    if (keep != fd)
        close(keep);
    if (drop != fd) /* dup2 already replaced it when the pipe took the slot itself */
        close(drop);
    return fd;
}

/* A descriptor the app expects to be stdin, stdout or stderr must not be taken by the host's own
   files (its executable, a memfd): the app's output would then overwrite the runtime's own code.
   Point any closed one at /dev/null first, as init systems do, or at a pipe without /dev/null. */
static void occupy_standard_descriptors(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (syscall(SYS_fcntl, fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int opened = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR);
        if (opened >= 0 && opened != fd)
            close(opened); /* a lower descriptor was free after all; the loop fills this one later */
        if (opened < 0 && occupy_with_pipe(fd) < 0)
            exit(HOST_EXIT_NO_STANDARD_DESCRIPTORS); /* nowhere to say why: stderr is the slot we could not fill */
    }
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
    occupy_standard_descriptors();
    struct host_error error;
    static char executable_path[PATH_MAX];
    static char base_directory[PATH_MAX];
    static struct payload payload;

    read_executable_path(executable_path, sizeof executable_path, &error);
    /* Map through /proc/self/exe: it names this very file even if the path was replaced since exec. */
    if (payload_map_file(self_path, &payload, &error) != HOST_OK)
        host_error_exit(&error);
    if (payload.runtime_contract != OXPAK_RUNTIME_CONTRACT_NET10) {
        host_error_set(&error, HOST_EXIT_RUNTIME_UNSUPPORTED, "this executable was packed for an unsupported .NET runtime",
                       "the payload names runtime %s (host contract %u); this host knows only .NET 10 (contract %d)",
                       payload.runtime_version, payload.runtime_contract, OXPAK_RUNTIME_CONTRACT_NET10);
        host_error_exit(&error);
    }

    memcpy(base_directory, executable_path, sizeof base_directory);
    /* Without its trailing slash, so that "<directory>/<name>" is a path everywhere: "" for an executable
       in the root directory (an otherwise empty container image, docs/userland.md). */
    char *last_slash = strrchr(base_directory, '/');
    if (last_slash != NULL)
        *last_slash = '\0';

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
