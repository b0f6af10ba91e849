/* platform_x86_64.h -- x86-64 (linux-x64). Included through platform.h only. */
#ifndef OXIDIZE_PLATFORM_X86_64_H
#define OXIDIZE_PLATFORM_X86_64_H

#define OXIDIZE_ARCHITECTURE_NAME "x86-64"
#define OXIDIZE_ELF_MACHINE 62 /* EM_X86_64 */
/* glibc's first x86-64 release; the runtime's own floor is GLIBC_2.27 (eng/build.sh checks the host against it). */
#define OXIDIZE_GLIBC_BASE_VERSION "GLIBC_2.2.5"

/* Copies the words of the loader's initial stack (argc, argv, envp, auxv) from vector to stack, makes it
   the stack and jumps to the loader's entry with rdx = 0 (no rtld_fini) and a zero frame pointer, as the
   kernel starts a process. From the copy on only registers are used: stack overlaps the caller's frames. */
#define OXIDIZE_START_LOADER(stack, vector, words, entry)                                                      \
    __asm__ volatile("mov %0, %%rsp\n\t"                                                                       \
                     "mov %0, %%rdi\n\t"                                                                       \
                     "mov %1, %%rsi\n\t"                                                                       \
                     "mov %2, %%rcx\n\t"                                                                       \
                     "cld\n\t"                                                                                 \
                     "rep movsq\n\t"                                                                           \
                     "xor %%ebp, %%ebp\n\t"                                                                    \
                     "xor %%edx, %%edx\n\t"                                                                    \
                     "jmp *%3\n\t"                                                                             \
                     :                                                                                         \
                     : "r"(stack), "r"(vector), "r"(words), "r"(entry)                                         \
                     : "rdi", "rsi", "rcx", "rdx", "memory")

#endif /* OXIDIZE_PLATFORM_X86_64_H */
