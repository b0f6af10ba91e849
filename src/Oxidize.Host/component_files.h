/*
 * How component_resolver.c sees files, so that one resolver serves the Linux and the Windows host. Linux
 * (component_files_posix.c): realpath, open and opendir, which the host's interposers answer for packed paths too.
 * Windows (win_component_files.c): the disk only, with UTF-8 paths.
 */
#ifndef OXIDIZE_COMPONENT_FILES_H
#define OXIDIZE_COMPONENT_FILES_H

#include <stddef.h>

#ifdef _WIN32
#define COMPONENT_DIRECTORY_SEPARATOR '\\'
#define COMPONENT_PATH_LIST_SEPARATOR ";"
#define COMPONENT_HOST_OS "win"
#else
#define COMPONENT_DIRECTORY_SEPARATOR '/'
#define COMPONENT_PATH_LIST_SEPARATOR ":"
#define COMPONENT_HOST_OS "linux"
#endif

/* The absolute, canonical path of an existing file (malloc'ed), or NULL when there is none. */
char *component_files_canonical(const char *path);

/* Reads a whole file of at most max_size bytes into *content (malloc'ed): 0; -1 when it does not exist; -2 on any
   other failure, with *reason saying why. */
int component_files_read(const char *path, size_t max_size, char **content, size_t *size, const char **reason);

/* Calls each(context, name) for every file name in folder (a path ending with the separator); each returns non-zero
   to stop. 0, or -1 when the folder cannot be listed. */
int component_files_list(const char *folder, int (*each)(void *context, const char *name), void *context);

#endif
