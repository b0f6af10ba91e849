/*
 * A small ELF loader for packed native libraries that the publish found loadable this way (entry flag
 * OXPAK_ENTRY_FLAG_MAPPED_LIBRARY, docs/format.md): their PT_LOAD segments are mapped MAP_PRIVATE straight from the
 * executable's file, so every instance shares the unwritten pages through the page cache, instead of being copied
 * into a memfd per process for glibc's dlopen. Supports what the publish-time check (Oxidize.Packing.Elf.
 * MappedLibraryCheck) lets through: x86-64 RELATIVE, 64, GLOB_DAT, JUMP_SLOT, DTPMOD64/DTPOFF64 against the library's
 * own TLS, init/fini arrays. The library's imports that must know about these modules (__tls_get_addr, dlopen, dlsym,
 * dladdr, dl_iterate_phdr, ...) are answered by elf_loader_imports.c; the unwinders find them through
 * elf_loader_unwind.c. Loaded modules are never unloaded.
 */
#ifndef OXIDIZE_ELF_LOADER_H
#define OXIDIZE_ELF_LOADER_H

#include <elf.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_LOADER_MAX_MODULES 64
/* Module ids handed out for DTPMOD64: far above any id glibc gives its own TLS modules (it counts from 1). */
#define ELF_LOADER_TLS_MODULE_BASE ((unsigned long)ELF_LOADER_TLS_MODULE_BASE_VALUE)
/* Without a suffix: the x86-64 __tls_get_addr fast path (elf_loader_tls.c) spells it in assembly. */
#define ELF_LOADER_TLS_MODULE_BASE_VALUE 0x4f580000

struct elf_module {
    char path[512];              /* what dladdr and dl_iterate_phdr report: the library's path in the app directory */
    uintptr_t base;              /* load bias: runtime address = base + vaddr */
    uintptr_t map_start, map_end;
    const ElfW(Phdr) *phdrs;
    uint16_t phnum;
    const ElfW(Sym) *symbols;
    uint32_t symbol_count;
    const char *strings;
    const uint32_t *gnu_hash;
    const uint32_t *sysv_hash;
    const void *eh_frame_hdr;    /* PT_GNU_EH_FRAME, or NULL */
    const ElfW(Dyn) *dynamic;    /* for its DT_NEEDED names */
    /* TLS (PT_TLS), when tls_size > 0. */
    size_t tls_module_id;
    const void *tls_image;
    size_t tls_image_size, tls_size, tls_align;
    /* Termination functions, run at exit in reverse load order. */
    void (*fini)(void);
    void (**fini_array)(void);
    size_t fini_count;
};

struct host_error;

/* Maps, relocates and initialises the library stored at file_offset (page-aligned, size bytes) of file_descriptor,
   whose bytes are also readable at image. Returns the module (never freed) or NULL with error set. */
struct elf_module *elf_loader_load(int file_descriptor, uint64_t file_offset, const uint8_t *image, uint64_t size,
                                   const char *path, struct host_error *error);

/* The loaded modules, published in load order: count first (acquire), then modules[0..count). */
size_t elf_loader_module_count(void);
struct elf_module *elf_loader_module_at(size_t index);

/* The module containing address, or NULL. */
struct elf_module *elf_loader_module_containing(const void *address);

/* True when handle is a module pointer handed out by this loader (our dlopen's handles). */
int elf_loader_is_module(const void *handle);

/* An exported (global or weak, defined) dynamic symbol of module by name, or NULL. */
void *elf_loader_symbol(const struct elf_module *module, const char *name);

/* The module loaded from a file of this name (its entry's base name), or NULL. */
struct elf_module *elf_loader_module_named(const char *name);

/* The exported symbol whose range holds address (or the nearest one below it), for dladdr; 0 when none. */
int elf_loader_nearest_symbol(const struct elf_module *module, const void *address, const char **name, void **start);

#endif
