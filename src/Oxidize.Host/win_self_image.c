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
    /* The view keeps the file mapped; neither handle is needed any more (nor inherited by child processes). */
    CloseHandle(mapping);
    CloseHandle(file);
    enum host_status status = payload_parse(view, (uint64_t)size.QuadPart, payload, error);
    if (status != HOST_OK)
        UnmapViewOfFile(view);
    return status;
}
