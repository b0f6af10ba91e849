/*
 * What the parts of the PE loader share (pe_loader.c maps and runs a module; pe_loader_imports.c binds its imports
 * and answers the kernel32 functions it imports; pe_loader_tls.c gives it its implicit-TLS slot on every thread;
 * pe_loader_unwind.c registers its unwind table). Not for callers: they use pe_loader.h.
 */
#ifndef OXIDIZE_PE_LOADER_INTERNAL_H
#define OXIDIZE_PE_LOADER_INTERNAL_H

#include <windows.h>

#include "pe_loader.h"

typedef BOOL (WINAPI *pe_dll_entry)(HINSTANCE, DWORD, LPVOID);

struct pe_module {
    char path[520];                        /* what GetModuleFileName reports (UTF-8) */
    const char *base_name;                 /* inside path: after the last '\\' or '/' */
    uint8_t *base;                         /* the HMODULE */
    size_t image_size;
    const IMAGE_NT_HEADERS64 *headers;     /* in the mapped image */
    const IMAGE_EXPORT_DIRECTORY *exports; /* or NULL */
    DWORD exports_rva, exports_size;       /* an export pointing inside this range is a forwarder */
    pe_dll_entry entry;                    /* DllMain (the CRT's entry), or NULL */
    const IMAGE_TLS_DIRECTORY64 *tls;      /* or NULL */
    int tls_slot;                          /* index in ThreadLocalStoragePointer, -1 without implicit TLS */
    volatile LONG thread_calls_disabled;   /* DisableThreadLibraryCalls was called on it */
    volatile LONG attached;                /* DLL_PROCESS_ATTACH returned TRUE: new threads notify it */
    volatile LONG failed;                  /* its load failed after it was published: no lookup finds it */
};

/* The data directory entry index of module, or NULL when absent or outside the image. */
const void *pe_directory(const struct pe_module *module, int index, DWORD *size);

/* The loaded modules, in load order (count read with acquire semantics). */
size_t pe_module_count(void);
struct pe_module *pe_module_at(size_t index);

/* Loads a DLL a loaded module asks for by name: an already loaded module, else a packed one (the resolver), else NULL
   (*packed = 0) for Windows' loader to load. Sets error and returns NULL with *packed = 1 when a packed DLL fails. */
struct pe_module *pe_load_dependency(const char *name, int *packed, struct host_error *error);

/* pe_loader_imports.c */
int pe_bind_imports(struct pe_module *module, struct host_error *error);

/* pe_loader_tls.c: gives the module a slot and a block on every thread this process has seen start. */
int pe_tls_add_module(struct pe_module *module, struct host_error *error);
/* Called after Windows' loader loaded a DLL for one of our modules: it may have replaced threads' TLS arrays. */
void pe_tls_refresh(void);

/* pe_loader_unwind.c */
int pe_register_unwind(struct pe_module *module, struct host_error *error);

/* Calls the module's TLS callbacks then its DllMain with reason. Returns what DllMain returned (TRUE without one). */
BOOL pe_notify_module(struct pe_module *module, DWORD reason);

#endif
