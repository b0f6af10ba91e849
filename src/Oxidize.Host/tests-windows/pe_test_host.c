/*
 * Loads pe_test_dll.dll (and, through its import, pe_test_dep.dll) from memory with pe_loader and checks what
 * pe_test_dll.cpp exposes; and that bad images and pe_test_refuse.dll (its DllMain refuses) fail with clear errors. Run under Wine by tests/Oxidize.Packing.Tests/PeLoaderTests.cs:
 *   pe-test-host.exe <folder holding the two DLLs>
 * The DLLs are given paths in a folder that does not exist (C:\oxidize-memory\...), so anything Windows' loader would
 * find on disk is not them. Prints one line per failed check and "N passed, M failed"; exit code 0 when all passed.
 */
#include <string.h>

#include "../host_error.h"
#include "../pe_loader.h"
#include "pe_test_common.h"

static uint8_t *dependency_bytes;
static size_t dependency_size;
static int dependency_requests;
static int dependency_releases;

static int find_packed(void *context, const char *base_name, const uint8_t **bytes, size_t *size, const char **path)
{
    if (_stricmp(base_name, "pe_test_dep.dll") != 0 && _stricmp(base_name, "pe_test_dep") != 0)
        return 0;
    dependency_requests++;
    *bytes = dependency_bytes;
    *size = dependency_size;
    *path = "C:\\oxidize-memory\\pe_test_dep.dll";
    return 1;
}

/* The loader is done with the bytes: scribble over them, so that anything it still read from them later (instead of
   its own image) would break the checks on pe_test_dep.dll's functions below. */
static void release_packed(void *context, const uint8_t *bytes)
{
    (void)context;
    if (bytes == dependency_bytes) {
        dependency_releases++;
        memset(dependency_bytes, 0xCC, dependency_size);
    }
}

static void check_bad_images(const uint8_t *good, size_t good_size, const uint8_t *refusing, size_t refusing_size)
{
    struct pe_module *module = NULL;
    struct host_error error;
    const uint8_t garbage[64] = "not a PE file at all";
    CHECK(!pe_loader_load("C:\\oxidize-memory\\garbage.dll", garbage, sizeof garbage, NULL, &module, &error) &&
              error.status == HOST_EXIT_NATIVE_LOAD_FAILED && strstr(error.why, "not a PE image"),
          "garbage: %s", error.why);
    /* The headers intact but the sections cut off: a section outside the file. */
    CHECK(!pe_loader_load("C:\\oxidize-memory\\truncated.dll", good, 4096, NULL, &module, &error) &&
              error.status == HOST_EXIT_NATIVE_LOAD_FAILED && strstr(error.why, "outside the file"),
          "truncated: %s", error.why);
    /* An x86 (PE32) image. */
    uint8_t *x86 = malloc(good_size);
    memcpy(x86, good, good_size);
    IMAGE_NT_HEADERS64 *headers = (IMAGE_NT_HEADERS64 *)(x86 + ((IMAGE_DOS_HEADER *)x86)->e_lfanew);
    headers->FileHeader.Machine = IMAGE_FILE_MACHINE_I386;
    CHECK(!pe_loader_load("C:\\oxidize-memory\\x86.dll", x86, good_size, NULL, &module, &error) &&
              strstr(error.why, "not an x64"),
          "x86: %s", error.why);
    free(x86);
    /* DllMain returned FALSE: an error, and the module is not found afterwards (by name or handle). */
    CHECK(!pe_loader_load("C:\\oxidize-memory\\pe_test_refuse.dll", refusing, refusing_size, NULL, &module, &error) &&
              error.status == HOST_EXIT_NATIVE_LOAD_FAILED && strstr(error.why, "DllMain refused"),
          "refusing DllMain: %s", error.why);
    CHECK(pe_loader_module_named("pe_test_refuse.dll") == NULL, "a module whose DllMain refused is still found");
}

/* Bytes in use in the process heap, where Windows' TLS arrays, ours and our modules' TLS blocks all live. */
static size_t process_heap_bytes_in_use(void)
{
    size_t total = 0;
    PROCESS_HEAP_ENTRY entry = { 0 };
    HANDLE heap = GetProcessHeap();
    HeapLock(heap);
    while (HeapWalk(heap, &entry))
        if (entry.wFlags & PROCESS_HEAP_ENTRY_BUSY)
            total += entry.cbData;
    HeapUnlock(heap);
    return total;
}

static DWORD WINAPI churn_thread(LPVOID tls_increment)
{
    return (DWORD)((int (*)(void))tls_increment)();
}

/* Threads that start and end after the module is loaded: each gets our TLS array and a block, and gives both back.
   Measured under Wine 8: +0 bytes over 2000 threads; not freeing the (26-byte) TLS block gives +52000, not freeing
   the 256-byte array Wine had allocated gives +512000. A double free shows as a corrupt heap. */
static void check_thread_churn(int (*tls_increment)(void))
{
    enum { THREADS = 2000 };
    size_t before = process_heap_bytes_in_use();
    int fresh_blocks = 0;
    for (int i = 0; i < THREADS; i++) {
        HANDLE thread = CreateThread(NULL, 0, churn_thread, (LPVOID)tls_increment, 0, NULL);
        DWORD result = 0;
        WaitForSingleObject(thread, INFINITE);
        GetExitCodeThread(thread, &result);
        CloseHandle(thread);
        fresh_blocks += result == 43;
    }
    size_t after = process_heap_bytes_in_use();
    long long growth = (long long)after - (long long)before;
    printf("thread churn: %d threads, process heap in use %llu -> %llu bytes (%+lld)\n", THREADS,
           (unsigned long long)before, (unsigned long long)after, growth);
    CHECK(fresh_blocks == THREADS, "%d of %d threads started from the TLS template", fresh_blocks, THREADS);
    /* A leak of even the smallest heap block (16 bytes) per thread would be 32 KB. */
    CHECK(growth < 8 * 1024, "the process heap grew by %lld bytes over %d threads", growth, THREADS);
    CHECK(HeapValidate(GetProcessHeap(), 0, NULL), "the process heap is corrupt after %d threads", THREADS);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pe-test-host.exe <folder with pe_test_dll.dll, pe_test_dep.dll and pe_test_refuse.dll>\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    char path[MAX_PATH];
    size_t size = 0;
    snprintf(path, sizeof path, "%s\\pe_test_dll.dll", argv[1]);
    uint8_t *bytes = read_whole_file(path, &size);
    snprintf(path, sizeof path, "%s\\pe_test_dep.dll", argv[1]);
    dependency_bytes = read_whole_file(path, &dependency_size);
    size_t refusing_size = 0;
    snprintf(path, sizeof path, "%s\\pe_test_refuse.dll", argv[1]);
    uint8_t *refusing = read_whole_file(path, &refusing_size);
    if (!bytes || !dependency_bytes || !refusing) {
        fprintf(stderr, "cannot read the test DLLs in %s\n", argv[1]);
        return 2;
    }

    check_bad_images(bytes, size, refusing, refusing_size);

    struct pe_loader_resolver resolver = { find_packed, NULL, release_packed };
    struct pe_module *module = NULL;
    struct host_error error = { 0 };
    int loaded = pe_loader_load("C:\\oxidize-memory\\pe_test_dll.dll", bytes, size, &resolver, &module, &error);
    CHECK(loaded, "%s: %s", error.what, error.why);
    if (!loaded) {
        printf("%d passed, %d failed\n", checks_passed, checks_failed);
        return 1;
    }
    /* Nothing of it came from Windows' loader. */
    CHECK(GetModuleHandleA("pe_test_dll.dll") == NULL, "Windows' loader knows pe_test_dll.dll");
    CHECK(GetModuleHandleA("pe_test_dep.dll") == NULL, "Windows' loader knows pe_test_dep.dll");
    CHECK(dependency_requests == 1, "the resolver was asked %d times for pe_test_dep.dll", dependency_requests);
    CHECK(dependency_releases == 1, "pe_test_dep.dll's bytes were given back %d times", dependency_releases);

    void *handle = pe_loader_handle(module);
    /* The DLL prefers this program's own base (the Makefile links it so): its base relocations were applied. */
    CHECK((uintptr_t)handle != 0x140000000, "pe_test_dll.dll was mapped at its preferred base %p", handle);
    CHECK(pe_loader_is_module(handle) == module, "pe_loader_is_module");
    CHECK(pe_loader_is_module((char *)handle + 16) == NULL, "pe_loader_is_module inside the image");
    CHECK(pe_loader_find_by_address((char *)handle + 0x1010) == module, "pe_loader_find_by_address");
    CHECK(strcmp(pe_loader_path(module), "C:\\oxidize-memory\\pe_test_dll.dll") == 0, "path %s", pe_loader_path(module));

    int (*add)(int, int) = (int (*)(int, int))pe_loader_symbol(module, "pe_test_add");
    CHECK(add && add(40, 2) == 42, "pe_test_add by name");
    CHECK(pe_loader_symbol_by_ordinal(module, 7) == (void *)add, "pe_test_add by ordinal 7");
    CHECK(pe_loader_symbol(module, "pe_test_missing") == NULL, "a missing export");
    void *tick = pe_loader_symbol(module, "pe_test_forwarded_tick");
    CHECK(tick == (void *)GetProcAddress(GetModuleHandleA("kernel32.dll"), "GetTickCount"), "forwarder to KERNEL32");
    int (*forwarded_dep)(int) = (int (*)(int))pe_loader_symbol(module, "pe_test_forwarded_dep");
    CHECK(forwarded_dep && forwarded_dep(21) == 42, "forwarder to a packed DLL");

    int (*through_dependency)(int) = (int (*)(int))pe_loader_symbol(module, "pe_test_through_dependency");
    CHECK(through_dependency && through_dependency(5) == 10, "import from a DLL loaded from memory");

    int (*self_queries)(const WCHAR *) = (int (*)(const WCHAR *))pe_loader_symbol(module, "pe_test_self_queries");
    int query_result = self_queries ? self_queries(L"C:\\oxidize-memory\\pe_test_dll.dll") : -1;
    CHECK(query_result == 0, "kernel32 answers about the module: check %d failed (pe_test_dll.cpp)", query_result);

    void (*counts)(LONG *, LONG *, LONG *) = (void (*)(LONG *, LONG *, LONG *))pe_loader_symbol(module, "pe_test_counts");
    int (*tls_increment)(void) = (int (*)(void))pe_loader_symbol(module, "pe_test_tls_increment");
    int (*tls_on_new_thread)(void) = (int (*)(void))pe_loader_symbol(module, "pe_test_tls_on_new_thread");
    LONG process = 0, attaches = 0, detaches = 0;
    counts(&process, &attaches, &detaches);
    CHECK(process == 1, "DLL_PROCESS_ATTACH %ld times", process);
    LONG attaches_before = attaches, detaches_before = detaches;

    CHECK(tls_increment() == 43, "first TLS increment on the main thread");
    CHECK(tls_increment() == 44, "second TLS increment on the main thread");
    CHECK(tls_on_new_thread() == 43, "a new thread starts from the TLS template");
    CHECK(tls_on_new_thread() == 43, "another new thread starts from the TLS template");
    CHECK(tls_increment() == 45, "the main thread's TLS is its own");
    counts(&process, &attaches, &detaches);
    CHECK(attaches - attaches_before == 2, "DLL_THREAD_ATTACH %ld times for 2 threads", attaches - attaches_before);
    CHECK(detaches - detaches_before == 2, "DLL_THREAD_DETACH %ld times for 2 threads", detaches - detaches_before);

    check_thread_churn(tls_increment);

    int (*exception)(int) = (int (*)(int))pe_loader_symbol(module, "pe_test_exception");
    CHECK(exception && exception(10) == 1, "a C++ exception through 10 frames of the DLL");
    CHECK(exception && exception(0) == 1, "a C++ exception thrown and caught in one frame");

    /* A second load of the same path is the same module, and DllMain is not run again. */
    struct pe_module *again = NULL;
    CHECK(pe_loader_load("C:\\oxidize-memory\\pe_test_dll.dll", bytes, size, &resolver, &again, &error) && again == module,
          "a second load");
    counts(&process, &attaches, &detaches);
    CHECK(process == 1, "DLL_PROCESS_ATTACH %ld times after a second load", process);

    printf("%d passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}
