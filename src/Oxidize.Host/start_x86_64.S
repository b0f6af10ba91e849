/*
 * Custom process entry point for the Oxidize native host (x86-64 Linux, glibc).
 *
 * Why this file exists:
 *   The Scrt1.o/crt1.o that gcc links by default comes from the *build*
 *   machine's glibc.  On glibc >= 2.34 it calls __libc_start_main@@GLIBC_2.34,
 *   which stamps a GLIBC_2.34 requirement into the host and makes it refuse
 *   to start on older distributions ("version `GLIBC_2.34' not found").
 *   We link with -nostartfiles and use this entry point instead, which binds
 *   to the original __libc_start_main@GLIBC_2.2.5 (still exported by every
 *   x86-64 glibc, including 2.34+ as a compat symbol).
 *
 * Why it passes its own init function:
 *   glibc < 2.34 never runs the executable's own constructors itself; it
 *   relied on crt1.o passing __libc_csu_init (from libc_nonshared.a, which no
 *   longer exists in 2.34+).  A NULL init would silently skip every
 *   __attribute__((constructor)) and .init_array entry on old systems, so we
 *   pass a minimal equivalent.  glibc >= 2.34 calls a non-NULL init instead
 *   of its own constructor walk, so constructors run exactly once on both.
 *   fini stays NULL: ld.so's _dl_fini runs the executable's .fini_array on
 *   every glibc version.
 *
 * Why it defines __dso_handle:
 *   -nostartfiles also drops crtbeginS.o, which normally defines it;
 *   atexit() (from libc_nonshared.a) and C++ static destructors need it.
 */

/* Names this object in the symbol table; without it the assembler records gcc's temporary file for the
   preprocessed source (/tmp/ccXXXXXX.s), a random name that would make every build of the host differ. */
        .file   "start_x86_64.S"

        .text
        .globl  _start
        .type   _start, @function
        .p2align 4
_start:
        .cfi_startproc
        .cfi_undefined rip              /* outermost frame for unwinders */
        xorl    %ebp, %ebp              /* ABI: mark the deepest frame */
        movq    %rdx, %r9               /* rtld_fini, handed over by ld.so */
        popq    %rsi                    /* argc */
        movq    %rsp, %rdx              /* argv */
        andq    $-16, %rsp              /* ABI: 16-byte aligned before call */
        pushq   %rax                    /* padding, keeps alignment */
        pushq   %rsp                    /* 7th arg: stack_end */
        xorl    %r8d, %r8d              /* fini: see header comment */
        leaq    oxidize_start_init(%rip), %rcx
        leaq    main(%rip), %rdi
        call    *__libc_start_main@GOTPCREL(%rip)
        hlt                             /* __libc_start_main never returns */
        .cfi_endproc
        .size   _start, .-_start

        .symver __libc_start_main, __libc_start_main@GLIBC_2.2.5

/*
 * void oxidize_start_init(int argc, char **argv, char **envp)
 * Same job as glibc's old __libc_csu_init: .preinit_array then .init_array
 * (the linker-provided bounds are hidden, so this works in PIE and non-PIE).
 * There is no DT_INIT/_init to call because crti.o is not linked.
 */
        .type   oxidize_start_init, @function
        .p2align 4
oxidize_start_init:
        .cfi_startproc
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        pushq   %rbx                    /* 5 pushes + ret addr: aligned */
        .cfi_adjust_cfa_offset 8
        movl    %edi, %r12d             /* argc */
        movq    %rsi, %r13              /* argv */
        movq    %rdx, %r14              /* envp */

        leaq    __preinit_array_start(%rip), %rbx
        leaq    __preinit_array_end(%rip), %r15
1:      cmpq    %r15, %rbx
        jae     2f
        movl    %r12d, %edi
        movq    %r13, %rsi
        movq    %r14, %rdx
        call    *(%rbx)
        addq    $8, %rbx
        jmp     1b

2:      leaq    __init_array_start(%rip), %rbx
        leaq    __init_array_end(%rip), %r15
3:      cmpq    %r15, %rbx
        jae     4f
        movl    %r12d, %edi
        movq    %r13, %rsi
        movq    %r14, %rdx
        call    *(%rbx)
        addq    $8, %rbx
        jmp     3b

4:      popq    %rbx
        .cfi_adjust_cfa_offset -8
        popq    %r12
        .cfi_adjust_cfa_offset -8
        popq    %r13
        .cfi_adjust_cfa_offset -8
        popq    %r14
        .cfi_adjust_cfa_offset -8
        popq    %r15
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   oxidize_start_init, .-oxidize_start_init

/* Normally from crtbeginS.o (see header comment).  Its value only has to
   be unique to this module; pointing at itself is what crtbegin does. */
        .section .data.rel.ro.local,"aw"
        .p2align 3
        .globl  __dso_handle
        .hidden __dso_handle
        .type   __dso_handle, @object
        .size   __dso_handle, 8
__dso_handle:
        .quad   __dso_handle

/* Without this marker the linker assumes this object needs an executable
   stack and marks the whole host PT_GNU_STACK RWX. */
        .section .note.GNU-stack,"",@progbits
