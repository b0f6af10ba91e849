/*
 * Loads packed native libraries. One the publish marked mappable (OXPAK_ENTRY_FLAG_MAPPED_LIBRARY) is mapped from
 * the executable by the host's ELF loader (elf_loader.h); any other is copied once into a memfd that stays open for
 * the life of the process (a closed one would let a later memfd reuse its number, and dlopen of that
 * /proc/self/fd path would return the wrong, already loaded library) and dlopen'ed through
 * /proc/self/fd/N. The executable exports its own dlopen so the runtime's dlopen calls (the JIT, by
 * a path next to libcoreclr; libSystem.Native, by name) reach these libraries too.
 */
#ifndef OXIDIZE_NATIVE_LIBRARIES_H
#define OXIDIZE_NATIVE_LIBRARIES_H

#include "host_error.h"
#include "payload.h"

/* Must be called once before anything else here; keeps pointers to payload and base_directory. */
enum host_status native_libraries_init(const struct payload *payload, const char *base_directory,
                                       struct host_error *error);

/* Copies the packed library with this exact entry name into its memfd without loading it, so that a
   later load only has to dlopen it; -1 when it is not packed or the copy failed (the load reports why). */
int native_libraries_prepare_entry(const char *entry_name);

/* 1 when a packed library with this exact entry name would be copied into a memfd by native_libraries_prepare_entry
   (packed, not mapped from the executable), else 0. */
int native_libraries_entry_needs_copy(const char *entry_name);

/* Loads the packed library with this exact entry name (after its packed dependencies). */
void *native_libraries_load_entry(const char *entry_name, struct host_error *error);

/* The host_runtime_contract's pinvoke_override: a packed library's export, or NULL to let the runtime probe. */
const void *native_libraries_pinvoke_override(const char *library_name, const char *entry_point);

/* dlsym for a handle from native_libraries_load_entry or native_libraries_open (a glibc handle or a mapped module). */
void *native_libraries_symbol(void *handle, const char *name);

/* dlopen as the mapped libraries see it: like the exported dlopen, but a mapped library's handle is its module. */
void *native_libraries_open(const char *path, int flags);

/* The real dlopen, for the host's own calls (its exported dlopen is the interposer). */
void *native_libraries_real_dlopen(const char *path, int flags);

#endif
