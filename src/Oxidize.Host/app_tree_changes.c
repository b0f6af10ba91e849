/*
 * Changes to the folder tree under the app directory that involve packed names.
 *
 * Deleting, moving or linking a packed file that has no copy on disk fails with EROFS. The packed
 * bytes are part of the executable and cannot go away, so unlink() cannot remove the name, and a
 * rename() would leave it visible at the old path as well; the kernel alone would answer ENOENT,
 * which .NET's File.Delete takes as "already gone" and ignores. A copy on disk (content_overlay.h)
 * is deleted, moved or linked as usual, after which the packed file shows through again. Each
 * function makes the system call glibc would make and looks at the path only when that call failed
 * with ENOENT, so success costs nothing.
 *
 * Creating a folder inside a folder that exists only inside the executable ("wwwroot/uploads", which
 * Directory.CreateDirectory asks for once stat says "wwwroot" is a folder) creates the packed
 * folders on disk first, as a copy-up does, unless the app was published with
 * OxidizePackedFilesReadOnly=true. All of these are exported, like the file functions in app_files.c.
 */
#define _GNU_SOURCE
#include "glibc_floor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "app_files.h"
#include "content_overlay.h"

#define EXPORTED __attribute__((visibility("default")))

/* result of a call on path, with EROFS instead of ENOENT when path is packed and nothing is on disk there. (ENOENT
   means path was readable. For a rename, ENOENT may also come from the target's folder: then the source is on disk.) */
static int read_only_when_packed_only(int result, const char *path)
{
    if (result == 0 || errno != ENOENT || !app_files_is_packed_path(path))
        return result;
    struct stat status;
    if (syscall(SYS_newfstatat, AT_FDCWD, path, &status, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = ENOENT;
        return result;
    }
    errno = EROFS;
    return -1;
}

EXPORTED int unlink(const char *path)
{
    return read_only_when_packed_only((int)syscall(SYS_unlinkat, AT_FDCWD, path, 0), path);
}

EXPORTED int unlinkat(int folder, const char *path, int flags)
{
    /* Only absolute paths can be packed paths, and they ignore the folder descriptor. */
    return read_only_when_packed_only((int)syscall(SYS_unlinkat, folder, path, flags), path);
}

EXPORTED int rename(const char *from, const char *to)
{
    return read_only_when_packed_only((int)syscall(SYS_renameat, AT_FDCWD, from, AT_FDCWD, to), from);
}

EXPORTED int renameat(int from_folder, const char *from, int to_folder, const char *to)
{
    return read_only_when_packed_only((int)syscall(SYS_renameat, from_folder, from, to_folder, to), from);
}

EXPORTED int link(const char *from, const char *to)
{
    return read_only_when_packed_only((int)syscall(SYS_linkat, AT_FDCWD, from, AT_FDCWD, to, 0), from);
}

/* Whether path's parent folder exists only inside the executable, where packed files may be copied up. */
static int parent_is_packed_folder(const char *path)
{
    char parent[PATH_MAX];
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        length--;
    if (length >= sizeof parent)
        return 0;
    memcpy(parent, path, length);
    parent[length] = '\0';
    char *slash = strrchr(parent, '/');
    if (slash == NULL || slash == parent)
        return 0;
    *slash = '\0';
    const struct payload *payload = app_files_payload();
    return app_files_is_packed_path(parent) && content_overlay_enabled(payload);
}

EXPORTED int mkdir(const char *path, mode_t mode)
{
    int saved = errno;
    int result = (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);
    if (result == 0 || errno != ENOENT)
        return result;
    /* Spelled from the app directory, should the path reach it through a symbolic link. */
    char resolved[PATH_MAX];
    path = app_files_resolve(path, resolved, sizeof resolved, 0);
    if (!parent_is_packed_folder(path))
        return result;
    size_t app_directory_length;
    app_files_directory(&app_directory_length);
    if (content_overlay_make_parents(path, app_directory_length) != 0)
        return -1;
    errno = saved;
    return (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);
}
