/*
 * Serves packed entries to the process's file APIs at <app directory>/<entry name>, as if the
 * publish folder were still there: open() returns a memfd holding the entry's bytes, stat() and
 * access() describe a regular file. So File.ReadAllText(Path.Combine(AppContext.BaseDirectory,
 * "appsettings.json")), File.Exists and Microsoft.Extensions.Configuration work unchanged, with no
 * file on disk. A packed content file is only a lower layer: a real file at its path wins, and a
 * write copies it up there first (content_overlay.h). The executable exports these functions, so
 * libSystem.Native (and every other loaded library) binds to them; every other path goes to the
 * kernel exactly as glibc would send it.
 */
#ifndef OXIDIZE_APP_FILES_H
#define OXIDIZE_APP_FILES_H

#include <sys/stat.h>
#include <sys/types.h>

#include "payload.h"

/* Before this, every call is forwarded unchanged. Keeps pointers to payload, base_directory (the directory of the
   kernel's /proc/self/exe link: absolute, without symbolic links) and executable_path (that link itself), whose
   read-only opens are answered with the file the host opened at start, whatever the path names now. */
void app_files_init(const struct payload *payload, const char *base_directory, const char *executable_path);

/* path itself, or, when it reaches the app directory through another spelling (a symbolic link such as
   /srv/app/current -> /srv/app/v2, a bind mount) and names a packed entry or folder below it, the same path spelled
   from the app directory, written into buffer. Folders are compared by identity (device and inode), not by
   their string. With may_be_app_directory, a path naming the app directory itself is recognised too. */
const char *app_files_resolve(const char *path, char *buffer, size_t size, int may_be_app_directory);

/* For app_directories.c, which lists what this file serves. */
const struct payload *app_files_payload(void);              /* NULL before app_files_init */
const char *app_files_directory(size_t *length);            /* the app directory, without a trailing '/' */
ino_t app_files_entry_inode(uint32_t index);                /* the st_ino stat() reports for entry index */

/* For entry_views.c: what stat() reports for entry index; 0. */
int app_files_describe_entry(uint32_t index, struct stat *status);

/* For app_file_removal.c: whether an absolute path names a packed entry or a folder that has packed entries. */
int app_files_is_packed_path(const char *path);

#endif
