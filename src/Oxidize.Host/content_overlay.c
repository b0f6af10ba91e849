#define _GNU_SOURCE
#include "glibc_floor.h"
#include "content_overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "entry_data.h"
#include "oxidize_format.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static int has_suffix(const char *name, size_t length, const char *suffix)
{
    size_t suffix_length = strlen(suffix);
    return length >= suffix_length && memcmp(name + length - suffix_length, suffix, suffix_length) == 0;
}

int content_overlay_enabled(const struct payload *payload)
{
    return (payload->flags & OXPAK_FLAG_PACKED_FILES_READ_ONLY) == 0;
}

int content_overlay_covers(const struct payload *payload, uint32_t index)
{
    if (!content_overlay_enabled(payload))
        return 0;
    struct payload_entry entry;
    payload_entry_at(payload, index, &entry);
    /* Code comes only from the payload: a file beside the executable never replaces an assembly, a native
       library, what the runtime is configured with, or the carried userland (loader, libc, CA bundle). */
    return entry.kind == OXPAK_KIND_CONTENT && strncmp(entry.name, ".oxidize/", 9) != 0
        && !has_suffix(entry.name, entry.name_length, ".deps.json")
        && !has_suffix(entry.name, entry.name_length, ".runtimeconfig.json");
}

int content_overlay_copy_path(char *folder, const char *path)
{
    size_t length = strlen(path);
    if (length >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(folder, path, length + 1);
    return 0;
}

int content_overlay_make_parents(const char *path, size_t app_directory_length)
{
    char folder[PATH_MAX];
    if (content_overlay_copy_path(folder, path) != 0)
        return -1;
    size_t length = strlen(folder);
    /* Each '/' after "<app directory>/" ends a folder to create; the last component is the file itself. */
    for (size_t i = app_directory_length + 1; i < length; i++) {
        if (folder[i] != '/')
            continue;
        folder[i] = '\0';
        int made = (int)syscall(SYS_mkdirat, AT_FDCWD, folder, 0777);
        folder[i] = '/';
        if (made != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

/* The entry's original bytes into fd, through a memfd (which decodes compressed entries), so that the
   disk file is written with plain writes and a full disk is an error, never a fault on a mapped page. */
static int write_entry(const struct payload *payload, uint32_t index, int fd)
{
    int memfd = entry_data_to_memfd(payload, index, MFD_CLOEXEC);
    if (memfd < 0)
        return -1;
    struct payload_entry entry;
    payload_entry_at(payload, index, &entry);
    off_t position = 0;
    uint64_t remaining = entry.original_size;
    int result = 0;
    while (remaining > 0) {
        ssize_t copied = sendfile(fd, memfd, &position, remaining > (1u << 30) ? (1u << 30) : (size_t)remaining);
        if (copied < 0 && errno == EINTR)
            continue;
        if (copied <= 0) {
            if (copied == 0)
                errno = EIO;
            result = -1;
            break;
        }
        remaining -= (uint64_t)copied;
    }
    int saved = errno;
    close(memfd);
    errno = saved;
    return result;
}

/* "<folder of path>/.oxidize-copy-<pid>-<thread>-<n>": unique among the threads and processes copying up at once,
   and short, so that it fits wherever path does. */
static int temporary_name(const char *path, char *out, size_t size)
{
    static unsigned int counter;
    const char *slash = strrchr(path, '/');
    int written = snprintf(out, size, "%.*s/.oxidize-copy-%ld-%ld-%u", (int)(slash - path), path, (long)getpid(),
                           (long)syscall(SYS_gettid), __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
    if (written < 0 || (size_t)written >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* Moves temporary to path unless path exists: renameat2(RENAME_NOREPLACE), or link() where the file system lacks
   it (both fail with EEXIST rather than replace). A plain rename could replace a copy another process has already
   written to. temporary is gone afterwards. 0 when path holds a whole file (this one or another's), else -1. */
static int publish_without_replacing(const char *temporary, const char *path)
{
    int result = (int)syscall(SYS_renameat2, AT_FDCWD, temporary, AT_FDCWD, path, RENAME_NOREPLACE);
    if (result == 0)
        return 0;
    if (errno == EINVAL || errno == ENOSYS)
        result = (int)syscall(SYS_linkat, AT_FDCWD, temporary, AT_FDCWD, path, 0);
    int saved = errno;
    syscall(SYS_unlinkat, AT_FDCWD, temporary, 0); /* linked, or not needed: another copy is in place */
    errno = saved;
    return result == 0 || errno == EEXIST ? 0 : -1;
}

int content_overlay_copy_up(const struct payload *payload, uint32_t index, const char *path, size_t app_directory_length,
                            int with_bytes)
{
    struct stat status;
    if (syscall(SYS_newfstatat, AT_FDCWD, path, &status, AT_SYMLINK_NOFOLLOW) == 0)
        return 0; /* already on disk: the caller's open decides what happens to it */
    if (errno != ENOENT || content_overlay_make_parents(path, app_directory_length) != 0)
        return -1;

    char temporary[PATH_MAX];
    if (temporary_name(path, temporary, sizeof temporary) != 0)
        return -1;
    /* 0666 less the umask, as for a file the app creates itself. */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    /* On disk before the name appears, so that not even a power cut leaves a half file under that name. */
    int result = (with_bytes ? write_entry(payload, index, fd) : 0) == 0 && fsync(fd) == 0 ? 0 : -1;
    int saved = errno;
    if (close(fd) != 0 && result == 0) {
        result = -1;
        saved = errno;
    }
    if (result == 0)
        return publish_without_replacing(temporary, path);
    syscall(SYS_unlinkat, AT_FDCWD, temporary, 0);
    errno = saved;
    return -1;
}
