/*
 * Implicit TLS (__declspec(thread), IMAGE_TLS_DIRECTORY) for modules this loader maps. Code in such a module reads its
 * variables inline as TEB->ThreadLocalStoragePointer[_tls_index] + offset (gs:[0x58]); Windows' loader gives a slot
 * only to the DLLs it loads itself. So every thread gets a larger pointer array of ours: Windows' entries are copied to
 * the front, and our modules take the slots from PE_TLS_FIRST_SLOT up, far above the few Windows hands out (Wine 8
 * sizes its arrays at 32, doubling only past 32 TLS DLLs). The array is installed by the executable's own TLS callback,
 * which runs on every thread before its start routine (and on the main thread at process attach), which then also
 * runs our modules' TLS callbacks and DllMain(DLL_THREAD_ATTACH); at thread exit it runs DLL_THREAD_DETACH and frees
 * our modules' blocks.
 * Who frees what (Wine 8, dlls/ntdll/loader.c): at thread exit ntdll frees ThreadLocalStoragePointer[i] for each of
 * its own slots (i below its count) and then the array, from the process heap. Our array comes from the process heap,
 * so ntdll frees it as its own; our slots lie above its count, so ntdll never frees our blocks (we do, and clear
 * them). The array ntdll had allocated for the thread is freed by us when we replace it on that same thread.
 * When ntdll later loads a TLS DLL past its count, it replaces every thread's array with a copy of its own slots only
 * (and leaks the old one); pe_tls_refresh, called after every Windows load our modules cause, puts our slots back.
 */
#include "pe_loader_internal.h"

#include <string.h>

#include "host_error.h"

#define PE_TLS_FIRST_SLOT 128
#define PE_TLS_ARRAY_LENGTH (PE_TLS_FIRST_SLOT + PE_LOADER_MAX_MODULES)
/* Offset of ThreadLocalStoragePointer in the x64 TEB (what the compiler's inline TLS access reads as gs:[0x58]). */
#define TEB_TLS_POINTER_OFFSET 0x58

struct tls_thread {
    struct tls_thread *next;
    void *teb;
    void **array; /* ours, as installed on that thread */
};

static SRWLOCK threads_lock = SRWLOCK_INIT;
static struct tls_thread *threads;
static LONG next_slot = PE_TLS_FIRST_SLOT; /* under threads_lock */

static void ***tls_pointer_of(void *teb)
{
    return (void ***)((uint8_t *)teb + TEB_TLS_POINTER_OFFSET);
}

static void *new_block(const IMAGE_TLS_DIRECTORY64 *tls)
{
    size_t template_size = (size_t)(tls->EndAddressOfRawData - tls->StartAddressOfRawData);
    uint8_t *block = HeapAlloc(GetProcessHeap(), 0, template_size + tls->SizeOfZeroFill + 1);
    if (!block)
        return NULL;
    memcpy(block, (const void *)(uintptr_t)tls->StartAddressOfRawData, template_size);
    memset(block + template_size, 0, tls->SizeOfZeroFill);
    return block;
}

/* How many of Windows' slots the array it allocated holds, from the heap block's size. */
static size_t windows_slot_count(void **array)
{
    if (!array)
        return 0;
    SIZE_T bytes = HeapSize(GetProcessHeap(), 0, array);
    return bytes == (SIZE_T)-1 ? (size_t)-1 : bytes / sizeof(void *);
}

/* A new array for the current thread: Windows' slots from `windows_array`, ours from `ours` (or fresh blocks). */
static void **build_array(void **windows_array, void **ours)
{
    size_t windows_count = windows_slot_count(windows_array);
    if (windows_count == (size_t)-1 || windows_count > PE_TLS_FIRST_SLOT)
        return NULL;
    void **array = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, PE_TLS_ARRAY_LENGTH * sizeof(void *));
    if (!array)
        return NULL;
    if (windows_count)
        memcpy(array, windows_array, windows_count * sizeof(void *));
    if (ours) {
        memcpy(array + PE_TLS_FIRST_SLOT, ours + PE_TLS_FIRST_SLOT, PE_LOADER_MAX_MODULES * sizeof(void *));
        return array;
    }
    size_t count = pe_module_count();
    for (size_t i = 0; i < count; i++) {
        struct pe_module *module = pe_module_at(i);
        if (module->tls_slot >= 0)
            array[module->tls_slot] = new_block(module->tls);
    }
    return array;
}

static struct tls_thread *record_of(void *teb)
{
    for (struct tls_thread *record = threads; record; record = record->next)
        if (record->teb == teb)
            return record;
    return NULL;
}

/* Gives the current thread our array (once); 0 when Windows' array is not what we expect. Under the lock, so that a
   module taking a slot meanwhile either is in the array built here or finds this thread's record. */
static int install_on_current_thread(void)
{
    void *teb = NtCurrentTeb();
    struct tls_thread *record = HeapAlloc(GetProcessHeap(), 0, sizeof *record);
    if (!record)
        return 0;
    AcquireSRWLockExclusive(&threads_lock);
    if (record_of(teb)) {
        ReleaseSRWLockExclusive(&threads_lock);
        HeapFree(GetProcessHeap(), 0, record);
        return 1;
    }
    void **windows_array = *tls_pointer_of(teb);
    void **array = build_array(windows_array, NULL);
    if (array) {
        *tls_pointer_of(teb) = array;
        record->teb = teb;
        record->array = array;
        record->next = threads;
        threads = record;
    }
    ReleaseSRWLockExclusive(&threads_lock);
    if (!array) {
        HeapFree(GetProcessHeap(), 0, record);
        return 0;
    }
    HeapFree(GetProcessHeap(), 0, windows_array);
    return 1;
}

int pe_tls_add_module(struct pe_module *module, struct host_error *error)
{
    const IMAGE_TLS_DIRECTORY64 *tls = module->tls;
    if (!tls || (tls->EndAddressOfRawData == tls->StartAddressOfRawData && tls->SizeOfZeroFill == 0))
        return 1;
    uint64_t lowest = (uint64_t)(uintptr_t)module->base, highest = lowest + module->image_size;
    if (tls->EndAddressOfRawData < tls->StartAddressOfRawData || tls->StartAddressOfRawData < lowest ||
        tls->EndAddressOfRawData > highest || tls->AddressOfIndex < lowest || tls->AddressOfIndex + 4 > highest) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: its TLS directory points outside the image", module->path);
        return 0;
    }
    if (!install_on_current_thread()) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s uses thread-local variables and this thread's TLS array is not one this loader can extend "
                       "(not a process-heap block, or Windows uses %d slots or more)", module->path, PE_TLS_FIRST_SLOT);
        return 0;
    }
    /* Slot and blocks under the lock: a thread starting meanwhile gets its block from build_array or from here. */
    AcquireSRWLockExclusive(&threads_lock);
    LONG slot = next_slot++;
    if (slot >= PE_TLS_ARRAY_LENGTH) {
        ReleaseSRWLockExclusive(&threads_lock);
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "could not load a packed native library",
                       "%s: no TLS slot left", module->path);
        return 0;
    }
    *(DWORD *)(uintptr_t)tls->AddressOfIndex = (DWORD)slot;
    for (struct tls_thread *record = threads; record; record = record->next) {
        void *block = new_block(tls);
        if (!block) {
            ReleaseSRWLockExclusive(&threads_lock);
            host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "could not load a packed native library",
                           "out of memory for the thread-local variables of %s", module->path);
            return 0;
        }
        record->array[slot] = block;
    }
    module->tls_slot = (int)slot;
    ReleaseSRWLockExclusive(&threads_lock);
    return 1;
}

void pe_tls_refresh(void)
{
    AcquireSRWLockExclusive(&threads_lock);
    for (struct tls_thread *record = threads; record; record = record->next) {
        void **current = *tls_pointer_of(record->teb);
        if (current == record->array)
            continue;
        /* Windows replaced the array (and keeps the old one); the replacement may be read by that thread right now,
           so it is left in place, not freed. */
        void **array = build_array(current, record->array);
        if (!array)
            continue;
        *tls_pointer_of(record->teb) = array;
        record->array = array;
    }
    ReleaseSRWLockExclusive(&threads_lock);
}

static void thread_attach(void)
{
    if (!install_on_current_thread())
        return; /* our modules' code would fault on this thread; Windows' array is left as it was */
    size_t count = pe_module_count();
    for (size_t i = 0; i < count; i++) {
        struct pe_module *module = pe_module_at(i);
        if (module->attached && !module->thread_calls_disabled)
            pe_notify_module(module, DLL_THREAD_ATTACH);
    }
}

static void thread_detach(void)
{
    for (size_t i = pe_module_count(); i-- > 0;) {
        struct pe_module *module = pe_module_at(i);
        if (module->attached && !module->thread_calls_disabled)
            pe_notify_module(module, DLL_THREAD_DETACH);
    }
    void *teb = NtCurrentTeb();
    AcquireSRWLockExclusive(&threads_lock);
    struct tls_thread **link = &threads;
    while (*link && (*link)->teb != teb)
        link = &(*link)->next;
    struct tls_thread *record = *link;
    if (record)
        *link = record->next;
    ReleaseSRWLockExclusive(&threads_lock);
    if (!record)
        return;
    /* If Windows replaced our array since, its copy holds none of our slots: the blocks are only in ours. */
    for (size_t slot = PE_TLS_FIRST_SLOT; slot < PE_TLS_ARRAY_LENGTH; slot++) {
        HeapFree(GetProcessHeap(), 0, record->array[slot]);
        record->array[slot] = NULL;
    }
    HeapFree(GetProcessHeap(), 0, record);
}

/* The executable's TLS callback (the .CRT$XL* list mingw's runtime turns into the executable's TLS directory). */
static void NTAPI pe_tls_thread_callback(PVOID image, DWORD reason, PVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
        install_on_current_thread();
    else if (reason == DLL_THREAD_ATTACH)
        thread_attach();
    else if (reason == DLL_THREAD_DETACH)
        thread_detach();
}

__attribute__((section(".CRT$XLP"), used)) const PIMAGE_TLS_CALLBACK pe_tls_callback_entry = pe_tls_thread_callback;
