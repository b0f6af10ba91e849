/* libgreet.so: the app's own native library. Linked with -lgreetdep, so loading it needs libgreetdep.so. */
#include <stdio.h>

int greetdep_answer(void);
const char *greetdep_origin(void);

/* Writes "Hello, <name>! (42 from libgreetdep)" into buffer; returns the length snprintf reports. */
int greet_format(const char *name, char *buffer, int size)
{
    return snprintf(buffer, (size_t)size, "Hello, %s! (%d from %s)", name, greetdep_answer(), greetdep_origin());
}

int greet_answer(void)
{
    return greetdep_answer();
}

int greet_twice(int value)
{
    return 2 * value;
}
