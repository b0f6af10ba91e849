/* UTF-8 <-> UTF-16 for the Windows host's own files: the runtime and the portable code speak UTF-8, Windows and
   hostpolicy's Windows exports UTF-16. */
#ifndef OXIDIZE_WIN_TEXT_H
#define OXIDIZE_WIN_TEXT_H

#include <wchar.h>

/* A malloc'ed copy in the other encoding, or NULL (out of memory, or text that is not valid UTF-8). */
wchar_t *win_text_to_wide(const char *text);
char *win_text_to_utf8(const wchar_t *wide);

#endif
