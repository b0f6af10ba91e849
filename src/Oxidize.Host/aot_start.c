/*
 * The serving component of a Native AOT app published with -p:Oxidize=true -p:PublishAot=true: linked into
 * the AOT binary by ILC's link step (liboxidize-aot.a, build/Oxidize.Sdk.Aot.targets), with the payload
 * appended to that binary afterwards. Before main, this constructor finds the payload in the executable's own
 * file and hands it to the same code the host uses (native_libraries.c, app_files.c, app_directories.c,
 * app_tree_changes.c): the AOT runtime's dlopen of a DllImport or NativeLibrary.Load, a packed library's
 * DT_NEEDED SONAMEs, and opens and stats of packed content at <app directory>/<name> are served from memory.
 * The AOT runtime is statically linked, so its own calls bind to these definitions at link time; libraries
 * loaded later bind to them because the binary exports them (ILC's --export-dynamic-symbol).
 */
#define _GNU_SOURCE
#include <limits.h>

#include "app_files.h"
#include "host_error.h"
#include "native_libraries.h"
#include "oxidize_format.h"
#include "payload.h"
#include "process_start.h"

/* Before any other constructor that could open a packed file; the runtime itself starts in main. */
__attribute__((constructor(101))) static void oxidize_aot_start(void)
{
    static char executable_path[PATH_MAX];
    static char app_directory[PATH_MAX];
    static struct payload payload;
    struct host_error error;

    process_start_occupy_standard_descriptors();
    process_start_read_executable_path(executable_path, sizeof executable_path, &error);
    if (payload_map_file(PROCESS_START_SELF_PATH, &payload, &error) != HOST_OK)
        host_error_exit(&error);
    if (!(payload.flags & OXPAK_FLAG_NATIVE_AOT)) {
        host_error_set(&error, HOST_EXIT_RUNTIME_UNSUPPORTED, "this executable's payload was packed for the CoreCLR host",
                       "the payload names entry assembly %u and runtime %s; a Native AOT app's payload carries neither",
                       payload.entry_assembly_index, payload.runtime_version);
        host_error_exit(&error);
    }
    /* Nothing packed (no native library, no content): every call goes straight to the system. */
    if (payload.entry_count == 0)
        return;
    process_start_app_directory(executable_path, app_directory, sizeof app_directory);
    if (native_libraries_init(&payload, app_directory, &error) != HOST_OK)
        host_error_exit(&error);
    app_files_init(&payload, app_directory, executable_path);
}
