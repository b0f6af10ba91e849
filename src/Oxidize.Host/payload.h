/*
 * Reads the packed-resources payload appended to the executable (docs/format.md). Every read is
 * bounds-checked once in payload_parse; afterwards the accessors trust the validated tables.
 */
#ifndef OXIDIZE_PAYLOAD_H
#define OXIDIZE_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "host_error.h"

struct payload {
    int file_descriptor;      /* the executable, open (close-on-exec) for copying entries with sendfile; -1 if none */
    const uint8_t *file;      /* the whole executable, mapped read-only */
    uint64_t file_size;
    uint64_t offset;          /* absolute file offset of the payload header */
    uint64_t size;            /* payload bytes, header included, trailer excluded */
    const uint8_t *base;      /* file + offset */
    uint32_t entry_count;
    const uint8_t *entries;
    const uint8_t *strings;
    uint64_t strings_size;
    uint32_t property_count;
    const uint8_t *properties;
    uint32_t dependency_count;
    const uint8_t *dependencies;
    uint32_t runtime_contract;
    uint32_t entry_assembly_index;
    uint32_t flags;
    const char *runtime_version;
    const char *runtime_identifier;
};

struct payload_entry {
    const char *name;         /* NUL-terminated UTF-8, relative path with '/' separators */
    uint32_t name_length;
    uint16_t kind;
    uint16_t codec;
    uint32_t flags;           /* OXPAK_ENTRY_FLAG_* */
    uint64_t file_offset;     /* absolute offset of the entry's bytes in the executable */
    uint64_t stored_size;
    uint64_t original_size;
    const uint8_t *sha256;
    uint32_t dependencies_first;
    uint32_t dependencies_count;
};

/* Maps the file at path and parses it; on failure fills error and returns its status (POSIX: payload_map_file.c). */
enum host_status payload_map_file(const char *path, struct payload *payload, struct host_error *error);

/* Parses and validates an executable image already in memory (used by the fuzz harness too). */
enum host_status payload_parse(const uint8_t *file, uint64_t file_size, struct payload *payload,
                               struct host_error *error);

/* Binary search by exact name; returns the entry index or -1. */
int64_t payload_find(const struct payload *payload, const char *name, size_t name_length);

/* The index of the first entry whose name is not below name in the format's byte order, or entry_count:
   every entry whose name starts with a given prefix follows it, contiguously. */
uint32_t payload_lower_bound(const struct payload *payload, const char *name, size_t name_length);

/* True when some entry's name starts with prefix + '/': the prefix is a folder inside the payload. */
int payload_has_folder(const struct payload *payload, const char *prefix, size_t prefix_length);

void payload_entry_at(const struct payload *payload, uint32_t index, struct payload_entry *entry);
void payload_property_at(const struct payload *payload, uint32_t index, const char **key, const char **value);
uint32_t payload_dependency_at(const struct payload *payload, uint32_t index);

#endif
