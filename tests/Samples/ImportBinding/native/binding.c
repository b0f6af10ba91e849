/* libbinding.so (tests/Samples/ImportBinding): each kind of import the host's ELF loader binds, reported as text so
   that a wrong binding changes what the app prints (ImportBindingTests). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Defined nowhere: a weak undefined import binds to 0. */
extern int oxidize_binding_absent(void) __attribute__((weak));
/* From libbindingdep.so, another mapped library (not in glibc's scope). */
int bindingdep_value(void);

/* The same versioned libc function (getenv@GLIBC_2.2.5) and the host's interposers (open, read, close), taken as
   data (R_X86_64_64 relocations in .data.rel.ro) as well as called through the PLT (JUMP_SLOT): one symbol named by
   several relocations, which must all get the same definition. */
char *(*const getenv_pointer)(const char *) = getenv;
int (*const open_pointer)(const char *, int, ...) = open;
ssize_t (*const read_pointer)(int, void *, size_t) = read;

static const char *read_file(const char *path, int through_pointers, char *content, size_t size)
{
    int fd = through_pointers ? open_pointer(path, O_RDONLY) : open(path, O_RDONLY);
    if (fd < 0)
        return "cannot open";
    ssize_t count = through_pointers ? read_pointer(fd, content, size - 1) : read(fd, content, size - 1);
    close(fd);
    if (count < 0)
        return "cannot read";
    content[count] = '\0';
    return content;
}

int binding_report(const char *data_path, char *buffer, int size)
{
    char direct[64], pointed[64];
    const char *called = getenv("OXIDIZE_BINDING_PROBE");
    const char *through_pointer = getenv_pointer("OXIDIZE_BINDING_PROBE");
    return snprintf(buffer, (size_t)size,
                    "getenv: %s; getenv through a pointer: %s; weak undefined is null: %s; open and read (packed file): %s; "
                    "through pointers: %s; from libbindingdep: %d",
                    called ? called : "(unset)", through_pointer ? through_pointer : "(unset)",
                    &oxidize_binding_absent == NULL ? "yes" : "no", read_file(data_path, 0, direct, sizeof direct),
                    read_file(data_path, 1, pointed, sizeof pointed), bindingdep_value());
}
