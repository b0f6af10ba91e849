/*
 * Packed content files served without a copy (issue 13, point 5). A read-only open of a stored content entry
 * returns a "view": a fresh open of the executable itself (its own file offset, close-on-exec), positioned at
 * the entry's first byte. The executable exports the descriptor functions the app can call on it (read, pread,
 * readv, preadv, lseek, fstat, statx, mmap, sendfile, copy_file_range, close, dup, fcntl, flock, the FICLONE ioctl
 * of File.Copy, ...), and for a
 * view they answer as if the entry were the whole file: its bytes, its size, its metadata (app_files.c's). Any
 * other use of a view the host can see (an ioctl, fchmod, futimens, record locks, splice, fdopen,
 * an mmap at an offset the kernel cannot map, a duplicate without close-on-exec) first "materializes" it: the
 * entry is copied into a memfd, as every open did before, which replaces the view under the same descriptor
 * number at the same position, and the call then runs on that copy. Which descriptors are views is a bitmap by
 * descriptor number, so every other descriptor's calls cost one bit test.
 */
#ifndef OXIDIZE_ENTRY_VIEWS_H
#define OXIDIZE_ENTRY_VIEWS_H

#include <stdint.h>

#include "payload.h"

/* entry_views_open's answer when no view can be made (a compressed entry, no O_CLOEXEC, an unusual flag, a
   descriptor number outside the table): the caller serves a memfd instead. */
#define ENTRY_VIEW_UNAVAILABLE (-2)

/* A view of entry index for an open with flags (read-only, checked by the caller), or -1 with errno set, or
   ENTRY_VIEW_UNAVAILABLE. */
int entry_views_open(const struct payload *payload, uint32_t index, int flags);

#endif
