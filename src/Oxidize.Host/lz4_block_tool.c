/*
 * lz4_block_tool.c -- test tool for the LZ4 block codec (built by `make`, never shipped).
 *
 *   lz4-block-tool decompress ORIGINAL_SIZE      < block > data   our lz4_decode (lz4_decode.c)
 *   lz4-block-tool ref-decompress ORIGINAL_SIZE  < block > data   liblz4's LZ4_decompress_safe
 *   lz4-block-tool compress                      < data > block   liblz4's LZ4_compress_default
 *   lz4-block-tool compress-hc [LEVEL]           < data > block   liblz4's LZ4_compress_HC, level 9
 *                                                                 (lz4 -9) unless given, max 12
 *   lz4-block-tool bench ORIGINAL_SIZE [SECONDS] < block          decode speed, ours vs liblz4
 *
 * Blocks are raw LZ4 blocks (no frame). ORIGINAL_SIZE is exact: decoding to any other size is an
 * error. Exit 0 on success, 1 with a message on stderr on malformed input or any other error, 2 on
 * bad usage. The tests use it to check the C# codec against liblz4, the reference, and this
 * decoder against both.
 */
#define _POSIX_C_SOURCE 200809L
#include "lz4_decode.h"

#include <errno.h>
#include <lz4.h>
#include <lz4hc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *message)
{
    fprintf(stderr, "lz4-block-tool: %s\n", message);
    exit(1);
}

static int usage(void)
{
    fputs("usage: lz4-block-tool decompress|ref-decompress ORIGINAL_SIZE < in > out\n"
          "       lz4-block-tool compress|compress-hc [LEVEL] < in > out\n"
          "       lz4-block-tool bench ORIGINAL_SIZE [SECONDS] < in\n",
          stderr);
    return 2;
}

/* Sizes are ints in liblz4's API, so everything here stays below LZ4_MAX_INPUT_SIZE. */
static int parse_size(const char *text, long max, long *value)
{
    char *end;
    errno = 0;
    long parsed = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed < 0 || parsed > max)
        return 0;
    *value = parsed;
    return 1;
}

static unsigned char *read_stdin(size_t *size)
{
    size_t capacity = 1 << 16, used = 0;
    unsigned char *data = malloc(capacity);
    if (data == NULL)
        die("out of memory");
    for (;;) {
        if (used == capacity) {
            if (capacity > (size_t)LZ4_MAX_INPUT_SIZE)
                die("input too large");
            capacity *= 2;
            data = realloc(data, capacity);
            if (data == NULL)
                die("out of memory");
        }
        size_t got = fread(data + used, 1, capacity - used, stdin);
        used += got;
        if (got == 0) {
            if (ferror(stdin))
                die("cannot read standard input");
            break;
        }
    }
    if (used > (size_t)LZ4_MAX_INPUT_SIZE)
        die("input too large");
    *size = used;
    return data;
}

static void write_stdout(const unsigned char *data, size_t size)
{
    if (fwrite(data, 1, size, stdout) != size || fflush(stdout) != 0)
        die("cannot write standard output");
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one decoder over the block for about `seconds` and prints decompressed MB/s (1 MB = 10^6 bytes). */
static void bench(const char *name, int ours, const unsigned char *block, size_t block_size, unsigned char *out,
                  long original_size, double seconds)
{
    double best = 0;
    double const stop = now_seconds() + seconds;
    do {
        int const rounds = 8;
        double const start = now_seconds();
        for (int i = 0; i < rounds; i++) {
            long n = ours ? (long)lz4_decode(block, block_size, out, (size_t)original_size)
                          : (long)LZ4_decompress_safe((const char *)block, (char *)out, (int)block_size, (int)original_size);
            if (n != original_size)
                die("block does not decode to ORIGINAL_SIZE bytes");
        }
        double const rate = (double)original_size * rounds / (now_seconds() - start) / 1e6;
        if (rate > best)
            best = rate;
    } while (now_seconds() < stop);
    printf("%s\t%.0f MB/s\n", name, best);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *command = argv[1];
    size_t in_size;

    if (strcmp(command, "compress") == 0 || strcmp(command, "compress-hc") == 0) {
        int const hc = command[8] == '-';
        long level = LZ4HC_CLEVEL_DEFAULT; /* 9, what `lz4 -9` uses */
        if (argc > 3 || (!hc && argc > 2) || (argc == 3 && !parse_size(argv[2], LZ4HC_CLEVEL_MAX, &level)))
            return usage();
        unsigned char *in = read_stdin(&in_size);
        int const bound = LZ4_compressBound((int)in_size);
        unsigned char *out = malloc((size_t)bound + 1);
        if (out == NULL)
            die("out of memory");
        int const n = hc ? LZ4_compress_HC((const char *)in, (char *)out, (int)in_size, bound, (int)level)
                         : LZ4_compress_default((const char *)in, (char *)out, (int)in_size, bound);
        if (n <= 0)
            die("liblz4 failed to compress");
        write_stdout(out, (size_t)n);
        return 0;
    }

    long original_size;
    if (argc < 3 || !parse_size(argv[2], LZ4_MAX_INPUT_SIZE, &original_size))
        return usage();
    unsigned char *in = read_stdin(&in_size);
    /* Exactly ORIGINAL_SIZE bytes, so a decoder writing one byte too many is caught by ASan/valgrind. */
    unsigned char *out = malloc(original_size > 0 ? (size_t)original_size : 1);
    if (out == NULL)
        die("out of memory");

    if (strcmp(command, "decompress") == 0 || strcmp(command, "ref-decompress") == 0) {
        if (argc != 3)
            return usage();
        long const n = command[0] == 'd' ? (long)lz4_decode(in, in_size, out, (size_t)original_size)
                                         : (long)LZ4_decompress_safe((const char *)in, (char *)out, (int)in_size, (int)original_size);
        if (n < 0)
            die("malformed LZ4 block");
        if (n != original_size) {
            fprintf(stderr, "lz4-block-tool: the block decodes to %ld bytes, not %ld\n", n, original_size);
            return 1;
        }
        write_stdout(out, (size_t)n);
        return 0;
    }

    if (strcmp(command, "bench") == 0) {
        double seconds = 1;
        if (argc > 4)
            return usage();
        if (argc == 4) {
            long s;
            if (!parse_size(argv[3], 600, &s) || s == 0)
                return usage();
            seconds = (double)s;
        }
        bench("lz4_decode", 1, in, in_size, out, original_size, seconds);
        bench("LZ4_decompress_safe", 0, in, in_size, out, original_size, seconds);
        return 0;
    }
    return usage();
}
