/*
 * lz4_decode.c -- bounds-checked LZ4 block decoder (see lz4_decode.h).
 *
 * It runs at every app start on data read from our own executable, so it must be fast, yet it
 * treats the block as untrusted: a damaged file must end in -1, never in a stray read or write.
 * Every length is checked against what is left of the input and of the output *before* it is
 * used, with subtractions of pointers known to be ordered (never "p + n > end", which can wrap),
 * and the fixed-size "wild" copies that make LZ4 fast are only taken when the whole fixed-size
 * span is known to lie inside the buffers.
 */
#include "glibc_floor.h"

#include "lz4_decode.h"

#include <string.h>

#define MIN_MATCH 4         /* a match length field of 0 means 4 bytes */
#define LAST_LITERALS 5     /* the last 5 bytes of a block are always literals... */
#define MATCH_FIND_LIMIT 12 /* ...and the last match starts at least 12 bytes before the end */
#define LENGTH_FIELD_MAX 15 /* a 4-bit length field of 15 is followed by extension bytes */

/*
 * Adds the extension bytes of a length whose 4-bit field was 15: each byte adds its value, and a
 * 255 means another byte follows. Fails on running out of input or on passing `limit` (what the
 * length may be at most); stopping at the limit also keeps the sum from wrapping, since the
 * caller's limit is at most PTRDIFF_MAX.
 */
static inline int read_length(const uint8_t **pip, const uint8_t *iend, size_t *length, size_t limit)
{
    const uint8_t *ip = *pip;
    size_t value = *length;
    unsigned byte;
    do {
        if (ip == iend)
            return 0;
        byte = *ip++;
        value += byte;
        if (value > limit)
            return 0;
    } while (byte == 255);
    *pip = ip;
    *length = value;
    return 1;
}

/*
 * Copies a match of `length` bytes from `offset` bytes back. LZ77 semantics: when offset < length
 * the source overlaps the bytes being written and the last `offset` bytes repeat as a pattern, so
 * a plain memcpy/memmove would be wrong. The caller has checked op - offset >= dst and
 * op + length <= oend.
 */
static inline void copy_match(uint8_t *op, size_t offset, size_t length, const uint8_t *oend)
{
    const uint8_t *match = op - offset;
    uint8_t *const end = op + length;
    size_t const slack = (size_t)(oend - end);

    if (offset >= 16 && slack >= 15) {
        /* Whole 16-byte chunks: each chunk's source ends before its destination starts (offset >= 16),
           so a chunk never reads bytes it writes, and bytes produced by earlier chunks are read back
           exactly as the format says. The last chunk may write up to 15 bytes past the match, which
           the slack check keeps inside dst; later sequences overwrite them. */
        do {
            memcpy(op, match, 16);
            op += 16;
            match += 16;
        } while (op < end);
    } else if (offset >= 8 && slack >= 7) {
        do { /* the same with 8-byte chunks for offsets 8..15 */
            memcpy(op, match, 8);
            op += 8;
            match += 8;
        } while (op < end);
    } else if (offset == 1) {
        memset(op, *match, length); /* a run of one byte: zero padding in binaries, mostly */
    } else if (slack >= 7) {
        /* Period 2..7. The output repeats every `offset` bytes, hence also every multiple of it:
           write 4 bytes one by one, the next 4 from the smallest multiple >= 4 back, then 8-byte
           chunks from the smallest multiple >= 8 back. Each source is already written and ends
           before its destination starts, so no copy overlaps itself. */
        static const uint8_t back4[8] = {0, 0, 4, 6, 4, 5, 6, 7};
        static const uint8_t back8[8] = {0, 0, 8, 9, 8, 10, 12, 14};
        op[0] = match[0];
        op[1] = match[1];
        op[2] = match[2];
        op[3] = match[3];
        memcpy(op + 4, op + 4 - back4[offset], 4);
        size_t const back = back8[offset];
        for (uint8_t *p = op + 8; p < end; p += 8)
            memcpy(p, p - back, 8);
    } else {
        /* Near the end of dst: [match, op + done) always holds a whole number of periods, so copying
           from `match` with a chunk no longer than that span never overlaps and continues the
           pattern; the span doubles each time, so this takes O(log length) copies. */
        size_t done = 0, chunk = offset;
        while (length - done > chunk) {
            memcpy(op + done, match, chunk);
            done += chunk;
            chunk = done + offset;
        }
        memcpy(op + done, match, length - done);
    }
}

int64_t lz4_decode(const uint8_t *src, size_t src_size, uint8_t *dst, size_t dst_capacity)
{
    /* A block of nothing is a single 0 token; with an empty dst there is nothing to write to. */
    static uint8_t no_output[1];
    if (src == NULL || src_size == 0 || src_size > PTRDIFF_MAX || dst_capacity > PTRDIFF_MAX)
        return -1;
    if (dst == NULL) {
        if (dst_capacity != 0)
            return -1;
        dst = no_output; /* never written: capacity stays 0 */
    }

    const uint8_t *ip = src;
    const uint8_t *const iend = src + src_size;
    uint8_t *op = dst;
    uint8_t *const oend = dst + dst_capacity;
    const uint8_t *last_match_start = NULL, *last_match_end = NULL;

    for (;;) {
        /* Here ip < iend: the loop starts with src_size > 0 and a match is only accepted with input left. */
        unsigned const token = *ip++;
        size_t length = token >> 4; /* literal length: high 4 bits of the token, plus extension bytes */
        size_t offset;

        if (length != LENGTH_FIELD_MAX && (size_t)(iend - ip) > 16 && (size_t)(oend - op) >= 32) {
            /* Shortcut for most sequences, far from both ends: at most 14 literals copied as one 16-byte
               move, then the offset (ip + 14 + 2 < iend, so this is not the last sequence), then for a
               match of at most 18 bytes from at least 8 back, three fixed moves (op + 14 + 18 <= oend). */
            memcpy(op, ip, 16);
            op += length;
            ip += length;
            offset = (size_t)ip[0] | (size_t)ip[1] << 8;
            ip += 2;
            if (offset == 0 || offset > (size_t)(op - dst))
                return -1;
            length = token & 15;
            if (length != LENGTH_FIELD_MAX && offset >= 8) {
                const uint8_t *const match = op - offset;
                memcpy(op, match, 8); /* 8-byte pieces never overlap their source (offset >= 8) */
                memcpy(op + 8, match + 8, 8);
                memcpy(op + 16, match + 16, 2);
                last_match_start = op;
                op += length + MIN_MATCH;
                last_match_end = op;
                continue; /* ip <= the token's position + 17 < iend */
            }
            goto match_length;
        }

        if (length == LENGTH_FIELD_MAX) {
            size_t const in_left = (size_t)(iend - ip), out_left = (size_t)(oend - op);
            if (!read_length(&ip, iend, &length, in_left < out_left ? in_left : out_left))
                return -1;
        }
        if (length > (size_t)(iend - ip) || length > (size_t)(oend - op))
            return -1;
        memcpy(op, ip, length);
        ip += length;
        op += length;

        /* The block ends right after the literals of its last sequence, which has no match. */
        if (ip == iend) {
            if ((token & 15) != 0)
                return -1;
            break;
        }

        /* Match: 2-byte little-endian offset, low 4 bits of the token + 4, plus extension bytes. */
        if ((size_t)(iend - ip) < 2)
            return -1;
        offset = (size_t)ip[0] | (size_t)ip[1] << 8;
        ip += 2;
        if (offset == 0 || offset > (size_t)(op - dst))
            return -1;
        length = token & 15;
    match_length:
        if (length == LENGTH_FIELD_MAX && !read_length(&ip, iend, &length, (size_t)(oend - op)))
            return -1;
        length += MIN_MATCH;
        if (length > (size_t)(oend - op))
            return -1;
        last_match_start = op;
        copy_match(op, offset, length, oend);
        op += length;
        last_match_end = op;
        if (ip == iend)
            return -1; /* a match is always followed by at least the last sequence */
    }

    /* End-of-block rules (they let decoders copy in fixed-size chunks near the end); every
       conforming encoder follows them, so breaking one means the block is damaged. */
    if (last_match_start != NULL
        && ((size_t)(op - last_match_start) < MATCH_FIND_LIMIT || (size_t)(op - last_match_end) < LAST_LITERALS))
        return -1;
    return (int64_t)(op - dst);
}
