/*
 * The first steps every oxidized process takes, whether the host starts CoreCLR (main.c) or the serving
 * component starts inside a Native AOT app (aot_start.c): keep stdin/stdout/stderr from being taken by the
 * process's own files, and find the executable's path and the app directory beside it.
 */
#ifndef OXIDIZE_PROCESS_START_H
#define OXIDIZE_PROCESS_START_H

#include <stddef.h>

#include "host_error.h"

/* The executable's own file, as the kernel names it: valid even if its path was replaced since exec. */
#define PROCESS_START_SELF_PATH "/proc/self/exe"

/* A descriptor the app expects to be stdin, stdout or stderr must not be taken by the process's own files
   (its executable, a memfd): the app's output would then overwrite them. Points any closed one at /dev/null,
   as init systems do, or at a pipe without /dev/null; exits with HOST_EXIT_NO_STANDARD_DESCRIPTORS if neither works. */
void process_start_occupy_standard_descriptors(void);

/* The absolute path of the executable (readlink of /proc/self/exe) into path; prints why and exits
   (HOST_EXIT_SELF_UNREADABLE, HOST_EXIT_NO_APP_DIRECTORY) when there is none or it is no file on a path. */
void process_start_read_executable_path(char *path, size_t size, struct host_error *error);

/* The folder holding executable_path, without its trailing slash, so that "<directory>/<name>" is a path
   everywhere: "" for an executable in the root directory (an otherwise empty container image, docs/userland.md). */
void process_start_app_directory(const char *executable_path, char *directory, size_t size);

#endif
