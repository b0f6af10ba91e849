#include "host_error.h"

#include <stdarg.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void host_error_set(struct host_error *error, enum host_status status, const char *what,
                    const char *why_format, ...)
{
    va_list args;
    error->status = status;
    snprintf(error->what, sizeof error->what, "%s", what);
    va_start(args, why_format);
    vsnprintf(error->why, sizeof error->why, why_format, args);
    va_end(args);
}

const char *host_error_errno_hint(int error)
{
    switch (error) {
    case ENOSYS:
        return "memfd_create is missing: Linux 3.17 or newer is required";
    case EMFILE:
        return "the process has no file descriptor left: raise its limit (ulimit -n, LimitNOFILE=)";
    case ENFILE:
        return "the system's file table is full (fs.file-max)";
    case ENOMEM:
    case ENOSPC:
        return "out of memory";
    case EPERM:
    case EACCES:
        return "refused by a security policy (seccomp, SELinux, AppArmor)";
    default:
        return "see the system error above";
    }
}

void host_error_exit(const struct host_error *error)
{
    /* stdout or stderr may be a pipe nobody reads (main.c without /dev/null): fail the write, not the process. */
#ifdef SIGPIPE /* not on Windows (mingw), where a write to a closed pipe fails without a signal */
    signal(SIGPIPE, SIG_IGN);
#endif
    fflush(stdout);
    fprintf(stderr, "oxidize: %s (exit code %d)\n", error->what, (int)error->status);
    fprintf(stderr, "oxidize: %s\n", error->why);
    fflush(stderr);
    exit((int)error->status);
}
