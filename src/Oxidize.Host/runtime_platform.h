/*
 * What runtime_host.c needs from the operating system, so that one file starts CoreCLR on Linux and on Windows:
 * how paths and path lists are written, how the packed coreclr library is loaded and its exports found, and
 * which packed library answers a P/Invoke. Linux: runtime_platform_linux.c (memfd + dlopen, or the ELF loader);
 * Windows: win_runtime_platform.c (the PE loader).
 */
#ifndef OXIDIZE_RUNTIME_PLATFORM_H
#define OXIDIZE_RUNTIME_PLATFORM_H

#include "host_error.h"

/*
 * RUNTIME_ASSEMBLIES_IN_MEMORY: how assemblies reach the runtime. 0 (Linux): bundle_probe names a range of the
 * executable, which the runtime maps itself (and LZ4 ones are opened as files, runtime_host.c). 1 (Windows): the
 * contract's external_assembly_probe hands over bytes in memory (runtime_platform_entry_bytes): the runtime maps
 * bundle ranges with placeholder memory, which Wine 8 refuses (ERROR_INVALID_PARAMETER), and Windows has no open()
 * through which LZ4 entries could be decoded on demand.
 */
#ifdef _WIN32
#define RUNTIME_ASSEMBLIES_IN_MEMORY 1
#define RUNTIME_DIRECTORY_SEPARATOR '\\'
#define RUNTIME_DIRECTORY_SEPARATOR_TEXT "\\"
#define RUNTIME_PATH_LIST_SEPARATOR ';'
/* The runtime compares its bundle base path case-insensitively on Windows (coreclr bundle.cpp). */
#define RUNTIME_PATH_PREFIX_EQUAL(a, b, length) (_strnicmp((a), (b), (length)) == 0)
#else
#define RUNTIME_ASSEMBLIES_IN_MEMORY 0
#define RUNTIME_DIRECTORY_SEPARATOR '/'
#define RUNTIME_DIRECTORY_SEPARATOR_TEXT "/"
#define RUNTIME_PATH_LIST_SEPARATOR ':'
#define RUNTIME_PATH_PREFIX_EQUAL(a, b, length) (strncmp((a), (b), (length)) == 0)
#endif

#include <stdint.h>

/* The entry name of the packed CoreCLR library: "libcoreclr.so", "coreclr.dll". */
extern const char runtime_platform_coreclr_name[];

/* Loads the packed CoreCLR library; NULL with error filled when it cannot. */
void *runtime_platform_load_coreclr(struct host_error *error);

/* An export of a library runtime_platform_load_coreclr returned, or NULL. */
void *runtime_platform_symbol(void *library, const char *name);

/* The host_runtime_contract's pinvoke_override for packed native libraries: an export, or NULL to let the runtime
   probe as usual. */
const void *runtime_platform_pinvoke_override(const char *library_name, const char *entry_point);

#if RUNTIME_ASSEMBLIES_IN_MEMORY
/* The original bytes of entry index, readable for the life of the process: a stored entry in place, an LZ4 one
   decoded on first use. 0 when the bytes cannot be had (out of memory, corrupt compressed data). */
int runtime_platform_entry_bytes(uint32_t index, const void **data);
#endif

#endif
