/*
 * The Windows host's packed DLLs (coreclr.dll, clrjit.dll, System.*.Native.dll, the app's own DLLs), loaded from the
 * mapped .exe by the PE loader (pe_loader.h), from their bytes in memory (win_entry_bytes.h). Implements runtime_platform.h for runtime_host.c, and answers the loader when a DLL it
 * loads imports or LoadLibrary's another packed DLL. Nothing is written to disk.
 */
#ifndef OXIDIZE_WIN_NATIVE_LIBRARIES_H
#define OXIDIZE_WIN_NATIVE_LIBRARIES_H

#include "host_error.h"
#include "payload.h"

/* Must be called once before anything else here; keeps pointers to payload and base_directory (the .exe's folder,
   without a trailing '\\'), under which the loaded DLLs report their paths (GetModuleFileNameW). */
enum host_status win_native_libraries_init(const struct payload *payload, const char *base_directory,
                                           struct host_error *error);

#endif
