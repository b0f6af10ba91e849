#define _GNU_SOURCE
#include "glibc_floor.h"
#include "next_symbol.h"

#include <dlfcn.h>
#include <stddef.h>

void *next_symbol(void **slot, const char *symbol)
{
    void *function = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (function == NULL) {
        /* Two threads may both look it up; they find the same address. */
        function = dlsym(RTLD_NEXT, symbol);
        __atomic_store_n(slot, function, __ATOMIC_RELEASE);
    }
    return function;
}
