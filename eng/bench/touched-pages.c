/*
 * touched-pages.c: an LD_PRELOAD library for eng/bench/touched-pages.py (issue 15, point 3). It records which pages of
 * each decoded assembly the runtime really touches in an oxidized `lz4` app, to size a lazy (per-block) decoder.
 *
 * The host's mmap passes every mapping on to the next mmap64 in symbol order, which is this one. A mapping of a
 * memfd named "*.dll" (a compressed assembly the host decoded whole) is registered with userfaultfd in write-protect
 * mode, and nothing is ever write-protected: the only effect is that the kernel stops "faulting around" (mapping up
 * to 15 neighbouring pages that are already in memory on every read fault), so a page is present in the mapping
 * only if it was accessed. At exit, $TOUCHED_PAGES_OUTPUT gets one line per such file and one per such mapping:
 *     file <TAB> NAME <TAB> SIZE
 *     mapping <TAB> NAME <TAB> FILE_OFFSET_OF_THE_MAPPING <TAB> PAGES <TAB> INDEX,INDEX,...
 * (the indexes of the mapping's present pages, from /proc/self/pagemap).
 * Needs Linux 5.19+ (write-protect on shmem) and, unprivileged, UFFD_USER_MODE_ONLY (5.11+). Not shipped.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int uffd = -1;
static struct {
    char name[512];
    long long size;
} files[8192];
static int file_count;

static void report(void)
{
    const char *output = getenv("TOUCHED_PAGES_OUTPUT");
    FILE *maps = fopen("/proc/self/maps", "r");
    FILE *out = output != NULL ? fopen(output, "w") : NULL;
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (maps == NULL || out == NULL || pagemap < 0) {
        perror("touched-pages: report");
        return;
    }
    for (int i = 0; i < file_count; i++)
        fprintf(out, "file\t%s\t%lld\n", files[i].name, files[i].size);
    char line[4096];
    while (fgets(line, sizeof line, maps) != NULL) {
        unsigned long start, end, offset;
        char path[3072] = "";
        if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %3071[^\n]", &start, &end, &offset, path) < 3)
            continue;
        if (strncmp(path, "/memfd:", 7) != 0 || strstr(path, ".dll") == NULL)
            continue;
        fprintf(out, "mapping\t%s\t%lu\t%lu\t", path + 7, offset, (end - start) / 4096);
        int first = 1;
        for (unsigned long page = start; page < end; page += 4096) {
            uint64_t entry = 0;
            if (pread(pagemap, &entry, sizeof entry, (off_t)(page / 4096 * 8)) == (ssize_t)sizeof entry && (entry >> 63))
                fprintf(out, first ? "%lu" : ",%lu", (page - start) / 4096), first = 0;
        }
        fputc('\n', out);
    }
    fclose(out);
    fclose(maps);
    close(pagemap);
}

__attribute__((constructor)) static void start(void)
{
    uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
    struct uffdio_api api = {.api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM};
    if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) != 0) {
        perror("touched-pages: userfaultfd");
        exit(70);
    }
    atexit(report); /* the runtime leaves through exit() */
}

static void watch(void *mapping, size_t length, int fd)
{
    char link[64], target[512];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length_read = readlink(link, target, sizeof target - 1);
    if (length_read <= 0)
        return;
    target[length_read] = '\0';
    if (strncmp(target, "/memfd:", 7) != 0 || strstr(target, ".dll") == NULL)
        return;
    int known = 0;
    for (int i = 0; i < file_count && !known; i++)
        known = strcmp(files[i].name, target + 7) == 0;
    struct stat status;
    if (!known && file_count < (int)(sizeof files / sizeof files[0]) && fstat(fd, &status) == 0) {
        snprintf(files[file_count].name, sizeof files[0].name, "%.500s", target + 7);
        files[file_count++].size = (long long)status.st_size;
    }
    struct uffdio_register registration = {
        .range = {(uintptr_t)mapping, (length + 4095) & ~(size_t)4095}, .mode = UFFDIO_REGISTER_MODE_WP};
    if (ioctl(uffd, UFFDIO_REGISTER, &registration) != 0) {
        perror("touched-pages: UFFDIO_REGISTER");
        exit(70);
    }
}

void *mmap64(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    static void *(*next)(void *, size_t, int, int, int, off_t);
    if (next == NULL)
        next = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap64");
    void *mapping = next(address, length, protection, flags, fd, offset);
    if (mapping != MAP_FAILED && (flags & MAP_ANONYMOUS) == 0 && fd >= 0)
        watch(mapping, length, fd);
    return mapping;
}

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    return mmap64(address, length, protection, flags, fd, offset);
}
