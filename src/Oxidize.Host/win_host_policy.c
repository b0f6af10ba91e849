/*
 * host_policy.h on Windows. hostpolicy's exports take and give UTF-16 there (its pal::char_t is wchar_t, and CoreLib's
 * Interop.HostPolicy marshals with CharSet.Auto), so these answers convert around component_resolve, which works in
 * UTF-8 like the Linux host's host_policy.c. The lists come back ';'-separated (component_files.h).
 */
#include "host_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component_resolver.h"
#include "win_text.h"

typedef void (*resolve_result_function)(const wchar_t *assembly_paths, const wchar_t *native_search_paths,
                                        const wchar_t *resource_search_paths);
typedef void (*error_writer_function)(const wchar_t *message);

/* Per thread, as hostpolicy's: AssemblyDependencyResolver sets it around one call and restores the previous one. */
static __thread error_writer_function current_error_writer;

static void write_error(const char *message)
{
    error_writer_function writer = current_error_writer;
    wchar_t *wide = writer != NULL ? win_text_to_wide(message) : NULL;
    if (wide != NULL)
        writer(wide);
    else
        fprintf(stderr, "%s\n", message); /* hostpolicy's default when nobody listens */
    free(wide);
}

static error_writer_function corehost_set_error_writer(error_writer_function writer)
{
    error_writer_function previous = current_error_writer;
    current_error_writer = writer;
    return previous;
}

static int corehost_resolve_component_dependencies(const wchar_t *component_assembly_path, resolve_result_function result)
{
    char *path = component_assembly_path != NULL ? win_text_to_utf8(component_assembly_path) : NULL;
    if (component_assembly_path != NULL && path == NULL) {
        write_error("Out of memory while resolving the component's dependencies");
        return COMPONENT_STATUS_HOST_API_FAILED;
    }
    struct component_paths paths;
    int status = component_resolve(path, &paths, write_error);
    free(path);
    if (status != 0)
        return status;
    wchar_t *assemblies = win_text_to_wide(paths.assemblies);
    wchar_t *native_directories = win_text_to_wide(paths.native_directories);
    wchar_t *resource_directories = win_text_to_wide(paths.resource_directories);
    component_paths_free(&paths);
    if (assemblies == NULL || native_directories == NULL || resource_directories == NULL) {
        write_error("Out of memory while resolving the component's dependencies");
        status = COMPONENT_STATUS_HOST_API_FAILED;
    } else if (result != NULL) {
        result(assemblies, native_directories, resource_directories);
    }
    free(assemblies);
    free(native_directories);
    free(resource_directories);
    return status;
}

const void *host_policy_pinvoke_override(const char *library_name, const char *entry_point)
{
    if (library_name == NULL || entry_point == NULL)
        return NULL;
    if (_stricmp(library_name, "hostpolicy") != 0 && _stricmp(library_name, "hostpolicy.dll") != 0
        && strcmp(library_name, "libhostpolicy") != 0)
        return NULL;
    if (strcmp(entry_point, "corehost_resolve_component_dependencies") == 0)
        return (const void *)corehost_resolve_component_dependencies;
    if (strcmp(entry_point, "corehost_set_error_writer") == 0)
        return (const void *)corehost_set_error_writer;
    return NULL;
}
