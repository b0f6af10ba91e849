#include "win_self_image.h"

#include <windows.h>

#include <stdio.h>

const char *win_self_image_last_error_text(void)
{
    static char text[256];
    DWORD code = GetLastError();
    DWORD length = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, text,
                                  sizeof text, NULL);
    while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r' || text[length - 1] == '.'))
        text[--length] = '\0';
    if (length == 0)
        snprintf(text, sizeof text, "Windows error %lu", (unsigned long)code);
    return text;
}

/* GetModuleFileNameW of the .exe, in UTF-8. Paths up to 32767 UTF-16 units (the \\?\ limit), so a long path works. */
static enum host_status read_executable_path(wchar_t *wide_path, DWORD wide_capacity, char *path, size_t path_size,
                                             struct host_error *error)
{
    DWORD length = GetModuleFileNameW(NULL, wide_path, wide_capacity);
    if (length == 0 || length >= wide_capacity) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot find the executable's own file",
                       "GetModuleFileNameW failed: %s", length == 0 ? win_self_image_last_error_text() : "the path is too long");
        return error->status;
    }
    int written = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide_path, -1, path, (int)path_size, NULL, NULL);
    if (written <= 0) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot find the executable's own file",
                       "its path cannot be written in UTF-8: %s", win_self_image_last_error_text());
        return error->status;
    }
    return HOST_OK;
}

/* The file mapping object of the .exe, kept for win_self_image_view, and the whole-file view payload_parse checked. */
static HANDLE self_mapping;
static const uint8_t *self_view;

enum host_status win_self_image_map(char *path, size_t path_size, struct payload *payload, struct host_error *error)
{
    static wchar_t wide_path[32768];
    if (read_executable_path(wide_path, sizeof wide_path / sizeof wide_path[0], path, path_size, error) != HOST_OK)
        return error->status;
    /* FILE_SHARE_DELETE: the running .exe may be renamed (an updater replacing it) while the mapping lives on. */
    HANDLE file = CreateFileW(wide_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot open the executable's own file",
                       "CreateFileW(\"%s\") failed: %s", path, win_self_image_last_error_text());
        return error->status;
    }
    LARGE_INTEGER size;
    if (!GetFileSizeEx(file, &size) || size.QuadPart <= 0) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot size the executable's own file",
                       "GetFileSizeEx(\"%s\") failed or returned 0: %s", path, win_self_image_last_error_text());
        CloseHandle(file);
        return error->status;
    }
    HANDLE mapping = CreateFileMappingW(file, NULL, PAGE_READONLY, 0, 0, NULL);
    const void *view = mapping != NULL ? MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0) : NULL;
    if (view == NULL) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot map the executable's own file",
                       "mapping %lld bytes of \"%s\" failed: %s", (long long)size.QuadPart, path,
                       win_self_image_last_error_text());
        if (mapping != NULL)
            CloseHandle(mapping);
        CloseHandle(file);
        return error->status;
    }
    /* The view keeps the file mapped and the file handle is needed no more. The mapping handle is kept for the
       short-lived views of win_self_image_view (it is not inheritable: child processes do not get it). */
    CloseHandle(file);
    enum host_status status = payload_parse(view, (uint64_t)size.QuadPart, payload, error);
    if (status != HOST_OK) {
        UnmapViewOfFile(view);
        CloseHandle(mapping);
        return status;
    }
    self_mapping = mapping;
    self_view = view;
    return HOST_OK;
}

const uint8_t *win_self_image_view(uint64_t offset, uint64_t size, struct host_error *error)
{
    /* MapViewOfFile takes offsets that are multiples of the allocation granularity (64 KB). */
    SYSTEM_INFO system;
    GetSystemInfo(&system);
    uint64_t start = offset - offset % system.dwAllocationGranularity;
    uint64_t length = offset - start + size;
    const uint8_t *view = self_mapping != NULL && length == (SIZE_T)length
                              ? MapViewOfFile(self_mapping, FILE_MAP_READ, (DWORD)(start >> 32), (DWORD)start, (SIZE_T)length)
                              : NULL;
    if (view == NULL) {
        host_error_set(error, HOST_EXIT_SELF_UNREADABLE, "cannot map the executable's own file",
                       "mapping %llu bytes at offset %llu failed: %s", (unsigned long long)size, (unsigned long long)offset,
                       win_self_image_last_error_text());
        return NULL;
    }
    return view + (offset - start);
}

void win_self_image_unview(const uint8_t *bytes)
{
    MEMORY_BASIC_INFORMATION region;
    if (bytes == NULL || VirtualQuery(bytes, &region, sizeof region) != sizeof region || region.Type != MEM_MAPPED)
        return;
    /* Never the whole-file view: the payload's index and the assemblies handed to the runtime live in it. */
    if ((const uint8_t *)region.AllocationBase != self_view)
        UnmapViewOfFile(region.AllocationBase);
}
