#define _GNU_SOURCE
#include "native_libraries.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_floor.h"
#include "app_files.h"
#include "elf_loader.h"
#include "elf_loader_imports.h"
#include "entry_data.h"
#include "load_list.h"
#include "next_symbol.h"
#include "oxidize_format.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif

/* Per packed entry: its memfd once created (-1 before), whether a thread is copying it right now, and
   a dlopen handle once opened (for a mapped library, its elf_loader module instead). */
struct loaded_library {
    int memfd;
    int copying;
    void *handle;
};

static const struct payload *packed;
static const char *app_directory;
static size_t app_directory_length;
static struct loaded_library *libraries;
/* The indexes of the packed native libraries, in entry order: a lookup by file name scans these few instead of every
   entry (the runtime probes several names a dlopen, ICU's versions among them, and most miss). */
static uint32_t *native_indexes;
static uint32_t native_count;
static pthread_mutex_t libraries_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t library_copied = PTHREAD_COND_INITIALIZER;
/* Held while a mapped library loads, constructors included: recursive, since a constructor may load another. */
static pthread_mutex_t mapping_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

typedef void *(*dlopen_function)(const char *, int);
static void *real_dlopen;

void *native_libraries_real_dlopen(const char *path, int flags)
{
    return ((dlopen_function)next_symbol(&real_dlopen, "dlopen"))(path, flags);
}

enum host_status native_libraries_init(const struct payload *payload, const char *base_directory,
                                       struct host_error *error)
{
    libraries = calloc(payload->entry_count, sizeof *libraries);
    if (libraries == NULL) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for %u entries",
                       payload->entry_count);
        return error->status;
    }
    native_indexes = calloc(payload->entry_count > 0 ? payload->entry_count : 1, sizeof *native_indexes);
    if (native_indexes == NULL) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for %u entries",
                       payload->entry_count);
        return error->status;
    }
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        libraries[i].memfd = -1;
        struct payload_entry entry;
        payload_entry_at(payload, i, &entry);
        if (entry.kind == OXPAK_KIND_NATIVE_LIBRARY)
            native_indexes[native_count++] = i;
    }
    app_directory = base_directory;
    app_directory_length = strlen(base_directory);
    packed = payload;
    return HOST_OK;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Finds a packed native library by entry name, else by file name (entries may sit in folders). */
static int64_t find_native_by_name(const char *name, size_t length)
{
    struct payload_entry entry;
    int64_t index = payload_find(packed, name, length);
    if (index >= 0) {
        payload_entry_at(packed, (uint32_t)index, &entry);
        return entry.kind == OXPAK_KIND_NATIVE_LIBRARY ? index : -1;
    }
    for (uint32_t i = 0; i < native_count; i++) {
        payload_entry_at(packed, native_indexes[i], &entry);
        const char *file_name = base_name(entry.name);
        if (strlen(file_name) == length && memcmp(file_name, name, length) == 0)
            return native_indexes[i];
    }
    return -1;
}

/* The runtime's own probing order for a library name: as given, +".so", "lib"+name+".so", "lib"+name. */
static int64_t find_native_library(const char *library_name)
{
    char candidate[OXPAK_MAX_NAME_LENGTH + 8];
    size_t length = strlen(library_name);
    if (length == 0 || length > OXPAK_MAX_NAME_LENGTH)
        return -1;
    int64_t index = find_native_by_name(library_name, length);
    if (index >= 0)
        return index;
    static const char *const patterns[] = {"%s.so", "lib%s.so", "lib%s"};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        int written = snprintf(candidate, sizeof candidate, patterns[i], library_name);
        if (written > 0 && (size_t)written < sizeof candidate) {
            index = find_native_by_name(candidate, (size_t)written);
            if (index >= 0)
                return index;
        }
    }
    return -1;
}

/* Returns the entry's memfd, creating it on first use. The copy runs outside libraries_lock, so two
   threads can copy two libraries at once (library_prefetch.c); a thread that wants a library another
   thread is copying waits for that copy instead of making its own. */
static int memfd_for_entry(uint32_t index, struct host_error *error)
{
    pthread_mutex_lock(&libraries_lock);
    while (libraries[index].copying)
        pthread_cond_wait(&library_copied, &libraries_lock);
    int fd = libraries[index].memfd;
    libraries[index].copying = fd < 0;
    pthread_mutex_unlock(&libraries_lock);
    if (fd >= 0)
        return fd;

    fd = entry_data_to_memfd(packed, index, MFD_CLOEXEC);
    int copy_errno = errno;
    pthread_mutex_lock(&libraries_lock);
    libraries[index].memfd = fd; /* -1 after a failure: the next caller tries again and reports it */
    libraries[index].copying = 0;
    pthread_cond_broadcast(&library_copied);
    pthread_mutex_unlock(&libraries_lock);
    if (fd < 0) {
        errno = copy_errno;
        struct payload_entry entry;
        payload_entry_at(packed, index, &entry);
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "cannot load a packed native library",
                       "copying \"%s\" into a memfd failed: %m (%s)", entry.name, host_error_errno_hint(errno));
        return -1;
    }
    return fd;
}

/* A library the publish marked mappable: its segments are mapped from the executable (elf_loader.c), no copy. */
static void *map_index(uint32_t index, const struct payload_entry *entry, struct host_error *error)
{
    pthread_mutex_lock(&mapping_lock);
    void *handle = libraries[index].handle;
    if (handle == NULL) {
        /* Reported as if the library were in the app directory: that is where the runtime then looks for its JIT. */
        char path[OXPAK_MAX_NAME_LENGTH + PATH_MAX + 2];
        snprintf(path, sizeof path, "%s/%s", app_directory, entry->name);
        handle = elf_loader_load(packed->file_descriptor, entry->file_offset, packed->file + entry->file_offset,
                                 entry->original_size, path, error);
        __atomic_store_n(&libraries[index].handle, handle, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&mapping_lock);
    return handle;
}

static void *load_index(uint32_t index, int flags, struct host_error *error, unsigned depth)
{
    void *handle = __atomic_load_n(&libraries[index].handle, __ATOMIC_ACQUIRE);
    if (handle != NULL)
        return handle;
    struct payload_entry entry;
    payload_entry_at(packed, index, &entry);
    /* glibc matches a DT_NEEDED name against the SONAMEs already loaded, so dependencies go first. */
    if (depth > 64) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "cannot load a packed native library",
                       "the dependencies of \"%s\" nest deeper than 64 levels (a cycle?)", entry.name);
        return NULL;
    }
    for (uint32_t i = 0; i < entry.dependencies_count; i++) {
        uint32_t dependency = payload_dependency_at(packed, entry.dependencies_first + i);
        if (dependency != index && load_index(dependency, RTLD_NOW | RTLD_GLOBAL, error, depth + 1) == NULL)
            return NULL;
    }

    load_list_record(index);
    if (entry.flags & OXPAK_ENTRY_FLAG_MAPPED_LIBRARY)
        return map_index(index, &entry, error);

    int fd = memfd_for_entry(index, error);
    if (fd < 0)
        return NULL;

    /* dlopen outside the lock: a library constructor may itself call dlopen. The same path yields the same handle. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    handle = native_libraries_real_dlopen(path, flags);
    if (handle == NULL) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "cannot load a packed native library",
                       "dlopen of \"%s\" from memory failed: %s", entry.name, dlerror());
        return NULL;
    }
    __atomic_store_n(&libraries[index].handle, handle, __ATOMIC_RELEASE);
    return handle;
}

int native_libraries_prepare_entry(const char *entry_name)
{
    int64_t index = find_native_by_name(entry_name, strlen(entry_name));
    if (index < 0)
        return -1;
    struct payload_entry entry;
    payload_entry_at(packed, (uint32_t)index, &entry);
    if (entry.flags & OXPAK_ENTRY_FLAG_MAPPED_LIBRARY)
        return 0; /* nothing to copy */
    struct host_error error;
    return memfd_for_entry((uint32_t)index, &error) >= 0 ? 0 : -1;
}

int native_libraries_entry_needs_copy(const char *entry_name)
{
    int64_t index = find_native_by_name(entry_name, strlen(entry_name));
    if (index < 0)
        return 0;
    struct payload_entry entry;
    payload_entry_at(packed, (uint32_t)index, &entry);
    return (entry.flags & OXPAK_ENTRY_FLAG_MAPPED_LIBRARY) == 0;
}

void *native_libraries_symbol(void *handle, const char *name)
{
    return elf_loader_is_module(handle) ? elf_loader_dlsym(handle, name) : dlsym(handle, name);
}

void *native_libraries_load_entry(const char *entry_name, struct host_error *error)
{
    int64_t index = find_native_by_name(entry_name, strlen(entry_name));
    if (index < 0) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, "the executable's embedded payload is incomplete",
                       "the native library \"%s\" is not packed", entry_name);
        return NULL;
    }
    return load_index((uint32_t)index, RTLD_NOW | RTLD_GLOBAL, error, 0);
}

const void *native_libraries_pinvoke_override(const char *library_name, const char *entry_point)
{
    if (packed == NULL || library_name == NULL || entry_point == NULL)
        return NULL;
    int64_t index = find_native_library(library_name);
    if (index < 0)
        return NULL;
    struct host_error error;
    void *handle = load_index((uint32_t)index, RTLD_LAZY, &error, 0);
    if (handle == NULL)
        return NULL; /* the runtime then probes as usual and reports its own DllNotFoundException */
    return native_libraries_symbol(handle, entry_point);
}

/* Paths the runtime builds for packed libraries: next to the app, or next to libcoreclr in /proc/self/fd; and
   the exact path of a packed library in a folder below the app (a plugin's runtimes/<rid>/native/libx.so, which
   AssemblyDependencyResolver hands to NativeLibrary.Load). */
static int64_t find_interposed(const char *path)
{
    const char *name = base_name(path);
    if (name != path && strncmp(path, app_directory, app_directory_length) == 0 && path[app_directory_length] == '/'
        && strchr(path + app_directory_length + 1, '/') != NULL) {
        /* A packed library at that exact path wins; anything else goes on to the base-name rules below, as before.
           In an empty root the app directory is "" and every absolute path gets here, /proc/self/fd/N/libclrjit.so included. */
        const char *entry_name = path + app_directory_length + 1;
        int64_t index = payload_find(packed, entry_name, strlen(entry_name));
        struct payload_entry entry;
        if (index >= 0) {
            payload_entry_at(packed, (uint32_t)index, &entry);
            if (entry.kind == OXPAK_KIND_NATIVE_LIBRARY)
                return index;
        }
    }
    if (name != path) {
        size_t directory_length = (size_t)(name - path - 1);
        int next_to_app = directory_length == app_directory_length && memcmp(path, app_directory, directory_length) == 0;
        int next_to_runtime = directory_length == 13 && memcmp(path, "/proc/self/fd", 13) == 0;
        if (!next_to_app && !next_to_runtime) {
            /* The app directory through a symbolic link (/srv/app/current/libx.so with current -> v2). */
            char resolved[PATH_MAX];
            const char *spelled = app_files_resolve(path, resolved, sizeof resolved, 0);
            if (spelled == path || strlen(spelled) != app_directory_length + 1 + strlen(name))
                return -1;
        }
    }
    return find_native_library(name);
}

/* dlopen for every caller; a mapped library's handle (an elf_loader module) only goes to callers that were handed
   the loader's dlsym (the mapped libraries themselves, through native_libraries_open). */
static void *open_path(const char *path, int flags, int caller_knows_modules)
{
    if (packed != NULL && path != NULL) {
        int64_t index = find_interposed(path);
        if (index >= 0) {
            if ((flags & RTLD_NOLOAD) && __atomic_load_n(&libraries[index].handle, __ATOMIC_ACQUIRE) == NULL)
                return NULL;
            /* A failed dlopen is an ordinary answer the caller handles (the runtime probes optional
               libraries this way), so nothing is printed; dlerror() tells why. */
            struct host_error error;
            void *handle = load_index((uint32_t)index, flags & ~RTLD_NOLOAD, &error, 0);
            if (handle == NULL)
                return NULL;
            if (elf_loader_is_module(handle))
                return caller_knows_modules ? handle : NULL; /* glibc's dlsym could not use it */
            /* Open once more so the caller's handle carries its own reference, as dlopen promises. */
            char fd_path[64];
            snprintf(fd_path, sizeof fd_path, "/proc/self/fd/%d", libraries[index].memfd);
            return native_libraries_real_dlopen(fd_path, flags);
        }
    }
    return native_libraries_real_dlopen(path, flags);
}

void *native_libraries_open(const char *path, int flags)
{
    return open_path(path, flags, 1);
}

#ifdef OXIDIZE_NATIVE_AOT
/* In a Native AOT binary, the binary's own code calls the dlsym and dlclose of aot_dl_handles.c, which know mapped
   libraries: a caller inside the executable's image may be handed one. Libraries glibc loaded may not. */
extern const char __executable_start[];
extern const char etext[];

static int caller_knows_modules(const void *return_address)
{
    return (const char *)return_address >= __executable_start && (const char *)return_address < etext;
}
#else
/* In the host, only the mapped libraries themselves (through native_libraries_open) use the loader's dlsym. */
static int caller_knows_modules(const void *return_address)
{
    (void)return_address;
    return 0;
}
#endif

/* Exported (see the Makefile's --export-dynamic-symbol) so every dlopen in the process comes here first. */
__attribute__((visibility("default"))) void *dlopen(const char *path, int flags)
{
    return open_path(path, flags, caller_knows_modules(__builtin_return_address(0)));
}
