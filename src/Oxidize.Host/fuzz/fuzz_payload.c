/*
 * fuzz_payload.c -- libFuzzer harness for the host's payload reader (../payload.c); eng/fuzz-payload.sh
 * builds and runs it with AddressSanitizer and UBSan, and a bounded run is part of ./build.sh test
 * (tests/Oxidize.Packing.Tests/PayloadFuzzTests.cs). Seeds and regression inputs live in
 * corpus/payload/.
 *
 * The input is a whole executable image, exactly as payload_map_file would have mapped it (libFuzzer
 * hands over an exactly-sized heap copy, so ASan sees a single byte read past the end). Checks:
 *   - payload_parse never crashes, and a rejection carries one of the documented statuses
 *     (181 missing, 182 corrupt, 183 unsupported format: docs/errors.md) and a message;
 *   - on acceptance, every table, string, entry data range and dependency the reader now trusts lies
 *     inside the buffer, every string is NUL-terminated in place without an inner NUL, every LZ4
 *     entry (up to 256 KiB) decodes without touching memory outside its buffers, and the
 *     accessors the host uses afterwards (payload_entry_at, payload_find, payload_has_folder,
 *     payload_property_at, payload_dependency_at) return exactly what the validated tables say:
 *     each name is found at its own index, each folder prefix of a name is a folder, and lookups of
 *     names that are not there (each name cut short, extended, or taken from the input) find nothing
 *     or a real entry with that exact name.
 */
#include "../payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lz4_decode.h"
#include "../oxidize_format.h"

/* LZ4 entries up to this original size are decoded, as the host would on first use. */
#define LZ4_DECODE_LIMIT (1u << 18)

static const uint8_t *image;
static size_t image_size;

static void fail(const char *what, uint64_t detail)
{
    fprintf(stderr, "fuzz_payload: %s (%llu)\n", what, (unsigned long long)detail);
    abort();
}

/* [pointer, pointer + length) lies within the input image. */
static void check_inside(const void *pointer, uint64_t length, const char *what)
{
    const uint8_t *p = pointer;
    if (p < image || p > image + image_size || length > (uint64_t)(image + image_size - p))
        fail(what, length);
}

/* A string the reader hands out: inside the string table, NUL right after it, no NUL inside. */
static void check_string(const struct payload *payload, const char *text, uint64_t length, const char *what)
{
    const uint8_t *p = (const uint8_t *)text;
    if (p < payload->strings || (uint64_t)(p - payload->strings) > payload->strings_size
        || length + 1 > payload->strings_size - (uint64_t)(p - payload->strings))
        fail(what, length);
    check_inside(text, length + 1, what);
    if (text[length] != '\0' || memchr(text, '\0', length) != NULL)
        fail(what, length);
}

static void check_lookup_misses_or_matches(const struct payload *payload, const char *name, size_t length)
{
    int64_t index = payload_find(payload, name, length);
    if (index < -1 || index >= (int64_t)payload->entry_count)
        fail("payload_find returned an index outside the table", (uint64_t)index);
    if (index >= 0) {
        struct payload_entry entry;
        payload_entry_at(payload, (uint32_t)index, &entry);
        if (entry.name_length != length || memcmp(entry.name, name, length) != 0)
            fail("payload_find returned an entry with another name", (uint64_t)index);
    }
    if (length < OXPAK_MAX_NAME_LENGTH) {
        int folder = payload_has_folder(payload, name, length);
        if (folder != 0 && folder != 1)
            fail("payload_has_folder returned neither 0 nor 1", (uint64_t)folder);
    }
}

static void check_accepted(const struct payload *payload)
{
    if (payload->file != image || payload->file_size != image_size)
        fail("the payload does not describe the input image", payload->file_size);
    if (payload->offset % OXPAK_PAYLOAD_ALIGNMENT != 0)
        fail("accepted a misaligned payload", payload->offset);
    check_inside(payload->base, payload->size, "payload range");
    /* The trailer ends the image, or, in a signed PE, the bytes before its certificate table (payload.c, trailer_end). */
    uint64_t trailer_end = payload->offset + payload->size + OXPAK_TRAILER_SIZE;
    if (trailer_end > image_size || (trailer_end != image_size && (image[0] != 'M' || image[1] != 'Z')))
        fail("the payload does not end where the trailer begins", payload->offset + payload->size);
    uint64_t magic;
    memcpy(&magic, image + trailer_end - OXPAK_TRAILER_SIZE + OXPAK_TRAILER_OFFSET_MAGIC, sizeof magic);
    if (magic != OXPAK_TRAILER_MAGIC)
        fail("accepted a trailer without its magic", trailer_end);
    if (payload->entry_count == 0 || payload->entry_count > OXPAK_MAX_ENTRY_COUNT
        || payload->property_count > OXPAK_MAX_PROPERTY_COUNT)
        fail("accepted a count out of range", payload->entry_count);
    check_inside(payload->entries, (uint64_t)payload->entry_count * OXPAK_ENTRY_SIZE, "entry table");
    check_inside(payload->strings, payload->strings_size, "string table");
    check_inside(payload->properties, (uint64_t)payload->property_count * OXPAK_PROPERTY_SIZE, "property table");
    check_inside(payload->dependencies, (uint64_t)payload->dependency_count * OXPAK_DEPENDENCY_SIZE, "dependency table");
    check_string(payload, payload->runtime_version, strlen(payload->runtime_version), "runtime version");
    check_string(payload, payload->runtime_identifier, strlen(payload->runtime_identifier), "runtime identifier");
    if ((payload->flags & ~(uint32_t)(OXPAK_FLAG_DIAGNOSTICS_ENABLED | OXPAK_FLAG_STARTUP_HOOKS_ENABLED
                                   | OXPAK_FLAG_PACKED_FILES_READ_ONLY)) != 0)
        fail("accepted unknown header flags", payload->flags);

    struct payload_entry previous = {0};
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        struct payload_entry entry;
        payload_entry_at(payload, i, &entry);
        if (entry.name_length == 0 || entry.name_length > OXPAK_MAX_NAME_LENGTH)
            fail("accepted a name length out of range", entry.name_length);
        check_string(payload, entry.name, entry.name_length, "entry name");
        if (i > 0) {
            size_t common = previous.name_length < entry.name_length ? previous.name_length : entry.name_length;
            int order = memcmp(previous.name, entry.name, common);
            if (order > 0 || (order == 0 && previous.name_length >= entry.name_length))
                fail("accepted names that are not strictly increasing", i);
        }
        previous = entry;
        if (entry.kind != OXPAK_KIND_MANAGED_ASSEMBLY && entry.kind != OXPAK_KIND_NATIVE_LIBRARY
            && entry.kind != OXPAK_KIND_CONTENT)
            fail("accepted an unknown kind", entry.kind);
        int stored = entry.codec == OXPAK_CODEC_STORED && entry.stored_size == entry.original_size;
        int lz4 = entry.codec == OXPAK_CODEC_LZ4 && entry.stored_size < entry.original_size
                  && entry.original_size <= (uint64_t)INT32_MAX;
        if (!stored && !lz4)
            fail("accepted an unknown codec or disagreeing sizes", entry.codec);
        if (entry.file_offset < payload->offset)
            fail("entry data starts before the payload", entry.file_offset);
        check_inside(payload->file + entry.file_offset, entry.stored_size, "entry data");
        if (entry.file_offset + entry.stored_size > payload->offset + payload->size)
            fail("entry data runs into the trailer", entry.file_offset);
        if (stored && entry.kind == OXPAK_KIND_MANAGED_ASSEMBLY && entry.file_offset % OXPAK_ASSEMBLY_ALIGNMENT != 0)
            fail("accepted a misaligned stored assembly", entry.file_offset);
        /* What the host does with an LZ4 entry on first use (entry_data.c): decode it into exactly
           original_size bytes. Bounded here so that a large declared size does not slow the fuzzer. */
        if (lz4 && entry.original_size <= LZ4_DECODE_LIMIT) {
            uint8_t *decoded = malloc(entry.original_size);
            if (decoded == NULL)
                fail("out of memory", entry.original_size);
            int64_t length = lz4_decode(payload->file + entry.file_offset, entry.stored_size, decoded, entry.original_size);
            if (length < -1 || length > (int64_t)entry.original_size)
                fail("lz4_decode returned an impossible length", (uint64_t)length);
            free(decoded);
        }
        check_inside(entry.sha256, 32, "entry digest");
        if (entry.dependencies_first > payload->dependency_count
            || entry.dependencies_count > payload->dependency_count - entry.dependencies_first)
            fail("accepted a dependency range outside the table", entry.dependencies_first);
        if (entry.dependencies_count != 0 && entry.kind != OXPAK_KIND_NATIVE_LIBRARY)
            fail("accepted dependencies on an entry that is not a native library", i);
        for (uint32_t d = 0; d < entry.dependencies_count; d++) {
            uint32_t target = payload_dependency_at(payload, entry.dependencies_first + d);
            if (target >= payload->entry_count)
                fail("a dependency names an entry outside the table", target);
            struct payload_entry dependency;
            payload_entry_at(payload, target, &dependency);
            if (dependency.kind != OXPAK_KIND_NATIVE_LIBRARY)
                fail("a dependency names an entry that is not a native library", target);
        }

        /* Every name is found where it is; every folder above it is a folder; near misses miss. */
        if (payload_find(payload, entry.name, entry.name_length) != (int64_t)i)
            fail("payload_find does not find an entry by its own name", i);
        for (uint32_t j = 0; j < entry.name_length; j++) {
            /* The reader does not enforce the writer's name rules (no leading "/", no empty segment): an entry named exactly
               "folder/" sorts first among the folder's names and hides the folder (a wrong answer for
               a payload no writer produces, not a memory error), so that case is not checked. */
            if (j > 0 && entry.name[j] == '/' && !payload_has_folder(payload, entry.name, j)
                && payload_find(payload, entry.name, j + 1) < 0)
                fail("payload_has_folder misses a folder an entry name lies in", i);
        }
        check_lookup_misses_or_matches(payload, entry.name, entry.name_length - 1);
        char longer[OXPAK_MAX_NAME_LENGTH + 2];
        memcpy(longer, entry.name, entry.name_length);
        longer[entry.name_length] = '/';
        longer[entry.name_length + 1] = 'x';
        check_lookup_misses_or_matches(payload, longer, entry.name_length + 1);
        check_lookup_misses_or_matches(payload, longer, entry.name_length + 2);
    }

    for (uint32_t i = 0; i < payload->dependency_count; i++) {
        uint32_t target = payload_dependency_at(payload, i);
        if (target >= payload->entry_count)
            fail("the dependency table names an entry outside the table", target);
    }
    for (uint32_t i = 0; i < payload->property_count; i++) {
        const char *key;
        const char *value;
        payload_property_at(payload, i, &key, &value);
        const uint8_t *record = payload->properties + (uint64_t)i * OXPAK_PROPERTY_SIZE;
        uint32_t key_length = (uint32_t)record[OXPAK_PROPERTY_OFFSET_KEY + 4] | (uint32_t)record[OXPAK_PROPERTY_OFFSET_KEY + 5] << 8
                              | (uint32_t)record[OXPAK_PROPERTY_OFFSET_KEY + 6] << 16 | (uint32_t)record[OXPAK_PROPERTY_OFFSET_KEY + 7] << 24;
        uint32_t value_length = (uint32_t)record[OXPAK_PROPERTY_OFFSET_VALUE + 4] | (uint32_t)record[OXPAK_PROPERTY_OFFSET_VALUE + 5] << 8
                                | (uint32_t)record[OXPAK_PROPERTY_OFFSET_VALUE + 6] << 16 | (uint32_t)record[OXPAK_PROPERTY_OFFSET_VALUE + 7] << 24;
        if (key_length > OXPAK_MAX_NAME_LENGTH)
            fail("accepted a property key longer than the limit", key_length);
        check_string(payload, key, key_length, "property key");
        check_string(payload, value, value_length, "property value");
    }

    if (payload->entry_assembly_index >= payload->entry_count)
        fail("accepted an entry assembly index outside the table", payload->entry_assembly_index);
    struct payload_entry entry_assembly;
    payload_entry_at(payload, payload->entry_assembly_index, &entry_assembly);
    if (entry_assembly.kind != OXPAK_KIND_MANAGED_ASSEMBLY)
        fail("the entry assembly is not a managed assembly", entry_assembly.kind);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    image = data;
    image_size = size;
    struct payload payload;
    struct host_error error;
    memset(&error, 0, sizeof error);
    enum host_status status = payload_parse(data, size, &payload, &error);
    if (status != HOST_OK) {
        if (status != HOST_EXIT_PAYLOAD_MISSING && status != HOST_EXIT_PAYLOAD_CORRUPT
            && status != HOST_EXIT_FORMAT_UNSUPPORTED)
            fail("payload_parse rejected the input with an undocumented status", (uint64_t)status);
        if (error.status != status || error.what[0] == '\0' || error.why[0] == '\0')
            fail("payload_parse rejected the input without a message", (uint64_t)status);
        return 0;
    }
    check_accepted(&payload);

    /* Lookups of names taken from the input itself: whatever they are, they miss or match exactly. */
    if (size > 0) {
        size_t start = data[0] % size;
        size_t length = size - start < OXPAK_MAX_NAME_LENGTH ? size - start : OXPAK_MAX_NAME_LENGTH;
        length = length > (size_t)(data[size - 1]) ? data[size - 1] : length;
        check_lookup_misses_or_matches(&payload, (const char *)data + start, length);
    }
    return 0;
}
