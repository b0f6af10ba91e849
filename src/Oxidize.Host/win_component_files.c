/*
 * component_files.h on Windows, for AssemblyDependencyResolver (component_resolver.c): the disk only, with UTF-8 paths
 * (as the runtime passes them) asked of Windows in UTF-16. A plugin packed in the .exe is not served: the resolver
 * could read its deps.json from the payload, but AssemblyDependencyResolver drops every path File.Exists does not
 * find, and packed files are not files on Windows (docs/how-it-works.md, "Windows (win-x64)"). Plugins stay on disk
 * beside the .exe (OxidizeFilesystem).
 */
#include "component_files.h"

#include <windows.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "win_text.h"

char *component_files_canonical(const char *path)
{
    wchar_t *wide = win_text_to_wide(path);
    DWORD length = wide != NULL ? GetFullPathNameW(wide, 0, NULL, NULL) : 0;
    wchar_t *full = length > 0 ? malloc((size_t)length * sizeof *full) : NULL;
    char *result = NULL;
    if (full != NULL && GetFullPathNameW(wide, length, full, NULL) < length) {
        DWORD attributes = GetFileAttributesW(full);
        if (attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY))
            result = win_text_to_utf8(full);
    }
    free(full);
    free(wide);
    return result;
}

int component_files_read(const char *path, size_t max_size, char **content, size_t *size, const char **reason)
{
    wchar_t *wide = win_text_to_wide(path);
    HANDLE file = wide != NULL ? CreateFileW(wide, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                                             FILE_ATTRIBUTE_NORMAL, NULL)
                               : INVALID_HANDLE_VALUE;
    free(wide);
    if (file == INVALID_HANDLE_VALUE) {
        DWORD code = GetLastError();
        *reason = "the file cannot be opened";
        return code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ? -1 : -2;
    }
    LARGE_INTEGER file_size;
    char *buffer = NULL;
    DWORD done = 0;
    int ok = GetFileSizeEx(file, &file_size) && (uint64_t)file_size.QuadPart <= max_size
             && (buffer = malloc((size_t)file_size.QuadPart + 1)) != NULL
             && ReadFile(file, buffer, (DWORD)file_size.QuadPart, &done, NULL) && done == (DWORD)file_size.QuadPart;
    CloseHandle(file);
    if (!ok) {
        free(buffer);
        *reason = "the file cannot be read, or is too large";
        return -2;
    }
    *content = buffer;
    *size = done;
    return 0;
}

int component_files_list(const char *folder, int (*each)(void *context, const char *name), void *context)
{
    size_t folder_length = strlen(folder);
    char *pattern = malloc(folder_length + 2);
    if (pattern == NULL)
        return -1;
    memcpy(pattern, folder, folder_length);
    memcpy(pattern + folder_length, "*", 2);
    wchar_t *wide = win_text_to_wide(pattern);
    free(pattern);
    WIN32_FIND_DATAW item;
    HANDLE search = wide != NULL ? FindFirstFileW(wide, &item) : INVALID_HANDLE_VALUE;
    free(wide);
    if (search == INVALID_HANDLE_VALUE)
        return -1;
    int stop = 0;
    do {
        if (item.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            continue;
        char *name = win_text_to_utf8(item.cFileName);
        stop = name != NULL && each(context, name) != 0;
        free(name);
    } while (!stop && FindNextFileW(search, &item));
    FindClose(search);
    return 0;
}
