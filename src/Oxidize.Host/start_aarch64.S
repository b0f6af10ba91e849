/*
 * Custom process entry point for the Oxidize native host (AArch64 Linux, glibc).
 *
 * The same job as start_x86_64.S, whose header comment explains why it exists: gcc's crt1.o from
 * glibc >= 2.34 binds __libc_start_main@@GLIBC_2.34, so the host links with -nostartfiles and this
 * entry binds __libc_start_main@GLIBC_2.17 (AArch64's first glibc version) instead, passes its own
 * init function (glibc < 2.34 does not run the executable's constructors itself) and defines
 * __dso_handle (normally from crtbeginS.o).
 *
 * Register use follows glibc's sysdeps/aarch64/start.S: x0 = rtld_fini from ld.so, [sp] = argc,
 * argv at sp + 8. __libc_start_main(main, argc, argv, init, fini, rtld_fini, stack_end).
 */

/* Names this object in the symbol table; without it the assembler records gcc's temporary file for the
   preprocessed source (/tmp/ccXXXXXX.s), a random name that would make every build of the host differ. */
        .file   "start_aarch64.S"

        .text
        .globl  _start
        .type   _start, %function
        .p2align 2
_start:
        .cfi_startproc
        .cfi_undefined x30              /* outermost frame for unwinders */
        mov     x29, #0                 /* ABI: mark the deepest frame */
        mov     x30, #0
        mov     x5, x0                  /* rtld_fini, handed over by ld.so */
        ldr     x1, [sp]                /* argc */
        add     x2, sp, #8              /* argv */
        mov     x6, sp                  /* stack_end */
        adrp    x0, main
        add     x0, x0, :lo12:main
        adrp    x3, oxidize_start_init
        add     x3, x3, :lo12:oxidize_start_init
        mov     x4, #0                  /* fini: ld.so runs .fini_array itself */
        bl      __libc_start_main
        brk     #0                      /* __libc_start_main never returns */
        .cfi_endproc
        .size   _start, .-_start

        .symver __libc_start_main, __libc_start_main@GLIBC_2.17

/*
 * void oxidize_start_init(int argc, char **argv, char **envp)
 * Same job as glibc's old __libc_csu_init: .preinit_array then .init_array.
 */
        .type   oxidize_start_init, %function
        .p2align 2
oxidize_start_init:
        .cfi_startproc
        stp     x29, x30, [sp, #-48]!
        .cfi_def_cfa_offset 48
        .cfi_offset x29, -48
        .cfi_offset x30, -40
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        mov     w19, w0                 /* argc */
        mov     x20, x1                 /* argv */
        mov     x21, x2                 /* envp */

        adrp    x22, __preinit_array_start
        add     x22, x22, :lo12:__preinit_array_start
1:      adrp    x9, __preinit_array_end
        add     x9, x9, :lo12:__preinit_array_end
        cmp     x22, x9
        b.hs    2f
        ldr     x9, [x22], #8
        mov     w0, w19
        mov     x1, x20
        mov     x2, x21
        blr     x9
        b       1b

2:      adrp    x22, __init_array_start
        add     x22, x22, :lo12:__init_array_start
3:      adrp    x9, __init_array_end
        add     x9, x9, :lo12:__init_array_end
        cmp     x22, x9
        b.hs    4f
        ldr     x9, [x22], #8
        mov     w0, w19
        mov     x1, x20
        mov     x2, x21
        blr     x9
        b       3b

4:      ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        .cfi_def_cfa_offset 0
        ret
        .cfi_endproc
        .size   oxidize_start_init, .-oxidize_start_init

/* Normally from crtbeginS.o; pointing at itself is what crtbegin does. */
        .section .data.rel.ro.local,"aw"
        .p2align 3
        .globl  __dso_handle
        .hidden __dso_handle
        .type   __dso_handle, %object
        .size   __dso_handle, 8
__dso_handle:
        .quad   __dso_handle

/* Without this marker the linker assumes an executable stack. */
        .section .note.GNU-stack,"",%progbits
