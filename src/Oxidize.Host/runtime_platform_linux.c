/* runtime_platform.h on Linux: libcoreclr.so comes through native_libraries.c (a memfd and dlopen, or the ELF
   loader), with the libraries it loads next copied on a second thread meanwhile (library_prefetch.c). */
#define _GNU_SOURCE
#include "glibc_floor.h"

#include "runtime_platform.h"

#include "library_prefetch.h"
#include "native_libraries.h"

const char runtime_platform_coreclr_name[] = "libcoreclr.so";

void *runtime_platform_load_coreclr(struct host_error *error)
{
    /* libcoreclr's own copy first, alone (two copies at once slow each other down); the libraries it loads
       next are copied on a second thread while it is dlopen'ed. */
    native_libraries_prepare_entry(runtime_platform_coreclr_name);
    library_prefetch_start();
    void *coreclr = native_libraries_load_entry(runtime_platform_coreclr_name, error);
    library_prefetch_finish();
    return coreclr;
}

void *runtime_platform_symbol(void *library, const char *name)
{
    return native_libraries_symbol(library, name);
}

const void *runtime_platform_pinvoke_override(const char *library_name, const char *entry_point)
{
    return native_libraries_pinvoke_override(library_name, entry_point);
}
