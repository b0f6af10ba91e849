#define _GNU_SOURCE
#include "entry_data.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glibc_floor.h"
#include "lz4_decode.h"
#include "oxidize_format.h"

static int copy_stored(const struct payload *payload, const struct payload_entry *entry, int fd)
{
    off_t position = (off_t)entry->file_offset;
    uint64_t remaining = entry->original_size;
    while (remaining > 0) {
        /* Kernel-side copy: the source pages are never mapped here, so they do not count twice in RSS. */
        ssize_t copied = sendfile(fd, payload->file_descriptor, &position,
                                  remaining > (1u << 30) ? (1u << 30) : (size_t)remaining);
        if (copied < 0 && errno == EINTR)
            continue;
        if (copied <= 0)
            return copied < 0 ? -1 : (errno = EIO, -1);
        remaining -= (uint64_t)copied;
    }
    return 0;
}

static int decode_lz4(const struct payload *payload, const struct payload_entry *entry, int fd)
{
    if (entry->original_size > (uint64_t)INT64_MAX || ftruncate(fd, (off_t)entry->original_size) != 0)
        return -1;
    /* Decode straight into the memfd's pages (no intermediate buffer, no second copy); MAP_POPULATE
       allocates every page in one pass instead of one fault per page while decoding. */
    uint8_t *target = mmap(NULL, (size_t)entry->original_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (target == MAP_FAILED)
        return -1;
    int64_t decoded = lz4_decode(payload->file + entry->file_offset, (size_t)entry->stored_size, target,
                                 (size_t)entry->original_size);
    munmap(target, (size_t)entry->original_size);
    /* The compressed bytes were read through the executable's mapping; drop them from this process's RSS. */
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)(payload->file + entry->file_offset) & ~(page - 1);
    uintptr_t end = (uintptr_t)(payload->file + entry->file_offset + entry->stored_size);
    madvise((void *)start, end - start, MADV_DONTNEED);
    if (decoded < 0 || (uint64_t)decoded != entry->original_size) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int entry_data_to_memfd(const struct payload *payload, uint32_t index, unsigned int memfd_flags)
{
    struct payload_entry entry;
    payload_entry_at(payload, index, &entry);
    const char *slash = strrchr(entry.name, '/');
    /* memfd_create through syscall(): the glibc wrapper would raise the glibc floor to 2.27. */
    int fd = (int)syscall(SYS_memfd_create, slash ? slash + 1 : entry.name, memfd_flags);
    if (fd < 0)
        return -1;
    int result = entry.codec == OXPAK_CODEC_LZ4 ? decode_lz4(payload, &entry, fd) : copy_stored(payload, &entry, fd);
    if (result == 0 && lseek(fd, 0, SEEK_SET) == 0)
        return fd;
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}
