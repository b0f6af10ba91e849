#define _GNU_SOURCE
#include "glibc_floor.h"
#include "elf_loader_tls.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "elf_loader.h"
#include "next_symbol.h"

/* pthread_key_create and pthread_setspecific got GLIBC_2.34 defaults; the old versions keep the host's floor. */
__asm__(".symver pthread_key_create,pthread_key_create@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver pthread_setspecific,pthread_setspecific@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver pthread_once,pthread_once@" OXIDIZE_GLIBC_BASE_VERSION);

/* The calling thread's blocks, one slot a module: the executable's own TLS, so the fast path is one %fs load. */
__attribute__((used)) static __thread void **thread_blocks;
/* Rounds of thread-exit destructors seen: the blocks are freed in the last round glibc runs, so that other keys'
   destructors (the runtime's own) that run after this one in earlier rounds still find their thread's variables. */
static __thread int exit_rounds;
static pthread_key_t cleanup_key;
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;

typedef void *(*tls_get_addr_function)(struct elf_loader_tls_index *);
static void *real_tls_get_addr;

static void free_blocks(void *blocks)
{
    void **slots = blocks;
    if (++exit_rounds < 4) { /* PTHREAD_DESTRUCTOR_ITERATIONS */
        pthread_setspecific(cleanup_key, blocks);
        return;
    }
    for (size_t i = 0; i < ELF_LOADER_MAX_MODULES; i++)
        free(slots[i]);
    free(slots);
    thread_blocks = NULL;
}

static void create_key(void)
{
    pthread_key_create(&cleanup_key, free_blocks);
}

static void *allocate_block(size_t slot)
{
    struct elf_module *module = elf_loader_module_at(slot);
    if (thread_blocks == NULL) {
        void **slots = calloc(ELF_LOADER_MAX_MODULES, sizeof *slots);
        if (slots == NULL)
            abort(); /* glibc's __tls_get_addr has no way to fail either */
        pthread_once(&cleanup_once, create_key);
        pthread_setspecific(cleanup_key, slots);
        thread_blocks = slots;
    }
    size_t align = module->tls_align < sizeof(void *) ? sizeof(void *) : module->tls_align;
    void *block;
    if (posix_memalign(&block, align, module->tls_size) != 0)
        abort();
    memcpy(block, module->tls_image, module->tls_image_size);
    memset((char *)block + module->tls_image_size, 0, module->tls_size - module->tls_image_size);
    thread_blocks[slot] = block;
    return block;
}

/* Callers of __tls_get_addr may not keep the stack 16-byte aligned (glibc realigns it too), so the exported entry
   point realigns it before the C code, whose allocation path calls into libc. The runtime calls it for every access to
   one of its thread-locals, so on x86-64 the common case (the module is one of ours and this thread's block exists) is
   answered here without a frame: the slot index, then thread_blocks through the executable's own TLS (local exec,
   %fs-relative, as the C code reads it), then the block plus the offset. */
void *elf_loader_tls_get_addr_aligned(struct elf_loader_tls_index *index);
#define ELF_LOADER_TLS_STRING(x) #x
#define ELF_LOADER_TLS_EXPAND(x) ELF_LOADER_TLS_STRING(x)
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl elf_loader_tls_get_addr\n"
        ".hidden elf_loader_tls_get_addr\n"
        ".type elf_loader_tls_get_addr,@function\n"
        "elf_loader_tls_get_addr:\n"
        "    mov (%rdi), %rax\n"
        "    sub $" ELF_LOADER_TLS_EXPAND(ELF_LOADER_TLS_MODULE_BASE_VALUE) ", %rax\n"
        "    cmp $" ELF_LOADER_TLS_EXPAND(ELF_LOADER_MAX_MODULES) ", %rax\n"
        "    jae 1f\n" /* not ours (below the base wraps around): glibc's, in the C code */
        "    mov %fs:thread_blocks@tpoff, %rcx\n"
        "    test %rcx, %rcx\n"
        "    jz 1f\n"
        "    mov (%rcx,%rax,8), %rax\n"
        "    test %rax, %rax\n"
        "    jz 1f\n"
        "    add 8(%rdi), %rax\n"
        "    ret\n"
        "1:  push %rbp\n"
        "    mov %rsp, %rbp\n"
        "    and $-16, %rsp\n"
        "    call elf_loader_tls_get_addr_aligned\n"
        "    mov %rbp, %rsp\n"
        "    pop %rbp\n"
        "    ret\n"
        ".size elf_loader_tls_get_addr, .-elf_loader_tls_get_addr\n");
#else
void *elf_loader_tls_get_addr(struct elf_loader_tls_index *index)
{
    return elf_loader_tls_get_addr_aligned(index);
}
#endif

__attribute__((visibility("hidden"))) void *elf_loader_tls_get_addr_aligned(struct elf_loader_tls_index *index)
{
    size_t slot = index->module - ELF_LOADER_TLS_MODULE_BASE;
    if (index->module < ELF_LOADER_TLS_MODULE_BASE || slot >= ELF_LOADER_MAX_MODULES)
        return ((tls_get_addr_function)next_symbol(&real_tls_get_addr, "__tls_get_addr"))(index);
    void **blocks = thread_blocks;
    void *block = blocks != NULL ? blocks[slot] : NULL;
    if (__builtin_expect(block == NULL, 0))
        block = allocate_block(slot);
    return (char *)block + index->offset;
}

void *elf_loader_tls_block(unsigned long module_id)
{
    size_t slot = module_id - ELF_LOADER_TLS_MODULE_BASE;
    if (module_id < ELF_LOADER_TLS_MODULE_BASE || slot >= ELF_LOADER_MAX_MODULES || thread_blocks == NULL)
        return NULL;
    return thread_blocks[slot];
}
