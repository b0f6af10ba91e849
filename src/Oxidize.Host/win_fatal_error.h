#ifndef OXIDIZE_WIN_FATAL_ERROR_H
#define OXIDIZE_WIN_FATAL_ERROR_H

#include "host_error.h"

/* 1 when the host's fatal message has nowhere to go: no valid stderr handle and no console (a GUI-subsystem app,
   OutputType=WinExe, started from Explorer or a shortcut). A redirected stderr, or a console, gets the text instead. */
int win_fatal_error_needs_message_box(void);

/* host_error_exit for the Windows host: the message goes to stderr as on Linux and, when win_fatal_error_needs_message_box
   says nothing would show it, to a message box as well. The exit code is the same either way (docs/errors.md). */
__attribute__((noreturn)) void win_fatal_error_exit(const struct host_error *error);

#endif
