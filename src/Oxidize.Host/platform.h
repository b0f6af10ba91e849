/*
 * platform.h -- the one place that knows which architecture the host is built for (in the spirit of
 * corehost's pal.h). Everything architecture-specific lives in platform_<arch>.h and start_<arch>.S:
 *
 *   OXIDIZE_ARCHITECTURE_NAME  how messages name the architecture ("x86-64", "arm64")
 *   OXIDIZE_ELF_MACHINE        the e_machine of ELF files the host and the bootstrap may load
 *   OXIDIZE_GLIBC_BASE_VERSION the architecture's first glibc symbol version; glibc_floor.h binds the
 *                              symbols whose default version moved in glibc 2.34 to it
 *   OXIDIZE_START_LOADER(...)  the bundled-userland bootstrap's jump into the loader (userland_bootstrap.c);
 *                              optional: without it the bootstrap does not build for the architecture
 *
 * Architecture-neutral code follows from using only the *at system calls (newfstatat, faccessat, openat,
 * unlinkat, renameat, linkat, mkdirat): arm64, like every newer Linux port, has no stat, lstat, access,
 * open, unlink, rename, link or mkdir system calls. On both architectures the kernel's struct stat is
 * glibc's struct stat and struct stat64, and struct dirent is struct dirent64.
 *
 * Adding an architecture: a platform_<arch>.h defining all of the above, a start_<arch>.S entry stub, and
 * the RID in build/Oxidize.Sdk.targets and eng/build.sh. Anything else fails the build here.
 */
#ifndef OXIDIZE_PLATFORM_H
#define OXIDIZE_PLATFORM_H

#if !defined(__linux__)
#error "the Oxidize host is Linux-only"
#elif defined(__x86_64__)
#include "platform_x86_64.h"
#elif defined(__aarch64__)
#include "platform_aarch64.h"
#else
#error "the Oxidize host has no platform file for this architecture: add platform_<arch>.h and start_<arch>.S"
#endif

#if !defined(OXIDIZE_ARCHITECTURE_NAME) || !defined(OXIDIZE_ELF_MACHINE) || !defined(OXIDIZE_GLIBC_BASE_VERSION)
#error "platform_<arch>.h must define OXIDIZE_ARCHITECTURE_NAME, OXIDIZE_ELF_MACHINE and OXIDIZE_GLIBC_BASE_VERSION"
#endif

#endif /* OXIDIZE_PLATFORM_H */
