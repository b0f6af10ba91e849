/*
 * A small, bounds-checked JSON reader for the one JSON file the host reads at run time: a plugin's
 * .deps.json (component_resolver.c). json_parse validates the whole text first (RFC 8259 syntax, nesting at
 * most JSON_MAX_DEPTH deep), so hostile input is refused with a position instead of being half read; the
 * accessors then walk the validated text in place, never allocate, and never read outside it.
 */
#ifndef OXIDIZE_JSON_READER_H
#define OXIDIZE_JSON_READER_H

#include <stddef.h>

#define JSON_MAX_DEPTH 64

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* A value inside a validated text: [start, end) spans it exactly (a string's span includes its quotes). */
struct json_value {
    const char *start;
    const char *end;
    enum json_type type;
};

/* Validates text[0..length) as one JSON value with optional surrounding white space. Returns 0 and the root
   value, or -1 with *error_offset at the first byte that is wrong (or length when the text ends early). */
int json_parse(const char *text, size_t length, struct json_value *root, size_t *error_offset);

/* Like json_parse, but only the first value must be valid and what follows it is ignored, as .NET's hostpolicy
   reads a .deps.json (RapidJSON stops when the first value is done). */
int json_parse_first(const char *text, size_t length, struct json_value *root, size_t *error_offset);

/* Iterates an object's members in document order: start with *cursor = NULL; returns 1 per member, 0 at the end. */
int json_object_next(const struct json_value *object, const char **cursor, struct json_value *key, struct json_value *value);

/* Iterates an array's elements the same way. */
int json_array_next(const struct json_value *array, const char **cursor, struct json_value *element);

/* The first member named key (compared after decoding escapes); 1 if found. */
int json_object_get(const struct json_value *object, const char *key, struct json_value *value);

/* Decodes a string value (escapes, \u surrogate pairs to UTF-8) into buffer with a terminating NUL. Returns
   its length, or -1 when it is not a string, does not fit, or holds a NUL (\u0000) or a lone surrogate. */
long json_string_copy(const struct json_value *string, char *buffer, size_t size);

/* Whether a string value decodes to exactly text. */
int json_string_equals(const struct json_value *string, const char *text);

#endif
