#include "json_reader.h"

#include <string.h>

/* ---- Validation: recursive descent, depth-limited, every read checked against end. ---- */

struct parser {
    const char *p;
    const char *end;
};

static void skip_space(struct parser *parser)
{
    while (parser->p < parser->end && (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r'))
        parser->p++;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_string(struct parser *parser)
{
    if (parser->p >= parser->end || *parser->p != '"')
        return -1;
    parser->p++;
    while (parser->p < parser->end) {
        unsigned char c = (unsigned char)*parser->p;
        if (c == '"') {
            parser->p++;
            return 0;
        }
        if (c < 0x20)
            return -1;
        if (c != '\\') {
            parser->p++;
            continue;
        }
        parser->p++;
        if (parser->p >= parser->end)
            return -1;
        char escape = *parser->p++;
        if (escape == 'u') {
            for (int i = 0; i < 4; i++, parser->p++)
                if (parser->p >= parser->end || hex_value(*parser->p) < 0)
                    return -1;
        } else if (strchr("\"\\/bfnrt", escape) == NULL || escape == '\0') {
            parser->p--;
            return -1;
        }
    }
    return -1;
}

static int parse_digits(struct parser *parser)
{
    if (parser->p >= parser->end || !is_digit(*parser->p))
        return -1;
    while (parser->p < parser->end && is_digit(*parser->p))
        parser->p++;
    return 0;
}

static int parse_number(struct parser *parser)
{
    if (parser->p < parser->end && *parser->p == '-')
        parser->p++;
    if (parser->p < parser->end && *parser->p == '0')
        parser->p++;
    else if (parse_digits(parser) != 0)
        return -1;
    if (parser->p < parser->end && *parser->p == '.') {
        parser->p++;
        if (parse_digits(parser) != 0)
            return -1;
    }
    if (parser->p < parser->end && (*parser->p == 'e' || *parser->p == 'E')) {
        parser->p++;
        if (parser->p < parser->end && (*parser->p == '+' || *parser->p == '-'))
            parser->p++;
        if (parse_digits(parser) != 0)
            return -1;
    }
    return 0;
}

static int parse_literal(struct parser *parser, const char *literal)
{
    size_t length = strlen(literal);
    if ((size_t)(parser->end - parser->p) < length || memcmp(parser->p, literal, length) != 0)
        return -1;
    parser->p += length;
    return 0;
}

static int parse_value(struct parser *parser, int depth);

/* Object or array: open and close are '{' '}' or '[' ']'; members have a key when is_object. */
static int parse_container(struct parser *parser, int depth, char close, int is_object)
{
    if (depth >= JSON_MAX_DEPTH)
        return -1;
    parser->p++; /* the opening bracket, checked by the caller */
    skip_space(parser);
    if (parser->p < parser->end && *parser->p == close) {
        parser->p++;
        return 0;
    }
    for (;;) {
        skip_space(parser);
        if (is_object) {
            if (parse_string(parser) != 0)
                return -1;
            skip_space(parser);
            if (parser->p >= parser->end || *parser->p != ':')
                return -1;
            parser->p++;
        }
        if (parse_value(parser, depth + 1) != 0)
            return -1;
        skip_space(parser);
        if (parser->p >= parser->end)
            return -1;
        if (*parser->p == close) {
            parser->p++;
            return 0;
        }
        if (*parser->p != ',')
            return -1;
        parser->p++;
    }
}

static int parse_value(struct parser *parser, int depth)
{
    skip_space(parser);
    if (parser->p >= parser->end)
        return -1;
    switch (*parser->p) {
    case '{': return parse_container(parser, depth, '}', 1);
    case '[': return parse_container(parser, depth, ']', 0);
    case '"': return parse_string(parser);
    case 't': return parse_literal(parser, "true");
    case 'f': return parse_literal(parser, "false");
    case 'n': return parse_literal(parser, "null");
    default: return parse_number(parser);
    }
}

/* ---- Navigation over validated text: no recursion, every read still bounded by end. ---- */

static const char *skip_space_to(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static const char *string_end(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return end;
}

/* The end of the value starting at p (which is not white space). */
static const char *value_end(const char *p, const char *end, enum json_type *type)
{
    if (p >= end) {
        *type = JSON_NULL;
        return end;
    }
    switch (*p) {
    case '"':
        *type = JSON_STRING;
        return string_end(p, end);
    case '{':
    case '[': {
        *type = *p == '{' ? JSON_OBJECT : JSON_ARRAY;
        int depth = 0;
        while (p < end) {
            if (*p == '"') {
                p = string_end(p, end);
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if ((*p == '}' || *p == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return end;
    }
    case 't': *type = JSON_TRUE; break;
    case 'f': *type = JSON_FALSE; break;
    case 'n': *type = JSON_NULL; break;
    default: *type = JSON_NUMBER; break;
    }
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
        p++;
    return p;
}

static void value_at(const char *p, const char *end, struct json_value *value)
{
    value->start = p;
    value->end = value_end(p, end, &value->type);
}

static int parse_root(const char *text, size_t length, int whole, struct json_value *root, size_t *error_offset)
{
    struct parser parser = {text, text + length};
    if (parse_value(&parser, 0) == 0) {
        skip_space(&parser);
        if (parser.p == parser.end || !whole) {
            const char *start = skip_space_to(text, text + length);
            root->start = start;
            root->end = value_end(start, parser.p, &root->type);
            return 0;
        }
    }
    *error_offset = (size_t)(parser.p - text);
    return -1;
}

int json_parse(const char *text, size_t length, struct json_value *root, size_t *error_offset)
{
    return parse_root(text, length, 1, root, error_offset);
}

int json_parse_first(const char *text, size_t length, struct json_value *root, size_t *error_offset)
{
    return parse_root(text, length, 0, root, error_offset);
}

/* Moves to the next member or element of a container: returns its first byte, or NULL at the end. */
static const char *next_item(const struct json_value *container, const char **cursor)
{
    const char *p = *cursor == NULL ? container->start + 1 : *cursor;
    p = skip_space_to(p, container->end);
    if (p < container->end && *p == ',')
        p = skip_space_to(p + 1, container->end);
    if (p >= container->end - 1 || *p == '}' || *p == ']')
        return NULL;
    return p;
}

int json_object_next(const struct json_value *object, const char **cursor, struct json_value *key, struct json_value *value)
{
    if (object->type != JSON_OBJECT)
        return 0;
    const char *p = next_item(object, cursor);
    if (p == NULL)
        return 0;
    value_at(p, object->end, key);
    p = skip_space_to(key->end, object->end);
    if (p < object->end && *p == ':')
        p++;
    value_at(skip_space_to(p, object->end), object->end, value);
    *cursor = value->end;
    return 1;
}

int json_array_next(const struct json_value *array, const char **cursor, struct json_value *element)
{
    if (array->type != JSON_ARRAY)
        return 0;
    const char *p = next_item(array, cursor);
    if (p == NULL)
        return 0;
    value_at(p, array->end, element);
    *cursor = element->end;
    return 1;
}

/* Decodes one character of a string's content at *p (before its closing quote) into out[0..4); returns the
   byte count, or -1 for \u0000 or a lone surrogate. */
static int decode_next(const char **p, const char *end, char out[4])
{
    const char *q = *p;
    if (*q != '\\') {
        out[0] = *q;
        *p = q + 1;
        return 1;
    }
    if (end - q < 2)
        return -1;
    char escape = q[1];
    *p = q + 2;
    switch (escape) {
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'u': break;
    default: out[0] = escape; return 1;
    }
    unsigned long code = 0;
    for (int pair = 0; pair < 2; pair++) {
        if (end - *p < 4)
            return -1;
        unsigned unit = 0;
        for (int i = 0; i < 4; i++) {
            int digit = hex_value((*p)[i]);
            if (digit < 0)
                return -1;
            unit = unit * 16 + (unsigned)digit;
        }
        *p += 4;
        if (pair == 0 && unit >= 0xD800 && unit <= 0xDBFF) {
            /* A high surrogate must be followed by \u and a low one. */
            if (end - *p < 6 || (*p)[0] != '\\' || (*p)[1] != 'u')
                return -1;
            *p += 2;
            code = unit;
            continue;
        }
        if (pair == 1) {
            if (unit < 0xDC00 || unit > 0xDFFF)
                return -1;
            code = 0x10000 + ((code - 0xD800) << 10) + (unit - 0xDC00);
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            return -1;
        } else {
            code = unit;
        }
        break;
    }
    if (code == 0)
        return -1;
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

long json_string_copy(const struct json_value *string, char *buffer, size_t size)
{
    if (string->type != JSON_STRING || size == 0 || string->end - string->start < 2)
        return -1;
    const char *p = string->start + 1;
    const char *end = string->end - 1; /* the closing quote */
    size_t length = 0;
    while (p < end) {
        char bytes[4];
        int count = decode_next(&p, end, bytes);
        if (count < 0 || (count == 1 && bytes[0] == '\0') || length + (size_t)count >= size)
            return -1;
        memcpy(buffer + length, bytes, (size_t)count);
        length += (size_t)count;
    }
    buffer[length] = '\0';
    return (long)length;
}

int json_string_equals(const struct json_value *string, const char *text)
{
    if (string->type != JSON_STRING || string->end - string->start < 2)
        return 0;
    const char *p = string->start + 1;
    const char *end = string->end - 1;
    size_t length = strlen(text), matched = 0;
    while (p < end) {
        char bytes[4];
        int count = decode_next(&p, end, bytes);
        if (count < 0 || matched + (size_t)count > length || memcmp(text + matched, bytes, (size_t)count) != 0)
            return 0;
        matched += (size_t)count;
    }
    return matched == length;
}

int json_object_get(const struct json_value *object, const char *key, struct json_value *value)
{
    const char *cursor = NULL;
    struct json_value name;
    while (json_object_next(object, &cursor, &name, value))
        if (json_string_equals(&name, key))
            return 1;
    return 0;
}
