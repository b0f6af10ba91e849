#include "win_native_libraries.h"

#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oxidize_format.h"
#include "pe_loader.h"
#include "runtime_platform.h"
#include "win_entry_bytes.h"

/* A packed DLL once asked for: the path it reports and its size. Its bytes are borrowed only while the PE loader
   makes its image (win_entry_bytes_borrow): pages read through the whole-file view would stay resident for the life
   of the process beside the image copied from them (4.5 MB for coreclr.dll, 2 MB for clrjit.dll). */
struct packed_library {
    size_t size;
    char *path;
};

static const struct payload *packed;
static const char *app_directory;
static struct packed_library *libraries; /* one per entry, by entry index */
static CRITICAL_SECTION libraries_lock;

const char runtime_platform_coreclr_name[] = "coreclr.dll";

static int find_packed(void *context, const char *base_name, const uint8_t **bytes, size_t *size, const char **path);
static void release_packed(void *context, const uint8_t *bytes);
static const struct pe_loader_resolver resolver = {find_packed, NULL, release_packed};

enum host_status win_native_libraries_init(const struct payload *payload, const char *base_directory,
                                           struct host_error *error)
{
    packed = payload;
    app_directory = base_directory;
    libraries = calloc(payload->entry_count > 0 ? payload->entry_count : 1, sizeof *libraries);
    if (libraries == NULL) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for the native library table");
        return error->status;
    }
    InitializeCriticalSection(&libraries_lock);
    return HOST_OK;
}

/* A top-level native-library entry whose name equals name[0..length), ignoring ASCII case as Windows file names do. */
static int64_t find_native_by_name(const char *name, size_t length)
{
    int64_t index = payload_find(packed, name, length);
    struct payload_entry entry;
    if (index >= 0) {
        payload_entry_at(packed, (uint32_t)index, &entry);
        return entry.kind == OXPAK_KIND_NATIVE_LIBRARY ? index : -1;
    }
    for (uint32_t i = 0; i < packed->entry_count; i++) {
        payload_entry_at(packed, i, &entry);
        if (entry.kind == OXPAK_KIND_NATIVE_LIBRARY && entry.name_length == length && _strnicmp(entry.name, name, length) == 0)
            return i;
    }
    return -1;
}

/* Windows' own order for a library name: as given, then with ".dll" appended (LoadLibrary and the runtime's
   NativeLibrary probing both add it). A path is looked up by its last segment. */
static int64_t find_native_library(const char *library_name)
{
    const char *base = library_name;
    for (const char *p = library_name; *p != '\0'; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    size_t length = strlen(base);
    if (length == 0 || length > OXPAK_MAX_NAME_LENGTH)
        return -1;
    int64_t index = find_native_by_name(base, length);
    if (index >= 0)
        return index;
    char candidate[OXPAK_MAX_NAME_LENGTH + 8];
    int written = snprintf(candidate, sizeof candidate, "%s.dll", base);
    return written > 0 && (size_t)written < sizeof candidate ? find_native_by_name(candidate, (size_t)written) : -1;
}

/* The entry's path and size, made on first use; 0 with error filled when out of memory. */
static int library_at(uint32_t index, struct packed_library **library_out, struct host_error *error)
{
    EnterCriticalSection(&libraries_lock);
    struct packed_library *library = &libraries[index];
    if (library->path == NULL) {
        struct payload_entry entry;
        payload_entry_at(packed, index, &entry);
        size_t path_size = strlen(app_directory) + 1 + entry.name_length + 1;
        char *path = malloc(path_size);
        if (path != NULL) {
            /* The path the DLL reports (GetModuleFileNameW): where it would be if it had been published as a file. */
            snprintf(path, path_size, "%s\\%s", app_directory, entry.name);
            for (char *p = path + strlen(app_directory) + 1; *p != '\0'; p++)
                if (*p == '/')
                    *p = '\\';
            library->size = (size_t)entry.original_size;
            library->path = path;
        } else {
            host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot load a packed native library", "out of memory for its path");
        }
    }
    int ok = library->path != NULL;
    LeaveCriticalSection(&libraries_lock);
    *library_out = library;
    return ok;
}

/* The PE loader's question when a DLL it loads imports or LoadLibrary's base_name. */
static int find_packed(void *context, const char *base_name, const uint8_t **bytes, size_t *size, const char **path)
{
    (void)context;
    int64_t index = find_native_library(base_name);
    struct packed_library *library;
    struct host_error error;
    if (index < 0 || !library_at((uint32_t)index, &library, &error))
        return 0; /* not packed (a Windows DLL), or unusable: Windows' loader then looks and reports it missing */
    const uint8_t *borrowed = win_entry_bytes_borrow((uint32_t)index, &error);
    if (borrowed == NULL)
        return 0;
    *bytes = borrowed;
    *size = library->size;
    *path = library->path;
    return 1;
}

static void release_packed(void *context, const uint8_t *bytes)
{
    (void)context;
    win_entry_bytes_return(bytes);
}

static struct pe_module *load_index(uint32_t index, struct host_error *error)
{
    struct packed_library *library;
    if (!library_at(index, &library, error))
        return NULL;
    /* Every P/Invoke into a packed DLL asks again: a loaded one is answered without borrowing its bytes. */
    struct pe_module *module = pe_loader_module_named(library->path);
    if (module != NULL)
        return module;
    const uint8_t *bytes = win_entry_bytes_borrow(index, error);
    if (bytes == NULL)
        return NULL;
    int loaded = pe_loader_load(library->path, bytes, library->size, &resolver, &module, error);
    win_entry_bytes_return(bytes);
    return loaded ? module : NULL;
}

void *runtime_platform_load_coreclr(struct host_error *error)
{
    int64_t index = find_native_by_name(runtime_platform_coreclr_name, strlen(runtime_platform_coreclr_name));
    if (index < 0) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, "the executable's embedded payload is incomplete",
                       "the native library \"%s\" is not packed", runtime_platform_coreclr_name);
        return NULL;
    }
    return load_index((uint32_t)index, error);
}

void *runtime_platform_symbol(void *library, const char *name)
{
    return pe_loader_symbol(library, name);
}

const void *runtime_platform_pinvoke_override(const char *library_name, const char *entry_point)
{
    if (packed == NULL || library_name == NULL || entry_point == NULL)
        return NULL;
    int64_t index = find_native_library(library_name);
    if (index < 0)
        return NULL;
    struct host_error error;
    struct pe_module *module = load_index((uint32_t)index, &error);
    if (module == NULL)
        return NULL; /* the runtime then probes as usual and reports its own DllNotFoundException */
    return pe_loader_symbol(module, entry_point);
}
