/*
 * Copies the runtime libraries that coreclr_initialize loads first (libSystem.Native, the JIT) into
 * their memfds on a second thread while the main thread dlopens libcoreclr. The copies are kernel work
 * that cannot be avoided without extracting files; with a second core this takes most of the JIT's copy
 * (2 ms) off the startup's critical path. Nothing else changes: a library is still loaded only when
 * the runtime asks for it, and a library the thread has not finished is waited for, not copied twice
 * (native_libraries.c). When both are mapped from the executable (the default) there is nothing to copy and no
 * thread is started.
 */
#ifndef OXIDIZE_LIBRARY_PREFETCH_H
#define OXIDIZE_LIBRARY_PREFETCH_H

/* Starts the thread (after native_libraries_init). When no thread can be started, nothing happens and
   the libraries are copied on first use as before. */
void library_prefetch_start(void);

/* Waits for the thread. Call it before coreclr_initialize: measured on a 2-vCPU VM, leaving the
   finished thread unjoined while the runtime initializes made startup 4-7 ms slower, even for a thread
   that did nothing; joined first, it made the framework-loading app 2-3 ms faster (docs/performance.md). */
void library_prefetch_finish(void);

#endif
