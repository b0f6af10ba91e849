/* component_files.h on Linux: the C library's realpath, open/read and opendir/readdir, which the host answers for
   packed paths too (app_files.c, app_directories.c), so a plugin packed in the executable resolves like one on disk. */
#define _GNU_SOURCE
#include "component_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *component_files_canonical(const char *path)
{
    return realpath(path, NULL);
}

int component_files_read(const char *path, size_t max_size, char **content, size_t *size, const char **reason)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *reason = strerror(errno);
        return errno == ENOENT || errno == ENOTDIR ? -1 : -2;
    }
    size_t capacity = 64 * 1024, length = 0;
    char *buffer = malloc(capacity);
    while (buffer != NULL) {
        if (length == capacity) {
            if (capacity >= max_size) {
                errno = EFBIG;
                break;
            }
            char *grown = realloc(buffer, capacity * 2);
            if (grown == NULL)
                break;
            buffer = grown;
            capacity *= 2;
        }
        ssize_t count = read(fd, buffer + length, capacity - length);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            break;
        if (count == 0) {
            close(fd);
            *content = buffer;
            *size = length;
            return 0;
        }
        length += (size_t)count;
    }
    int saved = buffer == NULL ? ENOMEM : errno;
    free(buffer);
    close(fd);
    *reason = strerror(saved);
    return -2;
}

int component_files_list(const char *folder, int (*each)(void *context, const char *name), void *context)
{
    DIR *directory = opendir(folder);
    if (directory == NULL)
        return -1;
    struct dirent *item;
    while ((item = readdir(directory)) != NULL)
        if (each(context, item->d_name) != 0)
            break;
    closedir(directory);
    return 0;
}
