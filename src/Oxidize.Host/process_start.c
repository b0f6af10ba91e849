#define _GNU_SOURCE
#include "process_start.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_floor.h"

/* Without /dev/null (a root with no /dev), a pipe stands in: its read end for stdin, whose writer is
   closed so reads see end of file, and its write end for stdout or stderr, whose reader is closed so
   writes fail with EPIPE, which .NET's console ignores as it does when a reader went away. Nothing
   written there is kept, as with /dev/null. */
static int occupy_with_pipe(int fd)
{
    int ends[2];
    if (pipe(ends) != 0)
        return -1;
    int keep = fd == 0 ? ends[0] : ends[1];
    int drop = fd == 0 ? ends[1] : ends[0];
    if (keep != fd && dup2(keep, fd) != fd)
        return -1;
    if (keep != fd)
        close(keep);
    if (drop != fd) /* dup2 already replaced it when the pipe took the slot itself */
        close(drop);
    return fd;
}

/* A descriptor the app expects to be stdin, stdout or stderr must not be taken by the host's own
   files (its executable, a memfd): the app's output would then overwrite the runtime's own code.
   Point any closed one at /dev/null first, as init systems do, or at a pipe without /dev/null. */
void process_start_occupy_standard_descriptors(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (syscall(SYS_fcntl, fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int opened = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR);
        if (opened >= 0 && opened != fd)
            close(opened); /* a lower descriptor was free after all; the loop fills this one later */
        if (opened < 0 && occupy_with_pipe(fd) < 0)
            exit(HOST_EXIT_NO_STANDARD_DESCRIPTORS); /* nowhere to say why: stderr is the slot we could not fill */
    }
}

void process_start_read_executable_path(char *path, size_t size, struct host_error *error)
{
    ssize_t length = readlink(PROCESS_START_SELF_PATH, path, size - 1);
    if (length <= 0 || (size_t)length >= size - 1) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot find the executable's own path",
                       "readlink(\"%s\") failed or the path is too long: %m (is /proc mounted?)", PROCESS_START_SELF_PATH);
        host_error_exit(error);
    }
    path[length] = '\0';
    /* Started from a memfd (fexecve) or a file deleted since: there is no folder the app's files live in. */
    if (path[0] != '/' || strncmp(path, "/memfd:", 7) == 0 || (length > 10 && strcmp(path + length - 10, " (deleted)") == 0)) {
        host_error_set(error, HOST_EXIT_NO_APP_DIRECTORY, "this executable must be started from a file on a path",
                       "%s is \"%s\": the app's folder (AppContext.BaseDirectory) would not exist; run it from the file itself",
                       PROCESS_START_SELF_PATH, path);
        host_error_exit(error);
    }
}

void process_start_app_directory(const char *executable_path, char *directory, size_t size)
{
    snprintf(directory, size, "%s", executable_path);
    char *last_slash = strrchr(directory, '/');
    if (last_slash != NULL)
        *last_slash = '\0';
}
