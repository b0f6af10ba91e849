#include "win_entry_bytes.h"

#include <windows.h>

#include <stdlib.h>

#include "load_list.h"
#include "lz4_decode.h"
#include "oxidize_format.h"
#include "runtime_platform.h"
#include "win_self_image.h"

static const struct payload *packed;
static const uint8_t **decoded; /* one per entry, by index: the decoded copy of an LZ4 entry once made */
static CRITICAL_SECTION decode_lock;

enum host_status win_entry_bytes_init(const struct payload *payload, struct host_error *error)
{
    packed = payload;
    decoded = calloc(payload->entry_count > 0 ? payload->entry_count : 1, sizeof *decoded);
    if (decoded == NULL) {
        host_error_set(error, HOST_EXIT_OUT_OF_MEMORY, "cannot start the app", "out of memory for the entry table");
        return error->status;
    }
    InitializeCriticalSection(&decode_lock);
    return HOST_OK;
}

/* An LZ4 entry decoded into fresh private memory (VirtualAlloc), or NULL with error filled. */
static uint8_t *decode_entry(const struct payload_entry *entry, struct host_error *error)
{
    uint8_t *target = VirtualAlloc(NULL, (size_t)entry->original_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    int64_t length = target != NULL ? lz4_decode(packed->file + entry->file_offset, (size_t)entry->stored_size, target,
                                                 (size_t)entry->original_size)
                                    : -1;
    if (target == NULL || length < 0 || (uint64_t)length != entry->original_size) {
        host_error_set(error, target == NULL ? HOST_EXIT_OUT_OF_MEMORY : HOST_EXIT_PAYLOAD_CORRUPT,
                       "cannot read a packed file", "\"%s\": %s", entry->name,
                       target == NULL ? "out of memory for its decoded bytes" : "its compressed bytes are corrupt");
        if (target != NULL)
            VirtualFree(target, 0, MEM_RELEASE);
        return NULL;
    }
    return target;
}

const uint8_t *win_entry_bytes(uint32_t index, struct host_error *error)
{
    load_list_record(index);
    struct payload_entry entry;
    payload_entry_at(packed, index, &entry);
    if (entry.codec == OXPAK_CODEC_STORED)
        return packed->file + entry.file_offset;
    /* One decoder at a time: two threads asking for the same entry get one copy. */
    EnterCriticalSection(&decode_lock);
    const uint8_t *bytes = decoded[index];
    if (bytes == NULL)
        bytes = decoded[index] = decode_entry(&entry, error);
    LeaveCriticalSection(&decode_lock);
    return bytes;
}

const uint8_t *win_entry_bytes_borrow(uint32_t index, struct host_error *error)
{
    load_list_record(index);
    struct payload_entry entry;
    payload_entry_at(packed, index, &entry);
    if (entry.codec == OXPAK_CODEC_STORED)
        return win_self_image_view(entry.file_offset, entry.stored_size, error);
    return decode_entry(&entry, error);
}

void win_entry_bytes_return(const uint8_t *bytes)
{
    MEMORY_BASIC_INFORMATION region;
    if (bytes == NULL || VirtualQuery(bytes, &region, sizeof region) != sizeof region)
        return;
    if (region.Type == MEM_MAPPED)
        win_self_image_unview(bytes);
    else if (region.Type == MEM_PRIVATE && region.AllocationBase == bytes)
        VirtualFree((void *)bytes, 0, MEM_RELEASE);
}

int runtime_platform_entry_bytes(uint32_t index, const void **data)
{
    struct host_error error;
    *data = win_entry_bytes(index, &error);
    return *data != NULL;
}
