/*
 * The front of an executable published with -p:OxidizeUserland=bundled (docs/userland.md).
 *
 * A static ELF with no interpreter, so the kernel runs it whatever the target's userland. It starts
 * the real host (packed as .oxidize/userland/host) through the glibc dynamic loader carried in the
 * payload, doing in user space what the kernel's ELF loader would have done had the host been
 * executed with that loader as its interpreter:
 *
 *   1. maps its own file (/proc/self/exe) and validates the payload with the host's own reader;
 *   2. copies every carried library (.oxidize/userland/preload/<soname>) into a memfd; the loader
 *      preloads them (LD_PRELOAD=/proc/self/fd/N:...), so each DT_NEEDED name of the host and of the
 *      runtime is satisfied by SONAME from memory, never searched on disk;
 *   3. maps the loader (.oxidize/userland/ld.so) and the host from memfds, segment by segment;
 *   4. builds, on the process's own stack, the vector the kernel builds for a dynamic program (same
 *      argc/argv, the environment plus LD_PRELOAD, an auxiliary vector naming the host as the
 *      program and the loader as its interpreter) and jumps to the loader's entry point.
 *
 * No exec happens, so the process keeps its identity: /proc/self/exe, argv[0], its name and pid are
 * the executable's. The host therefore finds its payload, its directory and Environment.ProcessPath
 * exactly as in the normal mode; it only has to undo the LD_PRELOAD variable (main.c) so that child
 * processes do not inherit it. Nothing is written to any file system: memfds only.
 *
 * The optional extras are handed over through the environment: SSL_CERT_FILE names a sealed memfd
 * holding the packed CA bundle, TZDIR the packed zoneinfo folder, which the host serves in the app
 * directory (see the conditions where they are set, in main).
 *
 * Built with musl as a static PIE (Makefile); it reuses the host's payload reader and entry decoder.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "entry_data.h"
#include "host_error.h"
#include "oxidize_format.h"
#include "payload.h"
#include "platform.h"

#ifndef OXIDIZE_START_LOADER
#error "the bundled-userland bootstrap has no loader jump for this architecture (platform_<arch>.h)"
#endif

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

/* Entry names; docs/userland.md and build/Oxidize.Sdk.Userland.targets use the same ones. */
#define USERLAND_PREFIX ".oxidize/userland/"
#define USERLAND_LOADER USERLAND_PREFIX "ld.so"
#define USERLAND_HOST USERLAND_PREFIX "host"
#define USERLAND_LIBRARIES USERLAND_PREFIX "preload/"
#define USERLAND_ZONEINFO USERLAND_PREFIX "zoneinfo"
#define USERLAND_CERTIFICATES USERLAND_PREFIX "ca-certificates.crt"

/* Variables the host reads and removes first thing (main.c), so that children see the user's environment. */
#define MARKER_VARIABLE "OXIDIZE_USERLAND"
#define SAVED_PRELOAD_VARIABLE "OXIDIZE_USERLAND_LD_PRELOAD"

#define MAX_LIBRARIES 64
#define PAGE_SIZE_FALLBACK 4096UL

static const char self_path[] = "/proc/self/exe";
static uintptr_t page_size = PAGE_SIZE_FALLBACK;

struct loaded_image {
    uintptr_t base;           /* load bias: runtime address = base + p_vaddr */
    uintptr_t entry;
    uintptr_t phdr;           /* runtime address of the program headers */
    uint16_t phnum;
};

static const char *const incomplete_what = "the executable's embedded payload is incomplete";
static const char *const load_what = "cannot start the carried userland";

static int64_t find_entry(const struct payload *payload, const char *name)
{
    return payload_find(payload, name, strlen(name));
}

static int require_entry(const struct payload *payload, const char *name, struct host_error *error)
{
    int64_t index = find_entry(payload, name);
    if (index < 0) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, incomplete_what,
                       "\"%s\" is not packed; publish again with -p:OxidizeUserland=bundled", name);
        return -1;
    }
    return (int)index;
}

static int entry_to_memfd(const struct payload *payload, uint32_t index, unsigned int flags, struct host_error *error)
{
    int fd = entry_data_to_memfd(payload, index, flags);
    if (fd < 0) {
        struct payload_entry entry;
        payload_entry_at(payload, index, &entry);
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what,
                       "copying \"%s\" into a memfd failed: %m (%s)", entry.name, host_error_errno_hint(errno));
    }
    return fd;
}

static uintptr_t page_down(uintptr_t value) { return value & ~(page_size - 1); }
static uintptr_t page_up(uintptr_t value) { return (value + page_size - 1) & ~(page_size - 1); }

static int segment_protection(uint32_t flags)
{
    return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

/*
 * Maps a position-independent ELF (ET_DYN: the loader, the PIE host) from fd the way the kernel does:
 * one reservation for the whole span, then each PT_LOAD at its offset, file-backed where the file has
 * bytes and anonymous zero pages for the rest of its memory size.
 */
static int map_image(int fd, const char *name, struct loaded_image *image, struct host_error *error)
{
    Elf64_Ehdr header;
    if (pread(fd, &header, sizeof header, 0) != (ssize_t)sizeof header || memcmp(header.e_ident, ELFMAG, SELFMAG) != 0
        || header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_machine != OXIDIZE_ELF_MACHINE || header.e_type != ET_DYN
        || header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0 || header.e_phnum > 64) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what,
                       "\"%s\" is not a position-independent " OXIDIZE_ARCHITECTURE_NAME " ELF file", name);
        return -1;
    }
    Elf64_Phdr headers[64];
    size_t table_size = (size_t)header.e_phnum * sizeof(Elf64_Phdr);
    if (pread(fd, headers, table_size, (off_t)header.e_phoff) != (ssize_t)table_size) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "cannot read the program headers of \"%s\"", name);
        return -1;
    }

    uintptr_t low = UINTPTR_MAX, high = 0, phdr_vaddr = 0;
    int has_phdr = 0;
    for (unsigned i = 0; i < header.e_phnum; i++) {
        const Elf64_Phdr *segment = &headers[i];
        if (segment->p_type == PT_PHDR) {
            phdr_vaddr = segment->p_vaddr;
            has_phdr = 1;
        }
        if (segment->p_type != PT_LOAD)
            continue;
        if (segment->p_filesz > segment->p_memsz || (segment->p_vaddr - segment->p_offset) % page_size != 0
            || segment->p_vaddr + segment->p_memsz < segment->p_vaddr) {
            host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "\"%s\" has a malformed PT_LOAD segment", name);
            return -1;
        }
        if (segment->p_vaddr < low)
            low = segment->p_vaddr;
        if (segment->p_vaddr + segment->p_memsz > high)
            high = segment->p_vaddr + segment->p_memsz;
        /* Without PT_PHDR the table must lie in the first segment's file bytes (as the kernel assumes). */
        if (!has_phdr && segment->p_offset <= header.e_phoff
            && header.e_phoff + table_size <= segment->p_offset + segment->p_filesz)
            phdr_vaddr = segment->p_vaddr + (header.e_phoff - segment->p_offset);
    }
    if (high <= low) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "\"%s\" has no PT_LOAD segment", name);
        return -1;
    }
    low = page_down(low);
    high = page_up(high);
    uint8_t *reservation = mmap(NULL, high - low, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (reservation == MAP_FAILED) {
        host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "cannot reserve %lu bytes for \"%s\": %m",
                       (unsigned long)(high - low), name);
        return -1;
    }
    uintptr_t base = (uintptr_t)reservation - low;

    for (unsigned i = 0; i < header.e_phnum; i++) {
        const Elf64_Phdr *segment = &headers[i];
        if (segment->p_type != PT_LOAD || segment->p_memsz == 0)
            continue;
        int protection = segment_protection(segment->p_flags);
        uintptr_t start = page_down(base + segment->p_vaddr);
        uintptr_t file_end = base + segment->p_vaddr + segment->p_filesz;
        uintptr_t memory_end = page_up(base + segment->p_vaddr + segment->p_memsz);
        uintptr_t mapped_end = start;
        if (segment->p_filesz > 0) {
            mapped_end = page_up(file_end);
            /* Writable while the tail of the last file page is zeroed below; final rights set after. */
            void *mapped = mmap((void *)start, mapped_end - start, protection | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd,
                                (off_t)page_down(segment->p_offset));
            if (mapped == MAP_FAILED) {
                host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "cannot map a segment of \"%s\": %m", name);
                return -1;
            }
            if (segment->p_memsz > segment->p_filesz)
                memset((void *)file_end, 0, mapped_end - file_end);
            if (mprotect((void *)start, mapped_end - start, protection) != 0) {
                host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "cannot protect a segment of \"%s\": %m", name);
                return -1;
            }
        }
        if (memory_end > mapped_end
            && mmap((void *)mapped_end, memory_end - mapped_end, protection, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0)
                   == MAP_FAILED) {
            host_error_set(error, HOST_EXIT_NATIVE_LOAD_FAILED, load_what, "cannot map the zero pages of \"%s\": %m", name);
            return -1;
        }
    }
    image->base = base;
    image->entry = base + header.e_entry;
    image->phdr = base + phdr_vaddr;
    image->phnum = header.e_phnum;
    return 0;
}

static int map_entry(const struct payload *payload, const char *name, struct loaded_image *image, struct host_error *error)
{
    int index = require_entry(payload, name, error);
    if (index < 0)
        return -1;
    int fd = entry_to_memfd(payload, (uint32_t)index, MFD_CLOEXEC, error);
    if (fd < 0)
        return -1;
    int result = map_image(fd, name, image, error);
    close(fd); /* the mappings keep the memfd's pages */
    return result;
}

/* A growable string in memory that stays mapped for the life of the process (the environment points into it). */
struct text {
    char *bytes;
    size_t length;
    size_t capacity;
};

static int text_append(struct text *text, const char *bytes, size_t length)
{
    if (text->length + length + 1 > text->capacity) {
        size_t capacity = text->capacity ? text->capacity : 4096;
        while (capacity < text->length + length + 1)
            capacity *= 2;
        char *grown = realloc(text->bytes, capacity);
        if (grown == NULL)
            return -1;
        text->bytes = grown;
        text->capacity = capacity;
    }
    memcpy(text->bytes + text->length, bytes, length);
    text->length += length;
    text->bytes[text->length] = '\0';
    return 0;
}

static int text_format(struct text *text, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int text_format(struct text *text, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(NULL, 0, format, arguments);
    va_end(arguments);
    char *buffer = length >= 0 ? malloc((size_t)length + 1) : NULL;
    if (buffer == NULL)
        return -1;
    va_start(arguments, format);
    vsnprintf(buffer, (size_t)length + 1, format, arguments);
    va_end(arguments);
    int result = text_append(text, buffer, (size_t)length);
    free(buffer);
    return result;
}

static char *text_finish(struct text *text)
{
    /* strdup: the environment keeps pointing at these strings after the bootstrap is gone. */
    char *copy = strdup(text->bytes ? text->bytes : "");
    free(text->bytes);
    text->bytes = NULL;
    text->length = text->capacity = 0;
    return copy;
}


static int is_variable(const char *entry, const char *name)
{
    size_t length = strlen(name);
    return strncmp(entry, name, length) == 0 && entry[length] == '=';
}

static const char *find_variable(char **environment, const char *name)
{
    for (char **entry = environment; *entry != NULL; entry++)
        if (is_variable(*entry, name))
            return *entry + strlen(name) + 1;
    return NULL;
}

static int path_exists(const char *path)
{
    struct stat status;
    return path != NULL && path[0] != '\0' && syscall(SYS_newfstatat, AT_FDCWD, path, &status, 0) == 0;
}

/* LD_PRELOAD=/proc/self/fd/N:... for every carried library, in entry (name) order; the user's own LD_PRELOAD follows. */
static char *preload_variable(const struct payload *payload, const char *user_preload, struct host_error *error)
{
    struct text text = {0};
    size_t prefix_length = strlen(USERLAND_LIBRARIES);
    int count = 0;
    if (text_append(&text, "LD_PRELOAD=", 11) != 0)
        goto out_of_memory;
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        struct payload_entry entry;
        payload_entry_at(payload, i, &entry);
        if (entry.name_length <= prefix_length || memcmp(entry.name, USERLAND_LIBRARIES, prefix_length) != 0)
            continue;
        if (++count > MAX_LIBRARIES) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, incomplete_what, "more than %d carried libraries", MAX_LIBRARIES);
            return NULL;
        }
        /* Close-on-exec: these stay open for the life of the process (a reused number would make a
           later dlopen of /proc/self/fd/N return the library already loaded under that name), and
           child processes must not inherit them. */
        int fd = entry_to_memfd(payload, i, MFD_CLOEXEC, error);
        if (fd < 0)
            return NULL;
        if (text_format(&text, "%s/proc/self/fd/%d", count > 1 ? ":" : "", fd) != 0)
            goto out_of_memory;
    }
    if (count == 0) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, incomplete_what,
                       "no \"%s*\" library is packed; publish again with -p:OxidizeUserland=bundled", USERLAND_LIBRARIES);
        return NULL;
    }
    if (user_preload != NULL && user_preload[0] != '\0' && text_format(&text, ":%s", user_preload) != 0)
        goto out_of_memory;
    char *variable = text_finish(&text);
    if (variable != NULL)
        return variable;
out_of_memory:
    host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, load_what, "out of memory for the environment");
    return NULL;
}

/* SSL_CERT_FILE=/proc/self/fd/N: a sealed (read-only for everyone) memfd that child processes inherit
   together with the variable, so the variable stays true in them. */
static char *certificates_variable(const struct payload *payload, struct host_error *error)
{
    int64_t index = find_entry(payload, USERLAND_CERTIFICATES);
    if (index < 0)
        return NULL;
    int fd = entry_to_memfd(payload, (uint32_t)index, MFD_ALLOW_SEALING, error);
    if (fd < 0)
        return NULL;
    fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    struct text text = {0};
    if (text_format(&text, "SSL_CERT_FILE=/proc/self/fd/%d", fd) != 0)
        return NULL;
    return text_finish(&text);
}

/* TZDIR=<app directory>/.oxidize/userland/zoneinfo, served by the host's open() to .NET's managed reader. */
static char *zoneinfo_variable(const struct payload *payload)
{
    if (!payload_has_folder(payload, USERLAND_ZONEINFO, strlen(USERLAND_ZONEINFO)))
        return NULL;
    char executable[4096];
    ssize_t length = readlink(self_path, executable, sizeof executable - 1);
    if (length <= 0)
        return NULL;
    executable[length] = '\0';
    char *slash = strrchr(executable, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    struct text text = {0};
    if (text_format(&text, "TZDIR=%s/" USERLAND_ZONEINFO, executable) != 0)
        return NULL;
    return text_finish(&text);
}

#ifndef OXIDIZE_MUSL_VERSION
#define OXIDIZE_MUSL_VERSION "unknown"
#endif
/* The C library statically linked in, found by the publish-time audit (Oxidize.Audit's StaticLibcMarker) to
 * list it in the bill of materials: "name;Debian package version;SPDX license". */
__attribute__((used)) static const char oxidize_static_libc[] = "oxidize-static-libc=musl;" OXIDIZE_MUSL_VERSION ";MIT";

int main(int argc, char **argv, char **envp)
{
    static struct host_error error;
    static struct payload payload;
    long reported_page_size = sysconf(_SC_PAGESIZE);
    if (reported_page_size > 0)
        page_size = (uintptr_t)reported_page_size;

    if (payload_map_file(self_path, &payload, &error) != HOST_OK)
        host_error_exit(&error);

    /* The environment the loader gets: the user's, minus the variables this protocol owns or replaces, plus ours. */
    size_t environment_count = 0;
    while (envp[environment_count] != NULL)
        environment_count++;
    const char *user_preload = find_variable(envp, "LD_PRELOAD");
    char *certificates = NULL, *zoneinfo = NULL;
    /* The packed certificates, unless the environment names a certificate file or folder that exists. */
    if (!path_exists(find_variable(envp, "SSL_CERT_FILE")) && !path_exists(find_variable(envp, "SSL_CERT_DIR")))
        certificates = certificates_variable(&payload, &error);
    /* The packed time zones, unless TZDIR names a folder that exists, or it is unset and the system has
       its own database: TZDIR then names a folder that exists only inside this process, and a child
       process that reads it (date, another runtime) would find nothing there. */
    const char *user_zoneinfo = find_variable(envp, "TZDIR");
    if (!path_exists(user_zoneinfo) && (user_zoneinfo != NULL || !path_exists("/usr/share/zoneinfo")))
        zoneinfo = zoneinfo_variable(&payload);

    char **environment = calloc(environment_count + 8, sizeof *environment);
    if (environment == NULL) {
        host_error_set(&error, HOST_EXIT_OUT_OF_MEMORY, load_what, "out of memory for the environment");
        host_error_exit(&error);
    }
    size_t count = 0;
    for (size_t i = 0; i < environment_count; i++)
        if (!is_variable(envp[i], "LD_PRELOAD") && !is_variable(envp[i], MARKER_VARIABLE)
            && !is_variable(envp[i], SAVED_PRELOAD_VARIABLE) && !(certificates && is_variable(envp[i], "SSL_CERT_FILE"))
            && !(zoneinfo && is_variable(envp[i], "TZDIR")))
            environment[count++] = envp[i];
    char *preload = preload_variable(&payload, user_preload, &error);
    if (preload == NULL)
        host_error_exit(&error);
    environment[count++] = preload;
    environment[count++] = MARKER_VARIABLE "=1";
    if (user_preload != NULL) {
        struct text text = {0};
        if (text_format(&text, SAVED_PRELOAD_VARIABLE "=%s", user_preload) != 0 || (environment[count] = text_finish(&text)) == NULL) {
            host_error_set(&error, HOST_EXIT_OUT_OF_MEMORY, load_what, "out of memory for the environment");
            host_error_exit(&error);
        }
        count++;
    }
    if (certificates != NULL)
        environment[count++] = certificates;
    if (zoneinfo != NULL)
        environment[count++] = zoneinfo;
    environment[count] = NULL;

    struct loaded_image loader, host;
    if (map_entry(&payload, USERLAND_LOADER, &loader, &error) != 0 || map_entry(&payload, USERLAND_HOST, &host, &error) != 0)
        host_error_exit(&error);

    /* The auxiliary vector follows the environment's NULL on the kernel's stack. */
    Elf64_auxv_t *kernel_auxv = (Elf64_auxv_t *)(envp + environment_count + 1);
    size_t auxv_count = 0;
    while (kernel_auxv[auxv_count].a_type != AT_NULL)
        auxv_count++;

    /* argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL pair: built aside, copied onto the stack last. */
    size_t words = 1 + (size_t)argc + 1 + count + 1 + 2 * (auxv_count + 1);
    uintptr_t *vector = calloc(words, sizeof *vector);
    if (vector == NULL) {
        host_error_set(&error, HOST_EXIT_OUT_OF_MEMORY, load_what, "out of memory for the initial stack");
        host_error_exit(&error);
    }
    size_t w = 0;
    vector[w++] = (uintptr_t)argc;
    for (int i = 0; i < argc; i++)
        vector[w++] = (uintptr_t)argv[i];
    vector[w++] = 0;
    for (size_t i = 0; i < count; i++)
        vector[w++] = (uintptr_t)environment[i];
    vector[w++] = 0;
    for (size_t i = 0; i < auxv_count; i++) {
        uint64_t type = kernel_auxv[i].a_type;
        uint64_t value = kernel_auxv[i].a_un.a_val;
        switch (type) {
        case AT_PHDR: value = host.phdr; break;
        case AT_PHENT: value = sizeof(Elf64_Phdr); break;
        case AT_PHNUM: value = host.phnum; break;
        case AT_ENTRY: value = host.entry; break;
        case AT_BASE: value = loader.base; break;
        case AT_EXECFD: type = AT_IGNORE; break;
        default: break;
        }
        vector[w++] = type;
        vector[w++] = value;
    }
    vector[w++] = AT_NULL;
    vector[w++] = 0;

    /* The loader finds everything through the vector; the executable's mapping is no longer needed. */
    munmap((void *)payload.file, (size_t)payload.file_size);
    close(payload.file_descriptor);

    /* The vector goes right below where the kernel put argc (argv - 1), 16-byte aligned, over this
       function's own frames: from the copy on, only registers are used. Strings stay where they are. */
    uintptr_t kernel_stack = (uintptr_t)(argv - 1);
    uintptr_t stack = (kernel_stack - words * sizeof *vector) & ~(uintptr_t)15;
    OXIDIZE_START_LOADER(stack, vector, words, loader.entry);
    __builtin_unreachable();
}
