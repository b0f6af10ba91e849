/*
 * Packed content files as a read-only lower layer under the app directory (docs/how-it-works.md,
 * "Writing packed files"): a real file at the same path wins, and opening a packed content file for
 * writing first copies its bytes up to that real path. Only content is layered: assemblies, native
 * libraries, the runtime's *.deps.json / *.runtimeconfig.json and everything under .oxidize/ (the
 * bill of materials, the bundled userland) are served from the payload whatever the disk holds, and
 * an executable published with OxidizePackedFilesReadOnly=true layers nothing.
 */
#ifndef OXIDIZE_CONTENT_OVERLAY_H
#define OXIDIZE_CONTENT_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include "payload.h"

/* Whether the disk may override entry index and writes copy it up. */
int content_overlay_covers(const struct payload *payload, uint32_t index);

/* Whether packed files may be written at all (the payload lacks OXPAK_FLAG_PACKED_FILES_READ_ONLY). */
int content_overlay_enabled(const struct payload *payload);

/* Puts entry index at path (an absolute path inside the app directory, whose length is
   app_directory_length) unless something is already there: creates the missing folders, writes the
   entry's bytes (none when with_bytes is 0) to a temporary file in the same folder and moves it into
   place only if path is still free, so two processes copying up at once both end with one whole file.
   0, or -1 with errno set. */
int content_overlay_copy_up(const struct payload *payload, uint32_t index, const char *path, size_t app_directory_length,
                            int with_bytes);

/* path copied into folder (PATH_MAX bytes) to be cut at its slashes; 0, or -1 with ENAMETOOLONG when it does not fit. */
int content_overlay_copy_path(char *folder, const char *path);

/* Creates the folders between the app directory and the folder holding path, as mkdir -p would (mode
   0777 less the umask); 0, or -1 with errno set. */
int content_overlay_make_parents(const char *path, size_t app_directory_length);

#endif
