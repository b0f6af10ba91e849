/*
 * What .NET's hostpolicy computes for AssemblyDependencyResolver (corehost_resolve_component_dependencies):
 * from a plugin's main assembly and the .deps.json beside it, the plugin's managed assemblies, the folders its
 * native libraries are in and the folders its satellite-assembly culture folders are in. Files are reached
 * through component_files.h (on Linux open/realpath/opendir, which the host serves for packed paths too), so a
 * plugin packed in the executable and one on disk resolve alike. docs/how-it-works.md ("Plugins") says what is supported.
 */
#ifndef OXIDIZE_COMPONENT_RESOLVER_H
#define OXIDIZE_COMPONENT_RESOLVER_H

#include <stddef.h>

/* hostpolicy's status codes (dotnet/runtime src/native/corehost/error_codes.h) for the outcomes this can have. */
#define COMPONENT_STATUS_RESOLVER_INIT_FAILURE ((int)0x8000808bu)
#define COMPONENT_STATUS_RESOLVER_RESOLVE_FAILURE ((int)0x8000808cu)
#define COMPONENT_STATUS_INVALID_ARGS ((int)0x80008092u)
#define COMPONENT_STATUS_HOST_API_FAILED ((int)0x80008097u)

/* Each list is absolute paths, each followed by ':' (';' on Windows: hostpolicy's format, which the runtime splits). */
struct component_paths {
    char *assemblies;
    char *native_directories;
    char *resource_directories;
};

/* Error messages go here, one call per line, as hostpolicy's error writer receives them. */
typedef void (*component_error_writer)(const char *message);

/* Returns 0 with *paths filled (free with component_paths_free), or one of the statuses above after writing
   the reason through write_error. */
int component_resolve(const char *component_assembly_path, struct component_paths *paths, component_error_writer write_error);

void component_paths_free(struct component_paths *paths);

#endif
