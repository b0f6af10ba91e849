#ifndef OXIDIZE_HOST_ERROR_H
#define OXIDIZE_HOST_ERROR_H

#include "host_status.h"

/* Why an operation failed, filled in by the module that failed and printed once by main. */
struct host_error {
    enum host_status status;
    char what[256];
    char why[768];
};

void host_error_set(struct host_error *error, enum host_status status, const char *what,
                    const char *why_format, ...) __attribute__((format(printf, 4, 5)));

/* Why a system call that creates a descriptor or memory failed, in words, from its errno. */
const char *host_error_errno_hint(int error);

/* Prints the two-line message (what failed, then the specific cause) and exits with the status. */
__attribute__((noreturn)) void host_error_exit(const struct host_error *error);

#endif
