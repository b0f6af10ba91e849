/* platform_aarch64.h -- AArch64 (linux-arm64). Included through platform.h only. */
#ifndef OXIDIZE_PLATFORM_AARCH64_H
#define OXIDIZE_PLATFORM_AARCH64_H

#define OXIDIZE_ARCHITECTURE_NAME "arm64"
#define OXIDIZE_ELF_MACHINE 183 /* EM_AARCH64 */
/* glibc's first AArch64 release; the arm64 runtime's own floor is GLIBC_2.27 as on x86-64 (eng/build.sh). */
#define OXIDIZE_GLIBC_BASE_VERSION "GLIBC_2.17"

/* No OXIDIZE_START_LOADER: the bundled-userland bootstrap is not built for arm64 (the publish stops with
   OXSDK4010), so userland_bootstrap.c does not compile for it. */

#endif /* OXIDIZE_PLATFORM_AARCH64_H */
