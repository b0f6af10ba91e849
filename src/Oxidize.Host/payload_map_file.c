/* payload_map_file on POSIX: open, size and mmap the file, then payload_parse (the Windows host maps its .exe in
   win_self_image.c). Kept apart from payload.c so that the parser compiles for both. */
#include "payload.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

enum host_status payload_map_file(const char *path, struct payload *payload, struct host_error *error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot open the executable's own file",
                       "open(\"%s\") failed: %m", path);
        return error->status;
    }
    /* lseek instead of fstat: fstat's symbol version would raise the glibc floor. */
    off_t size = lseek(fd, 0, SEEK_END);
    if (size <= 0) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot size the executable's own file",
                       "lseek(\"%s\") failed or returned 0: %m", path);
        close(fd);
        return error->status;
    }
    void *mapping = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping == MAP_FAILED) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot map the executable's own file",
                       "mmap of %lld bytes of \"%s\" failed: %m", (long long)size, path);
        close(fd);
        return error->status;
    }
    enum host_status status = payload_parse(mapping, (uint64_t)size, payload, error);
    if (status != HOST_OK) {
        munmap(mapping, (size_t)size);
        close(fd);
        return status;
    }
    payload->file_descriptor = fd;
    return HOST_OK;
}
