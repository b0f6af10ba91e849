/*
 * The loader's real test: runs a managed app with coreclr.dll loaded from memory by pe_loader. Every native DLL of a
 * self-contained win-x64 publish folder (coreclr.dll, clrjit.dll, System.*.Native.dll, ...) is read into memory and
 * handed to the loader as a payload entry would be; the managed assemblies are the TPA list, opened by the runtime as
 * files (serving them from memory is the Windows host's part, not the loader's). Run under Wine by
 * tests/Oxidize.Packing.Tests/PeLoaderTests.cs:
 *   pe-coreclr-test.exe [--windows-loader] <publish folder> <app.dll> [app arguments...]
 * --windows-loader loads coreclr.dll from the folder with Windows' own LoadLibraryW instead, for comparison.
 * Prints "oxidize-pe-test: ..." lines (initialize time, the DLLs loaded from memory, whether Windows' loader has any of
 * them) around the app's own output, and exits with the app's exit code; 2xx when the test itself fails.
 */
#include <string.h>

#include "../host_error.h"
#include "../pe_loader.h"
#include "pe_test_common.h"

typedef int (*coreclr_initialize_fn)(const char *, const char *, int, const char **, const char **, void **, unsigned *);
typedef int (*coreclr_execute_assembly_fn)(void *, unsigned, int, const char **, const char *, unsigned *);
typedef int (*coreclr_shutdown_2_fn)(void *, unsigned, int *);

#define MAX_FILES 512

struct packed_dll {
    char name[MAX_PATH];
    char path[MAX_PATH * 2];
    uint8_t *bytes;
    size_t size;
};

static const char *publish_folder;
static struct packed_dll native_dlls[MAX_FILES];
static int native_dll_count;
static int resolver_hits;

/* A managed assembly has a CLR header (the COM descriptor data directory). */
static int is_managed(const uint8_t *bytes, size_t size)
{
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)bytes;
    if (size < sizeof *dos || dos->e_magic != IMAGE_DOS_SIGNATURE || (size_t)dos->e_lfanew + sizeof(IMAGE_NT_HEADERS64) > size)
        return 0;
    const IMAGE_NT_HEADERS *headers = (const IMAGE_NT_HEADERS *)(bytes + dos->e_lfanew);
    if (headers->OptionalHeader.Magic == IMAGE_NT_OPTIONAL_HDR32_MAGIC)
        return ((const IMAGE_NT_HEADERS32 *)headers)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR].Size != 0;
    return ((const IMAGE_NT_HEADERS64 *)headers)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR].Size != 0;
}

static int ends_with_dll(const char *name)
{
    size_t length = strlen(name);
    return length > 4 && _stricmp(name + length - 4, ".dll") == 0;
}

static int find_packed(void *context, const char *base_name, const uint8_t **bytes, size_t *size, const char **path)
{
    char wanted[MAX_PATH];
    snprintf(wanted, sizeof wanted, "%s%s", base_name, strchr(base_name, '.') ? "" : ".dll");
    for (int i = 0; i < native_dll_count; i++)
        if (_stricmp(native_dlls[i].name, wanted) == 0) {
            resolver_hits++;
            *bytes = native_dlls[i].bytes;
            *size = native_dlls[i].size;
            *path = native_dlls[i].path;
            return 1;
        }
    return 0;
}

static double seconds_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (double)(now.QuadPart - start.QuadPart) / (double)frequency.QuadPart;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pe-coreclr-test.exe <publish folder> <app.dll> [arguments...]\n");
        return 200;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    int windows_loader = strcmp(argv[1], "--windows-loader") == 0;
    if (windows_loader) {
        argc--;
        argv++;
    }
    publish_folder = argv[1];
    char pattern[MAX_PATH * 2];
    snprintf(pattern, sizeof pattern, "%s\\*.dll", publish_folder);
    WIN32_FIND_DATAA found;
    HANDLE search = FindFirstFileA(pattern, &found);
    if (search == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "oxidize-pe-test: no DLLs in %s\n", publish_folder);
        return 201;
    }
    size_t tpa_capacity = 1 << 20, tpa_length = 0;
    char *tpa = calloc(1, tpa_capacity);
    do {
        char path[MAX_PATH * 2];
        snprintf(path, sizeof path, "%s\\%s", publish_folder, found.cFileName);
        size_t size = 0;
        uint8_t *bytes = read_whole_file(path, &size);
        if (!bytes || !ends_with_dll(found.cFileName))
            continue;
        if (is_managed(bytes, size)) {
            tpa_length += (size_t)snprintf(tpa + tpa_length, tpa_capacity - tpa_length, "%s%s", tpa_length ? ";" : "", path);
            free(bytes);
        } else if (native_dll_count < MAX_FILES) {
            struct packed_dll *dll = &native_dlls[native_dll_count++];
            snprintf(dll->name, sizeof dll->name, "%s", found.cFileName);
            snprintf(dll->path, sizeof dll->path, "%s", path);
            dll->bytes = bytes;
            dll->size = size;
        }
    } while (FindNextFileA(search, &found));
    FindClose(search);

    const uint8_t *coreclr_bytes;
    size_t coreclr_size;
    const char *coreclr_path;
    if (!find_packed(NULL, "coreclr.dll", &coreclr_bytes, &coreclr_size, &coreclr_path)) {
        fprintf(stderr, "oxidize-pe-test: no coreclr.dll in %s\n", publish_folder);
        return 202;
    }
    LARGE_INTEGER start;
    QueryPerformanceCounter(&start);
    void *initialize_symbol, *execute_symbol, *shutdown_symbol;
    if (windows_loader) {
        HMODULE coreclr = LoadLibraryA(coreclr_path);
        if (!coreclr) {
            fprintf(stderr, "oxidize-pe-test: LoadLibrary(%s) failed: %lu\n", coreclr_path, GetLastError());
            return 203;
        }
        printf("oxidize-pe-test: coreclr.dll loaded by Windows in %.1f ms\n", seconds_since(start) * 1000);
        initialize_symbol = (void *)GetProcAddress(coreclr, "coreclr_initialize");
        execute_symbol = (void *)GetProcAddress(coreclr, "coreclr_execute_assembly");
        shutdown_symbol = (void *)GetProcAddress(coreclr, "coreclr_shutdown_2");
    } else {
        struct pe_loader_resolver resolver = { find_packed, NULL, NULL };
        struct pe_module *coreclr = NULL;
        struct host_error error = { 0 };
        if (!pe_loader_load(coreclr_path, coreclr_bytes, coreclr_size, &resolver, &coreclr, &error)) {
            fprintf(stderr, "oxidize-pe-test: %s\noxidize-pe-test: %s (exit code %d)\n", error.what, error.why, (int)error.status);
            return 203;
        }
        printf("oxidize-pe-test: coreclr.dll loaded from memory in %.1f ms\n", seconds_since(start) * 1000);
        initialize_symbol = pe_loader_symbol(coreclr, "coreclr_initialize");
        execute_symbol = pe_loader_symbol(coreclr, "coreclr_execute_assembly");
        shutdown_symbol = pe_loader_symbol(coreclr, "coreclr_shutdown_2");
    }
    coreclr_initialize_fn initialize = (coreclr_initialize_fn)initialize_symbol;
    coreclr_execute_assembly_fn execute = (coreclr_execute_assembly_fn)execute_symbol;
    coreclr_shutdown_2_fn shutdown = (coreclr_shutdown_2_fn)shutdown_symbol;
    if (!initialize || !execute || !shutdown) {
        fprintf(stderr, "oxidize-pe-test: coreclr.dll lacks the hosting exports\n");
        return 204;
    }
    const char *keys[] = { "TRUSTED_PLATFORM_ASSEMBLIES", "APP_CONTEXT_BASE_DIRECTORY", "NATIVE_DLL_SEARCH_DIRECTORIES",
                           "RUNTIME_IDENTIFIER" };
    char base_directory[MAX_PATH * 2];
    snprintf(base_directory, sizeof base_directory, "%s\\", publish_folder);
    const char *values[] = { tpa, base_directory, base_directory, "win-x64" };
    char exe_path[MAX_PATH];
    GetModuleFileNameA(NULL, exe_path, sizeof exe_path);
    void *host = NULL;
    unsigned domain = 0;
    QueryPerformanceCounter(&start);
    int status = initialize(exe_path, "oxidize-pe-test", 4, keys, values, &host, &domain);
    if (status < 0) {
        fprintf(stderr, "oxidize-pe-test: coreclr_initialize failed: 0x%08x\n", (unsigned)status);
        return 205;
    }
    printf("oxidize-pe-test: coreclr_initialize took %.1f ms\n", seconds_since(start) * 1000);
    char app_path[MAX_PATH * 2];
    snprintf(app_path, sizeof app_path, "%s\\%s", publish_folder, argv[2]);
    unsigned exit_code = 0;
    status = execute(host, domain, argc - 3, (const char **)argv + 3, app_path, &exit_code);
    if (status < 0) {
        fprintf(stderr, "oxidize-pe-test: coreclr_execute_assembly failed: 0x%08x\n", (unsigned)status);
        return 206;
    }
    int latched = 0;
    shutdown(host, domain, &latched);
    /* Which native DLLs the loader mapped, and whether Windows' loader has any of them too (it must not). */
    for (int i = 0; i < native_dll_count; i++) {
        if (pe_loader_module_named(native_dlls[i].name))
            printf("oxidize-pe-test: loaded from memory: %s\n", native_dlls[i].name);
        if (GetModuleHandleA(native_dlls[i].name))
            printf("oxidize-pe-test: Windows' loader has %s\n", native_dlls[i].name);
    }
    printf("oxidize-pe-test: the resolver served %d DLL requests\n", resolver_hits);
    return (int)exit_code;
}
