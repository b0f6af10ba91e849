/*
 * A GUI-subsystem process has no console, and when started from Explorer no stderr either: the host's fatal errors
 * (docs/errors.md) would vanish and only the exit code, which nobody sees, would remain. Then the same two lines are
 * shown in a message box. user32.dll is loaded only here, on the way out: the host imports nothing but kernel32 and
 * msvcrt, so a normal start pays nothing for it.
 */
#include "win_fatal_error.h"

#include <windows.h>

#include <stdio.h>

typedef int(WINAPI *message_box_w)(HWND, LPCWSTR, LPCWSTR, UINT);

int win_fatal_error_needs_message_box(void)
{
    HANDLE standard_error = GetStdHandle(STD_ERROR_HANDLE);
    /* A handle GetFileType cannot classify is as good as none (a closed or stale one). */
    int has_standard_error = standard_error != NULL && standard_error != INVALID_HANDLE_VALUE
                             && GetFileType(standard_error) != FILE_TYPE_UNKNOWN;
    return !has_standard_error && GetConsoleWindow() == NULL;
}

static void show_message_box(const struct host_error *error)
{
    char text[sizeof error->what + sizeof error->why + 64];
    snprintf(text, sizeof text, "%s (exit code %d)\n\n%s", error->what, (int)error->status, error->why);
    static wchar_t wide_text[sizeof text];
    if (MultiByteToWideChar(CP_UTF8, 0, text, -1, wide_text, (int)(sizeof wide_text / sizeof wide_text[0])) <= 0)
        return;
    HMODULE user32 = LoadLibraryW(L"user32.dll");
    message_box_w message_box = user32 != NULL ? (message_box_w)(void *)GetProcAddress(user32, "MessageBoxW") : NULL;
    if (message_box != NULL)
        message_box(NULL, wide_text, L"oxidize", MB_OK | MB_ICONERROR | MB_SETFOREGROUND);
}

void win_fatal_error_exit(const struct host_error *error)
{
    if (win_fatal_error_needs_message_box())
        show_message_box(error);
    host_error_exit(error);
}
