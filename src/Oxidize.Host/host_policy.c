#include "host_policy.h"

#include <stdio.h>
#include <string.h>

#include "component_resolver.h"

/* The signatures System.Private.CoreLib declares (Interop.HostPolicy.cs): UTF-8 strings, cdecl. */
typedef void (*resolve_result_function)(const char *assembly_paths, const char *native_search_paths, const char *resource_search_paths);
typedef void (*error_writer_function)(const char *message);

/* Per thread, as hostpolicy's: AssemblyDependencyResolver sets it around one call and restores the previous one. */
static __thread error_writer_function current_error_writer;

static void write_error(const char *message)
{
    error_writer_function writer = current_error_writer;
    if (writer != NULL)
        writer(message);
    else
        fprintf(stderr, "%s\n", message); /* hostpolicy's default when nobody listens */
}

static error_writer_function corehost_set_error_writer(error_writer_function writer)
{
    error_writer_function previous = current_error_writer;
    current_error_writer = writer;
    return previous;
}

static int corehost_resolve_component_dependencies(const char *component_assembly_path, resolve_result_function result)
{
    struct component_paths paths;
    int status = component_resolve(component_assembly_path, &paths, write_error);
    if (status != 0)
        return status;
    if (result != NULL)
        result(paths.assemblies, paths.native_directories, paths.resource_directories);
    component_paths_free(&paths);
    return 0;
}

const void *host_policy_pinvoke_override(const char *library_name, const char *entry_point)
{
    if (library_name == NULL || entry_point == NULL)
        return NULL;
    if (strcmp(library_name, "libhostpolicy") != 0 && strcmp(library_name, "hostpolicy") != 0
        && strcmp(library_name, "libhostpolicy.so") != 0)
        return NULL;
    if (strcmp(entry_point, "corehost_resolve_component_dependencies") == 0)
        return (const void *)corehost_resolve_component_dependencies;
    if (strcmp(entry_point, "corehost_set_error_writer") == 0)
        return (const void *)corehost_set_error_writer;
    return NULL;
}
