#define _GNU_SOURCE
#include "glibc_floor.h"
#include "elf_loader_gdb.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf_loader.h"

/* gdb's JIT interface (gdb/jit.h, "JIT Interface" in gdb's manual): gdb puts a breakpoint on the function and reads
   the descriptor's list when it is hit, and reads the list once when it attaches. Exported so gdb finds both. */
struct jit_code_entry {
    struct jit_code_entry *next_entry;
    struct jit_code_entry *prev_entry;
    const char *symfile_addr;
    uint64_t symfile_size;
};

struct jit_descriptor {
    uint32_t version;
    uint32_t action_flag; /* 1: register relevant_entry */
    struct jit_code_entry *relevant_entry;
    struct jit_code_entry *first_entry;
};

__attribute__((visibility("default"))) struct jit_descriptor __jit_debug_descriptor = {1, 0, NULL, NULL};

__attribute__((visibility("default"), noinline)) void __jit_debug_register_code(void)
{
    __asm__ volatile("" ::: "memory");
}

static struct jit_code_entry entries[ELF_LOADER_MAX_MODULES];
static size_t entry_count;

void elf_loader_gdb_register(const struct elf_module *module, int fd, uint64_t file_offset, const uint8_t *image, uint64_t size)
{
    const ElfW(Ehdr) *header = (const ElfW(Ehdr) *)image;
    if (entry_count >= ELF_LOADER_MAX_MODULES || header->e_shoff == 0 || header->e_shentsize != sizeof(ElfW(Shdr))
        || header->e_shoff > size || (uint64_t)header->e_shnum * sizeof(ElfW(Shdr)) > size - header->e_shoff)
        return; /* nothing gdb could use */
    const ElfW(Shdr) *original = (const ElfW(Shdr) *)(image + header->e_shoff);
    /* Symbol tables are copied with their values moved to the load address too: gdb takes a JIT object's addresses
       as they are written. */
    size_t symbols_size = 0;
    for (int i = 0; i < header->e_shnum; i++) {
        if (original[i].sh_type == SHT_DYNSYM || original[i].sh_type == SHT_SYMTAB) {
            if (original[i].sh_offset > size || original[i].sh_size > size - original[i].sh_offset)
                return;
            symbols_size += (original[i].sh_size + 7) & ~(size_t)7;
        }
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t tables_end = sizeof *header + header->e_shnum * sizeof(ElfW(Shdr));
    size_t headers_size = (tables_end + symbols_size + page - 1) & ~(page - 1);
    size_t file_size = (size + page - 1) & ~(page - 1);
    char *region = mmap(NULL, headers_size + file_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED)
        return;
    if (mmap(region + headers_size, file_size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, (off_t)file_offset) == MAP_FAILED) {
        munmap(region, headers_size + file_size);
        return;
    }
    ElfW(Ehdr) *copy = (ElfW(Ehdr) *)region;
    memcpy(copy, header, sizeof *header);
    copy->e_phoff = 0;
    copy->e_phnum = 0;
    copy->e_shoff = sizeof *header;
    ElfW(Shdr) *sections = (ElfW(Shdr) *)(region + sizeof *header);
    memcpy(sections, original, header->e_shnum * sizeof(ElfW(Shdr)));
    size_t symbols_at = tables_end;
    for (int i = 0; i < header->e_shnum; i++) {
        if (sections[i].sh_type == SHT_DYNSYM || sections[i].sh_type == SHT_SYMTAB) {
            ElfW(Sym) *symbols = (ElfW(Sym) *)(region + symbols_at);
            memcpy(symbols, image + sections[i].sh_offset, sections[i].sh_size);
            for (size_t j = 0; j < sections[i].sh_size / sizeof *symbols; j++) {
                if (symbols[j].st_shndx != SHN_UNDEF && symbols[j].st_shndx < SHN_LORESERVE
                    && ELF64_ST_TYPE(symbols[j].st_info) != STT_TLS)
                    symbols[j].st_value += module->base;
            }
            sections[i].sh_offset = symbols_at;
            symbols_at += (sections[i].sh_size + 7) & ~(size_t)7;
        } else if (sections[i].sh_type != SHT_NULL && sections[i].sh_type != SHT_NOBITS) {
            sections[i].sh_offset += headers_size;
        }
        if (sections[i].sh_flags & SHF_ALLOC)
            sections[i].sh_addr += module->base;
    }
    mprotect(region, headers_size, PROT_READ);

    struct jit_code_entry *entry = &entries[entry_count++];
    entry->symfile_addr = region;
    entry->symfile_size = headers_size + size;
    entry->prev_entry = NULL;
    entry->next_entry = __jit_debug_descriptor.first_entry;
    if (entry->next_entry != NULL)
        entry->next_entry->prev_entry = entry;
    __jit_debug_descriptor.first_entry = entry;
    __jit_debug_descriptor.relevant_entry = entry;
    __jit_debug_descriptor.action_flag = 1;
    __jit_debug_register_code();
}
