/* load_list.h on Windows: OXIDIZE_LOAD_LIST names a file the host appends each loaded entry's name to (an assembly the
   runtime asks for, a DLL the PE loader loads; content files are read through Oxidize.Resources there, not recorded). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_list.h"
#include "oxidize_format.h"

static const struct payload *recorded_payload;
static HANDLE list_file = INVALID_HANDLE_VALUE;
static volatile LONG *written; /* one flag per entry: 1 once its name was appended in this run */

void load_list_init(const struct payload *payload)
{
    wchar_t path[32768];
    DWORD length = GetEnvironmentVariableW(L"OXIDIZE_LOAD_LIST", path, sizeof path / sizeof path[0]);
    if (length == 0 || length >= sizeof path / sizeof path[0])
        return;
    LONG *flags = calloc(payload->entry_count > 0 ? payload->entry_count : 1, sizeof *flags);
    /* FILE_APPEND_DATA alone: every WriteFile goes to the end of the file, so lines from threads (or from two processes
       sharing the file) do not overwrite each other. */
    HANDLE file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (flags == NULL || file == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "oxidize: OXIDIZE_LOAD_LIST: cannot open \"%ls\" for appending (Windows error %lu); loads are not recorded\n",
                path, flags == NULL ? (unsigned long)ERROR_NOT_ENOUGH_MEMORY : (unsigned long)GetLastError());
        free(flags);
        if (file != INVALID_HANDLE_VALUE)
            CloseHandle(file);
        return;
    }
    written = flags;
    recorded_payload = payload;
    list_file = file;
}

void load_list_record(uint32_t index)
{
    if (list_file == INVALID_HANDLE_VALUE || index >= recorded_payload->entry_count || InterlockedExchange(&written[index], 1) != 0)
        return;
    struct payload_entry entry;
    payload_entry_at(recorded_payload, index, &entry);
    /* One WriteFile a line (payload.c refuses names longer than OXPAK_MAX_NAME_LENGTH). A failed write loses one name,
       which only makes the next publish keep that entry compressed. */
    char line[OXPAK_MAX_NAME_LENGTH + 1];
    if (entry.name_length >= sizeof line)
        return;
    memcpy(line, entry.name, entry.name_length);
    line[entry.name_length] = '\n';
    DWORD ignored;
    WriteFile(list_file, line, entry.name_length + 1, &ignored, NULL);
}
