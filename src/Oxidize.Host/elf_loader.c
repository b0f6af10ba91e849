#define _GNU_SOURCE
#include "glibc_floor.h"
#include "elf_loader.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf_loader_gdb.h"
#include "elf_loader_imports.h"
#include "host_error.h"

static struct elf_module modules[ELF_LOADER_MAX_MODULES];
static size_t published_count;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int fini_registered;

size_t elf_loader_module_count(void)
{
    return __atomic_load_n(&published_count, __ATOMIC_ACQUIRE);
}

struct elf_module *elf_loader_module_at(size_t index)
{
    return &modules[index];
}

struct elf_module *elf_loader_module_containing(const void *address)
{
    uintptr_t value = (uintptr_t)address;
    size_t count = elf_loader_module_count();
    for (size_t i = 0; i < count; i++) {
        if (value >= modules[i].map_start && value < modules[i].map_end)
            return &modules[i];
    }
    return NULL;
}

struct elf_module *elf_loader_module_named(const char *name)
{
    size_t count = elf_loader_module_count();
    for (size_t i = 0; i < count; i++) {
        const char *slash = strrchr(modules[i].path, '/');
        if (strcmp(slash ? slash + 1 : modules[i].path, name) == 0)
            return &modules[i];
    }
    return NULL;
}

int elf_loader_is_module(const void *handle)
{
    size_t count = elf_loader_module_count();
    return count > 0 && (const struct elf_module *)handle >= &modules[0] && (const struct elf_module *)handle < &modules[count];
}

static int fail(struct host_error *error, const char *path, const char *why)
{
    host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, "cannot load a packed native library", "mapping \"%s\" from the executable failed: %s",
                   path, why);
    return -1;
}

static int prot_of(uint32_t flags)
{
    return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Reserves the whole span, then maps each PT_LOAD over it from the file; bss is zeroed and anonymous. Writable
   segments stay writable until relocated (relro is protected afterwards). */
static int map_segments(struct elf_module *module, int fd, uint64_t file_offset, uint64_t size, const ElfW(Ehdr) *header,
                        const ElfW(Phdr) *phdrs, struct host_error *error)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t low = UINTPTR_MAX, high = 0;
    for (int i = 0; i < header->e_phnum; i++) {
        if (phdrs[i].p_type != PT_LOAD)
            continue;
        if (phdrs[i].p_vaddr % page != phdrs[i].p_offset % page)
            return fail(error, module->path, "a segment's offset and address differ modulo the page size");
        /* Only the entry's own bytes are mapped, never the rest of the executable. */
        if (phdrs[i].p_offset > size || phdrs[i].p_filesz > size - phdrs[i].p_offset || phdrs[i].p_filesz > phdrs[i].p_memsz)
            return fail(error, module->path, "a segment lies outside the library");
        if (phdrs[i].p_vaddr < low)
            low = phdrs[i].p_vaddr & ~(page - 1);
        if (phdrs[i].p_vaddr + phdrs[i].p_memsz > high)
            high = (phdrs[i].p_vaddr + phdrs[i].p_memsz + page - 1) & ~(page - 1);
    }
    if (low >= high)
        return fail(error, module->path, "no loadable segment");
    void *reserved = mmap(NULL, high - low, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (reserved == MAP_FAILED)
        return fail(error, module->path, "cannot reserve address space");
    module->base = (uintptr_t)reserved - low;
    module->map_start = (uintptr_t)reserved;
    module->map_end = (uintptr_t)reserved + (high - low);
    for (int i = 0; i < header->e_phnum; i++) {
        const ElfW(Phdr) *segment = &phdrs[i];
        if (segment->p_type != PT_LOAD)
            continue;
        uintptr_t start = module->base + (segment->p_vaddr & ~(page - 1));
        uintptr_t file_end = module->base + segment->p_vaddr + segment->p_filesz;
        uintptr_t memory_end = (module->base + segment->p_vaddr + segment->p_memsz + page - 1) & ~(page - 1);
        int prot = prot_of(segment->p_flags);
        if (segment->p_filesz > 0) {
            size_t length = file_end - start;
            void *mapped = mmap((void *)start, length, prot | ((segment->p_flags & PF_W) ? PROT_WRITE : 0),
                                MAP_PRIVATE | MAP_FIXED, fd, (off_t)(file_offset + (segment->p_offset & ~(page - 1))));
            if (mapped == MAP_FAILED)
                return fail(error, module->path, strerror(errno));
        }
        if (segment->p_memsz > segment->p_filesz) {
            uintptr_t zero_end = (file_end + page - 1) & ~(page - 1);
            if (segment->p_filesz > 0 && zero_end > file_end)
                memset((void *)file_end, 0, zero_end - file_end); /* the file's next bytes share bss's first page */
            if (segment->p_filesz == 0)
                zero_end = start;
            if (memory_end > zero_end
                && mmap((void *)zero_end, memory_end - zero_end, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
                return fail(error, module->path, strerror(errno));
        }
    }
    return 0;
}

/* The number of dynamic symbols: DT_HASH says it; with only DT_GNU_HASH, one past the last chain's end. */
static uint32_t count_symbols(const struct elf_module *module)
{
    if (module->sysv_hash != NULL)
        return module->sysv_hash[1];
    if (module->gnu_hash == NULL)
        return 0;
    const uint32_t *hash = module->gnu_hash;
    uint32_t buckets = hash[0], offset = hash[1], bloom_words = hash[2];
    const uint32_t *bucket = (const uint32_t *)((const uint64_t *)(hash + 4) + bloom_words);
    const uint32_t *chain = bucket + buckets;
    uint32_t last = 0;
    for (uint32_t i = 0; i < buckets; i++)
        if (bucket[i] > last)
            last = bucket[i];
    if (last < offset)
        return offset;
    while ((chain[last - offset] & 1) == 0)
        last++;
    return last + 1;
}

static uint32_t gnu_hash_of(const char *name)
{
    uint32_t hash = 5381;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        hash = hash * 33 + *c;
    return hash;
}

static int exported(const ElfW(Sym) *symbol)
{
    int bind = ELF64_ST_BIND(symbol->st_info);
    return symbol->st_shndx != SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK) && ELF64_ST_TYPE(symbol->st_info) != STT_TLS
           && ELF64_ST_VISIBILITY(symbol->st_other) != STV_HIDDEN && ELF64_ST_VISIBILITY(symbol->st_other) != STV_INTERNAL;
}

void *elf_loader_symbol(const struct elf_module *module, const char *name)
{
    if (module->gnu_hash != NULL) {
        const uint32_t *hash = module->gnu_hash;
        uint32_t buckets = hash[0], offset = hash[1], bloom_words = hash[2];
        const uint32_t *bucket = (const uint32_t *)((const uint64_t *)(hash + 4) + bloom_words);
        const uint32_t *chain = bucket + buckets;
        uint32_t wanted = gnu_hash_of(name);
        for (uint32_t index = bucket[wanted % buckets]; index >= offset && index != 0; index++) {
            uint32_t value = chain[index - offset];
            const ElfW(Sym) *symbol = &module->symbols[index];
            if ((value | 1) == (wanted | 1) && exported(symbol) && strcmp(module->strings + symbol->st_name, name) == 0)
                return (void *)(module->base + symbol->st_value);
            if (value & 1)
                break;
        }
        return NULL;
    }
    for (uint32_t i = 1; i < module->symbol_count; i++) {
        const ElfW(Sym) *symbol = &module->symbols[i];
        if (exported(symbol) && strcmp(module->strings + symbol->st_name, name) == 0)
            return (void *)(module->base + symbol->st_value);
    }
    return NULL;
}

int elf_loader_nearest_symbol(const struct elf_module *module, const void *address, const char **name, void **start)
{
    uintptr_t offset = (uintptr_t)address - module->base, best = 0;
    const ElfW(Sym) *found = NULL;
    for (uint32_t i = 1; i < module->symbol_count; i++) {
        const ElfW(Sym) *symbol = &module->symbols[i];
        if (!exported(symbol) || symbol->st_value > offset || symbol->st_value < best)
            continue;
        if (symbol->st_size != 0 && offset >= symbol->st_value + symbol->st_size)
            continue;
        best = symbol->st_value;
        found = symbol;
    }
    if (found == NULL)
        return 0;
    *name = module->strings + found->st_name;
    *start = (void *)(module->base + found->st_value);
    return 1;
}

struct dynamic_info {
    const ElfW(Rela) *rela, *jmprel;
    size_t rela_size, jmprel_size;
    const ElfW(Half) *versym;
    const ElfW(Verneed) *verneed;
    size_t verneed_count;
    void (*init)(int, char **, char **);
    void (**init_array)(int, char **, char **);
    size_t init_count;
    int symbolic;
    /* Per dynamic symbol, what it resolved to (bound[i] says whether it has been): a symbol several relocations name
       (GOT entry and PLT slot, data pointers) is looked up once. NULL when it could not be allocated. */
    uintptr_t *resolved;
    uint8_t *bound;
};

/* The version name of a versioned import (from .gnu.version_r), or NULL for an unversioned one. */
static const char *import_version(const struct elf_module *module, const struct dynamic_info *info, uint32_t symbol_index)
{
    if (info->versym == NULL || info->verneed == NULL)
        return NULL;
    ElfW(Half) wanted = info->versym[symbol_index] & 0x7fff;
    if (wanted < 2)
        return NULL;
    const ElfW(Verneed) *need = info->verneed;
    for (size_t i = 0; i < info->verneed_count; i++) {
        const ElfW(Vernaux) *aux = (const ElfW(Vernaux) *)((const char *)need + need->vn_aux);
        for (unsigned j = 0; j < need->vn_cnt; j++) {
            if (aux->vna_other == wanted)
                return module->strings + aux->vna_name;
            aux = (const ElfW(Vernaux) *)((const char *)aux + aux->vna_next);
        }
        need = (const ElfW(Verneed) *)((const char *)need + need->vn_next);
    }
    return NULL;
}

/* A symbol's address: the library's own definition first when it was linked -Bsymbolic (or the symbol is not
   interposable), else the process's global scope as glibc would search it, then the library itself. */
static int resolve_uncached(const struct elf_module *module, const struct dynamic_info *info, uint32_t symbol_index,
                            uintptr_t *value, char *why, size_t why_size)
{
    const ElfW(Sym) *symbol = &module->symbols[symbol_index];
    const char *name = module->strings + symbol->st_name;
    int defined = symbol->st_shndx != SHN_UNDEF;
    if (defined && ELF64_ST_TYPE(symbol->st_info) == STT_GNU_IFUNC) {
        snprintf(why, why_size, "the symbol \"%s\" is an IFUNC", name);
        return -1;
    }
    if (defined && (info->symbolic || ELF64_ST_BIND(symbol->st_info) == STB_LOCAL || ELF64_ST_VISIBILITY(symbol->st_other) != STV_DEFAULT)) {
        *value = module->base + symbol->st_value;
        return 0;
    }
    void *address = elf_loader_resolve_import(name, import_version(module, info, symbol_index));
    if (address != NULL) {
        *value = (uintptr_t)address;
        return 0;
    }
    if (defined) {
        *value = module->base + symbol->st_value;
        return 0;
    }
    if (ELF64_ST_BIND(symbol->st_info) == STB_WEAK) {
        *value = 0;
        return 0;
    }
    snprintf(why, why_size, "undefined symbol \"%s\"", name);
    return -1;
}

static int resolve(const struct elf_module *module, const struct dynamic_info *info, uint32_t symbol_index, uintptr_t *value,
                   char *why, size_t why_size)
{
    int cached = info->bound != NULL && symbol_index < module->symbol_count;
    if (cached && info->bound[symbol_index]) {
        *value = info->resolved[symbol_index];
        return 0;
    }
    if (resolve_uncached(module, info, symbol_index, value, why, why_size) != 0)
        return -1;
    if (cached) {
        info->resolved[symbol_index] = *value;
        info->bound[symbol_index] = 1;
    }
    return 0;
}

static int relocate(struct elf_module *module, const struct dynamic_info *info, const ElfW(Rela) *table, size_t size,
                    struct host_error *error)
{
    char why[300];
    for (size_t i = 0; i < size / sizeof *table; i++) {
        const ElfW(Rela) *rela = &table[i];
        uintptr_t *target = (uintptr_t *)(module->base + rela->r_offset);
        uint32_t type = ELF64_R_TYPE(rela->r_info), symbol_index = ELF64_R_SYM(rela->r_info);
        uintptr_t value = 0;
        switch (type) {
        case R_X86_64_NONE:
            break;
        case R_X86_64_RELATIVE:
            *target = module->base + (uintptr_t)rela->r_addend;
            break;
        case R_X86_64_64:
        case R_X86_64_GLOB_DAT:
        case R_X86_64_JUMP_SLOT:
            if (resolve(module, info, symbol_index, &value, why, sizeof why) != 0)
                return fail(error, module->path, why);
            *target = value + (uintptr_t)rela->r_addend;
            break;
        case R_X86_64_DTPMOD64:
        case R_X86_64_DTPOFF64:
            if (symbol_index != 0 && module->symbols[symbol_index].st_shndx == SHN_UNDEF)
                return fail(error, module->path, "a thread-local variable of another library is used");
            if (module->tls_size == 0)
                return fail(error, module->path, "a TLS relocation without a TLS segment");
            *target = type == R_X86_64_DTPMOD64 ? module->tls_module_id
                                                 : (uintptr_t)(module->symbols[symbol_index].st_value + rela->r_addend);
            break;
        default:
            snprintf(why, sizeof why, "relocation type %u is not supported", type);
            return fail(error, module->path, why);
        }
    }
    return 0;
}

static void run_finalizers(void)
{
    for (size_t i = elf_loader_module_count(); i-- > 0;) {
        struct elf_module *module = &modules[i];
        for (size_t j = module->fini_count; j-- > 0;)
            module->fini_array[j]();
        if (module->fini != NULL)
            module->fini();
    }
}

/* Needed libraries that glibc knows: opened (global, as the library would be if dlopen'ed RTLD_GLOBAL) so that
   their symbols are in the global scope the imports are resolved from. Packed ones were loaded before this. */
static int open_needed(struct elf_module *module, const ElfW(Dyn) *dynamic, struct host_error *error)
{
    for (const ElfW(Dyn) *entry = dynamic; entry->d_tag != DT_NULL; entry++) {
        if (entry->d_tag != DT_NEEDED)
            continue;
        const char *name = module->strings + entry->d_un.d_val;
        if (elf_loader_imports_open_needed(name) != 0) {
            char why[600];
            snprintf(why, sizeof why, "its dependency %s cannot be loaded: %s", name, elf_loader_imports_last_error());
            return fail(error, module->path, why);
        }
    }
    return 0;
}

struct elf_module *elf_loader_load(int fd, uint64_t file_offset, const uint8_t *image, uint64_t size, const char *path,
                                   struct host_error *error)
{
    const ElfW(Ehdr) *header = (const ElfW(Ehdr) *)image;
    pthread_mutex_lock(&load_lock);
    size_t index = published_count;
    if (index >= ELF_LOADER_MAX_MODULES) {
        pthread_mutex_unlock(&load_lock);
        fail(error, path, "more than 64 libraries are mapped");
        return NULL;
    }
    struct elf_module *module = &modules[index];
    struct elf_module *result = NULL;
    memset(module, 0, sizeof *module);
    snprintf(module->path, sizeof module->path, "%s", path);
    if (size < sizeof *header || memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_ident[EI_CLASS] != ELFCLASS64
        || header->e_type != ET_DYN || header->e_machine != EM_X86_64 || header->e_phentsize != sizeof(ElfW(Phdr))
        || header->e_phoff > size || (uint64_t)header->e_phnum * sizeof(ElfW(Phdr)) > size - header->e_phoff) {
        fail(error, path, "not an x86-64 shared library");
        goto done;
    }
    const ElfW(Phdr) *phdrs = (const ElfW(Phdr) *)(image + header->e_phoff);
    if (map_segments(module, fd, file_offset, size, header, phdrs, error) != 0)
        goto done;
    module->phdrs = (const ElfW(Phdr) *)(module->base + header->e_phoff); /* the first segment maps the headers */
    module->phnum = header->e_phnum;
    const ElfW(Dyn) *dynamic = NULL;
    for (int i = 0; i < header->e_phnum; i++) {
        if (phdrs[i].p_type == PT_DYNAMIC)
            dynamic = (const ElfW(Dyn) *)(module->base + phdrs[i].p_vaddr);
        else if (phdrs[i].p_type == PT_GNU_EH_FRAME)
            module->eh_frame_hdr = (const void *)(module->base + phdrs[i].p_vaddr);
        else if (phdrs[i].p_type == PT_TLS && phdrs[i].p_memsz > 0) {
            module->tls_module_id = ELF_LOADER_TLS_MODULE_BASE + index;
            module->tls_image = (const void *)(module->base + phdrs[i].p_vaddr);
            module->tls_image_size = phdrs[i].p_filesz;
            module->tls_size = phdrs[i].p_memsz;
            module->tls_align = phdrs[i].p_align ? phdrs[i].p_align : 1;
        }
    }
    if (dynamic == NULL) {
        fail(error, path, "no dynamic segment");
        goto done;
    }
    module->dynamic = dynamic;
    struct dynamic_info info = {0};
    for (const ElfW(Dyn) *entry = dynamic; entry->d_tag != DT_NULL; entry++) {
        uintptr_t address = module->base + entry->d_un.d_ptr;
        switch (entry->d_tag) {
        case DT_SYMTAB: module->symbols = (const ElfW(Sym) *)address; break;
        case DT_STRTAB: module->strings = (const char *)address; break;
        case DT_HASH: module->sysv_hash = (const uint32_t *)address; break;
        case DT_GNU_HASH: module->gnu_hash = (const uint32_t *)address; break;
        case DT_RELA: info.rela = (const ElfW(Rela) *)address; break;
        case DT_RELASZ: info.rela_size = entry->d_un.d_val; break;
        case DT_JMPREL: info.jmprel = (const ElfW(Rela) *)address; break;
        case DT_PLTRELSZ: info.jmprel_size = entry->d_un.d_val; break;
        case DT_VERSYM: info.versym = (const ElfW(Half) *)address; break;
        case DT_VERNEED: info.verneed = (const ElfW(Verneed) *)address; break;
        case DT_VERNEEDNUM: info.verneed_count = entry->d_un.d_val; break;
        case DT_INIT: info.init = (void (*)(int, char **, char **))address; break;
        case DT_INIT_ARRAY: info.init_array = (void (**)(int, char **, char **))address; break;
        case DT_INIT_ARRAYSZ: info.init_count = entry->d_un.d_val / sizeof(void *); break;
        case DT_FINI: module->fini = (void (*)(void))address; break;
        case DT_FINI_ARRAY: module->fini_array = (void (**)(void))address; break;
        case DT_FINI_ARRAYSZ: module->fini_count = entry->d_un.d_val / sizeof(void *); break;
        case DT_SYMBOLIC: info.symbolic = 1; break;
        case DT_FLAGS:
            if (entry->d_un.d_val & DF_SYMBOLIC)
                info.symbolic = 1;
            if (entry->d_un.d_val & DF_TEXTREL) {
                fail(error, path, "it has text relocations");
                goto done;
            }
            break;
        case DT_TEXTREL:
            fail(error, path, "it has text relocations");
            goto done;
        case DT_REL:
        case DT_RELR:
            fail(error, path, "it has REL or RELR relocations");
            goto done;
        default: break;
        }
    }
    if (module->symbols == NULL || module->strings == NULL) {
        fail(error, path, "no dynamic symbol table");
        goto done;
    }
    module->symbol_count = count_symbols(module);
    if (open_needed(module, dynamic, error) != 0)
        goto done;
    info.resolved = calloc(module->symbol_count, sizeof *info.resolved);
    info.bound = calloc(module->symbol_count, sizeof *info.bound);
    if (info.resolved == NULL || info.bound == NULL) { /* then every relocation looks its symbol up, as it may */
        free(info.resolved);
        free(info.bound);
        info.resolved = NULL;
        info.bound = NULL;
    }
    int relocated = relocate(module, &info, info.rela, info.rela_size, error) == 0
                    && relocate(module, &info, info.jmprel, info.jmprel_size, error) == 0;
    free(info.resolved);
    free(info.bound);
    if (!relocated)
        goto done;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < header->e_phnum; i++) {
        if (phdrs[i].p_type == PT_GNU_RELRO) {
            uintptr_t start = (module->base + phdrs[i].p_vaddr) & ~(page - 1);
            uintptr_t end = (module->base + phdrs[i].p_vaddr + phdrs[i].p_memsz) & ~(page - 1);
            if (end > start)
                mprotect((void *)start, end - start, PROT_READ);
        }
    }
    /* Published before its constructors run: they may throw and catch C++ exceptions or ask dladdr about themselves. */
    __atomic_store_n(&published_count, index + 1, __ATOMIC_RELEASE);
    elf_loader_gdb_register(module, fd, file_offset, image, size);
    if (!fini_registered) {
        fini_registered = 1;
        atexit(run_finalizers); /* before any constructor registers its own exit handlers, so it runs after them */
    }
    pthread_mutex_unlock(&load_lock);
    /* Constructors run outside the lock: they may load further libraries. */
    static char *no_arguments[] = {NULL};
    if (info.init != NULL)
        info.init(0, no_arguments, environ);
    for (size_t i = 0; i < info.init_count; i++) {
        if (info.init_array[i] != NULL && info.init_array[i] != (void *)-1)
            info.init_array[i](0, no_arguments, environ);
    }
    return module;
done:
    if (module->map_end > module->map_start)
        munmap((void *)module->map_start, module->map_end - module->map_start);
    pthread_mutex_unlock(&load_lock);
    return result;
}
