#include "payload.h"

#include <string.h>

#include "oxidize_format.h"

static uint16_t read_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t read_u64(const uint8_t *p) { return (uint64_t)read_u32(p) | ((uint64_t)read_u32(p + 4) << 32); }

/* True when [offset, offset + length) lies within [0, limit), without overflowing. */
static int range_fits(uint64_t offset, uint64_t length, uint64_t limit)
{
    return offset <= limit && length <= limit - offset;
}

static const char *const corrupt_what = "the executable's embedded payload is corrupt";

/* Resolves a string reference; NULL when it does not point at a NUL-terminated string of its length. */
static const char *resolve_string(const uint8_t *strings, uint64_t strings_size, const uint8_t *ref,
                                  uint32_t max_length, uint32_t *length_out)
{
    uint32_t offset = read_u32(ref);
    uint32_t length = read_u32(ref + 4);
    if (length > max_length || !range_fits(offset, (uint64_t)length + 1, strings_size))
        return NULL;
    const char *text = (const char *)strings + offset;
    if (text[length] != '\0' || memchr(text, '\0', length) != NULL)
        return NULL;
    if (length_out)
        *length_out = length;
    return text;
}

static int compare_names(const char *a, uint32_t a_length, const char *b, size_t b_length)
{
    size_t common = a_length < b_length ? a_length : b_length;
    int order = memcmp(a, b, common);
    if (order != 0)
        return order;
    return a_length < b_length ? -1 : (a_length > b_length ? 1 : 0);
}

/* PE/COFF fields (Microsoft's format, not ours) for finding an Authenticode certificate table. */
#define PE_HEADER_POINTER_OFFSET 0x3C      /* e_lfanew in the DOS header */
#define PE_SIGNATURE 0x00004550u           /* "PE\0\0" */
#define PE_OPTIONAL_HEADER_OFFSET 24       /* after the signature and the 20-byte COFF header */
#define PE_OPTIONAL_HEADER_SIZE_OFFSET 20  /* SizeOfOptionalHeader, from the signature */
#define PE32_MAGIC 0x10B
#define PE32_PLUS_MAGIC 0x20B
#define PE32_DIRECTORIES_OFFSET 96         /* data directories in the optional header; NumberOfRvaAndSizes 4 before */
#define PE32_PLUS_DIRECTORIES_OFFSET 112
#define PE_SECURITY_DIRECTORY 4            /* its address is a file offset, not an RVA */

/*
 * Where the trailer ends: the end of the file, or, in a PE signed after publishing, the start of the certificate
 * table signtool or osslsigncode appended after it (Authenticode), when the PE security directory says that table
 * ends the file. Every field is bounds-checked; anything that is not such a PE gives the end of the file.
 */
static uint64_t trailer_end(const uint8_t *file, uint64_t file_size)
{
    if (file_size < PE_HEADER_POINTER_OFFSET + 4 || file[0] != 'M' || file[1] != 'Z')
        return file_size;
    uint64_t signature = read_u32(file + PE_HEADER_POINTER_OFFSET);
    if (!range_fits(signature, PE_OPTIONAL_HEADER_OFFSET + 2, file_size) || read_u32(file + signature) != PE_SIGNATURE)
        return file_size;
    uint64_t optional = signature + PE_OPTIONAL_HEADER_OFFSET;
    uint16_t optional_size = read_u16(file + signature + PE_OPTIONAL_HEADER_SIZE_OFFSET);
    uint16_t magic = read_u16(file + optional);
    uint64_t directories = magic == PE32_PLUS_MAGIC ? PE32_PLUS_DIRECTORIES_OFFSET
                           : magic == PE32_MAGIC    ? PE32_DIRECTORIES_OFFSET
                                                    : 0;
    uint64_t security = directories + PE_SECURITY_DIRECTORY * 8;
    if (directories == 0 || optional_size < security + 8 || !range_fits(optional, optional_size, file_size)
        || read_u32(file + optional + directories - 4) <= PE_SECURITY_DIRECTORY)
        return file_size;
    uint64_t table = read_u32(file + optional + security);
    uint64_t table_size = read_u32(file + optional + security + 4);
    if (table_size == 0 || table > file_size || table_size != file_size - table)
        return file_size;
    return table;
}

static enum host_status parse_trailer(const uint8_t *file, uint64_t file_size, struct payload *payload,
                                      struct host_error *error)
{
    uint64_t end = trailer_end(file, file_size);
    if (end < OXPAK_TRAILER_SIZE) {
        host_error_set(error, HOST_EXIT_PAYLOAD_MISSING, "this executable carries no Oxidize payload",
                       "the file is %llu bytes before any signature, shorter than the %d-byte trailer",
                       (unsigned long long)end, OXPAK_TRAILER_SIZE);
        return error->status;
    }
    const uint8_t *trailer = file + end - OXPAK_TRAILER_SIZE;
    if (read_u64(trailer + OXPAK_TRAILER_OFFSET_MAGIC) != OXPAK_TRAILER_MAGIC) {
        host_error_set(error, HOST_EXIT_PAYLOAD_MISSING, "this executable carries no Oxidize payload",
                       "the last %d bytes%s are not an Oxidize trailer (the file is truncated, or it is a bare host)",
                       OXPAK_TRAILER_SIZE, end != file_size ? " before the signature" : "");
        return error->status;
    }
    uint32_t version = read_u32(trailer + OXPAK_TRAILER_OFFSET_FORMAT_VERSION);
    if (version != OXPAK_FORMAT_VERSION) {
        host_error_set(error, HOST_EXIT_FORMAT_UNSUPPORTED, "the executable's payload format is not supported",
                       "the trailer says format version %u; this host reads only version %d",
                       version, OXPAK_FORMAT_VERSION);
        return error->status;
    }
    uint64_t offset = read_u64(trailer + OXPAK_TRAILER_OFFSET_PAYLOAD_OFFSET);
    uint64_t size = read_u64(trailer + OXPAK_TRAILER_OFFSET_PAYLOAD_SIZE);
    uint64_t body_size = end - OXPAK_TRAILER_SIZE;
    if (read_u32(trailer + OXPAK_TRAILER_OFFSET_TRAILER_SIZE) != OXPAK_TRAILER_SIZE
        || offset % OXPAK_PAYLOAD_ALIGNMENT != 0 || !range_fits(offset, size, body_size)
        || offset + size != body_size || size < OXPAK_HEADER_SIZE) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                       "the trailer's payload range (offset %llu, size %llu) does not end where the trailer begins (%llu)",
                       (unsigned long long)offset, (unsigned long long)size, (unsigned long long)body_size);
        return error->status;
    }
    payload->file = file;
    payload->file_size = file_size;
    payload->offset = offset;
    payload->size = size;
    payload->base = file + offset;
    return HOST_OK;
}

static enum host_status parse_header(struct payload *payload, struct host_error *error)
{
    const uint8_t *header = payload->base;
    if (read_u64(header + OXPAK_HEADER_OFFSET_MAGIC) != OXPAK_HEADER_MAGIC) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "the payload header has the wrong magic number");
        return error->status;
    }
    uint32_t version = read_u32(header + OXPAK_HEADER_OFFSET_FORMAT_VERSION);
    if (version != OXPAK_FORMAT_VERSION) {
        host_error_set(error, HOST_EXIT_FORMAT_UNSUPPORTED, "the executable's payload format is not supported",
                       "the header says format version %u; this host reads only version %d", version, OXPAK_FORMAT_VERSION);
        return error->status;
    }
    if (read_u32(header + OXPAK_HEADER_OFFSET_HEADER_SIZE) != OXPAK_HEADER_SIZE
        || read_u32(header + OXPAK_HEADER_OFFSET_ENTRY_SIZE) != OXPAK_ENTRY_SIZE
        || read_u32(header + OXPAK_HEADER_OFFSET_PROPERTY_SIZE) != OXPAK_PROPERTY_SIZE) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "the header's record sizes do not match format version %d",
                       OXPAK_FORMAT_VERSION);
        return error->status;
    }
    for (size_t i = OXPAK_HEADER_OFFSET_DEPENDENCIES_OFFSET + 8; i < OXPAK_HEADER_SIZE; i++) {
        if (header[i] != 0) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "reserved header byte %zu is not zero", i);
            return error->status;
        }
    }

    payload->entry_count = read_u32(header + OXPAK_HEADER_OFFSET_ENTRY_COUNT);
    payload->property_count = read_u32(header + OXPAK_HEADER_OFFSET_PROPERTY_COUNT);
    payload->dependency_count = read_u32(header + OXPAK_HEADER_OFFSET_DEPENDENCY_COUNT);
    uint64_t entries_offset = read_u64(header + OXPAK_HEADER_OFFSET_ENTRIES_OFFSET);
    uint64_t strings_offset = read_u64(header + OXPAK_HEADER_OFFSET_STRINGS_OFFSET);
    uint64_t strings_size = read_u64(header + OXPAK_HEADER_OFFSET_STRINGS_SIZE);
    uint64_t properties_offset = read_u64(header + OXPAK_HEADER_OFFSET_PROPERTIES_OFFSET);
    uint64_t dependencies_offset = read_u64(header + OXPAK_HEADER_OFFSET_DEPENDENCIES_OFFSET);

    payload->flags = read_u32(header + OXPAK_HEADER_OFFSET_FLAGS);
    /* A Native AOT app may pack nothing at all (no content, no native library, no bill of materials). */
    uint32_t fewest_entries = payload->flags & OXPAK_FLAG_NATIVE_AOT ? 0 : 1;
    if (payload->entry_count < fewest_entries || payload->entry_count > OXPAK_MAX_ENTRY_COUNT
        || payload->property_count > OXPAK_MAX_PROPERTY_COUNT || payload->dependency_count > OXPAK_MAX_ENTRY_COUNT) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                       "the header's counts are out of range (entries %u, properties %u, dependencies %u)",
                       payload->entry_count, payload->property_count, payload->dependency_count);
        return error->status;
    }
    if (!range_fits(entries_offset, (uint64_t)payload->entry_count * OXPAK_ENTRY_SIZE, payload->size)
        || !range_fits(strings_offset, strings_size, payload->size)
        || !range_fits(properties_offset, (uint64_t)payload->property_count * OXPAK_PROPERTY_SIZE, payload->size)
        || !range_fits(dependencies_offset, (uint64_t)payload->dependency_count * OXPAK_DEPENDENCY_SIZE, payload->size)) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                       "a table named in the header lies outside the payload (%llu bytes)", (unsigned long long)payload->size);
        return error->status;
    }
    payload->entries = payload->base + entries_offset;
    payload->strings = payload->base + strings_offset;
    payload->strings_size = strings_size;
    payload->properties = payload->base + properties_offset;
    payload->dependencies = payload->base + dependencies_offset;
    payload->runtime_contract = read_u32(header + OXPAK_HEADER_OFFSET_RUNTIME_CONTRACT);
    payload->entry_assembly_index = read_u32(header + OXPAK_HEADER_OFFSET_ENTRY_ASSEMBLY_INDEX);

    payload->runtime_version = resolve_string(payload->strings, strings_size, header + OXPAK_HEADER_OFFSET_RUNTIME_VERSION,
                                              OXPAK_MAX_NAME_LENGTH, NULL);
    payload->runtime_identifier = resolve_string(payload->strings, strings_size,
                                                 header + OXPAK_HEADER_OFFSET_RUNTIME_IDENTIFIER, OXPAK_MAX_NAME_LENGTH, NULL);
    if (payload->runtime_version == NULL || payload->runtime_identifier == NULL) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                       "the header's runtime version or runtime identifier string is malformed");
        return error->status;
    }
    if ((payload->flags & ~(uint32_t)(OXPAK_FLAG_DIAGNOSTICS_ENABLED | OXPAK_FLAG_STARTUP_HOOKS_ENABLED
                                   | OXPAK_FLAG_PACKED_FILES_READ_ONLY | OXPAK_FLAG_NATIVE_AOT)) != 0) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "the header has unknown flags 0x%x", payload->flags);
        return error->status;
    }
    return HOST_OK;
}

/* Whether a name is a relative path whose segments are neither empty, "." nor "..", as the format requires:
   names become paths below the app directory (and files, when extracted). */
static int name_is_relative_path(const char *name, uint32_t length)
{
    uint32_t start = 0;
    for (uint32_t i = 0; i <= length; i++) {
        if (i < length && name[i] != '/')
            continue;
        uint32_t segment = i - start;
        if (segment == 0 || (segment == 1 && name[start] == '.') || (segment == 2 && name[start] == '.' && name[start + 1] == '.'))
            return 0;
        start = i + 1;
    }
    return 1;
}

static enum host_status parse_entries(struct payload *payload, struct host_error *error)
{
    const char *previous_name = NULL;
    uint32_t previous_length = 0;
    for (uint32_t i = 0; i < payload->entry_count; i++) {
        const uint8_t *record = payload->entries + (uint64_t)i * OXPAK_ENTRY_SIZE;
        uint32_t name_length;
        const char *name = resolve_string(payload->strings, payload->strings_size, record + OXPAK_ENTRY_OFFSET_NAME,
                                          OXPAK_MAX_NAME_LENGTH, &name_length);
        if (name == NULL || name_length == 0) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "entry %u has a malformed name", i);
            return error->status;
        }
        if (!name_is_relative_path(name, name_length)) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                           "entry %u (\"%s\") is not a relative path of non-empty segments other than '.' and '..'", i, name);
            return error->status;
        }
        if (previous_name != NULL && compare_names(previous_name, previous_length, name, name_length) >= 0) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                           "entry %u (\"%s\") is out of order or repeats a name, so lookups would be wrong", i, name);
            return error->status;
        }
        previous_name = name;
        previous_length = name_length;

        uint16_t kind = read_u16(record + OXPAK_ENTRY_OFFSET_KIND);
        uint16_t codec = read_u16(record + OXPAK_ENTRY_OFFSET_CODEC);
        uint32_t flags = read_u32(record + OXPAK_ENTRY_OFFSET_FLAGS);
        uint64_t data_offset = read_u64(record + OXPAK_ENTRY_OFFSET_DATA_OFFSET);
        uint64_t stored_size = read_u64(record + OXPAK_ENTRY_OFFSET_STORED_SIZE);
        uint64_t original_size = read_u64(record + OXPAK_ENTRY_OFFSET_ORIGINAL_SIZE);
        uint32_t dependencies_first = read_u32(record + OXPAK_ENTRY_OFFSET_DEPENDENCIES_FIRST);
        uint32_t dependencies_count = read_u32(record + OXPAK_ENTRY_OFFSET_DEPENDENCIES_COUNT);

        if (kind != OXPAK_KIND_MANAGED_ASSEMBLY && kind != OXPAK_KIND_NATIVE_LIBRARY && kind != OXPAK_KIND_CONTENT) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "entry \"%s\" has unknown kind %u", name, kind);
            return error->status;
        }
        int sizes_agree = (codec == OXPAK_CODEC_STORED && stored_size == original_size)
                          || (codec == OXPAK_CODEC_LZ4 && stored_size < original_size && original_size <= (uint64_t)INT32_MAX);
        /* A mapped library is a stored native library on a page boundary (the host maps its segments from the file). */
        int flags_valid = flags == 0
                          || (flags == OXPAK_ENTRY_FLAG_MAPPED_LIBRARY && kind == OXPAK_KIND_NATIVE_LIBRARY
                              && codec == OXPAK_CODEC_STORED && data_offset % OXPAK_LIBRARY_ALIGNMENT == 0);
        if (!sizes_agree || !flags_valid) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                           "entry \"%s\" has unknown codec %u or flags 0x%x, or sizes that disagree", name, codec, flags);
            return error->status;
        }
        if (!range_fits(data_offset, stored_size, payload->size)
            || (kind == OXPAK_KIND_MANAGED_ASSEMBLY && codec == OXPAK_CODEC_STORED && data_offset % OXPAK_ASSEMBLY_ALIGNMENT != 0)) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                           "entry \"%s\" has data (offset %llu, size %llu) outside the payload or misaligned", name,
                           (unsigned long long)data_offset, (unsigned long long)stored_size);
            return error->status;
        }
        if (!range_fits(dependencies_first, dependencies_count, payload->dependency_count)
            || (dependencies_count != 0 && kind != OXPAK_KIND_NATIVE_LIBRARY)) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "entry \"%s\" has a malformed dependency list", name);
            return error->status;
        }
    }
    return HOST_OK;
}

static enum host_status parse_cross_references(struct payload *payload, struct host_error *error)
{
    for (uint32_t i = 0; i < payload->dependency_count; i++) {
        uint32_t target = read_u32(payload->dependencies + (uint64_t)i * OXPAK_DEPENDENCY_SIZE);
        if (target >= payload->entry_count
            || read_u16(payload->entries + (uint64_t)target * OXPAK_ENTRY_SIZE + OXPAK_ENTRY_OFFSET_KIND)
                   != OXPAK_KIND_NATIVE_LIBRARY) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                           "dependency %u names entry %u, which is not a packed native library", i, target);
            return error->status;
        }
    }
    for (uint32_t i = 0; i < payload->property_count; i++) {
        const uint8_t *record = payload->properties + (uint64_t)i * OXPAK_PROPERTY_SIZE;
        if (resolve_string(payload->strings, payload->strings_size, record + OXPAK_PROPERTY_OFFSET_KEY,
                           OXPAK_MAX_NAME_LENGTH, NULL) == NULL
            || resolve_string(payload->strings, payload->strings_size, record + OXPAK_PROPERTY_OFFSET_VALUE,
                              UINT32_MAX - 1, NULL) == NULL) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what, "runtime property %u has a malformed string", i);
            return error->status;
        }
    }
    if (payload->flags & OXPAK_FLAG_NATIVE_AOT) {
        if (payload->entry_assembly_index != OXPAK_NO_ENTRY_ASSEMBLY) {
            host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                           "a Native AOT payload names entry assembly %u; it has none", payload->entry_assembly_index);
            return error->status;
        }
    } else if (payload->entry_assembly_index >= payload->entry_count
        || read_u16(payload->entries + (uint64_t)payload->entry_assembly_index * OXPAK_ENTRY_SIZE + OXPAK_ENTRY_OFFSET_KIND)
               != OXPAK_KIND_MANAGED_ASSEMBLY) {
        host_error_set(error, HOST_EXIT_PAYLOAD_CORRUPT, corrupt_what,
                       "the entry assembly index %u does not name a managed assembly", payload->entry_assembly_index);
        return error->status;
    }
    return HOST_OK;
}

enum host_status payload_parse(const uint8_t *file, uint64_t file_size, struct payload *payload, struct host_error *error)
{
    memset(payload, 0, sizeof *payload);
    payload->file_descriptor = -1;
    enum host_status status = parse_trailer(file, file_size, payload, error);
    if (status == HOST_OK)
        status = parse_header(payload, error);
    if (status == HOST_OK)
        status = parse_entries(payload, error);
    if (status == HOST_OK)
        status = parse_cross_references(payload, error);
    return status;
}

/* The first entry whose name is not below name (entries are sorted), or entry_count. */
static uint32_t lower_bound(const struct payload *payload, const char *name, size_t name_length)
{
    uint32_t low = 0;
    uint32_t high = payload->entry_count;
    while (low < high) {
        uint32_t middle = low + (high - low) / 2;
        const uint8_t *record = payload->entries + (uint64_t)middle * OXPAK_ENTRY_SIZE;
        const char *candidate = (const char *)payload->strings + read_u32(record + OXPAK_ENTRY_OFFSET_NAME);
        if (compare_names(candidate, read_u32(record + OXPAK_ENTRY_OFFSET_NAME + 4), name, name_length) < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/* Whether entry index starts with (or, exact != 0, equals) the given name. */
static int entry_name_matches(const struct payload *payload, uint32_t index, const char *name, size_t name_length, int exact)
{
    if (index >= payload->entry_count)
        return 0;
    const uint8_t *record = payload->entries + (uint64_t)index * OXPAK_ENTRY_SIZE;
    uint32_t length = read_u32(record + OXPAK_ENTRY_OFFSET_NAME + 4);
    const char *candidate = (const char *)payload->strings + read_u32(record + OXPAK_ENTRY_OFFSET_NAME);
    return (exact ? length == name_length : length > name_length) && memcmp(candidate, name, name_length) == 0;
}

int64_t payload_find(const struct payload *payload, const char *name, size_t name_length)
{
    uint32_t index = lower_bound(payload, name, name_length);
    return entry_name_matches(payload, index, name, name_length, 1) ? (int64_t)index : -1;
}

uint32_t payload_lower_bound(const struct payload *payload, const char *name, size_t name_length)
{
    return lower_bound(payload, name, name_length);
}

int payload_has_folder(const struct payload *payload, const char *prefix, size_t prefix_length)
{
    if (prefix_length == 0 || prefix_length >= OXPAK_MAX_NAME_LENGTH)
        return 0;
    char folder[OXPAK_MAX_NAME_LENGTH + 1];
    memcpy(folder, prefix, prefix_length);
    folder[prefix_length] = '/';
    /* The first name not below "prefix/" starts with it if any name does. */
    return entry_name_matches(payload, lower_bound(payload, folder, prefix_length + 1), folder, prefix_length + 1, 0);
}

void payload_entry_at(const struct payload *payload, uint32_t index, struct payload_entry *entry)
{
    const uint8_t *record = payload->entries + (uint64_t)index * OXPAK_ENTRY_SIZE;
    entry->name = (const char *)payload->strings + read_u32(record + OXPAK_ENTRY_OFFSET_NAME);
    entry->name_length = read_u32(record + OXPAK_ENTRY_OFFSET_NAME + 4);
    entry->kind = read_u16(record + OXPAK_ENTRY_OFFSET_KIND);
    entry->codec = read_u16(record + OXPAK_ENTRY_OFFSET_CODEC);
    entry->flags = read_u32(record + OXPAK_ENTRY_OFFSET_FLAGS);
    entry->file_offset = payload->offset + read_u64(record + OXPAK_ENTRY_OFFSET_DATA_OFFSET);
    entry->stored_size = read_u64(record + OXPAK_ENTRY_OFFSET_STORED_SIZE);
    entry->original_size = read_u64(record + OXPAK_ENTRY_OFFSET_ORIGINAL_SIZE);
    entry->sha256 = record + OXPAK_ENTRY_OFFSET_SHA256;
    entry->dependencies_first = read_u32(record + OXPAK_ENTRY_OFFSET_DEPENDENCIES_FIRST);
    entry->dependencies_count = read_u32(record + OXPAK_ENTRY_OFFSET_DEPENDENCIES_COUNT);
}

void payload_property_at(const struct payload *payload, uint32_t index, const char **key, const char **value)
{
    const uint8_t *record = payload->properties + (uint64_t)index * OXPAK_PROPERTY_SIZE;
    *key = (const char *)payload->strings + read_u32(record + OXPAK_PROPERTY_OFFSET_KEY);
    *value = (const char *)payload->strings + read_u32(record + OXPAK_PROPERTY_OFFSET_VALUE);
}

uint32_t payload_dependency_at(const struct payload *payload, uint32_t index)
{
    return read_u32(payload->dependencies + (uint64_t)index * OXPAK_DEPENDENCY_SIZE);
}
