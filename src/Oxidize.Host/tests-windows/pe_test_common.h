/* What the Windows loader test programs share: reading a test file into memory and a check counter. */
#ifndef OXIDIZE_PE_TEST_COMMON_H
#define OXIDIZE_PE_TEST_COMMON_H

#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int checks_passed __attribute__((unused)), checks_failed __attribute__((unused));

#define CHECK(condition, ...)                                                                                   \
    do {                                                                                                        \
        if (condition) {                                                                                        \
            checks_passed++;                                                                                    \
        } else {                                                                                                \
            checks_failed++;                                                                                    \
            printf("FAILED line %d: %s: ", __LINE__, #condition);                                               \
            printf(__VA_ARGS__);                                                                                \
            printf("\n");                                                                                       \
        }                                                                                                       \
    } while (0)

/* The whole file in a heap buffer (the test's stand-in for a payload entry), or NULL. */
static uint8_t *read_whole_file(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return NULL;
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *bytes = length > 0 ? malloc((size_t)length) : NULL;
    if (!bytes || fread(bytes, 1, (size_t)length, file) != (size_t)length) {
        free(bytes);
        fclose(file);
        return NULL;
    }
    fclose(file);
    *size = (size_t)length;
    return bytes;
}

#endif
