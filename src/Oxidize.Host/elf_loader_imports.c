#define _GNU_SOURCE
#include "glibc_floor.h"
#include "elf_loader_imports.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#include "elf_loader.h"
#include "elf_loader_tls.h"
#include "elf_loader_unwind.h"
#include "host_error.h"
#include "native_libraries.h"

/* The host executable's extent (GNU ld defines both): a symbol the global scope finds in here is one of the host's
   interposers (open, stat, dlopen, ...), which a versioned lookup would skip. */
extern const char __ehdr_start[];
extern const char _end[];

static __thread const char *pending_error;
static __thread char error_text[640];
static char needed_error[640];

static void set_error(const char *format, const char *a, const char *b)
{
    snprintf(error_text, sizeof error_text, format, a, b);
    pending_error = error_text;
}

static void *module_dlopen(const char *path, int flags)
{
    pending_error = NULL;
    void *handle = native_libraries_open(path, flags);
    if (handle == NULL) {
        /* Callers print dlerror() after a failure: always leave a message, glibc's when it has one. */
        const char *why = dlerror();
        if (why != NULL)
            set_error("%s%s", why, "");
        else
            set_error("%s: %s", path != NULL ? path : "(main program)", "cannot be loaded");
    }
    return handle;
}

/* dlsym on a handle searches the library and then its dependencies, breadth first, as glibc does (the runtime's ICU
   shim asks libicui18n's handle for functions of libicuuc, which it needs). */
static void *search_dependencies(struct elf_module *root, const char *name)
{
    struct elf_module *queue[ELF_LOADER_MAX_MODULES];
    size_t head = 0, tail = 0;
    queue[tail++] = root;
    while (head < tail) {
        struct elf_module *module = queue[head++];
        void *symbol = elf_loader_symbol(module, name);
        if (symbol != NULL)
            return symbol;
        for (const ElfW(Dyn) *entry = module->dynamic; entry->d_tag != DT_NULL; entry++) {
            if (entry->d_tag != DT_NEEDED)
                continue;
            const char *needed = module->strings + entry->d_un.d_val;
            struct elf_module *dependency = elf_loader_module_named(needed);
            if (dependency != NULL) {
                int queued = 0;
                for (size_t i = 0; i < tail; i++)
                    queued |= queue[i] == dependency;
                if (!queued && tail < ELF_LOADER_MAX_MODULES)
                    queue[tail++] = dependency;
                continue;
            }
            void *handle = native_libraries_real_dlopen(needed, RTLD_LAZY | RTLD_NOLOAD);
            symbol = handle != NULL ? dlsym(handle, name) : NULL;
            if (handle != NULL)
                dlclose(handle);
            if (symbol != NULL)
                return symbol;
        }
    }
    return NULL;
}

static void *module_dlsym(void *handle, const char *name)
{
    if (elf_loader_is_module(handle)) {
        void *symbol = search_dependencies(handle, name);
        if (symbol == NULL)
            set_error("%s: undefined symbol: %s", ((struct elf_module *)handle)->path, name);
        return symbol;
    }
    void *symbol = dlsym(handle, name);
    if (symbol == NULL && handle == RTLD_DEFAULT) {
        for (size_t i = 0; i < elf_loader_module_count() && symbol == NULL; i++)
            symbol = elf_loader_symbol(elf_loader_module_at(i), name);
        if (symbol != NULL)
            (void)dlerror(); /* glibc's failed lookup left a message behind */
    }
    return symbol;
}

void *elf_loader_dlsym(void *module, const char *name)
{
    return search_dependencies(module, name);
}

static void *module_dlvsym(void *handle, const char *name, const char *version)
{
    return elf_loader_is_module(handle) ? module_dlsym(handle, name) : dlvsym(handle, name, version);
}

static int module_dlclose(void *handle)
{
    return elf_loader_is_module(handle) ? 0 : dlclose(handle); /* mapped libraries stay, as libcoreclr does under glibc */
}

static char *module_dlerror(void)
{
    if (pending_error != NULL) {
        const char *error = pending_error;
        pending_error = NULL;
        return (char *)error;
    }
    return dlerror();
}

static int module_dladdr(const void *address, Dl_info *info)
{
    struct elf_module *module = elf_loader_module_containing(address);
    if (module == NULL)
        return dladdr(address, info);
    info->dli_fname = module->path;
    info->dli_fbase = (void *)module->map_start;
    const char *name;
    void *start;
    if (elf_loader_nearest_symbol(module, address, &name, &start)) {
        info->dli_sname = name;
        info->dli_saddr = start;
    } else {
        info->dli_sname = NULL;
        info->dli_saddr = NULL;
    }
    return 1;
}

static const struct {
    const char *name;
    void *function;
} answered_here[] = {
    {"__tls_get_addr", (void *)elf_loader_tls_get_addr},
    {"dlopen", (void *)module_dlopen},
    {"dlsym", (void *)module_dlsym},
    {"dlvsym", (void *)module_dlvsym},
    {"dlclose", (void *)module_dlclose},
    {"dlerror", (void *)module_dlerror},
    {"dladdr", (void *)module_dladdr},
    {"dl_iterate_phdr", (void *)dl_iterate_phdr},
};

/* The executable's own dynamic symbols (the host's, or a Native AOT binary's), read from its _DYNAMIC: the first place
   glibc's global scope looks, so a symbol defined and exported there is what dlsym(RTLD_DEFAULT) would answer. Looking
   there directly saves a dlsym, a walk of the whole global scope, for each of the ~800 imports that do not bind to
   the executable. glibc has already added the load bias to the table addresses in _DYNAMIC (x86-64 and arm64 keep it
   writable), so an address at or above the bias is absolute. Unusable (no hash table) leaves main_program.symbols NULL
   and the lookups go through dlsym as before. */
extern ElfW(Dyn) _DYNAMIC[];
static struct elf_module main_program;
static int main_program_read; /* imports are resolved under the loader's lock (elf_loader_load), so no once-guard */

static void read_main_program(void)
{
    const ElfW(Ehdr) *header = (const ElfW(Ehdr) *)__ehdr_start;
    const ElfW(Phdr) *phdrs = (const ElfW(Phdr) *)(__ehdr_start + header->e_phoff);
    uintptr_t bias = 0;
    int found_bias = 0;
    for (int i = 0; i < header->e_phnum && !found_bias; i++) {
        if (phdrs[i].p_type == PT_LOAD && phdrs[i].p_offset == 0) {
            bias = (uintptr_t)__ehdr_start - phdrs[i].p_vaddr;
            found_bias = 1;
        }
    }
    if (!found_bias)
        return;
    struct elf_module program = {.base = bias};
    for (const ElfW(Dyn) *entry = _DYNAMIC; entry->d_tag != DT_NULL; entry++) {
        uintptr_t address = entry->d_un.d_ptr >= bias ? entry->d_un.d_ptr : bias + entry->d_un.d_ptr;
        switch (entry->d_tag) {
        case DT_SYMTAB: program.symbols = (const ElfW(Sym) *)address; break;
        case DT_STRTAB: program.strings = (const char *)address; break;
        case DT_HASH: program.sysv_hash = (const uint32_t *)address; break;
        case DT_GNU_HASH: program.gnu_hash = (const uint32_t *)address; break;
        default: break;
        }
    }
    if (program.symbols == NULL || program.strings == NULL || (program.gnu_hash == NULL && program.sysv_hash == NULL))
        return;
    main_program = program;
}

/* 1: answered (*address is the executable's definition or NULL for none); 0: unknown, ask dlsym. */
static int main_program_symbol(const char *name, void **address)
{
    if (!main_program_read) {
        read_main_program();
        main_program_read = 1;
    }
    if (main_program.symbols == NULL)
        return 0;
    *address = elf_loader_symbol(&main_program, name);
    return 1;
}

void *elf_loader_resolve_import(const char *name, const char *version)
{
    for (size_t i = 0; i < sizeof answered_here / sizeof answered_here[0]; i++) {
        if (strcmp(answered_here[i].name, name) == 0)
            return answered_here[i].function;
    }
    void *found = NULL;
    int known = main_program_symbol(name, &found);
    if (!known)
        found = dlsym(RTLD_DEFAULT, name);
    if (found != NULL && (const char *)found >= __ehdr_start && (const char *)found < _end)
        return found;
    if (version != NULL) {
        void *versioned = dlvsym(RTLD_DEFAULT, name, version);
        if (versioned != NULL)
            return versioned;
    }
    if (known)
        found = dlsym(RTLD_DEFAULT, name);
    if (found != NULL)
        return found;
    for (size_t i = 0; i < elf_loader_module_count(); i++) {
        found = elf_loader_symbol(elf_loader_module_at(i), name);
        if (found != NULL)
            return found;
    }
    return NULL;
}

int elf_loader_imports_open_needed(const char *name)
{
    if (elf_loader_module_named(name) != NULL)
        return 0;
    if (native_libraries_real_dlopen(name, RTLD_NOW | RTLD_GLOBAL) != NULL)
        return 0;
    /* Copied at once: glibc frees dlerror()'s text at the next dl* call, and the probe below may make one (the
       interposed fcntl looks up the real one). */
    char why_copy[sizeof needed_error / 2];
    const char *error_text_of_glibc = dlerror();
    snprintf(why_copy, sizeof why_copy, "%s", error_text_of_glibc != NULL ? error_text_of_glibc : "not found");
    const char *why = why_copy;
    /* Out of descriptors is the cause worth naming (glibc's message only says "Too many open files"); glibc does not
       leave it in errno, so ask the kernel for a descriptor. */
    int probe = fcntl(0, F_DUPFD_CLOEXEC, 0);
    int cause = probe < 0 ? errno : 0;
    if (probe >= 0)
        close(probe);
    if (cause == EMFILE || cause == ENFILE)
        snprintf(needed_error, sizeof needed_error, "%s (%s)", why, host_error_errno_hint(cause));
    else
        snprintf(needed_error, sizeof needed_error, "%s", why);
    return -1;
}

const char *elf_loader_imports_last_error(void)
{
    return needed_error;
}
