/*
 * Starts CoreCLR through the host-runtime contract with assemblies served from the executable's own
 * file (bundle_probe) and P/Invokes served from packed libraries (pinvoke_override), runs the entry
 * assembly and returns the app's exit code.
 */
#ifndef OXIDIZE_RUNTIME_HOST_H
#define OXIDIZE_RUNTIME_HOST_H

#include "host_error.h"
#include "payload.h"

struct runtime_launch {
    const struct payload *payload;
    const char *executable_path;   /* real path of the executable: the runtime maps assemblies from it */
    const char *base_directory;    /* its directory, without a trailing slash */
    int argc;                      /* the app's arguments, argv[0] excluded */
    const char **argv;
};

/* Returns HOST_OK and sets *exit_code to the app's exit code, or fills error. */
enum host_status runtime_host_run(const struct runtime_launch *launch, int *exit_code, struct host_error *error);

#endif
