#ifndef OXIDIZE_HOST_ERROR_H
#define OXIDIZE_HOST_ERROR_H

#include "host_status.h"

/* Why an operation failed, filled in by the module that failed and printed once by main. */
struct host_error {
    enum host_status status;
    char what[256];
    char why[768];
};

/* mingw-w64's "printf" format is Microsoft's (no %zu); the Windows host is built with __USE_MINGW_ANSI_STDIO, whose
   vsnprintf is the C99 one, so the checks follow GNU's. */
#ifdef __MINGW32__
#define HOST_ERROR_PRINTF_FORMAT gnu_printf
#else
#define HOST_ERROR_PRINTF_FORMAT printf
#endif

void host_error_set(struct host_error *error, enum host_status status, const char *what,
                    const char *why_format, ...) __attribute__((format(HOST_ERROR_PRINTF_FORMAT, 4, 5)));

/* Why a system call that creates a descriptor or memory failed, in words, from its errno. */
const char *host_error_errno_hint(int error);

/* Prints the two-line message (what failed, then the specific cause) and exits with the status. */
__attribute__((noreturn)) void host_error_exit(const struct host_error *error);

#endif
