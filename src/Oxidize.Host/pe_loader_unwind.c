/*
 * Makes a module's functions known to Windows' unwinder: its .pdata (the exception directory, one RUNTIME_FUNCTION a
 * function) is registered with RtlAddFunctionTable, so RtlLookupFunctionEntry, SEH, C++ exceptions and the runtime's
 * own stack walks find frames inside an image that Windows' loader never saw.
 */
#include "pe_loader_internal.h"

#include "host_error.h"

int pe_register_unwind(struct pe_module *module, struct host_error *error)
{
    DWORD size = 0;
    const RUNTIME_FUNCTION *functions = pe_directory(module, IMAGE_DIRECTORY_ENTRY_EXCEPTION, &size);
    if (!functions)
        return 1;
    if (!RtlAddFunctionTable((PRUNTIME_FUNCTION)functions, size / sizeof *functions, (DWORD64)(uintptr_t)module->base)) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: RtlAddFunctionTable refused its unwind table", module->path);
        return 0;
    }
    return 1;
}
