/*
 * What a mapped library's imports bind to (elf_loader.c resolves every relocation through here): the few functions
 * that must know about the loader's modules are answered by the loader itself (__tls_get_addr for their TLS, dlopen,
 * dlsym, dlclose, dlerror, dladdr and dl_iterate_phdr for their handles and addresses); everything else is looked up in
 * the process's global scope as glibc would, the host executable's interposers (open, stat, dlopen, ...) first.
 */
#ifndef OXIDIZE_ELF_LOADER_IMPORTS_H
#define OXIDIZE_ELF_LOADER_IMPORTS_H

/* The address an import binds to; version is the .gnu.version_r name or NULL. NULL when nothing defines it. */
void *elf_loader_resolve_import(const char *name, const char *version);

/* dlsym on a module handle: the module, then its dependencies breadth first, as glibc searches a handle. */
void *elf_loader_dlsym(void *module, const char *name);

/* Makes a DT_NEEDED library available: one of the loader's own modules, or opened through glibc. 0 or -1. */
int elf_loader_imports_open_needed(const char *name);

/* Why the last elf_loader_imports_open_needed failed. */
const char *elf_loader_imports_last_error(void);

#endif
