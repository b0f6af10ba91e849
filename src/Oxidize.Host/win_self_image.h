/*
 * The Windows host's own .exe: its path (GetModuleFileNameW, as UTF-8 for the runtime) and a read-only mapping of the
 * whole file (CreateFileMapping/MapViewOfFile) that payload_parse validates, as payload_map_file does on Linux.
 */
#ifndef OXIDIZE_WIN_SELF_IMAGE_H
#define OXIDIZE_WIN_SELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "payload.h"

/* Fills path (UTF-8) with the executable's full path and maps and validates its payload; on failure fills error
   (HOST_EXIT_SELF_UNREADABLE, or the payload's own codes) and returns its status. */
enum host_status win_self_image_map(char *path, size_t path_size, struct payload *payload, struct host_error *error);

/* A read-only view of bytes [offset, offset + size) of the .exe in a mapping of their own (after win_self_image_map
   succeeded), so that the pages read through it leave the process's working set when win_self_image_unview unmaps it;
   the pages read through the whole-file view stay resident for the life of the process. NULL with error filled
   (HOST_EXIT_SELF_UNREADABLE) when it cannot be mapped. */
const uint8_t *win_self_image_view(uint64_t offset, uint64_t size, struct host_error *error);

/* Unmaps the view win_self_image_view returned bytes in. Does nothing for any other address. */
void win_self_image_unview(const uint8_t *bytes);

/* Why the last Windows call failed, in words (FormatMessage of GetLastError), for host_error messages. */
const char *win_self_image_last_error_text(void);

#endif
