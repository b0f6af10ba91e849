#define _GNU_SOURCE
#include "load_list.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "glibc_floor.h"

static const struct payload *recorded_payload;
static int list_descriptor = -1;
static uint8_t *written; /* one byte per entry: 1 once its name was appended in this run */

void load_list_init(const struct payload *payload)
{
    const char *path = getenv("OXIDIZE_LOAD_LIST");
    if (path == NULL || path[0] == '\0')
        return;
    uint8_t *flags = calloc(payload->entry_count > 0 ? payload->entry_count : 1, 1);
    /* The raw syscall: the host exports open() to serve packed paths, and this file is never one of them. */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (flags == NULL || fd < 0) {
        fprintf(stderr, "oxidize: OXIDIZE_LOAD_LIST: cannot open \"%s\" for appending: %s; loads are not recorded\n", path,
                strerror(flags == NULL ? ENOMEM : errno));
        free(flags);
        if (fd >= 0)
            close(fd);
        return;
    }
    written = flags;
    recorded_payload = payload;
    __atomic_store_n(&list_descriptor, fd, __ATOMIC_RELEASE);
}

void load_list_record(uint32_t index)
{
    int fd = __atomic_load_n(&list_descriptor, __ATOMIC_ACQUIRE);
    if (fd < 0 || index >= recorded_payload->entry_count || __atomic_exchange_n(&written[index], 1, __ATOMIC_ACQ_REL))
        return;
    struct payload_entry entry;
    payload_entry_at(recorded_payload, index, &entry);
    /* One writev per line on an O_APPEND descriptor: lines from threads, or from two processes sharing the file, do not
       interleave. A failed write loses one name, which only makes the next publish keep that entry compressed. */
    struct iovec line[2] = {{(void *)entry.name, entry.name_length}, {"\n", 1}};
    ssize_t ignored = writev(fd, line, 2);
    (void)ignored;
}
