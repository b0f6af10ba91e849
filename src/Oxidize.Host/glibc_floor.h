/*
 * glibc_floor.h -- keep the Oxidize host loadable on old glibc: >= 2.17 on x86-64 and on arm64 (whose
 * first glibc is 2.17).
 *
 * Include this FIRST in every host .c file (before any system header).
 *
 * Why: the host is built on a new glibc (2.36), but the linker binds every
 * libc call to the newest *default* version it finds there.  In glibc 2.34
 * libdl was merged into libc and dlsym & co. got new GLIBC_2.34 defaults, so
 * a plain build would refuse to start on older systems.  The old versions
 * are still exported as compat symbols, and ".symver" makes the assembler
 * reference them by exact version instead.  The same binary then runs on
 * both: on new glibc they resolve to the compat aliases in libc.so.6, on old
 * glibc (< 2.34) to the real functions in libdl.so.2 -- which is why the
 * host must also be linked with
 *     -Wl,--no-as-needed -l:libdl.so.2 -Wl,--as-needed
 * the old loader only finds dlsym in libdl.so.2 if it is DT_NEEDED
 * ("undefined symbol: dlsym, version GLIBC_2.2.5" otherwise), and a plain
 * -ldl silently picks the empty libdl.a that glibc >= 2.34 ships.
 *
 * dlopen is deliberately NOT listed.  The host defines and exports its own
 * dlopen (so that libraries it loads bind to it); a .symver on dlopen in the
 * file that defines it turns that definition into a hidden
 * "dlopen@GLIBC_2.2.5" owned by the host, invents a GLIBC_2.2.5 version node
 * inside the executable, and libraries referencing dlopen@GLIBC_2.34 then
 * bypass the interposer.  Host code calls plain dlopen (its own interposer);
 * the interposer reaches libc through oxidize_real_dlopen() below, never by
 * calling "dlopen" by name (that would bind back to itself).
 *
 * __libc_start_main (the other GLIBC_2.34 symbol) comes from gcc's default
 * crt1.o, not from our code; start_<arch>.S replaces it (-nostartfiles).
 *
 * The pinned version is the architecture's first glibc version, OXIDIZE_GLIBC_BASE_VERSION from
 * platform.h (GLIBC_2.2.5 on x86-64, GLIBC_2.17 on arm64); platform.h fails the build for an
 * architecture without one, so the pins can never silently disappear.
 *
 * Verify after every change:  objdump -T host | grep -o 'GLIBC_[0-9.]*' | sort -uV
 * must print nothing above GLIBC_2.17 (eng/build.sh fails above GLIBC_2.27, the runtime's own floor on
 * x86-64 and on arm64).
 */
#ifndef OXIDIZE_GLIBC_FLOOR_H
#define OXIDIZE_GLIBC_FLOOR_H

/* The Windows host links no glibc: the portable files it shares (runtime_host.c, lz4_decode.c) pin nothing there. */
#if !defined(_WIN32)

#include "platform.h"

#if !defined(__ASSEMBLER__)

/* Only the libdl family needs pinning: everything else the host uses has
   kept a default version <= 2.17 (memcpy@@2.14, realpath@@2.3,
   __*_chk from _FORTIFY_SOURCE <= 2.7, __stack_chk_fail@@2.4). */
__asm__(".symver dlsym,dlsym@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver dlvsym,dlvsym@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver dlerror,dlerror@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver dlclose,dlclose@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver dladdr,dladdr@" OXIDIZE_GLIBC_BASE_VERSION);
/* pthread_create/join got GLIBC_2.34 defaults when libpthread merged into libc; the old versions live in
   libpthread.so.0 on older glibc, which the Makefile therefore links by name like libdl.so.2. */
__asm__(".symver pthread_create,pthread_create@" OXIDIZE_GLIBC_BASE_VERSION);
__asm__(".symver pthread_join,pthread_join@" OXIDIZE_GLIBC_BASE_VERSION);

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* RTLD_NEXT */
#endif
#include <dlfcn.h>

/* The libc dlopen, found with RTLD_NEXT ("the next definition after the
   calling object"), so the lookup skips the host's own exported dlopen and
   works whether libc.so.6 (>= 2.34) or libdl.so.2 (older) provides it.
   RTLD_NEXT is relative to the caller, so this must be compiled into the
   host executable itself, never into a library it loads. */
typedef void *(*oxidize_dlopen_fn)(const char *, int);
static inline oxidize_dlopen_fn oxidize_real_dlopen(void)
{
    static oxidize_dlopen_fn real;
    if (!real)
        real = __extension__ (oxidize_dlopen_fn)dlsym(RTLD_NEXT, "dlopen");
    return real;
}

/* Not pinnable: these exist ONLY in versions newer than the floor, so no
   .symver can help -- do not call them from the host (the objdump check
   above catches them):
     fstat/stat/lstat/fstatat (2.33)  -> syscall(SYS_fstat, fd, &st) or
                                         syscall(SYS_newfstatat, ...); glibc's
                                         struct stat is the kernel's on both
                                         architectures (platform.h)
     memfd_create (2.27), copy_file_range (2.27), statx (2.28)
                                      -> syscall(SYS_memfd_create, ...) etc.
     getrandom/getentropy (2.25), reallocarray (2.26), explicit_bzero (2.25),
     close_range (2.34), __libc_single_threaded (2.32), arc4random (2.36)
     pthread_once/key_create (2.34 default; pin them like pthread_create
                                       above if ever needed)
*/

#endif /* !__ASSEMBLER__ */
#endif /* !_WIN32 */
#endif /* OXIDIZE_GLIBC_FLOOR_H */
