/*
 * Puts an entry's original bytes into a new memfd: a kernel copy from the executable when stored,
 * an LZ4 decode when compressed. This is the only place an entry is decompressed, and it runs only
 * when something asks for that entry (a dlopen, a P/Invoke, an open of the file), so unused entries
 * cost nothing at startup.
 */
#ifndef OXIDIZE_ENTRY_DATA_H
#define OXIDIZE_ENTRY_DATA_H

#include "payload.h"

/* Returns the memfd (positioned at 0) or -1 with errno set (EIO when a compressed entry is corrupt). */
int entry_data_to_memfd(const struct payload *payload, uint32_t index, unsigned int memfd_flags);

#endif
