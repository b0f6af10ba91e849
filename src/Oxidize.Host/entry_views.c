/* This file defines read, pread, lseek, ... themselves: glibc's fortified inline wrappers of them would clash. */
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include "glibc_floor.h"
#include "entry_views.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/fs.h>

#include "app_files.h"
#include "entry_data.h"
#include "next_symbol.h"
#include "oxidize_format.h"

#define EXPORTED __attribute__((visibility("default")))

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* Descriptors 3 to VIEW_LIMIT - 1 can be views (0-2 never: a child's dup2 onto its standard descriptors, in a
   vfork that shares this memory, must not touch the table). A higher descriptor gets a memfd, as before. */
#define VIEW_LIMIT 65536

static uint64_t view_bits[VIEW_LIMIT / 64];
static uint32_t view_entry[VIEW_LIMIT];
static const struct payload *view_payload;
static uint64_t page_size;

static int is_view(int fd)
{
    return (unsigned int)fd < VIEW_LIMIT && ((__atomic_load_n(&view_bits[fd >> 6], __ATOMIC_ACQUIRE) >> (fd & 63)) & 1);
}

static void mark(int fd, uint32_t index)
{
    view_entry[fd] = index;
    __atomic_fetch_or(&view_bits[fd >> 6], (uint64_t)1 << (fd & 63), __ATOMIC_RELEASE);
}

static void forget(int fd)
{
    if (is_view(fd))
        __atomic_fetch_and(&view_bits[fd >> 6], ~((uint64_t)1 << (fd & 63)), __ATOMIC_RELEASE);
}

static void entry_of(int fd, struct payload_entry *entry)
{
    payload_entry_at(view_payload, view_entry[fd], entry);
}

/* The kernel's file offset of a view is the absolute offset in the executable; the app sees it less the entry's
   start. Raw system calls here: the exported lseek below is this file's own. */
static off_t raw_seek(int fd, off_t offset, int whence)
{
    return (off_t)syscall(SYS_lseek, fd, offset, whence);
}

int entry_views_open(const struct payload *payload, uint32_t index, int flags)
{
    struct payload_entry entry;
    payload_entry_at(payload, index, &entry);
    /* Without O_CLOEXEC the descriptor could outlive an exec into a program that reads it untranslated: the whole
       executable. O_PATH and O_DIRECT change what the descriptor can do; a memfd keeps today's answers for them. */
    if (entry.codec != OXPAK_CODEC_STORED || (flags & O_CLOEXEC) == 0 || (flags & (O_PATH | O_DIRECT)) != 0
        || entry.original_size > (uint64_t)INT64_MAX / 2 || payload->file_descriptor < 0)
        return ENTRY_VIEW_UNAVAILABLE;
    if (page_size == 0)
        __atomic_store_n(&page_size, (uint64_t)sysconf(_SC_PAGESIZE), __ATOMIC_RELAXED);
    view_payload = payload;
    /* A fresh open file description of the file this process started from (the path may name another file by
       now: app_files.c's open_own_executable), so the offset is the view's own. */
    char descriptor_path[32];
    snprintf(descriptor_path, sizeof descriptor_path, "/proc/self/fd/%d", payload->file_descriptor);
    int saved = errno; /* a memfd may answer instead, and the caller's errno stays as it was */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, descriptor_path, O_RDONLY | O_CLOEXEC | (flags & O_NONBLOCK));
    if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOMEM))
        return -1;
    if (fd >= 0 && fd >= 3 && fd < VIEW_LIMIT && raw_seek(fd, (off_t)entry.file_offset, SEEK_SET) >= 0) {
        mark(fd, index);
        return fd;
    }
    if (fd >= 0)
        syscall(SYS_close, fd);
    errno = saved;
    return ENTRY_VIEW_UNAVAILABLE;
}

/* Replaces view fd by a memfd holding the entry's bytes, at the same position and with the same close-on-exec
   flag; afterwards fd is an ordinary descriptor. 0, or -1 with errno set (then fd is still the view). */
static int materialize(int fd)
{
    if (!is_view(fd))
        return 0;
    uint32_t index = view_entry[fd];
    struct payload_entry entry;
    entry_of(fd, &entry);
    off_t position = raw_seek(fd, 0, SEEK_CUR);
    int descriptor_flags = (int)syscall(SYS_fcntl, fd, F_GETFD);
    if (position < 0 || descriptor_flags < 0)
        return -1;
    int memfd = entry_data_to_memfd(view_payload, index, MFD_CLOEXEC);
    if (memfd < 0)
        return -1;
    off_t logical = position - (off_t)entry.file_offset;
    if (raw_seek(memfd, logical > 0 ? logical : 0, SEEK_SET) < 0) {
        int saved = errno;
        syscall(SYS_close, memfd);
        errno = saved;
        return -1;
    }
    forget(fd);
    int replaced = (int)syscall(SYS_dup3, memfd, fd, (descriptor_flags & FD_CLOEXEC) ? O_CLOEXEC : 0);
    int saved = errno;
    syscall(SYS_close, memfd);
    if (replaced != fd) {
        mark(fd, index);
        errno = saved;
        return -1;
    }
    return 0;
}

/* ---- reading ------------------------------------------------------------------------------------------- */

/* How many of wanted bytes exist at logical offset position of the entry. */
static size_t available(const struct payload_entry *entry, off_t position, size_t wanted)
{
    if ((uint64_t)position >= entry->original_size)
        return 0;
    uint64_t left = entry->original_size - (uint64_t)position;
    return left < wanted ? (size_t)left : wanted;
}

typedef ssize_t (*pread_function)(int, void *, size_t, off_t);
typedef ssize_t (*preadv_function)(int, const struct iovec *, int, off_t);

static ssize_t real_pread(int fd, void *buffer, size_t count, off_t offset)
{
    static void *slot;
    return ((pread_function)next_symbol(&slot, "pread64"))(fd, buffer, count, offset);
}

static ssize_t real_preadv(int fd, const struct iovec *vectors, int count, off_t offset)
{
    static void *slot;
    return ((preadv_function)next_symbol(&slot, "preadv64"))(fd, vectors, count, offset);
}

/* preadv at absolute offset of the first allowed bytes of vectors; apart so that single-buffer reads do without
   the IOV_MAX copy on their stack. */
static __attribute__((noinline)) ssize_t preadv_clamped(int fd, const struct iovec *vectors, int count, size_t allowed, off_t absolute)
{
    struct iovec clamped[IOV_MAX];
    int used = 0;
    for (size_t left = allowed; used < count && left > 0; used++) {
        clamped[used].iov_base = vectors[used].iov_base;
        clamped[used].iov_len = vectors[used].iov_len < left ? vectors[used].iov_len : left;
        left -= clamped[used].iov_len;
    }
    return real_preadv(fd, clamped, used, absolute);
}

/* Reads at logical offset position (or at the file offset when position is -1, which then advances). The
   pread at an explicit offset, clamped to the entry, never returns a byte past it, even when threads share the
   descriptor. */
static ssize_t view_read(int fd, const struct iovec *vectors, int count, off_t position)
{
    struct payload_entry entry;
    entry_of(fd, &entry);
    int advance = position == -1;
    if (advance) {
        off_t absolute = raw_seek(fd, 0, SEEK_CUR);
        if (absolute < 0)
            return -1;
        position = absolute - (off_t)entry.file_offset;
    }
    if (position < 0 || count < 0 || count > IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    size_t total = 0;
    for (int i = 0; i < count; i++)
        total += vectors[i].iov_len;
    size_t allowed = available(&entry, position, total);
    if (allowed == 0)
        return 0;
    off_t absolute = (off_t)entry.file_offset + position;
    ssize_t done = count == 1 ? real_pread(fd, vectors[0].iov_base, allowed, absolute)
                              : preadv_clamped(fd, vectors, count, allowed, absolute);
    if (done > 0 && advance && raw_seek(fd, absolute + done, SEEK_SET) < 0)
        return -1;
    return done;
}

typedef ssize_t (*read_function)(int, void *, size_t);
typedef ssize_t (*readv_function)(int, const struct iovec *, int);

EXPORTED ssize_t read(int fd, void *buffer, size_t count)
{
    if (is_view(fd)) {
        struct iovec vector = { buffer, count };
        return view_read(fd, &vector, 1, -1);
    }
    static void *slot;
    return ((read_function)next_symbol(&slot, "read"))(fd, buffer, count);
}

EXPORTED ssize_t readv(int fd, const struct iovec *vectors, int count)
{
    if (is_view(fd))
        return view_read(fd, vectors, count, -1);
    static void *slot;
    return ((readv_function)next_symbol(&slot, "readv"))(fd, vectors, count);
}

static ssize_t pread_any(int fd, void *buffer, size_t count, off_t offset)
{
    if (is_view(fd)) {
        if (offset < 0) {
            errno = EINVAL;
            return -1;
        }
        struct iovec vector = { buffer, count };
        return view_read(fd, &vector, 1, offset);
    }
    return real_pread(fd, buffer, count, offset);
}

EXPORTED ssize_t pread(int fd, void *buffer, size_t count, off_t offset) { return pread_any(fd, buffer, count, offset); }
EXPORTED ssize_t pread64(int fd, void *buffer, size_t count, off_t offset) { return pread_any(fd, buffer, count, offset); }

static ssize_t preadv_any(int fd, const struct iovec *vectors, int count, off_t offset)
{
    if (is_view(fd)) {
        if (offset < 0) {
            errno = EINVAL;
            return -1;
        }
        return view_read(fd, vectors, count, offset);
    }
    return real_preadv(fd, vectors, count, offset);
}

EXPORTED ssize_t preadv(int fd, const struct iovec *vectors, int count, off_t offset) { return preadv_any(fd, vectors, count, offset); }
EXPORTED ssize_t preadv64(int fd, const struct iovec *vectors, int count, off_t offset) { return preadv_any(fd, vectors, count, offset); }

typedef ssize_t (*preadv2_function)(int, const struct iovec *, int, off_t, int);

/* preadv2's flags (RWF_NOWAIT, ...) are not translated: a copy answers it. glibc before 2.26 has none. */
static ssize_t preadv2_any(const char *symbol, void **slot, int fd, const struct iovec *vectors, int count, off_t offset, int flags)
{
    if (materialize(fd) != 0)
        return -1;
    preadv2_function function = (preadv2_function)next_symbol(slot, symbol);
    if (function == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return function(fd, vectors, count, offset, flags);
}

EXPORTED ssize_t preadv2(int fd, const struct iovec *vectors, int count, off_t offset, int flags)
{
    static void *slot;
    return preadv2_any("preadv2", &slot, fd, vectors, count, offset, flags);
}

EXPORTED ssize_t preadv64v2(int fd, const struct iovec *vectors, int count, off_t offset, int flags)
{
    static void *slot;
    return preadv2_any("preadv64v2", &slot, fd, vectors, count, offset, flags);
}

/* ---- position and metadata ------------------------------------------------------------------------------ */

static off_t view_seek(int fd, off_t offset, int whence)
{
    struct payload_entry entry;
    entry_of(fd, &entry);
    off_t size = (off_t)entry.original_size;
    off_t base;
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = raw_seek(fd, 0, SEEK_CUR);
        if (base < 0)
            return -1;
        base -= (off_t)entry.file_offset;
        break;
    case SEEK_END:
        base = size;
        break;
    case SEEK_DATA: /* no holes: data is everywhere before the end */
    case SEEK_HOLE:
        if (offset < 0 || offset >= size) {
            errno = ENXIO;
            return -1;
        }
        base = 0;
        offset = whence == SEEK_DATA ? offset : size;
        break;
    default:
        errno = EINVAL;
        return -1;
    }
    if ((offset > 0 && base > INT64_MAX / 2 - offset) || base + offset < 0) {
        errno = base + offset < 0 ? EINVAL : EOVERFLOW;
        return -1;
    }
    off_t target = base + offset;
    if (raw_seek(fd, (off_t)entry.file_offset + target, SEEK_SET) < 0)
        return -1;
    return target;
}

typedef off_t (*lseek_function)(int, off_t, int);

static off_t lseek_any(int fd, off_t offset, int whence)
{
    if (is_view(fd))
        return view_seek(fd, offset, whence);
    static void *slot;
    return ((lseek_function)next_symbol(&slot, "lseek64"))(fd, offset, whence);
}

EXPORTED off_t lseek(int fd, off_t offset, int whence) { return lseek_any(fd, offset, whence); }
EXPORTED off_t lseek64(int fd, off_t offset, int whence) { return lseek_any(fd, offset, whence); }

/* The kernel's struct stat is glibc's struct stat and struct stat64 on x86-64 and arm64 (app_files.c). */
static int fstat_any(int fd, struct stat *status)
{
    if (is_view(fd))
        return app_files_describe_entry(view_entry[fd], status);
    return (int)syscall(SYS_fstat, fd, status);
}

int __fxstat(int version, int fd, struct stat *status);
int __fxstat64(int version, int fd, struct stat64 *status);
int __fxstatat(int version, int dirfd, const char *path, struct stat *status, int flags);
int __fxstatat64(int version, int dirfd, const char *path, struct stat64 *status, int flags);

EXPORTED int fstat(int fd, struct stat *status) { return fstat_any(fd, status); }
EXPORTED int fstat64(int fd, struct stat64 *status) { return fstat_any(fd, (struct stat *)status); }
EXPORTED int __fxstat(int version, int fd, struct stat *status) { return fstat_any(fd, status); }
EXPORTED int __fxstat64(int version, int fd, struct stat64 *status) { return fstat_any(fd, (struct stat *)status); }

/* An empty path with AT_EMPTY_PATH asks about dirfd itself (NULL too, since Linux 6.11). */
static int names_descriptor(const char *path, int flags)
{
    return (flags & AT_EMPTY_PATH) != 0 && (path == NULL || path[0] == '\0');
}

static int fstatat_any(int dirfd, const char *path, struct stat *status, int flags)
{
    if (is_view(dirfd) && names_descriptor(path, flags))
        return app_files_describe_entry(view_entry[dirfd], status);
    return (int)syscall(SYS_newfstatat, dirfd, path, status, flags);
}

EXPORTED int fstatat(int dirfd, const char *path, struct stat *status, int flags) { return fstatat_any(dirfd, path, status, flags); }
EXPORTED int fstatat64(int dirfd, const char *path, struct stat64 *status, int flags)
{
    return fstatat_any(dirfd, path, (struct stat *)status, flags);
}
EXPORTED int __fxstatat(int version, int dirfd, const char *path, struct stat *status, int flags)
{
    return fstatat_any(dirfd, path, status, flags);
}
EXPORTED int __fxstatat64(int version, int dirfd, const char *path, struct stat64 *status, int flags)
{
    return fstatat_any(dirfd, path, (struct stat *)status, flags);
}

static struct statx_timestamp statx_time(struct timespec time)
{
    struct statx_timestamp stamp = { .tv_sec = time.tv_sec, .tv_nsec = (uint32_t)time.tv_nsec };
    return stamp;
}

EXPORTED int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buffer)
{
    if (!is_view(dirfd) || !names_descriptor(path, flags))
        return (int)syscall(SYS_statx, dirfd, path, flags, mask, buffer);
    struct stat status;
    app_files_describe_entry(view_entry[dirfd], &status);
    memset(buffer, 0, sizeof *buffer);
    buffer->stx_mask = STATX_BASIC_STATS;
    buffer->stx_blksize = (uint32_t)status.st_blksize;
    buffer->stx_nlink = (uint32_t)status.st_nlink;
    buffer->stx_uid = status.st_uid;
    buffer->stx_gid = status.st_gid;
    buffer->stx_mode = (uint16_t)status.st_mode;
    buffer->stx_ino = status.st_ino;
    buffer->stx_size = (uint64_t)status.st_size;
    buffer->stx_blocks = (uint64_t)status.st_blocks;
    buffer->stx_atime = statx_time(status.st_atim);
    buffer->stx_ctime = statx_time(status.st_ctim);
    buffer->stx_mtime = statx_time(status.st_mtim);
    buffer->stx_dev_major = major(status.st_dev);
    buffer->stx_dev_minor = minor(status.st_dev);
    return 0;
}

/* ---- mapping ----------------------------------------------------------------------------------------------- */

typedef void *(*mmap_function)(void *, size_t, int, int, int, off_t);

/* A view maps straight from the executable when the entry's offset plus the app's lands on a page, as it does
   for the entries the packer page-aligns (docs/format.md); otherwise the copy is mapped. */
static void *mmap_any(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    static void *slot;
    mmap_function function = (mmap_function)next_symbol(&slot, "mmap64");
    if ((flags & MAP_ANONYMOUS) == 0 && is_view(fd)) {
        struct payload_entry entry;
        entry_of(fd, &entry);
        uint64_t absolute = entry.file_offset + (uint64_t)offset;
        if (offset >= 0 && absolute % page_size == 0)
            return function(address, length, protection, flags, fd, (off_t)absolute);
        if (materialize(fd) != 0)
            return MAP_FAILED;
    }
    return function(address, length, protection, flags, fd, offset);
}

EXPORTED void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    return mmap_any(address, length, protection, flags, fd, offset);
}

EXPORTED void *mmap64(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    return mmap_any(address, length, protection, flags, fd, offset);
}

/* ---- copies to other descriptors ---------------------------------------------------------------------------- */

/* Bounded to the entry, at the offset *offset or at the view's own (which then advances). copy is the kernel call
   with the view's source offset made absolute. */
typedef ssize_t (*copy_call)(int fd, off_t *absolute, size_t count, void *context);

static ssize_t view_copy(int fd, off_t *offset, size_t count, copy_call copy, void *context)
{
    struct payload_entry entry;
    entry_of(fd, &entry);
    off_t position = offset != NULL ? *offset : raw_seek(fd, 0, SEEK_CUR) - (off_t)entry.file_offset;
    if (position < 0) {
        errno = EINVAL;
        return -1;
    }
    size_t allowed = available(&entry, position, count);
    if (allowed == 0)
        return 0;
    off_t absolute = (off_t)entry.file_offset + position;
    ssize_t copied = copy(fd, &absolute, allowed, context);
    if (copied <= 0)
        return copied;
    if (offset != NULL)
        *offset = position + copied;
    else if (raw_seek(fd, (off_t)entry.file_offset + position + copied, SEEK_SET) < 0)
        return -1;
    return copied;
}

static ssize_t sendfile_call(int fd, off_t *absolute, size_t count, void *context)
{
    return (ssize_t)syscall(SYS_sendfile, *(int *)context, fd, absolute, count);
}

static ssize_t sendfile_any(int out, int in, off_t *offset, size_t count)
{
    if (is_view(in))
        return view_copy(in, offset, count, sendfile_call, &out);
    return (ssize_t)syscall(SYS_sendfile, out, in, offset, count);
}

EXPORTED ssize_t sendfile(int out, int in, off_t *offset, size_t count) { return sendfile_any(out, in, offset, count); }
EXPORTED ssize_t sendfile64(int out, int in, off_t *offset, size_t count) { return sendfile_any(out, in, offset, count); }

struct copy_range_target {
    int fd;
    off_t *offset;
    unsigned int flags;
};

static ssize_t copy_range_call(int fd, off_t *absolute, size_t count, void *context)
{
    struct copy_range_target *target = context;
    return (ssize_t)syscall(SYS_copy_file_range, fd, absolute, target->fd, target->offset, count, target->flags);
}

/* libSystem.Native's File.Copy calls copy_file_range through syscall(), which no interposer sees; the FICLONE
   ioctl it tries first (below) already copies a view's bytes, so that raw call never runs on a view. */
EXPORTED ssize_t copy_file_range(int in, off_t *in_offset, int out, off_t *out_offset, size_t count, unsigned int flags)
{
    if (is_view(in)) {
        struct copy_range_target target = { out, out_offset, flags };
        return view_copy(in, in_offset, count, copy_range_call, &target);
    }
    return (ssize_t)syscall(SYS_copy_file_range, in, in_offset, out, out_offset, count, flags);
}

typedef ssize_t (*splice_function)(int, off_t *, int, off_t *, size_t, unsigned int);

EXPORTED ssize_t splice(int in, off_t *in_offset, int out, off_t *out_offset, size_t count, unsigned int flags)
{
    if (materialize(in) != 0)
        return -1;
    static void *slot;
    return ((splice_function)next_symbol(&slot, "splice"))(in, in_offset, out, out_offset, count, flags);
}

/* ---- descriptors --------------------------------------------------------------------------------------------- */

typedef int (*close_function)(int);

EXPORTED int close(int fd)
{
    forget(fd); /* before the number is free: a view opened on another thread may take it at once */
    static void *slot;
    return ((close_function)next_symbol(&slot, "close"))(fd);
}

EXPORTED int close_range(unsigned int first, unsigned int last, int flags)
{
    /* CLOSE_RANGE_CLOEXEC (4) only marks them; a view is close-on-exec already. */
    for (unsigned int fd = first; (flags & 4) == 0 && fd <= last && fd < VIEW_LIMIT; fd++)
        forget((int)fd);
    return (int)syscall(SYS_close_range, first, last, flags);
}

typedef int (*dup_function)(int);
typedef int (*dup2_function)(int, int);
typedef int (*dup3_function)(int, int, int);

/* A duplicate without close-on-exec could reach an exec'd program, which would read it untranslated: the view
   becomes a copy first. */
EXPORTED int dup(int fd)
{
    if (materialize(fd) != 0)
        return -1;
    static void *slot;
    int duplicate = ((dup_function)next_symbol(&slot, "dup"))(fd);
    if (duplicate >= 0)
        forget(duplicate);
    return duplicate;
}

EXPORTED int dup2(int fd, int target)
{
    if (fd != target && materialize(fd) != 0)
        return -1;
    if (fd != target)
        forget(target);
    static void *slot;
    return ((dup2_function)next_symbol(&slot, "dup2"))(fd, target);
}

EXPORTED int dup3(int fd, int target, int flags)
{
    int view = is_view(fd) && fd != target && (flags & O_CLOEXEC) && target >= 3 && target < VIEW_LIMIT;
    if (!view && materialize(fd) != 0)
        return -1;
    uint32_t index = view ? view_entry[fd] : 0;
    forget(target);
    int result = (int)syscall(SYS_dup3, fd, target, flags);
    if (result >= 0 && view)
        mark(result, index);
    return result;
}

typedef int (*fcntl_function)(int, int, ...);

/* Commands that only read or set the descriptor's flags, or duplicate it close-on-exec, act on a view as they
   would on the file; every other one (record and lease locks, sizes of pipes, seals, ...) on a copy. */
static int fcntl_any(int fd, int command, void *argument)
{
    static void *slot;
    fcntl_function function = (fcntl_function)next_symbol(&slot, "fcntl");
    if (!is_view(fd))
        return function(fd, command, argument);
    switch (command) {
    case F_GETFD:
    case F_GETFL:
        return function(fd, command, argument);
    case F_SETFL: /* O_DIRECT would make the view's reads need aligned buffers */
        if (((intptr_t)argument & O_DIRECT) == 0)
            return function(fd, command, argument);
        break;
    case F_SETFD:
        if (((intptr_t)argument & FD_CLOEXEC) != 0)
            return function(fd, command, argument);
        break;
    case F_DUPFD_CLOEXEC: {
        uint32_t index = view_entry[fd];
        int duplicate = function(fd, command, argument);
        if (duplicate >= 3 && duplicate < VIEW_LIMIT)
            mark(duplicate, index);
        else if (duplicate >= 0 && materialize(fd) == 0) { /* a number the table cannot hold: both become copies */
            int copy = (int)syscall(SYS_dup3, fd, duplicate, O_CLOEXEC);
            if (copy < 0) {
                int saved = errno;
                syscall(SYS_close, duplicate);
                errno = saved;
                return -1;
            }
        }
        return duplicate;
    }
    default:
        break;
    }
    if (materialize(fd) != 0)
        return -1;
    return function(fd, command, argument);
}

EXPORTED int fcntl(int fd, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    void *argument = va_arg(arguments, void *);
    va_end(arguments);
    return fcntl_any(fd, command, argument);
}

EXPORTED int fcntl64(int fd, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    void *argument = va_arg(arguments, void *);
    va_end(arguments);
    return fcntl_any(fd, command, argument);
}

typedef int (*flock_function)(int, int);

/* Every open of a packed file had its own memfd, so its flock never conflicted with another open's; a view
   keeps that answer rather than lock the executable itself (FileStream takes LOCK_SH, FileShare.None LOCK_EX). */
EXPORTED int flock(int fd, int operation)
{
    if (is_view(fd)) {
        int kind = operation & ~LOCK_NB;
        if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) {
            errno = EINVAL;
            return -1;
        }
        return 0;
    }
    static void *slot;
    return ((flock_function)next_symbol(&slot, "flock"))(fd, operation);
}

typedef int (*ioctl_function)(int, unsigned long, ...);

/* FICLONE from a view (File.Copy tries it first): the kernel would clone the whole executable, so the entry's
   bytes are copied instead, in the kernel (copy_file_range, or sendfile where the file systems differ), and target
   ends as long as the entry, as after a clone. Neither descriptor's file offset moves. */
static int clone_view(int target, int view)
{
    struct payload_entry entry;
    entry_of(view, &entry);
    off_t in = (off_t)entry.file_offset, out = 0;
    uint64_t remaining = entry.original_size;
    int use_sendfile = 0;
    off_t target_position = -1;
    while (remaining > 0) {
        size_t chunk = remaining > (1u << 30) ? (1u << 30) : (size_t)remaining;
        ssize_t copied = use_sendfile ? (ssize_t)syscall(SYS_sendfile, target, view, &in, chunk)
                                      : (ssize_t)syscall(SYS_copy_file_range, view, &in, target, &out, chunk, 0);
        if (copied < 0 && errno == EINTR)
            continue;
        if (copied < 0 && !use_sendfile && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
            /* sendfile writes at target's file offset: put it where the copy stands, and back afterwards. */
            target_position = raw_seek(target, 0, SEEK_CUR);
            if (target_position < 0 || raw_seek(target, out, SEEK_SET) < 0)
                return -1;
            use_sendfile = 1;
            continue;
        }
        if (copied <= 0) {
            if (copied == 0)
                errno = EIO;
            return -1;
        }
        remaining -= (uint64_t)copied;
        out += copied;
    }
    if (use_sendfile && raw_seek(target, target_position, SEEK_SET) < 0)
        return -1;
    return (int)syscall(SYS_ftruncate, target, (off_t)entry.original_size);
}

/* No other ioctl is translated: on a view, or naming one as the source of a range clone, it runs on a copy. */
EXPORTED int ioctl(int fd, unsigned long request, ...)
{
    va_list arguments;
    va_start(arguments, request);
    void *argument = va_arg(arguments, void *);
    va_end(arguments);
    if (materialize(fd) != 0)
        return -1;
    if (request == FICLONE && is_view((int)(intptr_t)argument))
        return clone_view(fd, (int)(intptr_t)argument);
    if (request == FICLONERANGE && argument != NULL && materialize((int)((struct file_clone_range *)argument)->src_fd) != 0)
        return -1;
    static void *slot;
    return ((ioctl_function)next_symbol(&slot, "ioctl"))(fd, request, argument);
}

/* Metadata changes through a view would change the executable's: they go to a copy (as they went to the memfd). */
typedef int (*fchmod_function)(int, mode_t);
typedef int (*fchown_function)(int, uid_t, gid_t);
typedef int (*futimens_function)(int, const struct timespec *);
typedef FILE *(*fdopen_function)(int, const char *);

EXPORTED int fchmod(int fd, mode_t mode)
{
    if (materialize(fd) != 0)
        return -1;
    static void *slot;
    return ((fchmod_function)next_symbol(&slot, "fchmod"))(fd, mode);
}

EXPORTED int fchown(int fd, uid_t owner, gid_t group)
{
    if (materialize(fd) != 0)
        return -1;
    static void *slot;
    return ((fchown_function)next_symbol(&slot, "fchown"))(fd, owner, group);
}

EXPORTED int futimens(int fd, const struct timespec times[2])
{
    if (materialize(fd) != 0)
        return -1;
    static void *slot;
    return ((futimens_function)next_symbol(&slot, "futimens"))(fd, times);
}

/* stdio reads and closes through glibc's internal calls, which no interposer sees. */
EXPORTED FILE *fdopen(int fd, const char *mode)
{
    if (materialize(fd) != 0)
        return NULL;
    static void *slot;
    return ((fdopen_function)next_symbol(&slot, "fdopen"))(fd, mode);
}
