#define _GNU_SOURCE
#include "runtime_host.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glibc_floor.h"
#include "host_policy.h"
#include "load_list.h"
#include "oxidize_format.h"
#include "runtime_platform.h"

/*
 * The host_runtime_contract layout libcoreclr 10.0.x reads (x64 offsets 0..40). The header on
 * dotnet/runtime main orders these fields differently, and that order crashes 10.0.x, so the layout
 * is tied to OXPAK_RUNTIME_CONTRACT_NET10 and checked against the payload before use.
 */
struct host_runtime_contract_net10 {
    size_t size;
    void *context;
    size_t (*get_runtime_property)(const char *key, char *value_buffer, size_t value_buffer_size, void *context);
    bool (*bundle_probe)(const char *path, int64_t *offset, int64_t *size, int64_t *compressed_size);
    const void *(*pinvoke_override)(const char *library_name, const char *entry_point_name);
    bool (*external_assembly_probe)(const char *path, void **data_start, int64_t *size);
};

typedef int (*coreclr_initialize_function)(const char *exe_path, const char *app_domain_friendly_name,
                                           int property_count, const char **property_keys,
                                           const char **property_values, void **host_handle, unsigned int *domain_id);
typedef int (*coreclr_execute_assembly_function)(void *host_handle, unsigned int domain_id, int argc, const char **argv,
                                                 const char *managed_assembly_path, unsigned int *exit_code);
typedef int (*coreclr_shutdown_2_function)(void *host_handle, unsigned int domain_id, int *latched_exit_code);

struct property_list {
    const char **keys;
    const char **values;
    int count;
};

static const struct runtime_launch *current_launch;
static struct property_list current_properties;
static const char *app_name; /* the entry assembly's name without ".dll": ENTRY_ASSEMBLY_NAME and the domain name */
static char entry_assembly_path[4096];

static size_t get_runtime_property(const char *key, char *value_buffer, size_t value_buffer_size, void *context)
{
    (void)context;
    for (int i = 0; i < current_properties.count; i++) {
        if (strcmp(current_properties.keys[i], key) != 0)
            continue;
        size_t needed = strlen(current_properties.values[i]) + 1;
        if (value_buffer != NULL && needed <= value_buffer_size)
            memcpy(value_buffer, current_properties.values[i], needed);
        return needed;
    }
    return (size_t)-1;
}

/* The packed managed assembly the runtime asks for, or -1. Paths arrive bare ("System.Runtime.dll"), or as the
   entry path we passed to coreclr_execute_assembly; on Windows a subfolder is written with '\\', which entry
   names write as '/'. */
static int64_t find_assembly(const char *path, struct payload_entry *entry)
{
    const struct payload *payload = current_launch->payload;
    size_t directory_length = strlen(current_launch->base_directory);
    if (RUNTIME_PATH_PREFIX_EQUAL(path, current_launch->base_directory, directory_length)
        && path[directory_length] == RUNTIME_DIRECTORY_SEPARATOR)
        path += directory_length + 1;
    size_t name_length = strlen(path);
    if (name_length > OXPAK_MAX_NAME_LENGTH)
        return -1;
    char name[OXPAK_MAX_NAME_LENGTH + 1];
    for (size_t i = 0; i <= name_length; i++)
        name[i] = path[i] == RUNTIME_DIRECTORY_SEPARATOR ? '/' : path[i];
    int64_t index = payload_find(payload, name, name_length);
    if (index < 0)
        return -1;
    payload_entry_at(payload, (uint32_t)index, entry);
    return entry->kind == OXPAK_KIND_MANAGED_ASSEMBLY ? index : -1;
}

#if RUNTIME_ASSEMBLIES_IN_MEMORY
/* Every assembly as memory: the stored bytes in the mapped executable, or a decoded copy of an LZ4 entry. */
static bool external_assembly_probe(const char *path, void **data_start, int64_t *size)
{
    struct payload_entry entry;
    int64_t index = find_assembly(path, &entry);
    const void *data;
    if (index < 0 || !runtime_platform_entry_bytes((uint32_t)index, &data))
        return false;
    *data_start = (void *)data;
    *size = (int64_t)entry.original_size;
    return true;
}
#else
static bool bundle_probe(const char *path, int64_t *offset, int64_t *size, int64_t *compressed_size)
{
    struct payload_entry entry;
    int64_t index = find_assembly(path, &entry);
    if (index < 0 || entry.codec != OXPAK_CODEC_STORED)
        return false;
    load_list_record((uint32_t)index);
    *offset = (int64_t)entry.file_offset;
    *size = (int64_t)entry.original_size;
    *compressed_size = 0;
    return true;
}
#endif

/*
 * Linux, with compressed assemblies: bundle_probe answers only for stored ones. The others are listed here
 * at their usual paths, so the binder opens them like files: the host's open() decodes each into a
 * memfd when (and only if) the runtime asks for it, and the runtime maps that. Returns NULL when every
 * assembly is stored (the property is then not needed) or on allocation failure (*failed set).
 */
static char *trusted_platform_assemblies(const struct runtime_launch *launch, int *failed)
{
    const struct payload *payload = launch->payload;
    size_t directory_length = strlen(launch->base_directory);
    size_t length = 1;
    int any_compressed = 0;
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        struct payload_entry entry;
        payload_entry_at(payload, i, &entry);
        /* Satellite assemblies live in culture folders and are found through PLATFORM_RESOURCE_ROOTS. */
        if (entry.kind != OXPAK_KIND_MANAGED_ASSEMBLY || strchr(entry.name, '/') != NULL)
            continue;
        any_compressed |= entry.codec != OXPAK_CODEC_STORED && !RUNTIME_ASSEMBLIES_IN_MEMORY;
        length += directory_length + 2 + entry.name_length;
    }
    *failed = 0;
    if (!any_compressed)
        return NULL;
    char *list = malloc(length);
    if (list == NULL) {
        *failed = 1;
        return NULL;
    }
    char *end = list;
    *end = '\0';
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        struct payload_entry entry;
        payload_entry_at(payload, i, &entry);
        if (entry.kind != OXPAK_KIND_MANAGED_ASSEMBLY || strchr(entry.name, '/') != NULL)
            continue;
        if (end != list)
            *end++ = RUNTIME_PATH_LIST_SEPARATOR;
        memcpy(end, launch->base_directory, directory_length);
        end += directory_length;
        *end++ = RUNTIME_DIRECTORY_SEPARATOR;
        memcpy(end, entry.name, entry.name_length);
        end += entry.name_length;
        *end = '\0';
    }
    return list;
}

static char *format_string(const char *format, const char *a, const char *b)
{
    size_t length = strlen(format) + strlen(a) + (b ? strlen(b) : 0) + 1;
    char *text = malloc(length);
    if (text != NULL)
        snprintf(text, length, format, a, b ? b : "");
    return text;
}

static enum host_status build_properties(const struct runtime_launch *launch, struct host_runtime_contract_net10 *contract,
                                         struct property_list *list, struct host_error *error)
{
    const struct payload *payload = launch->payload;
    /* Packed properties come from the app's runtimeconfig.json; the host adds the ones only it knows: one for each
       list->keys[count] = "..." below (HostPropertyCountTests counts them). */
    enum { host_property_count = 9 };
    int capacity = (int)payload->property_count + host_property_count;
    list->keys = calloc((size_t)capacity, sizeof *list->keys);
    list->values = calloc((size_t)capacity, sizeof *list->values);
    char *contract_text = malloc(32);
    char *base_directory = format_string("%s" RUNTIME_DIRECTORY_SEPARATOR_TEXT "%s", launch->base_directory, NULL);
    struct payload_entry entry_assembly;
    payload_entry_at(payload, payload->entry_assembly_index, &entry_assembly);
    char *entry_name = strdup(entry_assembly.name);
    if (list->keys == NULL || list->values == NULL || contract_text == NULL || base_directory == NULL || entry_name == NULL) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for runtime properties");
        return error->status;
    }
    char *extension = strrchr(entry_name, '.');
    if (extension != NULL && strcmp(extension, ".dll") == 0)
        *extension = '\0';
    snprintf(contract_text, 32, "0x%zx", (size_t)(uintptr_t)contract);

    int count = 0;
    list->keys[count] = "HOST_RUNTIME_CONTRACT"; list->values[count++] = contract_text;
    list->keys[count] = "APP_CONTEXT_BASE_DIRECTORY"; list->values[count++] = base_directory;
    list->keys[count] = "RUNTIME_IDENTIFIER"; list->values[count++] = payload->runtime_identifier;
    list->keys[count] = "NATIVE_DLL_SEARCH_DIRECTORIES"; list->values[count++] = base_directory;
    list->keys[count] = "ENTRY_ASSEMBLY_NAME"; list->values[count++] = entry_name;
    app_name = entry_name;
    /* Tells Oxidize.Resources (and anything else that asks AppContext.GetData) that the app is oxidized. */
    list->keys[count] = "OXIDIZE_EXECUTABLE_PATH"; list->values[count++] = launch->executable_path;
    int failed;
    char *trusted = trusted_platform_assemblies(launch, &failed);
    if (failed) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for the assembly list");
        return error->status;
    }
    if (trusted != NULL) {
        list->keys[count] = "TRUSTED_PLATFORM_ASSEMBLIES"; list->values[count++] = trusted;
        list->keys[count] = "PLATFORM_RESOURCE_ROOTS"; list->values[count++] = launch->base_directory[0] ? launch->base_directory : "/";
    }
    /* Like the official host, which turns DOTNET_STARTUP_HOOKS into this property; but only when the app
       was built to allow it (OxidizeAllowStartupHooks), so an environment variable cannot inject code. */
    const char *startup_hooks = getenv("DOTNET_STARTUP_HOOKS");
    if ((payload->flags & OXPAK_FLAG_STARTUP_HOOKS_ENABLED) && startup_hooks != NULL && startup_hooks[0] != '\0') {
        list->keys[count] = "STARTUP_HOOKS"; list->values[count++] = startup_hooks;
    }
    for (uint32_t i = 0; i < payload->property_count; i++) {
        payload_property_at(payload, i, &list->keys[count], &list->values[count]);
        count++;
    }
    list->count = count;
    return HOST_OK;
}

/* The runtime's hostpolicy calls (AssemblyDependencyResolver) first, then the packed native libraries. */
static const void *pinvoke_override(const char *library_name, const char *entry_point)
{
    const void *function = host_policy_pinvoke_override(library_name, entry_point);
    return function != NULL ? function : runtime_platform_pinvoke_override(library_name, entry_point);
}

static void *require_export(void *library, const char *name, struct host_error *error)
{
    void *symbol = runtime_platform_symbol(library, name);
    if (symbol == NULL)
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "cannot start the .NET runtime",
                       "the packed %s has no export \"%s\"", runtime_platform_coreclr_name, name);
    return symbol;
}

enum host_status runtime_host_run(const struct runtime_launch *launch, int *exit_code, struct host_error *error)
{
    current_launch = launch;
    void *coreclr = runtime_platform_load_coreclr(error);
    if (coreclr == NULL)
        return error->status;
    coreclr_initialize_function initialize = (coreclr_initialize_function)require_export(coreclr, "coreclr_initialize", error);
    coreclr_execute_assembly_function execute =
        (coreclr_execute_assembly_function)require_export(coreclr, "coreclr_execute_assembly", error);
    coreclr_shutdown_2_function shutdown = (coreclr_shutdown_2_function)require_export(coreclr, "coreclr_shutdown_2", error);
    if (initialize == NULL || execute == NULL || shutdown == NULL)
        return error->status;

    static struct host_runtime_contract_net10 contract;
    contract.size = sizeof contract;
    contract.context = NULL;
    contract.get_runtime_property = get_runtime_property;
#if RUNTIME_ASSEMBLIES_IN_MEMORY
    contract.bundle_probe = NULL;
    contract.external_assembly_probe = external_assembly_probe;
#else
    contract.bundle_probe = bundle_probe;
    contract.external_assembly_probe = NULL;
#endif
    contract.pinvoke_override = pinvoke_override;
    if (build_properties(launch, &contract, &current_properties, error) != HOST_OK)
        return error->status;

    struct payload_entry entry_assembly;
    payload_entry_at(launch->payload, launch->payload->entry_assembly_index, &entry_assembly);
    int written = snprintf(entry_assembly_path, sizeof entry_assembly_path, "%s" RUNTIME_DIRECTORY_SEPARATOR_TEXT "%s",
                           launch->base_directory, entry_assembly.name);
    if (written < 0 || (size_t)written >= sizeof entry_assembly_path) {
        host_error_set(error, HOST_EXIT_RUNTIME_INIT_FAILED, "cannot start the .NET runtime",
                       "the path of the entry assembly is longer than %zu bytes", sizeof entry_assembly_path - 1);
        return error->status;
    }

    void *host_handle = NULL;
    unsigned int domain_id = 0;
    int result = initialize(launch->executable_path, app_name, current_properties.count, current_properties.keys,
                            current_properties.values, &host_handle, &domain_id);
    if (result < 0) {
        host_error_set(error, HOST_EXIT_RUNTIME_INIT_FAILED, "cannot start the .NET runtime",
                       "coreclr_initialize failed with HRESULT 0x%08x (runtime %s)", (unsigned)result,
                       launch->payload->runtime_version);
        return error->status;
    }
    unsigned int app_exit_code = 0;
    result = execute(host_handle, domain_id, launch->argc, launch->argv, entry_assembly_path, &app_exit_code);
    if (result < 0) {
        host_error_set(error, HOST_EXIT_EXECUTE_FAILED, "cannot run the app's entry assembly",
                       "coreclr_execute_assembly(\"%s\") failed with HRESULT 0x%08x", entry_assembly.name, (unsigned)result);
        return error->status;
    }
    /* The latched code is Environment.ExitCode when Main returned void; it equals Main's value otherwise. */
    int latched_exit_code = (int)app_exit_code;
    shutdown(host_handle, domain_id, &latched_exit_code);
    *exit_code = latched_exit_code;
    return HOST_OK;
}
