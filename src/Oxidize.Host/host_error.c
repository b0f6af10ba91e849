#include "host_error.h"

#include <stdarg.h>
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

void host_error_exit(const struct host_error *error)
{
    fflush(stdout);
    fprintf(stderr, "oxidize: %s (exit code %d)\n", error->what, (int)error->status);
    fprintf(stderr, "oxidize: %s\n", error->why);
    fflush(stderr);
    exit((int)error->status);
}
