/*
 * The rules follow hostpolicy's (dotnet/runtime src/native/corehost/hostpolicy: hostpolicy.cpp's
 * corehost_resolve_component_dependencies, deps_resolver.cpp, deps_format.cpp, deps_entry.cpp), for a
 * self-contained app, which is what an oxidized executable is:
 *   - the component path must exist; it is made canonical (realpath), its folder is the base of every path;
 *   - <folder>/<name without extension>.deps.json describes it; without one, the assemblies are the component
 *     and every *.dll, then *.exe, in its folder, and that folder is the one native and resource folder;
 *   - with one, each library of "libraries" takes its assets from targets[runtimeTarget.name][library]: per kind
 *     (runtime, resources, native) the RID-specific ones from "runtimeTargets" for the first RID of the host's
 *     list that has some (DOTNET_RUNTIME_ID, then linux-<arch>, linux, unix-<arch>, unix, any; on Windows
 *     win-<arch>, win, any), else the plain ones; placeholders ("/_._") are skipped;
 *   - a RID-specific asset is at <folder>/<localPath or path>, a plain one at <folder>/<localPath> if set,
 *     else <folder>/<file name> (resources: <folder>/<culture>/<file name>); no file is checked for existence
 *     (hostpolicy checks only when servicing folders, shared stores or probe paths are in play, which an
 *     oxidized app has none of), as AssemblyDependencyResolver checks each path it hands out;
 *   - assemblies are unique by name: a later one replaces an earlier one when its assembly version (then file
 *     version) is the same or higher; native folders are the folders of the native assets, resource folders the
 *     parents of the culture folders, each listed once.
 * Not supported: the RID fallback graph (System.Runtime.Loader.UseRidGraph=true) and the shared store.
 */
#define _GNU_SOURCE
#include "component_resolver.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "component_files.h"
#include "json_reader.h"

/* Paths use the host's separator ('/', or '\\' on Windows, as hostpolicy's DIR_SEPARATOR); lists its ':' or ';'. */
#define SEPARATOR COMPONENT_DIRECTORY_SEPARATOR

#if defined(__x86_64__)
#define CURRENT_ARCHITECTURE "x64"
#elif defined(__aarch64__)
#define CURRENT_ARCHITECTURE "arm64"
#else
#error "unsupported architecture"
#endif

/* A deps.json larger than this is refused rather than read into memory (the SDK writes a few hundred KB at most). */
#define MAX_DEPS_FILE_SIZE (64u << 20)
#define MAX_JSON_STRING 4096

enum asset_kind { ASSET_RUNTIME, ASSET_RESOURCES, ASSET_NATIVE, ASSET_KIND_COUNT };
static const char *const asset_kind_names[ASSET_KIND_COUNT] = {"runtime", "resources", "native"};

struct text {
    char *data;
    size_t length;
    size_t capacity;
    int failed;
};

static void text_append(struct text *text, const char *bytes, size_t count)
{
    if (text->failed)
        return;
    if (text->length + count + 1 > text->capacity) {
        size_t capacity = text->capacity ? text->capacity : 256;
        while (capacity < text->length + count + 1)
            capacity *= 2;
        char *data = realloc(text->data, capacity);
        if (data == NULL) {
            text->failed = 1;
            return;
        }
        text->data = data;
        text->capacity = capacity;
    }
    memcpy(text->data + text->length, bytes, count);
    text->length += count;
    text->data[text->length] = '\0';
}

static void text_append_string(struct text *text, const char *string)
{
    text_append(text, string, strlen(string));
}

/* Four components, -1 where absent: hostpolicy's version_t, which compares component by component. */
struct version {
    long parts[4];
};

static void version_parse(const char *text, struct version *version)
{
    struct version parsed = {{-1, -1, -1, -1}};
    *version = parsed;
    for (int i = 0; i < 4 && *text != '\0'; i++) {
        char *end;
        errno = 0;
        long value = strtol(text, &end, 10);
        if (end == text || value < 0 || errno != 0 || (*end != '.' && *end != '\0'))
            return; /* not a version: stays empty, as hostpolicy's parse leaves it */
        parsed.parts[i] = value;
        text = *end == '.' ? end + 1 : end;
    }
    *version = parsed;
}

static int version_compare(const struct version *a, const struct version *b)
{
    for (int i = 0; i < 4; i++)
        if (a->parts[i] != b->parts[i])
            return a->parts[i] < b->parts[i] ? -1 : 1;
    return 0;
}

struct assembly {
    char *name;
    char *path;
    struct version assembly_version;
    struct version file_version;
};

struct resolution {
    component_error_writer write_error;
    char folder[4096];            /* the component's folder, with a trailing separator */
    const char *rids[6];
    int rid_count;
    struct assembly *assemblies;
    size_t assembly_count;
    size_t assembly_capacity;
    struct text directories[ASSET_KIND_COUNT]; /* list-separator-terminated native and resource folders */
    int failed;                                 /* out of memory */
};

static void report(struct resolution *resolution, const char *format, ...)
{
    char message[8192];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    resolution->write_error(message);
}

/* hostpolicy's get_directory: the path without its last component, with one trailing separator. */
static void directory_of(const char *path, char *out, size_t size)
{
    size_t length = strlen(path);
    while (length > 0 && path[length - 1] == SEPARATOR)
        length--;
    size_t cut = length;
    while (cut > 0 && path[cut - 1] != SEPARATOR)
        cut--;
    if (cut == 0) {
        snprintf(out, size, "%.*s%c", (int)length, path, SEPARATOR);
        return;
    }
    while (cut > 0 && path[cut - 1] == SEPARATOR)
        cut--;
    snprintf(out, size, "%.*s%c", (int)cut, path, SEPARATOR);
}

static const char *file_name_of(const char *path)
{
    const char *slash = strrchr(path, SEPARATOR);
    return slash ? slash + 1 : path;
}

/* hostpolicy's asset name: the file name without its extension, and without ".ni" before that. */
static void asset_name_of(const char *relative_path, char *out, size_t size)
{
    snprintf(out, size, "%s", file_name_of(relative_path));
    char *dot = strrchr(out, '.');
    if (dot != NULL)
        *dot = '\0';
    size_t length = strlen(out);
    if (length >= 3 && strcasecmp(out + length - 3, ".ni") == 0)
        out[length - 3] = '\0';
}

/* hostpolicy's append_path: a rooted second part (on Windows also "C:...") replaces the first. */
static int join_path(const char *base, const char *relative, char *out, size_t size)
{
    static const char separator[] = {SEPARATOR, '\0'};
    int rooted = relative[0] == SEPARATOR || (SEPARATOR == '\\' && relative[0] != '\0' && relative[1] == ':');
    int written = rooted ? snprintf(out, size, "%s", relative)
        : snprintf(out, size, "%s%s%s", base, base[0] != '\0' && base[strlen(base) - 1] == SEPARATOR ? "" : separator, relative);
    return written >= 0 && (size_t)written < size ? 0 : -1;
}

static int add_assembly(struct resolution *resolution, const char *name, const char *path,
                        const struct version *assembly_version, const struct version *file_version)
{
    for (size_t i = 0; i < resolution->assembly_count; i++) {
        struct assembly *existing = &resolution->assemblies[i];
        if (strcmp(existing->name, name) != 0)
            continue;
        if (strcmp(file_name_of(path), file_name_of(existing->path)) != 0) {
            report(resolution, "Error:\n  An assembly specified in the application dependencies manifest has already been found but with a "
                               "different file extension:\n    path: '%s'\n    previously found assembly: '%s'", path, existing->path);
            return -1;
        }
        int newer = version_compare(assembly_version, &existing->assembly_version);
        if (newer > 0 || (newer == 0 && version_compare(file_version, &existing->file_version) >= 0)) {
            char *copy = strdup(path);
            if (copy == NULL) {
                resolution->failed = 1;
                return -1;
            }
            free(existing->path);
            existing->path = copy;
            existing->assembly_version = *assembly_version;
            existing->file_version = *file_version;
        }
        return 0;
    }
    if (resolution->assembly_count == resolution->assembly_capacity) {
        size_t capacity = resolution->assembly_capacity ? resolution->assembly_capacity * 2 : 16;
        struct assembly *grown = realloc(resolution->assemblies, capacity * sizeof *grown);
        if (grown == NULL) {
            resolution->failed = 1;
            return -1;
        }
        resolution->assemblies = grown;
        resolution->assembly_capacity = capacity;
    }
    struct assembly *added = &resolution->assemblies[resolution->assembly_count];
    added->name = strdup(name);
    added->path = strdup(path);
    added->assembly_version = *assembly_version;
    added->file_version = *file_version;
    if (added->name == NULL || added->path == NULL) {
        free(added->name);
        free(added->path);
        resolution->failed = 1;
        return -1;
    }
    resolution->assembly_count++;
    return 0;
}

static void add_directory(struct resolution *resolution, enum asset_kind kind, const char *directory)
{
    struct text *list = &resolution->directories[kind];
    size_t length = strlen(directory);
    for (const char *p = list->data; p != NULL && *p != '\0';) {
        const char *end = strchr(p, COMPONENT_PATH_LIST_SEPARATOR[0]);
        if (end == NULL)
            break;
        if ((size_t)(end - p) == length && memcmp(p, directory, length) == 0)
            return;
        p = end + 1;
    }
    text_append(list, directory, length);
    text_append(list, COMPONENT_PATH_LIST_SEPARATOR, 1);
    resolution->failed |= list->failed;
}

/* One asset of a library: where it is, and what it adds to the lists. */
static int add_asset(struct resolution *resolution, enum asset_kind kind, int rid_specific, int runtime_pack,
                     const struct json_value *file, const struct json_value *properties)
{
    char relative_path[MAX_JSON_STRING], local_path[MAX_JSON_STRING] = "", version_text[64];
    if (json_string_copy(file, relative_path, sizeof relative_path) < 0) {
        report(resolution, "An asset name in the dependencies manifest is not a usable string (at most %d bytes, no NUL)", MAX_JSON_STRING - 1);
        return -1;
    }
    struct json_value value;
    if (json_object_get(properties, "localPath", &value) && value.type == JSON_STRING
        && json_string_copy(&value, local_path, sizeof local_path) < 0)
        local_path[0] = '\0';
    for (char *p = relative_path; *p; p++)
        *p = *p == '\\' || *p == '/' ? SEPARATOR : *p;
    for (char *p = local_path; *p; p++)
        *p = *p == '\\' || *p == '/' ? SEPARATOR : *p;
    size_t length = strlen(relative_path);
    if (length >= 4 && relative_path[length - 4] == SEPARATOR && strcmp(relative_path + length - 3, "_._") == 0)
        return 0; /* a package's placeholder for "no asset for this framework" */

    char candidate[MAX_JSON_STRING];
    if (rid_specific || runtime_pack || local_path[0] != '\0') {
        candidate[0] = '\0';
        snprintf(candidate, sizeof candidate, "%s", local_path[0] != '\0' ? local_path : relative_path);
    } else if (kind == ASSET_RESOURCES) {
        char culture_folder[MAX_JSON_STRING];
        directory_of(relative_path, culture_folder, sizeof culture_folder);
        culture_folder[strlen(culture_folder) - 1] = '\0';
        snprintf(candidate, sizeof candidate, "%s%c%s", file_name_of(culture_folder), SEPARATOR, file_name_of(relative_path));
    } else {
        snprintf(candidate, sizeof candidate, "%s", file_name_of(relative_path));
    }
    char path[8192];
    if (join_path(resolution->folder, candidate, path, sizeof path) != 0) {
        report(resolution, "The path of the asset '%s' is too long", relative_path);
        return -1;
    }

    if (kind == ASSET_RUNTIME) {
        char name[MAX_JSON_STRING];
        struct version assembly_version = {{-1, -1, -1, -1}}, file_version = {{-1, -1, -1, -1}};
        if (json_object_get(properties, "assemblyVersion", &value) && json_string_copy(&value, version_text, sizeof version_text) >= 0)
            version_parse(version_text, &assembly_version);
        if (json_object_get(properties, "fileVersion", &value) && json_string_copy(&value, version_text, sizeof version_text) >= 0)
            version_parse(version_text, &file_version);
        asset_name_of(relative_path, name, sizeof name);
        return add_assembly(resolution, name, path, &assembly_version, &file_version);
    }
    char directory[8192];
    directory_of(path, directory, sizeof directory);
    if (kind == ASSET_RESOURCES) {
        char parent[8192];
        directory_of(directory, parent, sizeof parent);
        add_directory(resolution, kind, parent);
    } else {
        add_directory(resolution, kind, directory);
    }
    return resolution->failed ? -1 : 0;
}

static int string_member_is(const struct json_value *object, const char *key, const char *expected, int ignore_case)
{
    struct json_value value;
    char text[256];
    if (!json_object_get(object, key, &value) || json_string_copy(&value, text, sizeof text) < 0)
        return 0;
    return ignore_case ? strcasecmp(text, expected) == 0 : strcmp(text, expected) == 0;
}

/* The first RID of the host's list for which the package has RID-specific assets of this kind, or NULL. */
static const char *matching_rid(const struct resolution *resolution, const struct json_value *runtime_targets, enum asset_kind kind)
{
    for (int r = 0; r < resolution->rid_count; r++) {
        const char *cursor = NULL;
        struct json_value file, properties;
        while (json_object_next(runtime_targets, &cursor, &file, &properties))
            if (string_member_is(&properties, "assetType", asset_kind_names[kind], 1)
                && string_member_is(&properties, "rid", resolution->rids[r], 0))
                return resolution->rids[r];
    }
    return NULL;
}

static int add_library_assets(struct resolution *resolution, const struct json_value *library, const struct json_value *package)
{
    int runtime_pack = string_member_is(library, "type", "runtimepack", 1);
    struct json_value runtime_targets, assets, file, properties;
    int has_runtime_targets = json_object_get(package, "runtimeTargets", &runtime_targets) && runtime_targets.type == JSON_OBJECT;
    for (int kind = 0; kind < ASSET_KIND_COUNT; kind++) {
        const char *rid = has_runtime_targets ? matching_rid(resolution, &runtime_targets, (enum asset_kind)kind) : NULL;
        const char *cursor = NULL;
        if (rid != NULL) {
            while (json_object_next(&runtime_targets, &cursor, &file, &properties))
                if (string_member_is(&properties, "assetType", asset_kind_names[kind], 1) && string_member_is(&properties, "rid", rid, 0)
                    && add_asset(resolution, (enum asset_kind)kind, 1, runtime_pack, &file, &properties) != 0)
                    return -1;
            continue;
        }
        if (!json_object_get(package, asset_kind_names[kind], &assets))
            continue;
        while (json_object_next(&assets, &cursor, &file, &properties))
            if (add_asset(resolution, (enum asset_kind)kind, 0, runtime_pack, &file, &properties) != 0)
                return -1;
    }
    return 0;
}

static int resolve_from_deps(struct resolution *resolution, const char *deps_path, const char *content, size_t size)
{
    struct json_value root, runtime_target, target_name_value, targets, target, libraries;
    size_t error_offset = 0;
    if (json_parse_first(content, size, &root, &error_offset) != 0 || root.type != JSON_OBJECT) {
        report(resolution, "A JSON parsing exception occurred in [%s], offset %zu: not a valid JSON object", deps_path, error_offset);
        report(resolution, "Error initializing the dependency resolver: An error occurred while parsing: %s", deps_path);
        return COMPONENT_STATUS_RESOLVER_INIT_FAILURE;
    }
    char target_name[MAX_JSON_STRING];
    int named = json_object_get(&root, "runtimeTarget", &runtime_target)
        && (runtime_target.type == JSON_STRING ? (target_name_value = runtime_target, 1) : json_object_get(&runtime_target, "name", &target_name_value))
        && json_string_copy(&target_name_value, target_name, sizeof target_name) >= 0;
    if (!named || !json_object_get(&root, "targets", &targets) || !json_object_get(&targets, target_name, &target) || target.type != JSON_OBJECT) {
        report(resolution, "Error initializing the dependency resolver: %s names no runtimeTarget whose entry is in \"targets\"", deps_path);
        return COMPONENT_STATUS_RESOLVER_INIT_FAILURE;
    }
    if (!json_object_get(&root, "libraries", &libraries))
        return 0; /* nothing but the component itself */
    const char *cursor = NULL;
    struct json_value library_name, library, package;
    while (json_object_next(&libraries, &cursor, &library_name, &library)) {
        char name[MAX_JSON_STRING];
        if (json_string_copy(&library_name, name, sizeof name) < 0 || !json_object_get(&target, name, &package) || package.type != JSON_OBJECT)
            continue; /* a library without assets for this target */
        if (add_library_assets(resolution, &library, &package) != 0)
            return resolution->failed ? COMPONENT_STATUS_HOST_API_FAILED : COMPONENT_STATUS_RESOLVER_RESOLVE_FAILURE;
    }
    return 0;
}

/* Without a .deps.json: every *.dll, then every *.exe, of the component's folder (component_files_list, which
   lists packed files too). */
struct folder_listing {
    struct resolution *resolution;
    const char *extension;
    int failed;
};

static int add_folder_assembly(void *context, const char *file_name)
{
    static const struct version empty = {{-1, -1, -1, -1}};
    struct folder_listing *listing = context;
    struct resolution *resolution = listing->resolution;
    size_t length = strlen(file_name);
    if (length <= 4 || strcasecmp(file_name + length - 4, listing->extension) != 0)
        return 0;
    char name[256], path[8192];
    snprintf(name, sizeof name, "%.*s", (int)(length - 4), file_name);
    if (join_path(resolution->folder, file_name, path, sizeof path) != 0)
        return 0;
    int known = 0;
    for (size_t i = 0; i < resolution->assembly_count && !known; i++)
        known = strcmp(resolution->assemblies[i].name, name) == 0;
    if (!known && add_assembly(resolution, name, path, &empty, &empty) != 0) {
        listing->failed = 1;
        return 1;
    }
    return 0;
}

static int resolve_from_folder(struct resolution *resolution)
{
    static const char *const extensions[] = {".dll", ".exe"};
    for (size_t e = 0; e < 2; e++) {
        struct folder_listing listing = {resolution, extensions[e], 0};
        if (component_files_list(resolution->folder, add_folder_assembly, &listing) != 0)
            break;
        if (listing.failed)
            return COMPONENT_STATUS_HOST_API_FAILED;
    }
    add_directory(resolution, ASSET_NATIVE, resolution->folder);
    add_directory(resolution, ASSET_RESOURCES, resolution->folder);
    return resolution->failed ? COMPONENT_STATUS_HOST_API_FAILED : 0;
}

static void free_resolution(struct resolution *resolution)
{
    for (size_t i = 0; i < resolution->assembly_count; i++) {
        free(resolution->assemblies[i].name);
        free(resolution->assemblies[i].path);
    }
    free(resolution->assemblies);
    for (int kind = 0; kind < ASSET_KIND_COUNT; kind++)
        free(resolution->directories[kind].data);
}

int component_resolve(const char *component_assembly_path, struct component_paths *paths, component_error_writer write_error)
{
    struct resolution resolution;
    memset(&resolution, 0, sizeof resolution);
    resolution.write_error = write_error;
    memset(paths, 0, sizeof *paths);

    char *component = component_assembly_path != NULL ? component_files_canonical(component_assembly_path) : NULL;
    if (component == NULL) {
        report(&resolution, "Failed to locate managed application [%s]", component_assembly_path ? component_assembly_path : "");
        return COMPONENT_STATUS_INVALID_ARGS;
    }
    directory_of(component, resolution.folder, sizeof resolution.folder);
    const char *environment_rid = getenv("DOTNET_RUNTIME_ID");
    if (environment_rid != NULL && environment_rid[0] != '\0')
        resolution.rids[resolution.rid_count++] = environment_rid;
#ifdef _WIN32
    static const char *const host_rids[] = {"win-" CURRENT_ARCHITECTURE, "win", "any"};
#else
    static const char *const host_rids[] = {"linux-" CURRENT_ARCHITECTURE, "linux", "unix-" CURRENT_ARCHITECTURE, "unix", "any"};
#endif
    for (size_t i = 0; i < sizeof host_rids / sizeof host_rids[0]; i++)
        resolution.rids[resolution.rid_count++] = host_rids[i];

    char name[256], deps_path[8192];
    asset_name_of(component, name, sizeof name);
    static const struct version empty = {{-1, -1, -1, -1}};
    /* asset_name_of strips ".ni" too; the deps file is named after the file name without its extension only. */
    const char *file_name = file_name_of(component);
    const char *dot = strrchr(file_name, '.');
    int written = snprintf(deps_path, sizeof deps_path, "%s%.*s.deps.json", resolution.folder,
                           (int)(dot != NULL ? (size_t)(dot - file_name) : strlen(file_name)), file_name);
    int status = 0;
    if (written < 0 || (size_t)written >= sizeof deps_path) {
        report(&resolution, "Failed to locate managed application [%s]: the path is too long", component);
        status = COMPONENT_STATUS_INVALID_ARGS;
    } else if (add_assembly(&resolution, name, component, &empty, &empty) != 0) {
        status = COMPONENT_STATUS_HOST_API_FAILED;
    } else {
        char *content = NULL;
        size_t size = 0;
        const char *reason = "";
        int read = component_files_read(deps_path, MAX_DEPS_FILE_SIZE, &content, &size, &reason);
        if (read == -1) {
            status = resolve_from_folder(&resolution);
        } else if (read == -2) {
            report(&resolution, "Error initializing the dependency resolver: cannot read %s: %s", deps_path, reason);
            status = COMPONENT_STATUS_RESOLVER_INIT_FAILURE;
        } else {
            status = resolve_from_deps(&resolution, deps_path, content, size);
            free(content);
        }
    }
    free(component);

    struct text assemblies = {0};
    for (size_t i = 0; status == 0 && i < resolution.assembly_count; i++) {
        text_append_string(&assemblies, resolution.assemblies[i].path);
        text_append(&assemblies, COMPONENT_PATH_LIST_SEPARATOR, 1);
    }
    if (status == 0 && (resolution.failed || assemblies.failed))
        status = COMPONENT_STATUS_HOST_API_FAILED;
    if (status == 0) {
        /* Empty lists are "" rather than NULL, as hostpolicy's std::string data() would be. */
        paths->assemblies = assemblies.data ? assemblies.data : strdup("");
        paths->native_directories = resolution.directories[ASSET_NATIVE].data ? resolution.directories[ASSET_NATIVE].data : strdup("");
        paths->resource_directories = resolution.directories[ASSET_RESOURCES].data ? resolution.directories[ASSET_RESOURCES].data : strdup("");
        resolution.directories[ASSET_NATIVE].data = NULL;
        resolution.directories[ASSET_RESOURCES].data = NULL;
        if (paths->assemblies == NULL || paths->native_directories == NULL || paths->resource_directories == NULL) {
            component_paths_free(paths);
            status = COMPONENT_STATUS_HOST_API_FAILED;
        }
    } else {
        free(assemblies.data);
    }
    if (status == COMPONENT_STATUS_HOST_API_FAILED && resolution.failed)
        report(&resolution, "Out of memory while resolving the component's dependencies");
    free_resolution(&resolution);
    return status;
}

void component_paths_free(struct component_paths *paths)
{
    free(paths->assemblies);
    free(paths->native_directories);
    free(paths->resource_directories);
    memset(paths, 0, sizeof *paths);
}
