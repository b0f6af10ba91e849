/*
 * Tells gdb about mapped libraries through its JIT interface (__jit_debug_register_code): glibc's link map, from which
 * gdb learns shared libraries, does not list them. Each module is described by a copy of its ELF and section headers
 * with every allocated section moved to its load address, followed by the library's own file bytes (mapped from the
 * executable, so they cost no memory until gdb reads them): gdb then has the library's symbols, .eh_frame and
 * build-id (for separate debug files) at the right addresses.
 */
#ifndef OXIDIZE_ELF_LOADER_GDB_H
#define OXIDIZE_ELF_LOADER_GDB_H

#include <stdint.h>

struct elf_module;

void elf_loader_gdb_register(const struct elf_module *module, int file_descriptor, uint64_t file_offset, const uint8_t *image,
                             uint64_t size);

#endif
