/*
 * Windows' counterpart of entry_data.c: an entry's original bytes in memory, for the PE loader (packed DLLs) and for
 * the runtime (assemblies, external_assembly_probe). A stored entry is used in place in the mapped .exe; an
 * LZ4-compressed one is decoded once, on first use, into private memory that is never freed (whoever asked keeps
 * using it). The PE loader borrows a DLL's bytes instead (win_entry_bytes_borrow) and gives them back once its image
 * is made. Nothing is written to disk.
 */
#ifndef OXIDIZE_WIN_ENTRY_BYTES_H
#define OXIDIZE_WIN_ENTRY_BYTES_H

#include <stdint.h>

#include "host_error.h"
#include "payload.h"

/* Must be called once, before the other functions; keeps a pointer to payload. */
enum host_status win_entry_bytes_init(const struct payload *payload, struct host_error *error);

/* The original bytes of entry index (size: its original_size); NULL with error filled (out of memory, or corrupt
   compressed bytes). Safe to call from several threads. */
const uint8_t *win_entry_bytes(uint32_t index, struct host_error *error);

/* The original bytes of entry index for one reader that needs them only for a while (the PE loader, which copies a
   DLL's sections into its image): a stored entry in a view of its own range of the .exe, an LZ4 one in a fresh
   decoded copy, either given back with win_entry_bytes_return. Unlike win_entry_bytes, whose pages stay resident for
   the life of the process, this leaves nothing of the entry in memory once it is returned. NULL with error filled. */
const uint8_t *win_entry_bytes_borrow(uint32_t index, struct host_error *error);

/* Unmaps or frees what win_entry_bytes_borrow returned (bytes may be NULL). */
void win_entry_bytes_return(const uint8_t *bytes);

#endif
