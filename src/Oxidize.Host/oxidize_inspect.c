/*
 * oxidize-inspect: reads an oxidized executable with the host's own payload reader and prints what
 * it holds, one line an entry; with --verify it also checks every entry against its SHA-256; with
 * --extract DIR it writes every entry's original bytes to DIR/<name>, checked against its SHA-256,
 * into a DIR it creates (so nothing is ever overwritten). The tests use it as the C side of the
 * C#-writer/C-reader round trip.
 * Usage: oxidize-inspect [--verify] FILE | oxidize-inspect --extract DIR FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_error.h"
#include "lz4_decode.h"
#include "oxidize_format.h"
#include "payload.h"
#include "sha256.h"

/* The entry's original bytes (decoded if compressed) into *bytes, which the caller frees when *owned; 0 on success. */
static int entry_bytes(const struct payload *payload, const struct payload_entry *entry, const uint8_t **bytes, int *owned)
{
    *owned = 0;
    if (entry->codec == OXPAK_CODEC_STORED) {
        *bytes = payload->file + entry->file_offset;
        return 0;
    }
    uint8_t *decoded = malloc(entry->original_size > 0 ? (size_t)entry->original_size : 1);
    if (decoded == NULL)
        return -1;
    int64_t length = lz4_decode(payload->file + entry->file_offset, (size_t)entry->stored_size, decoded,
                                (size_t)entry->original_size);
    if (length < 0 || (uint64_t)length != entry->original_size) {
        free(decoded);
        return -1;
    }
    *bytes = decoded;
    *owned = 1;
    return 0;
}

/* SHA-256 of the entry's original bytes (decoding a compressed entry); 0 on success. */
static int digest_entry(const struct payload *payload, const struct payload_entry *entry, uint8_t digest[32])
{
    const uint8_t *bytes;
    int owned;
    if (entry_bytes(payload, entry, &bytes, &owned) != 0)
        return -1;
    sha256(bytes, (size_t)entry->original_size, digest);
    if (owned)
        free((void *)bytes);
    return 0;
}

/* Creates the folders of name below the open folder root (the payload reader has checked that names are
   relative paths without '.' or '..' segments); 0 on success. */
static int make_parents(int root, const char *name)
{
    char path[OXPAK_MAX_NAME_LENGTH + 1];
    snprintf(path, sizeof path, "%s", name);
    for (char *slash = strchr(path, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdirat(root, path, 0755) != 0 && errno != EEXIST)
            return -1;
        *slash = '/';
    }
    return 0;
}

static int write_all(int file, const uint8_t *bytes, uint64_t length)
{
    while (length > 0) {
        ssize_t written = write(file, bytes, length > (1u << 30) ? (1u << 30) : (size_t)length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return -1;
        bytes += written;
        length -= (uint64_t)written;
    }
    return 0;
}

/* Writes every entry below directory, which must not exist yet; 0 when all were written and matched their digests. */
static int extract(const struct payload *payload, const char *directory)
{
    if (mkdir(directory, 0755) != 0) {
        fprintf(stderr, "oxidize-inspect: cannot create '%s': %s (it must not exist yet)\n", directory, strerror(errno));
        return 1;
    }
    int root = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        fprintf(stderr, "oxidize-inspect: cannot open '%s': %s\n", directory, strerror(errno));
        return 1;
    }
    int failures = 0;
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        struct payload_entry entry;
        payload_entry_at(payload, i, &entry);
        const uint8_t *bytes;
        int owned;
        uint8_t digest[32];
        if (entry_bytes(payload, &entry, &bytes, &owned) != 0) {
            fprintf(stderr, "oxidize-inspect: %s: cannot decode\n", entry.name);
            failures++;
            continue;
        }
        sha256(bytes, (size_t)entry.original_size, digest);
        int file = -1;
        if (memcmp(digest, entry.sha256, 32) != 0) {
            fprintf(stderr, "oxidize-inspect: %s: SHA-256 mismatch, not written\n", entry.name);
            failures++;
        } else if (make_parents(root, entry.name) != 0
                   || (file = openat(root, entry.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                     entry.kind == OXPAK_KIND_NATIVE_LIBRARY ? 0755 : 0644)) < 0
                   || write_all(file, bytes, entry.original_size) != 0) {
            fprintf(stderr, "oxidize-inspect: %s: cannot write: %s\n", entry.name, strerror(errno));
            failures++;
        } else {
            printf("%s\n", entry.name);
        }
        if (file >= 0 && close(file) != 0 && failures == 0) {
            fprintf(stderr, "oxidize-inspect: %s: cannot write: %s\n", entry.name, strerror(errno));
            failures++;
        }
        if (owned)
            free((void *)bytes);
    }
    close(root);
    return failures == 0 ? 0 : 1;
}

static void print_hex(const uint8_t *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        printf("%02x", bytes[i]);
}

int main(int argc, char **argv)
{
    int verify = argc == 3 && strcmp(argv[1], "--verify") == 0;
    int extracting = argc == 4 && strcmp(argv[1], "--extract") == 0;
    if (argc != 2 && !verify && !extracting) {
        fprintf(stderr, "usage: oxidize-inspect [--verify] FILE\n       oxidize-inspect --extract DIR FILE\n");
        return 2;
    }
    struct payload payload;
    struct host_error error;
    if (payload_map_file(argv[argc - 1], &payload, &error) != HOST_OK)
        host_error_exit(&error);
    if (extracting)
        return extract(&payload, argv[2]);

    printf("format\t%d\nruntime\t%s\ncontract\t%u\nrid\t%s\nflags\t%u\npayload\t%llu\t%llu\n", OXPAK_FORMAT_VERSION,
           payload.runtime_version, payload.runtime_contract, payload.runtime_identifier, payload.flags,
           (unsigned long long)payload.offset, (unsigned long long)payload.size);
    for (uint32_t i = 0; i < payload.property_count; i++) {
        const char *key, *value;
        payload_property_at(&payload, i, &key, &value);
        printf("property\t%s\t%s\n", key, value);
    }
    int mismatches = 0;
    for (uint32_t i = 0; i < payload.entry_count; i++) {
        struct payload_entry entry;
        payload_entry_at(&payload, i, &entry);
        printf("entry\t%s\t%u\t%u\t%llu\t%llu\t%llu\t", entry.name, entry.kind, entry.codec,
               (unsigned long long)entry.file_offset, (unsigned long long)entry.stored_size,
               (unsigned long long)entry.original_size);
        print_hex(entry.sha256, 32);
        for (uint32_t d = 0; d < entry.dependencies_count; d++) {
            struct payload_entry dependency;
            payload_entry_at(&payload, payload_dependency_at(&payload, entry.dependencies_first + d), &dependency);
            printf("%s%s", d == 0 ? "\t" : ",", dependency.name);
        }
        if (verify) {
            uint8_t digest[32];
            int matches = digest_entry(&payload, &entry, digest) == 0 && memcmp(digest, entry.sha256, 32) == 0;
            mismatches += !matches;
            printf("\t%s", matches ? "ok" : "MISMATCH");
        }
        printf("\n");
    }
    if (payload.entry_assembly_index < payload.entry_count) {
        struct payload_entry entry;
        payload_entry_at(&payload, payload.entry_assembly_index, &entry);
        printf("entry-assembly\t%s\n", entry.name);
    }
    return mismatches == 0 ? 0 : 1;
}
