/*
 * Lists the folders app_files.c serves: opendir() on the app directory or on a folder inside it
 * ("wwwroot", "data/", a satellite folder) returns a stream that yields what is on disk there, then
 * every packed entry directly inside it that the disk does not have, files as DT_REG and folders as
 * DT_DIR. So Directory.GetFiles(AppContext.BaseDirectory, "*.dll"), Directory.EnumerateFiles(webRoot)
 * and PhysicalFileProvider's directory contents see the publish folder as it was before packing.
 * Every other path goes to glibc's own functions unchanged. The executable exports these functions,
 * as it does the file functions, so libSystem.Native binds to them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_floor.h"
#include "app_files.h"
#include "next_symbol.h"
#include "oxidize_format.h"

#define EXPORTED __attribute__((visibility("default")))

/* Tells a packed stream from glibc's DIR, whose first member is its file descriptor: no descriptor can
   reach this value, because the kernel caps descriptors at fs.nr_open, at most 2^30. */
#define PACKED_STREAM_MAGIC 0x7F0A5D1Bu

struct packed_stream {
    uint32_t magic;
    DIR *disk;                                /* glibc's stream of the same folder on disk, or NULL */
    int disk_finished;
    uint32_t next;                            /* the next entry to consider */
    uint32_t end;                             /* one past the last entry inside the folder */
    size_t prefix_length;                     /* of prefix: "" for the app directory, else "wwwroot/" */
    char prefix[OXPAK_MAX_NAME_LENGTH + 2];
    char last_folder[NAME_MAX + 1];           /* the subfolder returned last: its entries are contiguous */
    struct dirent64 current;
};

typedef DIR *(*opendir_function)(const char *);
typedef struct dirent64 *(*readdir64_function)(DIR *);
typedef int (*closedir_function)(DIR *);
typedef void (*rewinddir_function)(DIR *);
typedef int (*dirfd_function)(DIR *);

static void *real_opendir, *real_readdir64, *real_closedir, *real_rewinddir, *real_dirfd;

static struct packed_stream *as_packed(DIR *stream)
{
    struct packed_stream *packed = (struct packed_stream *)stream;
    return stream != NULL && packed->magic == PACKED_STREAM_MAGIC ? packed : NULL;
}

/* The folder's name inside the payload with a trailing '/' ("" for the app directory itself) into
   prefix, for an absolute path naming the app directory or a folder below it; 0 on success. */
static int packed_prefix(const char *path, char *prefix, size_t size, size_t *prefix_length)
{
    char resolved[PATH_MAX];
    path = app_files_resolve(path, resolved, sizeof resolved, 1);
    size_t directory_length;
    const char *directory = app_files_directory(&directory_length);
    if (app_files_payload() == NULL || path == NULL || strncmp(path, directory, directory_length) != 0)
        return -1;
    const char *rest = path + directory_length;
    if (*rest != '\0' && *rest != '/')
        return -1;
    while (*rest == '/')
        rest++;
    size_t length = strlen(rest);
    while (length > 0 && rest[length - 1] == '/')
        length--;
    if (length + 2 > size)
        return -1;
    /* "." and ".." would need normalizing first; such paths are rare here and stay unlisted. */
    if (memmem(rest, length, "./", 2) != NULL || (length > 0 && rest[length - 1] == '.'))
        return -1;
    memcpy(prefix, rest, length);
    if (length > 0)
        prefix[length++] = '/';
    prefix[length] = '\0';
    *prefix_length = length;
    return 0;
}

EXPORTED DIR *opendir(const char *path)
{
    opendir_function function = (opendir_function)next_symbol(&real_opendir, "opendir");
    char prefix[OXPAK_MAX_NAME_LENGTH + 2];
    size_t prefix_length;
    if (packed_prefix(path, prefix, sizeof prefix, &prefix_length) != 0)
        return function(path);

    const struct payload *payload = app_files_payload();
    uint32_t first = payload_lower_bound(payload, prefix, prefix_length);
    int has_entries = prefix_length == 0 ? payload->entry_count > 0 : payload_has_folder(payload, prefix, prefix_length - 1);
    int saved = errno;
    DIR *disk = function(path);
    if (!has_entries) /* nothing packed here: exactly what glibc says */
        return disk;
    if (disk == NULL && errno != ENOENT)
        return NULL;
    errno = saved;

    struct packed_stream *stream = calloc(1, sizeof *stream);
    if (stream == NULL) {
        if (disk != NULL)
            ((closedir_function)next_symbol(&real_closedir, "closedir"))(disk);
        errno = ENOMEM;
        return NULL;
    }
    stream->magic = PACKED_STREAM_MAGIC;
    stream->disk = disk;
    stream->disk_finished = disk == NULL;
    stream->next = first;
    memcpy(stream->prefix, prefix, prefix_length + 1);
    stream->prefix_length = prefix_length;
    /* The end of the names starting with the prefix: the first name not below prefix with '/' raised to '0'. */
    if (prefix_length == 0) {
        stream->end = payload->entry_count;
    } else {
        char limit[OXPAK_MAX_NAME_LENGTH + 2];
        memcpy(limit, prefix, prefix_length);
        limit[prefix_length - 1] = '/' + 1;
        stream->end = payload_lower_bound(payload, limit, prefix_length);
    }
    return (DIR *)stream;
}

/* Whether the folder on disk already has this name (listed from there). */
static int on_disk(struct packed_stream *stream, const char *name)
{
    if (stream->disk == NULL)
        return 0;
    int folder = ((dirfd_function)next_symbol(&real_dirfd, "dirfd"))(stream->disk);
    struct stat status;
    return syscall(SYS_newfstatat, folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0;
}

static struct dirent64 *next_packed(struct packed_stream *stream)
{
    const struct payload *payload = app_files_payload();
    while (stream->next < stream->end) {
        struct payload_entry entry;
        uint32_t index = stream->next++;
        payload_entry_at(payload, index, &entry);
        const char *name = entry.name + stream->prefix_length;
        const char *slash = strchr(name, '/');
        size_t length = slash != NULL ? (size_t)(slash - name) : strlen(name);
        if (length == 0 || length > NAME_MAX)
            continue;
        if (slash != NULL) {
            if (strlen(stream->last_folder) == length && memcmp(stream->last_folder, name, length) == 0)
                continue;
            memcpy(stream->last_folder, name, length);
            stream->last_folder[length] = '\0';
        }
        char component[NAME_MAX + 1];
        memcpy(component, name, length);
        component[length] = '\0';
        if (on_disk(stream, component))
            continue;
        struct dirent64 *current = &stream->current;
        memset(current, 0, sizeof *current);
        /* A folder has no entry of its own: its inode is its first entry's, with the top bit set. */
        current->d_ino = app_files_entry_inode(index) ^ (slash != NULL ? (ino_t)1 << 63 : 0);
        current->d_off = (off_t)stream->next;
        current->d_reclen = sizeof *current;
        current->d_type = slash != NULL ? DT_DIR : DT_REG;
        memcpy(current->d_name, component, length + 1);
        return current;
    }
    return NULL;
}

EXPORTED struct dirent64 *readdir64(DIR *directory)
{
    readdir64_function function = (readdir64_function)next_symbol(&real_readdir64, "readdir64");
    struct packed_stream *stream = as_packed(directory);
    if (stream == NULL)
        return function(directory);
    if (!stream->disk_finished) {
        int saved = errno;
        errno = 0;
        struct dirent64 *entry = function(stream->disk);
        if (entry != NULL)
            return entry;
        if (errno != 0)
            return NULL;
        errno = saved;
        stream->disk_finished = 1;
    }
    return next_packed(stream);
}

/* On x86-64 and arm64 struct dirent and struct dirent64 are the same. */
EXPORTED struct dirent *readdir(DIR *directory)
{
    return (struct dirent *)readdir64(directory);
}

EXPORTED int closedir(DIR *directory)
{
    closedir_function function = (closedir_function)next_symbol(&real_closedir, "closedir");
    struct packed_stream *stream = as_packed(directory);
    if (stream == NULL)
        return function(directory);
    int result = stream->disk != NULL ? function(stream->disk) : 0;
    stream->magic = 0;
    free(stream);
    return result;
}

EXPORTED void rewinddir(DIR *directory)
{
    rewinddir_function function = (rewinddir_function)next_symbol(&real_rewinddir, "rewinddir");
    struct packed_stream *stream = as_packed(directory);
    if (stream == NULL) {
        function(directory);
        return;
    }
    if (stream->disk != NULL)
        function(stream->disk);
    stream->disk_finished = stream->disk == NULL;
    stream->next = payload_lower_bound(app_files_payload(), stream->prefix, stream->prefix_length);
    stream->last_folder[0] = '\0';
}

/* A packed folder has no descriptor of its own; the one on disk, if any, is the folder's. */
EXPORTED int dirfd(DIR *directory)
{
    dirfd_function function = (dirfd_function)next_symbol(&real_dirfd, "dirfd");
    struct packed_stream *stream = as_packed(directory);
    if (stream == NULL)
        return function(directory);
    if (stream->disk != NULL)
        return function(stream->disk);
    errno = ENOTSUP;
    return -1;
}
