/*
 * Binds a module's imports and answers, for the modules this loader loads, the kernel32 functions that must know
 * about them: a loaded module's import of LoadLibraryExW (from KERNEL32.dll or an api-ms-win-core-* set) is bound to
 * hook_LoadLibraryExW here, which serves another packed DLL from memory and passes every other name to Windows.
 * Nothing outside these modules is hooked. Delay-load imports are left to the module's own helper
 * (__delayLoadHelper2), whose LoadLibraryExA and GetProcAddress imports are these hooks.
 */
#include "pe_loader_internal.h"

#include <stdio.h>
#include <string.h>

#include "host_error.h"

/* UTF-16 to UTF-8 for names; 0 when it does not fit. */
static int narrow(const WCHAR *wide, char *buffer, int size)
{
    return WideCharToMultiByte(CP_UTF8, 0, wide, -1, buffer, size, NULL, NULL) > 0;
}

/* One of our modules for this LoadLibrary name (loading a packed one first), or NULL for Windows to load. */
static HMODULE ours_for_load(const char *name)
{
    int packed = 0;
    struct host_error error;
    struct pe_module *module = pe_load_dependency(name, &packed, &error);
    if (module)
        return (HMODULE)module->base;
    if (packed) {
        /* A packed DLL that does not load is an error for the caller, as a corrupt file is for Windows' loader. */
        fprintf(stderr, "oxidize: %s\noxidize: %s\n", error.what, error.why);
        SetLastError(ERROR_BAD_EXE_FORMAT);
        return INVALID_HANDLE_VALUE;
    }
    return NULL;
}

static HMODULE WINAPI hook_LoadLibraryExA(LPCSTR name, HANDLE file, DWORD flags)
{
    if (name) {
        HMODULE ours = ours_for_load(name);
        if (ours)
            return ours == INVALID_HANDLE_VALUE ? NULL : ours;
    }
    HMODULE system = LoadLibraryExA(name, file, flags);
    pe_tls_refresh();
    return system;
}

static HMODULE WINAPI hook_LoadLibraryExW(LPCWSTR name, HANDLE file, DWORD flags)
{
    char narrow_name[MAX_PATH * 3];
    if (name && narrow(name, narrow_name, sizeof narrow_name)) {
        HMODULE ours = ours_for_load(narrow_name);
        if (ours)
            return ours == INVALID_HANDLE_VALUE ? NULL : ours;
    }
    HMODULE system = LoadLibraryExW(name, file, flags);
    pe_tls_refresh();
    return system;
}

static HMODULE WINAPI hook_LoadLibraryA(LPCSTR name)
{
    return hook_LoadLibraryExA(name, NULL, 0);
}

static HMODULE WINAPI hook_LoadLibraryW(LPCWSTR name)
{
    return hook_LoadLibraryExW(name, NULL, 0);
}

static HMODULE WINAPI hook_GetModuleHandleA(LPCSTR name)
{
    struct pe_module *module = name ? pe_loader_module_named(name) : NULL;
    return module ? (HMODULE)module->base : GetModuleHandleA(name);
}

static HMODULE WINAPI hook_GetModuleHandleW(LPCWSTR name)
{
    char narrow_name[MAX_PATH * 3];
    struct pe_module *module = name && narrow(name, narrow_name, sizeof narrow_name) ? pe_loader_module_named(narrow_name) : NULL;
    return module ? (HMODULE)module->base : GetModuleHandleW(name);
}

static BOOL WINAPI hook_GetModuleHandleExW(DWORD flags, LPCWSTR name, HMODULE *result)
{
    struct pe_module *module = NULL;
    char narrow_name[MAX_PATH * 3];
    if (flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS)
        module = pe_loader_find_by_address(name);
    else if (name && narrow(name, narrow_name, sizeof narrow_name))
        module = pe_loader_module_named(narrow_name);
    if (!module)
        return GetModuleHandleExW(flags, name, result);
    if (result)
        *result = (HMODULE)module->base;
    return TRUE;
}

static BOOL WINAPI hook_GetModuleHandleExA(DWORD flags, LPCSTR name, HMODULE *result)
{
    struct pe_module *module = (flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) ? pe_loader_find_by_address(name)
                               : name ? pe_loader_module_named(name) : NULL;
    if (!module)
        return GetModuleHandleExA(flags, name, result);
    if (result)
        *result = (HMODULE)module->base;
    return TRUE;
}

/* GetModuleFileName's contract: a buffer too small gets the truncated, terminated path, the size returned and
   ERROR_INSUFFICIENT_BUFFER. */
static DWORD WINAPI hook_GetModuleFileNameW(HMODULE handle, LPWSTR buffer, DWORD size)
{
    struct pe_module *module = handle ? pe_loader_is_module(handle) : NULL;
    if (!module)
        return GetModuleFileNameW(handle, buffer, size);
    WCHAR wide[sizeof module->path];
    int length = MultiByteToWideChar(CP_UTF8, 0, module->path, -1, wide, (int)(sizeof module->path)) - 1;
    if (length < 0 || size == 0) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    if ((DWORD)length >= size) {
        memcpy(buffer, wide, (size - 1) * sizeof(WCHAR));
        buffer[size - 1] = 0;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return size;
    }
    memcpy(buffer, wide, ((size_t)length + 1) * sizeof(WCHAR));
    SetLastError(ERROR_SUCCESS);
    return (DWORD)length;
}

static DWORD WINAPI hook_GetModuleFileNameA(HMODULE handle, LPSTR buffer, DWORD size)
{
    struct pe_module *module = handle ? pe_loader_is_module(handle) : NULL;
    if (!module)
        return GetModuleFileNameA(handle, buffer, size);
    size_t length = strlen(module->path);
    if (size == 0) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    if (length >= size) {
        memcpy(buffer, module->path, size - 1);
        buffer[size - 1] = 0;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return size;
    }
    memcpy(buffer, module->path, length + 1);
    SetLastError(ERROR_SUCCESS);
    return (DWORD)length;
}

static FARPROC WINAPI hook_GetProcAddress(HMODULE handle, LPCSTR name)
{
    struct pe_module *module = pe_loader_is_module(handle);
    if (!module)
        return GetProcAddress(handle, name);
    void *symbol = ((uintptr_t)name >> 16) == 0 ? pe_loader_symbol_by_ordinal(module, (uint16_t)(uintptr_t)name)
                                                : pe_loader_symbol(module, name);
    if (!symbol)
        SetLastError(ERROR_PROC_NOT_FOUND);
    return (FARPROC)symbol;
}

/* Our modules are never unloaded. */
static BOOL WINAPI hook_FreeLibrary(HMODULE handle)
{
    return pe_loader_is_module(handle) ? TRUE : FreeLibrary(handle);
}

static void WINAPI hook_FreeLibraryAndExitThread(HMODULE handle, DWORD exit_code)
{
    if (pe_loader_is_module(handle))
        ExitThread(exit_code);
    FreeLibraryAndExitThread(handle, exit_code);
}

static BOOL WINAPI hook_DisableThreadLibraryCalls(HMODULE handle)
{
    struct pe_module *module = pe_loader_is_module(handle);
    if (!module)
        return DisableThreadLibraryCalls(handle);
    InterlockedExchange(&module->thread_calls_disabled, 1);
    return TRUE;
}

/* The C++ runtime's throw (_CxxThrowException) finds the image base of its ThrowInfo this way. */
static PVOID WINAPI hook_RtlPcToFileHeader(PVOID address, PVOID *base)
{
    struct pe_module *module = pe_loader_find_by_address(address);
    if (!module)
        return RtlPcToFileHeader(address, base);
    *base = module->base;
    return module->base;
}

static const struct {
    const char *name;
    void *function;
} hooks[] = {
    { "DisableThreadLibraryCalls", (void *)hook_DisableThreadLibraryCalls },
    { "FreeLibrary", (void *)hook_FreeLibrary },
    { "FreeLibraryAndExitThread", (void *)hook_FreeLibraryAndExitThread },
    { "GetModuleFileNameA", (void *)hook_GetModuleFileNameA },
    { "GetModuleFileNameW", (void *)hook_GetModuleFileNameW },
    { "GetModuleHandleA", (void *)hook_GetModuleHandleA },
    { "GetModuleHandleExA", (void *)hook_GetModuleHandleExA },
    { "GetModuleHandleExW", (void *)hook_GetModuleHandleExW },
    { "GetModuleHandleW", (void *)hook_GetModuleHandleW },
    { "GetProcAddress", (void *)hook_GetProcAddress },
    { "LoadLibraryA", (void *)hook_LoadLibraryA },
    { "LoadLibraryExA", (void *)hook_LoadLibraryExA },
    { "LoadLibraryExW", (void *)hook_LoadLibraryExW },
    { "LoadLibraryW", (void *)hook_LoadLibraryW },
    { "RtlPcToFileHeader", (void *)hook_RtlPcToFileHeader },
};

static void *hook_for(const char *name)
{
    for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++)
        if (strcmp(hooks[i].name, name) == 0)
            return hooks[i].function;
    return NULL;
}

static int bind_descriptor(struct pe_module *module, const IMAGE_IMPORT_DESCRIPTOR *descriptor, struct host_error *error)
{
    if ((uint64_t)descriptor->Name >= module->image_size || (uint64_t)descriptor->FirstThunk >= module->image_size ||
        (uint64_t)descriptor->OriginalFirstThunk >= module->image_size) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: an import descriptor points outside the image", module->path);
        return 0;
    }
    const char *dll = (const char *)(module->base + descriptor->Name);
    int packed = 0;
    struct pe_module *ours = pe_load_dependency(dll, &packed, error);
    if (!ours && packed)
        return 0;
    HMODULE system = NULL;
    if (!ours) {
        /* From System32 only: a DLL of that name placed beside the executable must not be what our modules import. */
        system = LoadLibraryExA(dll, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
        if (!system) {
            host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                           "%s imports %s, which is neither packed nor a system DLL (error %lu)", module->path, dll,
                           GetLastError());
            return 0;
        }
    }
    const ULONGLONG *names = (const ULONGLONG *)(module->base +
                                                 (descriptor->OriginalFirstThunk ? descriptor->OriginalFirstThunk
                                                                                 : descriptor->FirstThunk));
    ULONGLONG *addresses = (ULONGLONG *)(module->base + descriptor->FirstThunk);
    const uint8_t *image_end = module->base + module->image_size;
    for (size_t i = 0;; i++) {
        if ((const uint8_t *)(names + i + 1) > image_end || (const uint8_t *)(addresses + i + 1) > image_end) {
            host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                           "%s: the import table of %s runs past the end of the image", module->path, dll);
            return 0;
        }
        if (!names[i])
            break;
        void *function;
        char ordinal_text[16];
        const char *symbol;
        if (IMAGE_SNAP_BY_ORDINAL64(names[i])) {
            WORD ordinal = (WORD)IMAGE_ORDINAL64(names[i]);
            snprintf(ordinal_text, sizeof ordinal_text, "#%u", (unsigned)ordinal);
            symbol = ordinal_text;
            function = ours ? pe_loader_symbol_by_ordinal(ours, ordinal)
                            : (void *)GetProcAddress(system, (LPCSTR)(uintptr_t)ordinal);
        } else {
            if (names[i] + sizeof(IMAGE_IMPORT_BY_NAME) > module->image_size) {
                host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                               "%s: an import of %s points outside the image", module->path, dll);
                return 0;
            }
            symbol = (const char *)((const IMAGE_IMPORT_BY_NAME *)(module->base + names[i]))->Name;
            function = ours ? NULL : hook_for(symbol);
            if (!function)
                function = ours ? pe_loader_symbol(ours, symbol) : (void *)GetProcAddress(system, symbol);
        }
        if (!function) {
            host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                           "%s imports %s from %s, which does not export it", module->path, symbol, dll);
            return 0;
        }
        addresses[i] = (ULONGLONG)(uintptr_t)function;
    }
    return 1;
}

int pe_bind_imports(struct pe_module *module, struct host_error *error)
{
    DWORD size = 0;
    const IMAGE_IMPORT_DESCRIPTOR *descriptor = pe_directory(module, IMAGE_DIRECTORY_ENTRY_IMPORT, &size);
    if (!descriptor)
        return 1;
    const IMAGE_IMPORT_DESCRIPTOR *end = (const IMAGE_IMPORT_DESCRIPTOR *)((const uint8_t *)descriptor + size);
    int system_loaded = 0;
    for (; descriptor + 1 <= end && descriptor->Name; descriptor++) {
        if (!bind_descriptor(module, descriptor, error))
            return 0;
        system_loaded = 1;
    }
    if (system_loaded)
        pe_tls_refresh();
    return 1;
}
