#define _GNU_SOURCE
#include "glibc_floor.h"
#include "library_prefetch.h"

#include <pthread.h>
#include <signal.h>
#include <stddef.h>

#include "native_libraries.h"

/* In the order coreclr_initialize loads them. */
static const char *const startup_libraries[] = {"libSystem.Native.so", "libclrjit.so"};

static pthread_t prefetch_thread;
static int prefetch_started;

static void *prefetch(void *unused)
{
    (void)unused;
    for (size_t i = 0; i < sizeof startup_libraries / sizeof startup_libraries[0]; i++)
        native_libraries_prepare_entry(startup_libraries[i]); /* a failure is reported by the load that follows */
    return NULL;
}

void library_prefetch_start(void)
{
    /* Mapped libraries (the default) have nothing to copy: no thread, whose start and join cost more than nothing on
       a busy machine. */
    int copies = 0;
    for (size_t i = 0; i < sizeof startup_libraries / sizeof startup_libraries[0]; i++)
        copies |= native_libraries_entry_needs_copy(startup_libraries[i]);
    if (!copies)
        return;
    /* Signals stay with the main thread: the thread starts with all of them blocked. */
    sigset_t all, previous;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &previous);
    prefetch_started = pthread_create(&prefetch_thread, NULL, prefetch, NULL) == 0;
    sigprocmask(SIG_SETMASK, &previous, NULL);
}

void library_prefetch_finish(void)
{
    if (prefetch_started)
        pthread_join(prefetch_thread, NULL);
    prefetch_started = 0;
}
