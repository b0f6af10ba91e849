#include "win_entry_bytes.h"

#include <windows.h>

#include <stdlib.h>

#include "lz4_decode.h"
#include "oxidize_format.h"
#include "runtime_platform.h"

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

const uint8_t *win_entry_bytes(uint32_t index, struct host_error *error)
{
    struct payload_entry entry;
    payload_entry_at(packed, index, &entry);
    if (entry.codec == OXPAK_CODEC_STORED)
        return packed->file + entry.file_offset;
    /* One decoder at a time: two threads asking for the same entry get one copy. */
    EnterCriticalSection(&decode_lock);
    const uint8_t *bytes = decoded[index];
    if (bytes == NULL) {
        uint8_t *target = VirtualAlloc(NULL, (size_t)entry.original_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        int64_t length = target != NULL ? lz4_decode(packed->file + entry.file_offset, (size_t)entry.stored_size, target,
                                                     (size_t)entry.original_size)
                                        : -1;
        if (target == NULL || length < 0 || (uint64_t)length != entry.original_size) {
            host_error_set(error, target == NULL ? HOST_EXIT_OUT_OF_MEMORY : HOST_EXIT_PAYLOAD_CORRUPT,
                           "cannot read a packed file", "\"%s\": %s", entry.name,
                           target == NULL ? "out of memory for its decoded bytes" : "its compressed bytes are corrupt");
            if (target != NULL)
                VirtualFree(target, 0, MEM_RELEASE);
        } else {
            bytes = decoded[index] = target;
        }
    }
    LeaveCriticalSection(&decode_lock);
    return bytes;
}

int runtime_platform_entry_bytes(uint32_t index, const void **data)
{
    struct host_error error;
    *data = win_entry_bytes(index, &error);
    return *data != NULL;
}
