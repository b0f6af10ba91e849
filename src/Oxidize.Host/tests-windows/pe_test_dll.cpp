/*
 * The DLL the PE loader test (pe_test_host.c) loads from a buffer. It checks what a DLL sees when mapped by
 * pe_loader: its DllMain calls (counted), its imports (kernel32, and pe_test_dep.dll served from memory), answers of the
 * kernel32 functions about itself, implicit TLS read from a second thread, and a C++ exception unwinding through
 * several of its frames (which needs its .pdata registered).
 */
#include <windows.h>

#include <stdexcept>
#include <string.h>

/* dllimport: its address is then the one bound in the import table, as GetProcAddress gives it. */
extern "C" __declspec(dllimport) int pe_test_dep_twice(int value);
extern "C" IMAGE_DOS_HEADER __ImageBase;

static volatile LONG process_attaches, thread_attaches, thread_detaches;

/* An implicit-TLS variable as MSVC emits one: in the image's TLS template (.tls$ sections between mingw's _tls_start
   and _tls_end), read through TEB->ThreadLocalStoragePointer[_tls_index]. GCC 12 for mingw has only emulated TLS for
   __thread, so the access is written out. */
extern "C" char _tls_start;
extern "C" ULONG _tls_index;
__attribute__((section(".tls$OXT"))) int tls_counter = 42;

static int *tls_counter_here(void)
{
    char **array = (char **)__readgsqword(0x58);
    return (int *)(array[_tls_index] + ((char *)&tls_counter - &_tls_start));
}

extern "C" BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
        InterlockedIncrement(&process_attaches);
    else if (reason == DLL_THREAD_ATTACH)
        InterlockedIncrement(&thread_attaches);
    else if (reason == DLL_THREAD_DETACH)
        InterlockedIncrement(&thread_detaches);
    return TRUE;
}

extern "C" __declspec(dllexport) void pe_test_counts(LONG *process, LONG *thread_attach, LONG *thread_detach)
{
    *process = process_attaches;
    *thread_attach = thread_attaches;
    *thread_detach = thread_detaches;
}

extern "C" __declspec(dllexport) int pe_test_add(int a, int b)
{
    return a + b;
}

extern "C" __declspec(dllexport) int pe_test_through_dependency(int value)
{
    return pe_test_dep_twice(value);
}

/* Increments this thread's copy of tls_counter and returns the new value. */
extern "C" __declspec(dllexport) int pe_test_tls_increment(void)
{
    return ++*tls_counter_here();
}

static DWORD WINAPI tls_thread(LPVOID result)
{
    *(int *)result = pe_test_tls_increment();
    return 0;
}

/* The value a new thread sees after one increment (43 when it got a fresh block from the template). */
extern "C" __declspec(dllexport) int pe_test_tls_on_new_thread(void)
{
    int result = -1;
    HANDLE thread = CreateThread(NULL, 0, tls_thread, &result, 0, NULL);
    if (!thread)
        return -2;
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    return result;
}

/* What kernel32 answers this DLL about itself: 0 when all agree with its own image base and the given path. */
extern "C" __declspec(dllexport) int pe_test_self_queries(const WCHAR *expected_path)
{
    HMODULE self = (HMODULE)&__ImageBase;
    HMODULE found = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)pe_test_add, &found) || found != self)
        return 1;
    WCHAR path[MAX_PATH];
    if (GetModuleFileNameW(self, path, MAX_PATH) == 0 || wcscmp(path, expected_path) != 0)
        return 2;
    if (GetModuleHandleW(L"pe_test_dll.dll") != self || GetModuleHandleW(L"PE_TEST_DLL") != self)
        return 3;
    if (LoadLibraryW(L"C:\\elsewhere\\pe_test_dll.dll") != self)
        return 4;
    FARPROC add = GetProcAddress(self, "pe_test_add");
    if ((void *)add != (void *)pe_test_add)
        return 5;
    HMODULE dependency = LoadLibraryW(L"pe_test_dep.dll");
    if (!dependency || (void *)GetProcAddress(dependency, "pe_test_dep_twice") != (void *)pe_test_dep_twice)
        return 6;
    if (!FreeLibrary(dependency))
        return 7;
    if (GetProcAddress(self, "no_such_export") != NULL || GetLastError() != ERROR_PROC_NOT_FOUND)
        return 8;
    /* A system DLL still comes from Windows. */
    HMODULE kernel32 = LoadLibraryW(L"kernel32.dll");
    if (!kernel32 || GetProcAddress(kernel32, "GetTickCount") == NULL)
        return 9;
    return 0;
}

__attribute__((noinline)) static int throw_at(int depth)
{
    if (depth == 0)
        throw std::runtime_error("thrown at the bottom");
    return throw_at(depth - 1) + 1;
}

/* Throws through `depth` frames and catches at the top: 1 when caught with the message intact. */
extern "C" __declspec(dllexport) int pe_test_exception(int depth)
{
    try {
        return throw_at(depth) - 1000;
    } catch (const std::runtime_error &error) {
        return strcmp(error.what(), "thrown at the bottom") == 0;
    }
}
