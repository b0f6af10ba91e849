/*
 * fuzz_lz4_decode.c -- libFuzzer harness for lz4_decode (../lz4_decode.c); eng/fuzz-lz4.sh builds
 * and runs it with AddressSanitizer and UBSan. Not part of the test suite.
 *
 * Checks: lz4_decode never crashes or touches memory outside its buffers (every buffer is
 * malloc'ed at its exact size, so ASan sees a single byte too far), and whenever it succeeds,
 * liblz4's LZ4_decompress_safe succeeds too with the same bytes (ours is the stricter one: it also
 * rejects offset 0 and broken end-of-block rules, which liblz4 tolerates). Valid blocks also must
 * round-trip exactly.
 *
 * Random bytes are rarely a valid block, so the first input byte picks a mode:
 *   0: the rest is a block, decoded into a buffer of (byte1 | byte2 << 8) bytes;
 *   1, 2: the rest is data, compressed by liblz4 (fast, HC) and decoded back, then the block is
 *      damaged (byte at position a xor b, a and b from bytes 1-4) and decoded both ways;
 *   3: the same, but the block is cut at position a instead.
 */
#include "../lz4_decode.h"

#include <lz4.h>
#include <lz4hc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 5

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_lz4_decode: %s\n", what);
    abort();
}

static unsigned char *copy_of(const unsigned char *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    if (copy == NULL)
        fail("out of memory");
    memcpy(copy, data, size);
    return copy;
}

/* Decodes with both decoders into exactly-sized buffers; ours succeeding implies liblz4 agrees. */
static int64_t check_against_reference(const unsigned char *block, size_t block_size, size_t capacity)
{
    unsigned char *ours = malloc(capacity ? capacity : 1);
    unsigned char *ref = malloc(capacity ? capacity : 1);
    if (ours == NULL || ref == NULL)
        fail("out of memory");
    int64_t const n = lz4_decode(block, block_size, ours, capacity);
    if (n < -1 || n > (int64_t)capacity)
        fail("lz4_decode returned an impossible size");
    if (n >= 0) {
        int const r = LZ4_decompress_safe((const char *)block, (char *)ref, (int)block_size, (int)capacity);
        if (r != n)
            fail("lz4_decode accepted a block LZ4_decompress_safe decodes differently");
        if (memcmp(ours, ref, (size_t)n) != 0)
            fail("lz4_decode and LZ4_decompress_safe disagree on the bytes");
    }
    free(ours);
    free(ref);
    return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < HEADER)
        return 0;
    unsigned const mode = data[0] & 3;
    size_t const a = data[1] | (size_t)data[2] << 8;
    unsigned const b = data[3] | (unsigned)data[4] << 8;
    const unsigned char *rest = data + HEADER;
    size_t const rest_size = size - HEADER;

    if (mode == 0) {
        unsigned char *block = copy_of(rest, rest_size);
        check_against_reference(block, rest_size, a);
        free(block);
        return 0;
    }

    /* Compress the data with liblz4 and check an exact round trip, then damage the block. */
    int const bound = LZ4_compressBound((int)rest_size);
    unsigned char *scratch = malloc((size_t)bound);
    if (scratch == NULL)
        fail("out of memory");
    int const block_size = mode == 2 ? LZ4_compress_HC((const char *)rest, (char *)scratch, (int)rest_size, bound, 1 + (b & 7) + 4 * ((b >> 3) & 1))
                                     : LZ4_compress_default((const char *)rest, (char *)scratch, (int)rest_size, bound);
    if (block_size <= 0)
        fail("liblz4 failed to compress");
    unsigned char *block = copy_of(scratch, (size_t)block_size);
    free(scratch);

    unsigned char *out = malloc(rest_size ? rest_size : 1);
    if (out == NULL)
        fail("out of memory");
    if (lz4_decode(block, (size_t)block_size, out, rest_size) != (int64_t)rest_size || memcmp(out, rest, rest_size) != 0)
        fail("a valid liblz4 block did not round-trip");
    free(out);
    /* A roomier buffer must give the same result (the fast paths depend on the room left). */
    if (check_against_reference(block, (size_t)block_size, rest_size + (b & 63)) != (int64_t)rest_size)
        fail("a valid liblz4 block did not decode into a larger buffer");

    if (mode == 3) {
        check_against_reference(block, a % (size_t)block_size, rest_size);
    } else {
        block[a % (size_t)block_size] ^= (unsigned char)(b | 1);
        check_against_reference(block, (size_t)block_size, rest_size);
    }
    free(block);
    return 0;
}
