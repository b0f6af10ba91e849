/*
 * The host exports libc functions of its own (dlopen, open, stat, realpath, opendir, ...); each forwards
 * what it does not serve to the definition it replaces, found once with dlsym(RTLD_NEXT) and cached.
 */
#ifndef OXIDIZE_NEXT_SYMBOL_H
#define OXIDIZE_NEXT_SYMBOL_H

/* The next definition of symbol after the host's own, cached in *slot (safe from any thread). */
void *next_symbol(void **slot, const char *symbol);

#endif
