/*
 * Native AOT only: dlsym and dlclose for the AOT binary's own code, so that its runtime (NativeLibrary, DllImport) can
 * use the handles of libraries the ELF loader maps from the executable (elf_loader.c). These definitions are linked
 * into the AOT binary from liboxidize-aot.a and are not exported: the binary's own calls bind to them at link time,
 * while libraries glibc loaded keep glibc's dlsym (they are never handed a mapped library's handle, see dlopen in
 * native_libraries.c). Everything that is not a mapped library goes on to glibc's definitions, called from the
 * executable as the caller was, so RTLD_DEFAULT and RTLD_NEXT mean what they meant to the caller.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

#include "elf_loader.h"
#include "elf_loader_imports.h"
#include "next_symbol.h"

typedef void *dlsym_function(void *, const char *);
typedef int dlclose_function(void *);

/* glibc's dlsym (libc.so.6's since 2.34, libdl's before). Not next_symbol(): that calls dlsym, which is this file's. */
static dlsym_function *glibc_dlsym(void)
{
    static void *slot;
    void *definition = __atomic_load_n(&slot, __ATOMIC_ACQUIRE);
    if (definition == NULL) {
        definition = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
        if (definition == NULL)
            definition = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
        __atomic_store_n(&slot, definition, __ATOMIC_RELEASE);
    }
    return (dlsym_function *)definition;
}

void *dlsym(void *handle, const char *name)
{
    if (elf_loader_is_module(handle))
        return elf_loader_dlsym(handle, name);
    dlsym_function *next = glibc_dlsym();
    return next != NULL ? next(handle, name) : NULL;
}

int dlclose(void *handle)
{
    static void *glibc_dlclose;
    /* A mapped library stays for the life of the process, as the host's do. */
    if (elf_loader_is_module(handle))
        return 0;
    dlclose_function *next = (dlclose_function *)next_symbol(&glibc_dlclose, "dlclose");
    return next != NULL ? next(handle) : -1;
}
