#define _GNU_SOURCE
#include "glibc_floor.h"
#include "elf_loader_unwind.h"

#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

#include "elf_loader.h"
#include "elf_loader_tls.h"
#include "next_symbol.h"

typedef int (*phdr_callback)(struct dl_phdr_info *, size_t, void *);
typedef int (*iterate_function)(phdr_callback, void *);
static void *real_iterate;

struct wrapped_callback {
    phdr_callback callback;
    void *data;
    unsigned long long adds, subs;
};

/* glibc's entries, with the loader's modules counted in dlpi_adds so that caches keyed on it (libgcc's) see them. */
static int report_glibc_module(struct dl_phdr_info *info, size_t size, void *data)
{
    struct wrapped_callback *wrapped = data;
    struct dl_phdr_info copy;
    memset(&copy, 0, sizeof copy);
    if (size > sizeof copy)
        size = sizeof copy;
    memcpy(&copy, info, size);
    wrapped->adds = copy.dlpi_adds + elf_loader_module_count();
    wrapped->subs = copy.dlpi_subs;
    copy.dlpi_adds = wrapped->adds;
    return wrapped->callback(&copy, size, wrapped->data);
}

__attribute__((visibility("default"))) int dl_iterate_phdr(phdr_callback callback, void *data)
{
    struct wrapped_callback wrapped = {callback, data, 0, 0};
    int result = ((iterate_function)next_symbol(&real_iterate, "dl_iterate_phdr"))(report_glibc_module, &wrapped);
    if (result != 0)
        return result;
    size_t count = elf_loader_module_count();
    for (size_t i = 0; i < count; i++) {
        const struct elf_module *module = elf_loader_module_at(i);
        struct dl_phdr_info info;
        memset(&info, 0, sizeof info);
        info.dlpi_addr = module->base;
        info.dlpi_name = module->path;
        info.dlpi_phdr = module->phdrs;
        info.dlpi_phnum = module->phnum;
        info.dlpi_adds = wrapped.adds;
        info.dlpi_subs = wrapped.subs;
        info.dlpi_tls_modid = module->tls_size ? module->tls_module_id : 0;
        info.dlpi_tls_data = module->tls_size ? elf_loader_tls_block(module->tls_module_id) : NULL;
        result = callback(&info, sizeof info, data);
        if (result != 0)
            return result;
    }
    return 0;
}

typedef int (*find_object_function)(void *, struct dl_find_object *);
static void *real_find_object;

__attribute__((visibility("default"))) int _dl_find_object(void *address, struct dl_find_object *result)
{
    const struct elf_module *module = elf_loader_module_containing(address);
    if (module != NULL) {
        memset(result, 0, sizeof *result);
        result->dlfo_map_start = (void *)module->map_start;
        result->dlfo_map_end = (void *)module->map_end;
        result->dlfo_link_map = NULL;
        result->dlfo_eh_frame = (void *)module->eh_frame_hdr;
        return module->eh_frame_hdr != NULL ? 0 : -1;
    }
    find_object_function real = (find_object_function)next_symbol(&real_find_object, "_dl_find_object");
    return real != NULL ? real(address, result) : -1;
}
