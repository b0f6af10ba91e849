/*
 * Maps a PE x64 DLL from a buffer and runs it: validation, sections, base relocations, protections, exports, and the
 * module table the other parts answer from. docs/how-it-works.md, "Windows: DLLs loaded from memory".
 */
#include "pe_loader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_error.h"

static struct pe_module *modules[PE_LOADER_MAX_MODULES];
static volatile LONG module_count;
/* Loads run one at a time; a DllMain that loads another of our DLLs re-enters on the same thread (a critical
   section is recursive). */
static CRITICAL_SECTION load_lock;
static INIT_ONCE load_lock_once = INIT_ONCE_STATIC_INIT;
static struct pe_loader_resolver current_resolver;

static BOOL CALLBACK init_load_lock(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    InitializeCriticalSection(&load_lock);
    return TRUE;
}

size_t pe_module_count(void)
{
    return (size_t)InterlockedCompareExchange(&module_count, 0, 0);
}

struct pe_module *pe_module_at(size_t index)
{
    return modules[index];
}

static const char *base_name_of(const char *path)
{
    const char *name = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            name = p + 1;
    return name;
}

/* Windows' rule: a name without an extension means name.dll; a trailing '.' means no extension. */
static int names_match(const char *module_name, const char *wanted)
{
    size_t wanted_length = strlen(wanted);
    if (_stricmp(module_name, wanted) == 0)
        return 1;
    if (strchr(wanted, '.') == NULL) {
        size_t module_length = strlen(module_name);
        return module_length == wanted_length + 4 && _strnicmp(module_name, wanted, wanted_length) == 0 &&
               _stricmp(module_name + wanted_length, ".dll") == 0;
    }
    if (wanted_length > 1 && wanted[wanted_length - 1] == '.')
        return strlen(module_name) == wanted_length - 1 && _strnicmp(module_name, wanted, wanted_length - 1) == 0;
    return 0;
}

struct pe_module *pe_loader_module_named(const char *name)
{
    const char *wanted = base_name_of(name);
    size_t count = pe_module_count();
    for (size_t i = 0; i < count; i++)
        if (!modules[i]->failed && names_match(modules[i]->base_name, wanted))
            return modules[i];
    return NULL;
}

struct pe_module *pe_loader_find_by_address(const void *address)
{
    const uint8_t *byte = address;
    size_t count = pe_module_count();
    for (size_t i = 0; i < count; i++)
        if (!modules[i]->failed && byte >= modules[i]->base && byte < modules[i]->base + modules[i]->image_size)
            return modules[i];
    return NULL;
}

struct pe_module *pe_loader_is_module(const void *handle)
{
    size_t count = pe_module_count();
    for (size_t i = 0; i < count; i++)
        if (!modules[i]->failed && (const void *)modules[i]->base == handle)
            return modules[i];
    return NULL;
}

void *pe_loader_handle(const struct pe_module *module)
{
    return module->base;
}

const char *pe_loader_path(const struct pe_module *module)
{
    return module->path;
}

const void *pe_directory(const struct pe_module *module, int index, DWORD *size)
{
    const IMAGE_OPTIONAL_HEADER64 *optional = &module->headers->OptionalHeader;
    if ((DWORD)index >= optional->NumberOfRvaAndSizes)
        return NULL;
    const IMAGE_DATA_DIRECTORY *entry = &optional->DataDirectory[index];
    if (entry->VirtualAddress == 0 || entry->Size == 0 ||
        (uint64_t)entry->VirtualAddress + entry->Size > module->image_size)
        return NULL;
    if (size)
        *size = entry->Size;
    return module->base + entry->VirtualAddress;
}

/* --- exports --- */

static void *export_at(const struct pe_module *module, DWORD function_index);

void *pe_loader_symbol_by_ordinal(const struct pe_module *module, uint16_t ordinal)
{
    const IMAGE_EXPORT_DIRECTORY *exports = module->exports;
    if (!exports || ordinal < exports->Base || ordinal - exports->Base >= exports->NumberOfFunctions)
        return NULL;
    return export_at(module, ordinal - exports->Base);
}

void *pe_loader_symbol(const struct pe_module *module, const char *name)
{
    const IMAGE_EXPORT_DIRECTORY *exports = module->exports;
    if (!exports)
        return NULL;
    const DWORD *names = (const DWORD *)(module->base + exports->AddressOfNames);
    const WORD *ordinals = (const WORD *)(module->base + exports->AddressOfNameOrdinals);
    /* The name table is sorted (the linker sorts it; Windows' loader searches it the same way). */
    DWORD low = 0, high = exports->NumberOfNames;
    while (low < high) {
        DWORD middle = low + (high - low) / 2;
        int order = strcmp(name, (const char *)(module->base + names[middle]));
        if (order == 0)
            return ordinals[middle] < exports->NumberOfFunctions ? export_at(module, ordinals[middle]) : NULL;
        if (order < 0)
            high = middle;
        else
            low = middle + 1;
    }
    return NULL;
}

/* A forwarder "OTHER.Name" or "OTHER.#12": our module OTHER if loaded or packed, else Windows' (api-ms-win-* sets
   and system DLLs are how Windows DLLs forward). */
static void *forwarded_export(const char *forwarder)
{
    const char *dot = strrchr(forwarder, '.');
    if (!dot || dot == forwarder || (size_t)(dot - forwarder) >= MAX_PATH)
        return NULL;
    char dll[MAX_PATH + 8];
    memcpy(dll, forwarder, (size_t)(dot - forwarder));
    dll[dot - forwarder] = '\0';
    const char *symbol = dot + 1;
    int packed = 0;
    struct host_error ignored;
    struct pe_module *ours = pe_load_dependency(dll, &packed, &ignored);
    if (ours)
        return symbol[0] == '#' ? pe_loader_symbol_by_ordinal(ours, (uint16_t)atoi(symbol + 1))
                                : pe_loader_symbol(ours, symbol);
    if (packed)
        return NULL;
    strcat(dll, ".dll");
    HMODULE system = LoadLibraryExA(dll, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32); /* as imports: never beside the executable */
    if (!system)
        return NULL;
    return (void *)GetProcAddress(system, symbol[0] == '#' ? (LPCSTR)(uintptr_t)atoi(symbol + 1) : symbol);
}

static void *export_at(const struct pe_module *module, DWORD function_index)
{
    const DWORD *functions = (const DWORD *)(module->base + module->exports->AddressOfFunctions);
    DWORD rva = functions[function_index];
    if (rva == 0 || rva >= module->image_size)
        return NULL;
    if (rva >= module->exports_rva && rva < module->exports_rva + module->exports_size)
        return forwarded_export((const char *)(module->base + rva));
    return module->base + rva;
}

/* --- mapping --- */

static const IMAGE_NT_HEADERS64 *validate_headers(const uint8_t *bytes, size_t size, const char *path,
                                                  struct host_error *error)
{
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)bytes;
    if (size < sizeof *dos || dos->e_magic != IMAGE_DOS_SIGNATURE || dos->e_lfanew < 0 ||
        (uint64_t)dos->e_lfanew + sizeof(IMAGE_NT_HEADERS64) > size) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s is not a PE image (no MZ header, or its PE header lies outside the file)", path);
        return NULL;
    }
    const IMAGE_NT_HEADERS64 *headers = (const IMAGE_NT_HEADERS64 *)(bytes + dos->e_lfanew);
    const IMAGE_FILE_HEADER *file = &headers->FileHeader;
    const IMAGE_OPTIONAL_HEADER64 *optional = &headers->OptionalHeader;
    const char *problem = NULL;
    if (headers->Signature != IMAGE_NT_SIGNATURE)
        problem = "has no PE signature";
    else if (file->Machine != IMAGE_FILE_MACHINE_AMD64 || optional->Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC)
        problem = "is not an x64 (PE32+, AMD64) image";
    else if (!(file->Characteristics & IMAGE_FILE_DLL))
        problem = "is not a DLL";
    else if (optional->SectionAlignment < 0x1000 || (optional->SectionAlignment & 0xFFF) != 0)
        problem = "has a section alignment below the page size, which this loader does not support";
    else if (optional->SizeOfImage == 0 || optional->SizeOfHeaders > size || optional->SizeOfHeaders > optional->SizeOfImage)
        problem = "has an inconsistent image or header size";
    else if (optional->NumberOfRvaAndSizes > IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        problem = "has more data directories than a PE image can";
    else if ((uint64_t)dos->e_lfanew + offsetof(IMAGE_NT_HEADERS64, OptionalHeader) + file->SizeOfOptionalHeader +
                 (uint64_t)file->NumberOfSections * sizeof(IMAGE_SECTION_HEADER) > optional->SizeOfHeaders)
        problem = "has section headers outside its headers";
    if (problem) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library", "%s %s", path, problem);
        return NULL;
    }
    const IMAGE_SECTION_HEADER *sections = IMAGE_FIRST_SECTION(headers);
    for (WORD i = 0; i < file->NumberOfSections; i++) {
        const IMAGE_SECTION_HEADER *section = &sections[i];
        uint64_t span = section->Misc.VirtualSize ? section->Misc.VirtualSize : section->SizeOfRawData;
        if ((section->SizeOfRawData && (uint64_t)section->PointerToRawData + section->SizeOfRawData > size) ||
            (uint64_t)section->VirtualAddress + span > optional->SizeOfImage ||
            section->VirtualAddress < optional->SizeOfHeaders) {
            host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                           "%s: section %u (%.8s) lies outside the file or the image", path, (unsigned)i,
                           (const char *)section->Name);
            return NULL;
        }
    }
    return headers;
}

/* No code and no entry point: a DLL of resources only, which Windows too loads anywhere without relocations. */
static int is_resource_only(const struct pe_module *module)
{
    if (module->headers->OptionalHeader.AddressOfEntryPoint != 0)
        return 0;
    const IMAGE_SECTION_HEADER *sections = IMAGE_FIRST_SECTION(module->headers);
    for (WORD i = 0; i < module->headers->FileHeader.NumberOfSections; i++)
        if (sections[i].Characteristics & (IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_CNT_CODE))
            return 0;
    return 1;
}

static int apply_relocations(struct pe_module *module, uint64_t preferred_base, struct host_error *error)
{
    int64_t delta = (int64_t)((uint64_t)(uintptr_t)module->base - preferred_base);
    if (delta == 0)
        return 1;
    DWORD size = 0;
    const uint8_t *block = pe_directory(module, IMAGE_DIRECTORY_ENTRY_BASERELOC, &size);
    if (!block && is_resource_only(module))
        return 1; /* nothing holds an address: resources are found by RVA (mscorrc.dll, the runtime's strings) */
    if (!block || (module->headers->FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED)) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s has no base relocations and its preferred address 0x%llx is taken", module->path,
                       (unsigned long long)preferred_base);
        return 0;
    }
    const uint8_t *end = block + size;
    while (block + sizeof(IMAGE_BASE_RELOCATION) <= end) {
        const IMAGE_BASE_RELOCATION *relocation = (const IMAGE_BASE_RELOCATION *)block;
        if (relocation->SizeOfBlock < sizeof *relocation || block + relocation->SizeOfBlock > end)
            break;
        const WORD *entries = (const WORD *)(relocation + 1);
        size_t entry_count = (relocation->SizeOfBlock - sizeof *relocation) / sizeof(WORD);
        for (size_t i = 0; i < entry_count; i++) {
            unsigned type = entries[i] >> 12;
            uint64_t rva = (uint64_t)relocation->VirtualAddress + (entries[i] & 0xFFF);
            if (type == IMAGE_REL_BASED_ABSOLUTE)
                continue;
            if (rva + 8 > module->image_size) {
                host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                               "%s: a base relocation points outside the image", module->path);
                return 0;
            }
            uint8_t *target = module->base + rva;
            if (type == IMAGE_REL_BASED_DIR64) {
                uint64_t value;
                memcpy(&value, target, 8);
                value += (uint64_t)delta;
                memcpy(target, &value, 8);
            } else if (type == IMAGE_REL_BASED_HIGHLOW) {
                uint32_t value;
                memcpy(&value, target, 4);
                value += (uint32_t)delta;
                memcpy(target, &value, 4);
            } else {
                host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                               "%s has a base relocation of type %u, which an x64 image should not", module->path, type);
                return 0;
            }
        }
        block += relocation->SizeOfBlock;
    }
    return 1;
}

static DWORD protection_of(DWORD characteristics)
{
    int execute = (characteristics & IMAGE_SCN_MEM_EXECUTE) != 0;
    int read = (characteristics & IMAGE_SCN_MEM_READ) != 0;
    int write = (characteristics & IMAGE_SCN_MEM_WRITE) != 0;
    if (execute)
        return write ? PAGE_EXECUTE_READWRITE : read ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
    if (write)
        return PAGE_READWRITE;
    return read ? PAGE_READONLY : PAGE_NOACCESS;
}

static int protect_sections(struct pe_module *module, struct host_error *error)
{
    DWORD old;
    const IMAGE_OPTIONAL_HEADER64 *optional = &module->headers->OptionalHeader;
    const IMAGE_SECTION_HEADER *sections = IMAGE_FIRST_SECTION(module->headers);
    WORD count = module->headers->FileHeader.NumberOfSections;
    if (!VirtualProtect(module->base, optional->SizeOfHeaders, PAGE_READONLY, &old))
        goto failed;
    for (WORD i = 0; i < count; i++) {
        DWORD span = sections[i].Misc.VirtualSize ? sections[i].Misc.VirtualSize : sections[i].SizeOfRawData;
        if (span == 0)
            continue;
        if (!VirtualProtect(module->base + sections[i].VirtualAddress, span, protection_of(sections[i].Characteristics), &old))
            goto failed;
    }
    FlushInstructionCache(GetCurrentProcess(), module->base, module->image_size);
    return 1;
failed:
    host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                   "%s: VirtualProtect failed (error %lu)", module->path, GetLastError());
    return 0;
}

static struct pe_module *map_image(const char *path, const uint8_t *bytes, size_t size, struct host_error *error)
{
    const IMAGE_NT_HEADERS64 *file_headers = validate_headers(bytes, size, path, error);
    if (!file_headers)
        return NULL;
    const IMAGE_OPTIONAL_HEADER64 *optional = &file_headers->OptionalHeader;
    struct pe_module *module = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *module);
    if (!module) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "could not load a packed native library", "out of memory for %s", path);
        return NULL;
    }
    snprintf(module->path, sizeof module->path, "%s", path);
    module->base_name = base_name_of(module->path);
    module->tls_slot = -1;
    module->image_size = optional->SizeOfImage;
    module->base = VirtualAlloc((void *)(uintptr_t)optional->ImageBase, module->image_size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!module->base)
        module->base = VirtualAlloc(NULL, module->image_size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!module->base) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: no %llu bytes of address space for the image (error %lu)", path,
                       (unsigned long long)module->image_size, GetLastError());
        HeapFree(GetProcessHeap(), 0, module);
        return NULL;
    }
    memcpy(module->base, bytes, optional->SizeOfHeaders);
    const IMAGE_SECTION_HEADER *sections = IMAGE_FIRST_SECTION(file_headers);
    for (WORD i = 0; i < file_headers->FileHeader.NumberOfSections; i++) {
        DWORD raw = sections[i].SizeOfRawData;
        if (sections[i].Misc.VirtualSize && raw > sections[i].Misc.VirtualSize)
            raw = sections[i].Misc.VirtualSize;
        if (raw)
            memcpy(module->base + sections[i].VirtualAddress, bytes + sections[i].PointerToRawData, raw);
    }
    module->headers = (const IMAGE_NT_HEADERS64 *)(module->base + ((const IMAGE_DOS_HEADER *)bytes)->e_lfanew);
    if (!apply_relocations(module, optional->ImageBase, error)) {
        VirtualFree(module->base, 0, MEM_RELEASE);
        HeapFree(GetProcessHeap(), 0, module);
        return NULL;
    }
    DWORD exports_size = 0;
    module->exports = pe_directory(module, IMAGE_DIRECTORY_ENTRY_EXPORT, &exports_size);
    if (module->exports) {
        module->exports_rva = (DWORD)((const uint8_t *)module->exports - module->base);
        module->exports_size = exports_size;
        const IMAGE_EXPORT_DIRECTORY *exports = module->exports;
        if ((uint64_t)exports->AddressOfFunctions + exports->NumberOfFunctions * 4ull > module->image_size ||
            (uint64_t)exports->AddressOfNames + exports->NumberOfNames * 4ull > module->image_size ||
            (uint64_t)exports->AddressOfNameOrdinals + exports->NumberOfNames * 2ull > module->image_size)
            module->exports = NULL;
    }
    DWORD tls_size = 0;
    module->tls = pe_directory(module, IMAGE_DIRECTORY_ENTRY_TLS, &tls_size);
    if (optional->AddressOfEntryPoint)
        module->entry = (pe_dll_entry)(void *)(module->base + optional->AddressOfEntryPoint);
    return module;
}

BOOL pe_notify_module(struct pe_module *module, DWORD reason)
{
    if (module->tls && module->tls->AddressOfCallBacks) {
        for (PIMAGE_TLS_CALLBACK *callback = (PIMAGE_TLS_CALLBACK *)(uintptr_t)module->tls->AddressOfCallBacks;
             *callback; callback++)
            (*callback)(module->base, reason, NULL);
    }
    if (!module->entry)
        return TRUE;
    return module->entry((HINSTANCE)module->base, reason, NULL);
}

struct pe_module *pe_load_dependency(const char *name, int *packed, struct host_error *error)
{
    *packed = 0;
    struct pe_module *loaded = pe_loader_module_named(name);
    if (loaded)
        return loaded;
    const uint8_t *bytes;
    size_t size;
    const char *path;
    if (!current_resolver.find_packed ||
        !current_resolver.find_packed(current_resolver.context, base_name_of(name), &bytes, &size, &path))
        return NULL;
    *packed = 1;
    /* The resolver pe_loader_load is given is the current one again; keep this one's release for these bytes. */
    struct pe_loader_resolver resolver = current_resolver;
    struct pe_module *module = NULL;
    int ok = pe_loader_load(path, bytes, size, &resolver, &module, error);
    if (resolver.release_packed)
        resolver.release_packed(resolver.context, bytes);
    return ok ? module : NULL;
}

static int load_locked(const char *path, const uint8_t *bytes, size_t size, struct pe_module **result,
                       struct host_error *error)
{
    struct pe_module *module = pe_loader_module_named(path);
    if (module) {
        *result = module;
        return 1;
    }
    if (pe_module_count() >= PE_LOADER_MAX_MODULES) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: more than %d DLLs loaded from memory", path, PE_LOADER_MAX_MODULES);
        return 0;
    }
    module = map_image(path, bytes, size, error);
    if (!module)
        return 0;
    /* Published before its imports are bound: a dependency that imports this module back finds it. */
    modules[pe_module_count()] = module;
    InterlockedIncrement(&module_count);
    /* A module that fails from here on stays mapped (its code may already have run) but no lookup finds it again. */
    if (!pe_bind_imports(module, error) || !pe_tls_add_module(module, error) || !protect_sections(module, error) ||
        !pe_register_unwind(module, error)) {
        InterlockedExchange(&module->failed, 1);
        return 0;
    }
    if (!pe_notify_module(module, DLL_PROCESS_ATTACH)) {
        InterlockedExchange(&module->failed, 1);
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: its DllMain refused DLL_PROCESS_ATTACH", path);
        return 0;
    }
    InterlockedExchange(&module->attached, 1);
    *result = module;
    return 1;
}

int pe_loader_load(const char *path, const uint8_t *bytes, size_t size, const struct pe_loader_resolver *resolver,
                   struct pe_module **module, struct host_error *error)
{
    InitOnceExecuteOnce(&load_lock_once, init_load_lock, NULL, NULL);
    EnterCriticalSection(&load_lock);
    if (resolver)
        current_resolver = *resolver;
    int loaded = load_locked(path, bytes, size, module, error);
    LeaveCriticalSection(&load_lock);
    return loaded;
}
