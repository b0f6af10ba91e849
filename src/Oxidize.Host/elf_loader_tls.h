/*
 * Thread-local storage of the mapped libraries (general- and local-dynamic model: DTPMOD64 + __tls_get_addr). Each
 * module's id is ELF_LOADER_TLS_MODULE_BASE + its index; a thread's blocks are allocated on its first access, from the
 * module's PT_TLS image, and freed when the thread exits. Ids below the base belong to glibc and go to its function.
 */
#ifndef OXIDIZE_ELF_LOADER_TLS_H
#define OXIDIZE_ELF_LOADER_TLS_H

struct elf_loader_tls_index {
    unsigned long module;
    unsigned long offset;
};

/* The __tls_get_addr that mapped libraries import. */
void *elf_loader_tls_get_addr(struct elf_loader_tls_index *index);

/* The calling thread's block of module, or NULL when the module has no TLS (dl_iterate_phdr's dlpi_tls_data). */
void *elf_loader_tls_block(unsigned long module_id);

#endif
