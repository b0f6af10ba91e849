/*
 * Makes the mapped libraries visible to every unwinder in the process. The host executable exports both functions
 * (Makefile HOST_EXPORTS), so they interpose for every library glibc loads: libgcc_s finds a C++ exception's frames
 * through _dl_find_object (glibc 2.35 and later) or dl_iterate_phdr (older), and the runtime's bundled libunwind
 * calls dl_iterate_phdr (it is handed this one directly). Each answers for the loader's modules and passes everything
 * else to glibc.
 */
#ifndef OXIDIZE_ELF_LOADER_UNWIND_H
#define OXIDIZE_ELF_LOADER_UNWIND_H

#include <link.h>

int dl_iterate_phdr(int (*callback)(struct dl_phdr_info *info, size_t size, void *data), void *data);

#endif
