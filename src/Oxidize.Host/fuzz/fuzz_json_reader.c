/*
 * fuzz_json_reader.c -- libFuzzer harness for the host's JSON reader (../json_reader.c), which reads plugins'
 * .deps.json files; eng/fuzz-json.sh builds and runs it with AddressSanitizer and UBSan. Seeds live in
 * corpus/json/. The input is the whole file (libFuzzer hands over an exactly-sized heap copy, so ASan sees a
 * single byte read past the end). Checks:
 *   - json_parse and json_parse_first (which ignores what follows the first value) never crash, and a rejection
 *     names an offset inside the input (or its length); what json_parse accepts, json_parse_first accepts too;
 *   - on acceptance, every value the accessors walk to (members, keys, elements, at every depth) lies inside the
 *     input and inside its container, has a type that matches its first byte, and every string decodes
 *     (json_string_copy) either to an error or to a NUL-terminated text for which json_string_equals is true
 *     and json_object_get finds the first member of that name.
 */
#include "../json_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *input;
static size_t input_size;

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_json_reader: %s\n", what);
    abort();
}

static void check_span(const struct json_value *value, const struct json_value *container)
{
    if (value->start < input || value->end > input + input_size || value->start >= value->end)
        fail("value outside the input");
    if (container != NULL && (value->start <= container->start || value->end >= container->end))
        fail("value outside its container");
    static const char first[] = {[JSON_OBJECT] = '{', [JSON_ARRAY] = '[', [JSON_STRING] = '"', [JSON_TRUE] = 't', [JSON_FALSE] = 'f', [JSON_NULL] = 'n'};
    if (value->type != JSON_NUMBER && *value->start != first[value->type])
        fail("type does not match the first byte");
}

static void check_string(const struct json_value *value)
{
    static char buffer[1 << 16];
    long length = json_string_copy(value, buffer, sizeof buffer);
    if (length < 0)
        return;
    if ((size_t)length >= sizeof buffer || buffer[length] != '\0' || strlen(buffer) != (size_t)length)
        fail("decoded string not NUL-terminated at its length");
    if (!json_string_equals(value, buffer))
        fail("a decoded string does not equal itself");
}

static void walk(const struct json_value *value, int depth)
{
    if (depth > JSON_MAX_DEPTH + 1)
        fail("deeper than the parser allows");
    const char *cursor = NULL;
    struct json_value key, member;
    if (value->type == JSON_OBJECT) {
        while (json_object_next(value, &cursor, &key, &member)) {
            check_span(&key, value);
            check_span(&member, value);
            if (key.type != JSON_STRING)
                fail("a key that is not a string");
            check_string(&key);
            static char name[1 << 12];
            struct json_value found;
            if (json_string_copy(&key, name, sizeof name) >= 0 && (!json_object_get(value, name, &found) || found.start > member.start))
                fail("json_object_get misses a member or finds a later one");
            walk(&member, depth + 1);
        }
    } else if (value->type == JSON_ARRAY) {
        while (json_array_next(value, &cursor, &member)) {
            check_span(&member, value);
            walk(&member, depth + 1);
        }
    } else if (value->type == JSON_STRING) {
        check_string(value);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input = (const char *)data;
    input_size = size;
    struct json_value root, first;
    size_t error_offset = (size_t)-1;
    int whole = json_parse(input, size, &root, &error_offset) == 0;
    if (!whole && error_offset > size)
        fail("error offset past the input");
    if (whole) {
        check_span(&root, NULL);
        walk(&root, 0);
    }
    error_offset = (size_t)-1;
    if (json_parse_first(input, size, &first, &error_offset) != 0) {
        if (whole)
            fail("json_parse_first refuses what json_parse accepts");
        if (error_offset > size)
            fail("error offset past the input");
        return 0;
    }
    check_span(&first, NULL);
    walk(&first, 0);
    return 0;
}
