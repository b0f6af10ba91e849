/*
 * oxidize-inspect: reads an oxidized executable with the host's own payload reader and prints what
 * it holds, one line an entry; with --verify it also checks every entry against its SHA-256. The
 * tests use it as the C side of the C#-writer/C-reader round trip. Usage: oxidize-inspect [--verify] FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_error.h"
#include "lz4_decode.h"
#include "oxidize_format.h"
#include "payload.h"
#include "sha256.h"

/* SHA-256 of the entry's original bytes (decoding a compressed entry); 0 on success. */
static int digest_entry(const struct payload *payload, const struct payload_entry *entry, uint8_t digest[32])
{
    if (entry->codec == OXPAK_CODEC_STORED) {
        sha256(payload->file + entry->file_offset, (size_t)entry->original_size, digest);
        return 0;
    }
    uint8_t *decoded = malloc(entry->original_size > 0 ? (size_t)entry->original_size : 1);
    if (decoded == NULL)
        return -1;
    int64_t length = lz4_decode(payload->file + entry->file_offset, (size_t)entry->stored_size, decoded,
                                (size_t)entry->original_size);
    if (length >= 0 && (uint64_t)length == entry->original_size)
        sha256(decoded, (size_t)entry->original_size, digest);
    free(decoded);
    return length >= 0 && (uint64_t)length == entry->original_size ? 0 : -1;
}

static void print_hex(const uint8_t *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        printf("%02x", bytes[i]);
}

int main(int argc, char **argv)
{
    int verify = argc == 3 && strcmp(argv[1], "--verify") == 0;
    if (argc != 2 && !verify) {
        fprintf(stderr, "usage: oxidize-inspect [--verify] FILE\n");
        return 2;
    }
    struct payload payload;
    struct host_error error;
    if (payload_map_file(argv[argc - 1], &payload, &error) != HOST_OK)
        host_error_exit(&error);

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
