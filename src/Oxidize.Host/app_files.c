#define _GNU_SOURCE
#include "app_files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_floor.h"
#include "content_overlay.h"
#include "entry_data.h"
#include "entry_views.h"
#include "load_list.h"
#include "next_symbol.h"
#include "oxidize_format.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif

#define EXPORTED __attribute__((visibility("default")))

static const struct payload *packed;
static const char *app_directory;
static size_t app_directory_length;
static const char *own_path;
static struct stat executable_status;
static struct stat app_directory_status; /* st_ino 0 when unknown: then only the exact spelling is recognised */

void app_files_init(const struct payload *payload, const char *base_directory, const char *executable_path)
{
    /* The raw syscall: fstat's glibc symbol would raise the glibc floor. On x86-64 and arm64 the kernel's
       struct stat is glibc's struct stat and struct stat64. */
    if (syscall(SYS_fstat, payload->file_descriptor, &executable_status) != 0)
        return; /* without it, serve nothing rather than invent file metadata */
    app_directory = base_directory;
    app_directory_length = strlen(base_directory);
    own_path = executable_path;
    /* The app directory's identity, to recognise it through symbolic links and bind mounts (below). */
    if (syscall(SYS_newfstatat, AT_FDCWD, base_directory[0] != '\0' ? base_directory : "/", &app_directory_status, 0) != 0)
        app_directory_status.st_ino = 0;
    __atomic_store_n(&packed, payload, __ATOMIC_RELEASE);
    load_list_init(payload);
}

const struct payload *app_files_payload(void)
{
    return __atomic_load_n(&packed, __ATOMIC_ACQUIRE);
}

const char *app_files_directory(size_t *length)
{
    *length = app_directory_length;
    return app_directory;
}

ino_t app_files_entry_inode(uint32_t index)
{
    /* Distinct per entry and stable across runs, so tools that compare inodes see different files. */
    return executable_status.st_ino ^ ((ino_t)(index + 1) << 40);
}

/* The part of an absolute path below the app directory ("wwwroot/site.css"), or NULL. */
static const char *name_in_app_directory(const char *path)
{
    const struct payload *payload = __atomic_load_n(&packed, __ATOMIC_ACQUIRE);
    if (payload == NULL || path == NULL || path[0] != '/' || strncmp(path, app_directory, app_directory_length) != 0
        || path[app_directory_length] != '/')
        return NULL;
    return path + app_directory_length + 1;
}

/* Whether folder (the first folder_length bytes of an absolute path; 0 for "/") is the app directory itself. */
static int is_app_directory(const char *folder, size_t folder_length)
{
    char copy[PATH_MAX];
    if (app_directory_status.st_ino == 0 || folder_length >= sizeof copy)
        return 0;
    memcpy(copy, folder, folder_length);
    copy[folder_length] = '\0';
    struct stat status;
    int saved = errno; /* callers may be reporting the error of the call before */
    int same = syscall(SYS_newfstatat, AT_FDCWD, folder_length == 0 ? "/" : copy, &status, 0) == 0
               && status.st_dev == app_directory_status.st_dev && status.st_ino == app_directory_status.st_ino;
    errno = saved;
    return same;
}

const char *app_files_resolve(const char *path, char *buffer, size_t size, int may_be_app_directory)
{
    const struct payload *payload = __atomic_load_n(&packed, __ATOMIC_ACQUIRE);
    if (payload == NULL || path == NULL || path[0] != '/' || name_in_app_directory(path) != NULL
        || (strncmp(path, app_directory, app_directory_length) == 0 && path[app_directory_length] == '\0'))
        return path;
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        length--;
    if (may_be_app_directory && is_app_directory(path, length)) {
        if (app_directory_length + 1 >= size)
            return path;
        memcpy(buffer, app_directory_length > 0 ? app_directory : "/", app_directory_length > 0 ? app_directory_length + 1 : 2);
        return buffer;
    }
    /* Only a split whose rest names a packed entry or folder, or a new name in a packed folder (an in-memory
       lookup), costs a system call, so paths elsewhere cost next to nothing: the folder before the rest must then
       be the app directory. */
    for (size_t i = length; i-- > 0;) {
        if (path[i] != '/')
            continue;
        const char *rest = path + i + 1;
        size_t rest_length = length - i - 1;
        const char *last_slash = rest_length > 0 ? memrchr(rest, '/', rest_length) : NULL;
        if (rest_length == 0
            || (payload_find(payload, rest, rest_length) < 0 && !payload_has_folder(payload, rest, rest_length)
                && (last_slash == NULL || !payload_has_folder(payload, rest, (size_t)(last_slash - rest)))))
            continue;
        if (!is_app_directory(path, i))
            continue;
        if (app_directory_length + 1 + strlen(rest) >= size)
            return path;
        memcpy(buffer, app_directory, app_directory_length);
        buffer[app_directory_length] = '/';
        strcpy(buffer + app_directory_length + 1, rest);
        return buffer;
    }
    return path;
}

/* The entry an absolute path names inside the app directory, or -1. */
static int64_t entry_for_path(const char *path)
{
    const char *name = name_in_app_directory(path);
    return name == NULL ? -1 : payload_find(packed, name, strlen(name));
}

/* A folder that exists only inside the executable ("wwwroot"), so that Directory.Exists and the
   file providers that check it (ASP.NET Core's web root) see it; app_directories.c lists it. */
static int is_packed_folder(const char *path)
{
    const char *name = name_in_app_directory(path);
    if (name == NULL)
        return 0;
    size_t length = strlen(name);
    while (length > 0 && name[length - 1] == '/')
        length--;
    return payload_has_folder(packed, name, length);
}

/* Packed files and folders are read-only when the app was published with OxidizePackedFilesReadOnly=true, and
   otherwise writable by whoever may write the executable (content is copied up on the first write). */
static mode_t packed_permissions(int writable, mode_t read_only)
{
    return writable ? (executable_status.st_mode & 0777 & (read_only | 0222)) : read_only;
}

int app_files_is_packed_path(const char *path)
{
    char resolved[PATH_MAX];
    path = app_files_resolve(path, resolved, sizeof resolved, 0);
    return entry_for_path(path) >= 0 || is_packed_folder(path);
}

static int describe_folder(struct stat *status)
{
    *status = executable_status;
    status->st_mode = S_IFDIR | packed_permissions(content_overlay_enabled(packed), 0555);
    status->st_nlink = 2;
    status->st_size = 4096;
    status->st_blocks = 8;
    return 0;
}

int app_files_describe_entry(uint32_t index, struct stat *status)
{
    struct payload_entry entry;
    payload_entry_at(packed, index, &entry);
    *status = executable_status;
    status->st_mode = S_IFREG | packed_permissions(content_overlay_covers(packed, index), 0444);
    status->st_nlink = 1;
    status->st_size = (off_t)entry.original_size;
    status->st_blocks = (blkcnt_t)((entry.original_size + 511) / 512);
    status->st_ino = app_files_entry_inode(index);
    return 0;
}

/* Write access (O_WRONLY/O_RDWR, with or without O_APPEND), or O_TRUNC, which empties the file even in a read-only open. */
static int opens_for_writing(int flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0;
}

static int open_entry(uint32_t index, int flags)
{
    if (opens_for_writing(flags)) {
        errno = EROFS; /* packed files are part of the executable */
        return -1;
    }
    if (flags & O_DIRECTORY) {
        errno = ENOTDIR;
        return -1;
    }
    load_list_record(index);
    int view = entry_views_open(packed, index, flags);
    if (view != ENTRY_VIEW_UNAVAILABLE)
        return view;
    return entry_data_to_memfd(packed, index, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0U);
}

/* A packed content file under a real one (content_overlay.h): the disk copy wins, and a write copies the packed
   bytes up first (none for O_TRUNC, which would drop them), then opens the copy as the caller asked. */
static int open_layered_entry(uint32_t index, const char *path, int flags, mode_t mode)
{
    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
        errno = EEXIST; /* the file exists, on disk or packed */
        return -1;
    }
    if (opens_for_writing(flags)) {
        if (content_overlay_copy_up(packed, index, path, app_directory_length, (flags & O_TRUNC) == 0) != 0)
            return -1;
        return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    }
    int saved = errno;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    errno = saved;
    return open_entry(index, flags);
}

/* A new file in a folder that exists only inside the executable ("wwwroot/new.json") needs that folder on disk. */
static int create_in_packed_folder(const char *path, int flags, mode_t mode)
{
    const char *name = name_in_app_directory(path);
    const char *slash = name != NULL ? strrchr(name, '/') : NULL;
    if (slash == NULL || !content_overlay_enabled(packed) || !payload_has_folder(packed, name, (size_t)(slash - name))) {
        errno = ENOENT;
        return -1;
    }
    if (content_overlay_make_parents(path, app_directory_length) != 0)
        return -1;
    return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

/* The runtime maps every stored assembly from the executable by its path, and Oxidize.Resources maps it too. Once
   that path was replaced (mv of a new build over it, a publish into the same folder) or deleted, it names another
   file or none, and reads at this payload's offsets would find garbage. A read-only open of that path therefore
   reopens the file this process was started from, through the descriptor the host holds (a fresh open file
   description, so no file offset is shared with the host). */
static int opens_own_executable(const char *path, int flags)
{
    return own_path != NULL && __atomic_load_n(&packed, __ATOMIC_ACQUIRE) != NULL && strcmp(path, own_path) == 0
           && !opens_for_writing(flags) && (flags & O_CREAT) == 0;
}

static int open_own_executable(int flags)
{
    char descriptor_path[32] = "/proc/self/exe"; /* the same file, should the host hold no descriptor */
    if (packed->file_descriptor >= 0)
        snprintf(descriptor_path, sizeof descriptor_path, "/proc/self/fd/%d", packed->file_descriptor);
    return (int)syscall(SYS_openat, AT_FDCWD, descriptor_path, flags & ~O_NOFOLLOW);
}

static int open_path(const char *path, int flags, mode_t mode)
{
    if (path != NULL && opens_own_executable(path, flags))
        return open_own_executable(flags);
    char resolved[PATH_MAX];
    path = app_files_resolve(path, resolved, sizeof resolved, 0);
    int64_t index = entry_for_path(path);
    if (index >= 0 && content_overlay_covers(packed, (uint32_t)index))
        return open_layered_entry((uint32_t)index, path, flags, mode);
    if (index >= 0)
        return open_entry((uint32_t)index, flags);
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    if (fd < 0 && errno == ENOENT && (flags & O_CREAT))
        return create_in_packed_folder(path, flags, mode);
    return fd;
}

static mode_t variadic_mode(int flags, va_list arguments)
{
    /* The mode argument exists only when the call can create a file. */
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(arguments, int) : 0;
}

EXPORTED int open(const char *path, int flags, ...)
{
    va_list arguments;
    va_start(arguments, flags);
    mode_t mode = variadic_mode(flags, arguments);
    va_end(arguments);
    return open_path(path, flags, mode);
}

EXPORTED int open64(const char *path, int flags, ...)
{
    va_list arguments;
    va_start(arguments, flags);
    mode_t mode = variadic_mode(flags, arguments);
    va_end(arguments);
    return open_path(path, flags, mode);
}

static int stat_path(const char *path, struct stat *status, int follow_links)
{
    char resolved[PATH_MAX];
    path = app_files_resolve(path, resolved, sizeof resolved, 0);
    int64_t index = entry_for_path(path);
    if (index >= 0 && !content_overlay_covers(packed, (uint32_t)index))
        return app_files_describe_entry((uint32_t)index, status);
    int saved = errno;
    int result = (int)syscall(SYS_newfstatat, AT_FDCWD, path, status, follow_links ? 0 : AT_SYMLINK_NOFOLLOW);
    if (result == 0 || errno != ENOENT)
        return result;
    /* Only where the disk has nothing: a real file or folder of the same name (a copy-up, an operator's file, an
       escape-hatch file) wins over a packed content file or folder. */
    if (index >= 0) {
        errno = saved;
        return app_files_describe_entry((uint32_t)index, status);
    }
    if (is_packed_folder(path)) {
        errno = saved;
        return describe_folder(status);
    }
    return result;
}

/* Libraries built against glibc before 2.33 call these versioned wrappers; newer ones call stat64. */
EXPORTED int __xstat64(int version, const char *path, struct stat64 *status)
{
    (void)version;
    return stat_path(path, (struct stat *)status, 1);
}

EXPORTED int __lxstat64(int version, const char *path, struct stat64 *status)
{
    (void)version;
    return stat_path(path, (struct stat *)status, 0);
}

EXPORTED int __xstat(int version, const char *path, struct stat *status)
{
    (void)version;
    return stat_path(path, status, 1);
}

EXPORTED int __lxstat(int version, const char *path, struct stat *status)
{
    (void)version;
    return stat_path(path, status, 0);
}

EXPORTED int stat64(const char *path, struct stat64 *status) { return stat_path(path, (struct stat *)status, 1); }

EXPORTED int lstat64(const char *path, struct stat64 *status) { return stat_path(path, (struct stat *)status, 0); }

EXPORTED int stat(const char *path, struct stat *status) { return stat_path(path, status, 1); }

EXPORTED int lstat(const char *path, struct stat *status) { return stat_path(path, status, 0); }

/* access(W_OK) for a packed content file or folder that is not on disk: whether a write could copy it up, i.e.
   whether the nearest folder of the path that is on disk (at worst the app directory) is writable. */
static int copy_up_possible(const char *path)
{
    if (!content_overlay_enabled(packed)) {
        errno = EROFS;
        return -1;
    }
    char folder[PATH_MAX];
    if (content_overlay_copy_path(folder, path) != 0)
        return -1;
    for (;;) {
        char *slash = strrchr(folder, '/');
        if (slash == NULL || (size_t)(slash - folder) < app_directory_length)
            break;
        *slash = '\0';
        const char *candidate = (size_t)(slash - folder) == 0 ? "/" : folder;
        int result = (int)syscall(SYS_faccessat, AT_FDCWD, candidate, W_OK | X_OK);
        if (result == 0 || errno != ENOENT || (size_t)(slash - folder) == app_directory_length)
            return result;
    }
    errno = ENOENT;
    return -1;
}

EXPORTED int access(const char *path, int mode)
{
    char resolved[PATH_MAX];
    path = app_files_resolve(path, resolved, sizeof resolved, 0);
    int64_t index = entry_for_path(path);
    int layered = index >= 0 && content_overlay_covers(packed, (uint32_t)index);
    if (index >= 0 && !layered) {
        if (mode & W_OK) {
            errno = EROFS;
            return -1;
        }
        if (mode & X_OK) {
            errno = EACCES;
            return -1;
        }
        return 0;
    }
    int saved = errno;
    int result = (int)syscall(SYS_faccessat, AT_FDCWD, path, mode);
    if (result == 0 || errno != ENOENT || (!layered && !is_packed_folder(path)))
        return result;
    /* Nothing on disk: a packed content file (never executable) or a packed-only folder. */
    if (layered && (mode & X_OK)) {
        errno = EACCES;
        return -1;
    }
    if (mode & W_OK)
        return copy_up_possible(path);
    errno = saved;
    return 0;
}

/* Collapses "//", "/./" and "/../" in an absolute path without touching the file system; 0 on success. */
static int normalize_absolute(const char *path, char *out, size_t size)
{
    size_t length = 0;
    const char *cursor = path;
    while (*cursor != '\0') {
        while (*cursor == '/')
            cursor++;
        const char *segment = cursor;
        while (*cursor != '\0' && *cursor != '/')
            cursor++;
        size_t segment_length = (size_t)(cursor - segment);
        if (segment_length == 0 || (segment_length == 1 && segment[0] == '.'))
            continue;
        if (segment_length == 2 && segment[0] == '.' && segment[1] == '.') {
            while (length > 0 && out[length - 1] != '/')
                length--;
            if (length > 0)
                length--;
            continue;
        }
        if (length + 1 + segment_length + 1 > size)
            return -1;
        out[length++] = '/';
        memcpy(out + length, segment, segment_length);
        length += segment_length;
    }
    if (length == 0)
        out[length++] = '/';
    out[length] = '\0';
    return 0;
}

typedef char *(*realpath_function)(const char *, char *);

static char *copy_path(const char *path, char *resolved)
{
    char *target = resolved != NULL ? resolved : malloc(strlen(path) + 1);
    if (target != NULL)
        strcpy(target, path);
    return target;
}

/* glibc's realpath checks each component with calls the host cannot see, so it fails for packed
   files and folders (the runtime canonicalizes the satellite folder "fr/" this way). When it fails
   only because the path does not exist on disk, a packed path is its own canonical form. */
EXPORTED char *realpath(const char *path, char *resolved)
{
    /* The runtime canonicalizes the app directory for every assembly it maps from the executable, and glibc
       would readlink each of its components every time. It comes from the kernel's /proc/self/exe link,
       which is canonical already. */
    if (path != NULL && __atomic_load_n(&packed, __ATOMIC_ACQUIRE) != NULL && app_directory_length > 0
        && strcmp(path, app_directory) == 0)
        return copy_path(path, resolved);

    static void *real_realpath;
    realpath_function function = (realpath_function)next_symbol(&real_realpath, "realpath");
    int saved = errno;
    char *result = function(path, resolved);
    if (result != NULL || errno != ENOENT || path == NULL || path[0] != '/')
        return result;
    char normalized[PATH_MAX];
    char canonical[PATH_MAX];
    if (normalize_absolute(path, normalized, sizeof normalized) != 0)
        return NULL;
    const char *packed_path = app_files_resolve(normalized, canonical, sizeof canonical, 0);
    if (entry_for_path(packed_path) < 0 && !is_packed_folder(packed_path))
        return NULL;
    char *target = copy_path(packed_path, resolved);
    if (target != NULL)
        errno = saved;
    return target;
}
