/*
 * The Oxidize host for Windows (win-x64): the front of every oxidized .exe. It maps its own file, finds and validates
 * the payload appended after the PE image (the same format, checks and exit codes as the Linux host's main.c), loads
 * the packed coreclr.dll from memory through the PE loader and runs the app (runtime_host.c). Nothing is written to
 * disk. Built as a console program; the publish marks it GUI for OutputType=WinExe (docs/how-it-works.md,
 * "Windows (win-x64)").
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnostics_policy.h"
#include "host_error.h"
#include "load_list.h"
#include "oxidize_format.h"
#include "payload.h"
#include "runtime_host.h"
#include "win_entry_bytes.h"
#include "win_fatal_error.h"
#include "win_native_libraries.h"
#include "win_self_image.h"

/* The runtime reads its configuration through GetEnvironmentVariableW, so the variables are cleared in the
   process environment (the C runtime's copy is only read, by runtime_host.c's DOTNET_STARTUP_HOOKS). */
static void apply_diagnostics_policy(const struct payload *payload)
{
    if (payload->flags & OXPAK_FLAG_DIAGNOSTICS_ENABLED)
        return;
    for (size_t i = 0; i < diagnostics_variable_count; i++)
        SetEnvironmentVariableA(diagnostics_variables[i], NULL);
    /* Only the environment variable turns the diagnostics pipes off (a runtime property does not). */
    SetEnvironmentVariableA("DOTNET_EnableDiagnostics", "0");
}

/* The folder of the executable, without the trailing '\\': what AppContext.BaseDirectory becomes (plus '\\'). */
static enum host_status app_directory(const char *executable_path, char *directory, size_t size, struct host_error *error)
{
    const char *last_separator = strrchr(executable_path, '\\');
    size_t length = last_separator != NULL ? (size_t)(last_separator - executable_path) : 0;
    if (last_separator == NULL || length >= size) {
        host_error_set(error, HOST_EXIT_NO_APP_DIRECTORY, "the executable has no folder of its own",
                       "its path \"%s\" has no folder part", executable_path);
        return error->status;
    }
    memcpy(directory, executable_path, length);
    directory[length] = '\0';
    return HOST_OK;
}

/* The runtime takes UTF-8 arguments (coreclr_execute_assembly); Windows gives UTF-16 ones. */
static const char **utf8_arguments(int argc, wchar_t **argv, struct host_error *error)
{
    const char **arguments = calloc((size_t)argc + 1, sizeof *arguments);
    for (int i = 0; arguments != NULL && i < argc; i++) {
        int size = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, NULL, 0, NULL, NULL);
        char *argument = size > 0 ? malloc((size_t)size) : NULL;
        if (argument == NULL || WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, argument, size, NULL, NULL) != size) {
            host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for argument %d", i);
            return NULL;
        }
        arguments[i] = argument;
    }
    if (arguments == NULL)
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for the argument list");
    return arguments;
}

int wmain(int argc, wchar_t **argv)
{
    struct host_error error;
    static char executable_path[32768 * 3];
    static char base_directory[sizeof executable_path];
    static struct payload payload;

    if (win_self_image_map(executable_path, sizeof executable_path, &payload, &error) != HOST_OK)
        win_fatal_error_exit(&error);
    if (payload.flags & OXPAK_FLAG_NATIVE_AOT) {
        host_error_set(&error, HOST_EXIT_RUNTIME_UNSUPPORTED, "this executable was packed for a Native AOT app",
                       "the payload carries no runtime or managed assembly (PublishAot=true); it serves only the AOT app it was appended to");
        win_fatal_error_exit(&error);
    }
    if (payload.runtime_contract != OXPAK_RUNTIME_CONTRACT_NET10) {
        host_error_set(&error, HOST_EXIT_RUNTIME_UNSUPPORTED, "this executable was packed for an unsupported .NET runtime",
                       "the payload names runtime %s (host contract %u); this host knows only .NET 10 (contract %d)",
                       payload.runtime_version, payload.runtime_contract, OXPAK_RUNTIME_CONTRACT_NET10);
        win_fatal_error_exit(&error);
    }
    if (app_directory(executable_path, base_directory, sizeof base_directory, &error) != HOST_OK
        || win_entry_bytes_init(&payload, &error) != HOST_OK
        || win_native_libraries_init(&payload, base_directory, &error) != HOST_OK)
        win_fatal_error_exit(&error);
    load_list_init(&payload);
    apply_diagnostics_policy(&payload);

    int app_argc = argc > 0 ? argc - 1 : 0;
    const char **app_argv = utf8_arguments(app_argc, argc > 0 ? argv + 1 : argv, &error);
    if (app_argv == NULL)
        win_fatal_error_exit(&error);
    struct runtime_launch launch = {
        .payload = &payload,
        .executable_path = executable_path,
        .base_directory = base_directory,
        .argc = app_argc,
        .argv = app_argv,
    };
    int exit_code = 0;
    if (runtime_host_run(&launch, &exit_code, &error) != HOST_OK)
        win_fatal_error_exit(&error);
    return exit_code;
}
