/*
 * A small loader for PE x64 DLLs held in memory (Windows host, issue 20): the runtime's coreclr.dll, clrjit.dll,
 * System.*.Native.dll and the app's native DLLs are loaded from the payload without a file on disk. It maps the
 * sections, applies base relocations, resolves imports (by name and ordinal, delay-load too), gives each module with
 * implicit TLS a slot in every thread's TEB->ThreadLocalStoragePointer array (pe_loader_tls.c), registers the .pdata
 * unwind table (pe_loader_unwind.c), runs TLS callbacks and DllMain. The kernel32 functions that must know about these
 * modules (LoadLibrary*, GetModuleHandle*, GetModuleFileName*, GetProcAddress, FreeLibrary) are answered by
 * pe_loader_imports.c for the DLLs this loader loads; nothing in the process is hooked globally.
 * Loaded modules are never unloaded (FreeLibrary on them succeeds and does nothing).
 * pe_loader_tls.c must be linked into the executable itself (not a DLL): its TLS callback, which Windows runs on every
 * thread, is what gives each thread the TLS slots of the modules loaded here.
 * docs/how-it-works.md, "Windows: DLLs loaded from memory".
 */
#ifndef OXIDIZE_PE_LOADER_H
#define OXIDIZE_PE_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define PE_LOADER_MAX_MODULES 64

struct host_error;
struct pe_module;

/* Where a DLL that a loaded module asks for (an import, or a LoadLibrary* call it makes) comes from when no module of
   that name is loaded yet. find_packed gets the base name as asked ("clrjit.dll", "System.Native", "e_sqlite3.dll":
   compare case-insensitively, ".dll" may be missing) and returns 1 with the DLL's bytes, which must stay readable until
   the loader hands them to release_packed, and the path GetModuleFileNameW reports for it (UTF-8, e.g.
   "C:\\app\\clrjit.dll"); or 0 when it is not packed, and Windows' own loader gets the name. release_packed (may be
   NULL) gets back every bytes find_packed gave once pe_loader_load has finished with them, loaded or not: the loader
   copies what it needs into the image, so the resolver can unmap or free them. Answer only for native DLLs: the runtime also asks
   LoadLibraryExW for managed (ReadyToRun) assemblies, which this loader cannot run. The last resolver passed to pe_loader_load is kept for
   the LoadLibrary calls the loaded modules make later. */
struct pe_loader_resolver {
    int (*find_packed)(void *context, const char *base_name, const uint8_t **bytes, size_t *size, const char **path);
    void *context;
    void (*release_packed)(void *context, const uint8_t *bytes);
};

/* Loads the DLL image at bytes[0..size) (the file's bytes, as on disk), whose GetModuleFileNameW path is path (UTF-8),
   and runs its TLS callbacks and DllMain(DLL_PROCESS_ATTACH). The image is a copy: bytes are not read after the call
   returns. Returns 1 with *module set (the module's base address is
   its HMODULE: pe_loader_handle), or 0 with error filled in (HOST_EXIT_NATIVE_LOAD_FAILED and the reason: not a PE x64
   DLL, a section outside the file, an import that could not be resolved, DllMain returned FALSE, ...). Loading a
   path already loaded returns the same module. Not thread-safe against itself: loads are serialized by a lock. */
int pe_loader_load(const char *path, const uint8_t *bytes, size_t size, const struct pe_loader_resolver *resolver,
                   struct pe_module **module, struct host_error *error);

/* An exported function or variable by name (a forwarder is followed), or NULL. */
void *pe_loader_symbol(const struct pe_module *module, const char *name);

/* An export by ordinal (the biased ordinal, as GetProcAddress takes it), or NULL. */
void *pe_loader_symbol_by_ordinal(const struct pe_module *module, uint16_t ordinal);

/* The module whose mapped image holds address, or NULL. */
struct pe_module *pe_loader_find_by_address(const void *address);

/* The module whose HMODULE (base address) is handle, or NULL when handle is not one of ours. */
struct pe_module *pe_loader_is_module(const void *handle);

/* The loaded module of this name (a path or a base name, compared case-insensitively; ".dll" is implied when the name
   has no extension, as for LoadLibrary), or NULL. */
struct pe_module *pe_loader_module_named(const char *name);

/* The module's HMODULE (its base address) and the path it was loaded as. */
void *pe_loader_handle(const struct pe_module *module);
const char *pe_loader_path(const struct pe_module *module);

#endif
