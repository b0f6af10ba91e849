using static Oxidize.Packing.Lz4.Lz4Bytes;
using static Oxidize.Packing.Lz4.Lz4Format;

namespace Oxidize.Packing.Lz4;

/// <summary>
/// The fast encoder: LZ4's default (<c>LZ4_compress_default</c>, acceleration 1), same table sizes, hashes
/// and heuristics, so ratio and output track <c>lz4 -1</c>. One hash table remembers the last position
/// of each 4- or 5-byte sequence; a position whose sequence is found there (within 64 KiB) becomes a
/// match, extended forward and then backward over pending literals. Greedy: the first match found is
/// taken.
/// </summary>
internal static class Lz4FastEncoder
{
    // After 2^SkipTrigger probes without a match, each further probe steps one byte farther:
    // incompressible data is crossed quickly, at some cost in missed matches.
    private const int SkipTrigger = 6;

    // Inputs below this have every position within 64 KiB of each other, so LZ4 uses its 16-bit table
    // with a 13-bit 4-byte hash; beyond it, a 12-bit hash of 5 bytes (LZ4_64Klimit).
    private const int SmallInputLimit = 65536 + MatchFindLimit - 1;

    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length < MinCompressibleLength)
            return Lz4SequenceWriter.WriteLastLiterals(output, 0, input);
        // The table lives on the stack (16 or 32 KiB) and starts zeroed: every entry points at position 0,
        // which is harmless since candidates are always verified.
        return input.Length < SmallInputLimit
            ? Compress<SmallInputHash>(input, output, stackalloc int[SmallInputHash.TableSize])
            : Compress<LargeInputHash>(input, output, stackalloc int[LargeInputHash.TableSize]);
    }

    // Generic over a struct so the JIT compiles one specialized loop per hash, with the hash inlined.
    private static int Compress<THash>(ReadOnlySpan<byte> input, Span<byte> output, Span<int> table)
        where THash : struct, IPositionHash
    {
        int length = input.Length;
        int matchStartLimit = length - MatchFindLimit; // a match may start at or before this
        int matchEndLimit = length - LastLiterals;     // and end at or before this
        int anchor = 0; // first byte not yet written (pending literals start here)
        int op = 0;

        table[THash.Hash(input, 0)] = 0;
        int ip = 1;
        int forwardHash = THash.Hash(input, ip);

        while (true)
        {
            // Probe forward for a position whose sequence the table knows. The next position's hash is
            // computed before the current one is stored, as LZ4 does (it pipelines better).
            int match;
            int forwardIp = ip;
            int step = 1;
            int probes = 1 << SkipTrigger;
            do
            {
                int hash = forwardHash;
                ip = forwardIp;
                forwardIp += step;
                step = probes++ >> SkipTrigger;
                if (forwardIp > matchStartLimit + 1)
                    return Lz4SequenceWriter.WriteLastLiterals(output, op, input[anchor..]);
                match = table[hash];
                forwardHash = THash.Hash(input, forwardIp);
                table[hash] = ip;
            }
            while (match + MaxOffset < ip || Read32(input, match) != Read32(input, ip));

            // Extend backward over the pending literals: cheaper as match bytes than as literals.
            while (ip > anchor && match > 0 && input[ip - 1] == input[match - 1])
            {
                ip--;
                match--;
            }

            while (true)
            {
                int matchLength = MinMatch + CommonLength(input, ip + MinMatch, match + MinMatch, matchEndLimit);
                op = Lz4SequenceWriter.WriteSequence(output, op, input[anchor..ip], ip - match, matchLength);
                ip += matchLength;
                anchor = ip;
                if (ip > matchStartLimit)
                    return Lz4SequenceWriter.WriteLastLiterals(output, op, input[anchor..]);

                // Index a position inside the match just written, then try a match right here with no
                // literals in between, the common case in structured data.
                table[THash.Hash(input, ip - 2)] = ip - 2;
                int hash = THash.Hash(input, ip);
                match = table[hash];
                table[hash] = ip;
                if (match + MaxOffset < ip || Read32(input, match) != Read32(input, ip))
                    break;
            }
            forwardHash = THash.Hash(input, ++ip);
        }
    }

    private interface IPositionHash
    {
        static abstract int TableSize { get; }

        /// <summary>Hashes the bytes at <paramref name="position"/>, which has at least 8 bytes after it.</summary>
        static abstract int Hash(ReadOnlySpan<byte> input, int position);
    }

    // LZ4_hash4 with a 13-bit result: Knuth's multiplicative hash of the 4 bytes.
    private readonly struct SmallInputHash : IPositionHash
    {
        public static int TableSize => 1 << 13;

        public static int Hash(ReadOnlySpan<byte> input, int position) => (int)((Read32(input, position) * 2654435761u) >> (32 - 13));
    }

    // LZ4_hash5 with a 12-bit result: 5 bytes discriminate better than 4 in a table this small for
    // large inputs (a 4-byte match whose 5th byte differs is rarely worth taking anyway).
    private readonly struct LargeInputHash : IPositionHash
    {
        public static int TableSize => 1 << 12;

        public static int Hash(ReadOnlySpan<byte> input, int position) => (int)(((Read64(input, position) << 24) * 889523592379ul) >> (64 - 12));
    }
}
