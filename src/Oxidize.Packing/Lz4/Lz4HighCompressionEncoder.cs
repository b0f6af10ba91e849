using System.Buffers;
using System.Diagnostics;
using static Oxidize.Packing.Lz4.Lz4Bytes;
using static Oxidize.Packing.Lz4.Lz4Format;

namespace Oxidize.Packing.Lz4;

/// <summary>
/// The high-compression encoder: LZ4HC's hash-chain parser at level 9 (<c>LZ4HC_compress_hashChain</c>,
/// what <c>lz4 -9</c> runs), so its ratio tracks <c>lz4 -9</c>. Every position is chained to the previous
/// one with the same 4-byte hash; a search walks up to <see cref="MaxAttempts"/> links back (64 KiB at
/// most) for the longest match. Lazy matching: before a match is written, a search from near its end
/// looks for a longer one that overlaps it; if found, the first is shortened (or dropped) in its favor,
/// and the same is tried once more with a third match. A full optimal parser (levels 10-12) would win
/// a few more percent at several times the cost.
/// </summary>
internal static class Lz4HighCompressionEncoder
{
    /// <summary>Chain links followed per search: level 9's budget.</summary>
    public const int MaxAttempts = 256;

    // When overlapping matches are trimmed, the first keeps up to this many bytes: 18 is the longest
    // match length that fits in the token without an extension byte.
    private const int OptimalMatchLength = LengthFieldMax - 1 + MinMatch;

    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length < MinCompressibleLength)
            return Lz4SequenceWriter.WriteLastLiterals(output, 0, input);
        var finder = new HashChainMatchFinder(input);
        try
        {
            return Compress(input, output, ref finder);
        }
        finally
        {
            finder.Return();
        }
    }

    // A port of LZ4HC_compress_hashChain: matches 1, 2 and 3 are candidates at increasing positions;
    // each goto says which comparison comes next. The names follow the original to ease review.
    private static int Compress(ReadOnlySpan<byte> input, Span<byte> output, ref HashChainMatchFinder finder)
    {
        int matchStartLimit = input.Length - MatchFindLimit;
        int matchEndLimit = input.Length - LastLiterals;
        int ip = 0, anchor = 0, op = 0;

        while (ip <= matchStartLimit)
        {
            Match m1 = finder.FindWiderMatch(ip, ip, matchEndLimit, MinMatch - 1);
            if (m1.Length < MinMatch)
            {
                ip++;
                continue;
            }

            // Kept in case the lazy search below skips too far ahead.
            int start0 = ip;
            Match m0 = m1;
            int start2, start3;
            Match m2, m3;

        Search2:
            // Is there a longer match starting inside this one (found from 2 bytes before its end,
            // allowed to extend backward down to ip)?
            if (ip + m1.Length <= matchStartLimit)
            {
                start2 = ip + m1.Length - 2;
                m2 = finder.FindWiderMatch(start2, ip, matchEndLimit, m1.Length);
                start2 += m2.Back;
            }
            else
            {
                start2 = ip;
                m2 = default;
            }
            if (m2.Length <= m1.Length)
            {
                op = Emit(input, output, op, ref ip, ref anchor, m1);
                continue;
            }

            if (start0 < ip && start2 < ip + m0.Length)
            {
                // Match 1 had been replaced, but match 2 starts inside the original: go back to it.
                ip = start0;
                m1 = m0;
            }
            if (start2 - ip < 3)
            {
                // Match 2 swallows match 1 whole (almost): drop match 1.
                ip = start2;
                m1 = m2;
                goto Search2;
            }

        Search3:
            // Trim the overlap of matches 1 and 2, giving match 1 up to 18 bytes (no extension byte) but
            // leaving match 2 at least 4.
            if (start2 - ip < OptimalMatchLength)
            {
                int newLength = Math.Min(m1.Length, OptimalMatchLength);
                if (ip + newLength > start2 + m2.Length - MinMatch)
                    newLength = start2 - ip + m2.Length - MinMatch;
                int correction = newLength - (start2 - ip);
                if (correction > 0)
                {
                    start2 += correction;
                    m2.Length -= correction;
                }
            }

            // And a longer match starting inside match 2?
            if (start2 + m2.Length <= matchStartLimit)
            {
                start3 = start2 + m2.Length - 3;
                m3 = finder.FindWiderMatch(start3, start2, matchEndLimit, m2.Length);
                start3 += m3.Back;
            }
            else
            {
                start3 = start2;
                m3 = default;
            }
            if (m3.Length <= m2.Length)
            {
                // No: write match 1, cut where match 2 starts, then match 2.
                if (start2 < ip + m1.Length)
                    m1.Length = start2 - ip;
                op = Emit(input, output, op, ref ip, ref anchor, m1);
                ip = start2;
                op = Emit(input, output, op, ref ip, ref anchor, m2);
                continue;
            }

            if (start3 < ip + m1.Length + 3)
            {
                // Match 3 leaves too little of match 2 between matches 1 and 3.
                if (start3 >= ip + m1.Length)
                {
                    // Match 1 can be written whole; match 2 is dropped and match 3 becomes the new
                    // match 1, with what is left of match 2 as its fallback.
                    if (start2 < ip + m1.Length)
                    {
                        int correction = ip + m1.Length - start2;
                        start2 += correction;
                        m2.Length -= correction;
                        if (m2.Length < MinMatch)
                        {
                            start2 = start3;
                            m2 = m3;
                        }
                    }
                    op = Emit(input, output, op, ref ip, ref anchor, m1);
                    ip = start3;
                    m1 = m3;
                    start0 = start2;
                    m0 = m2;
                    goto Search2;
                }

                // Match 3 overlaps match 1 too: drop match 2 and compare 1 and 3.
                start2 = start3;
                m2 = m3;
                goto Search3;
            }

            // Three ascending matches: write match 1, cut so that match 2 can start right after it.
            if (start2 < ip + m1.Length)
            {
                if (start2 - ip < OptimalMatchLength)
                {
                    if (m1.Length > OptimalMatchLength)
                        m1.Length = OptimalMatchLength;
                    if (ip + m1.Length > start2 + m2.Length - MinMatch)
                        m1.Length = start2 - ip + m2.Length - MinMatch;
                    int correction = m1.Length - (start2 - ip);
                    if (correction > 0)
                    {
                        start2 += correction;
                        m2.Length -= correction;
                    }
                }
                else
                {
                    m1.Length = start2 - ip;
                }
            }
            op = Emit(input, output, op, ref ip, ref anchor, m1);

            // Match 2 becomes match 1, match 3 becomes match 2; look for a new match 3.
            ip = start2;
            m1 = m2;
            start2 = start3;
            m2 = m3;
            goto Search3;
        }

        return Lz4SequenceWriter.WriteLastLiterals(output, op, input[anchor..]);
    }

    // Writes the literals pending since anchor and the match at ip; moves ip and anchor past it.
    private static int Emit(ReadOnlySpan<byte> input, Span<byte> output, int op, ref int ip, ref int anchor, Match match)
    {
        Debug.Assert(ip >= anchor && ip <= input.Length - MatchFindLimit && ip + match.Length <= input.Length - LastLiterals);
        op = Lz4SequenceWriter.WriteSequence(output, op, input[anchor..ip], match.Offset, match.Length);
        ip += match.Length;
        anchor = ip;
        return op;
    }

    /// <summary>
    /// A match found by a search. <see cref="Back"/> (zero or negative) is how far it starts before the
    /// position searched from; <see cref="Length"/> counts from there.
    /// </summary>
    private struct Match
    {
        public int Length;
        public int Offset;
        public int Back;
    }

    /// <summary>
    /// LZ4HC's match finder. Positions are stored as indexes offset by <see cref="IndexBase"/> (64 KiB) so
    /// that the zeroed tables' index 0 is always out of reach, needing no "empty" marker.
    /// </summary>
    private ref struct HashChainMatchFinder
    {
        private const int HashLog = 15;
        private const int IndexBase = 65536;

        private readonly ReadOnlySpan<byte> _input;
        private readonly int[] _head;       // hash -> index of the last position with that hash
        private readonly ushort[] _chain;   // index mod 64 Ki -> distance back to the previous position with the same hash
        private int _nextToInsert;          // positions below this are in the tables

        public HashChainMatchFinder(ReadOnlySpan<byte> input)
        {
            _input = input;
            // 128 KiB each: pooled, since a packer compresses thousands of files in a row.
            _head = ArrayPool<int>.Shared.Rent(1 << HashLog);
            Array.Clear(_head);
            // Every chain slot is written before it is read (a position is inserted before any search
            // can reach it), so the chain needs no clearing.
            _chain = ArrayPool<ushort>.Shared.Rent(1 << 16);
            _nextToInsert = 0;
        }

        public readonly void Return()
        {
            ArrayPool<int>.Shared.Return(_head);
            ArrayPool<ushort>.Shared.Return(_chain);
        }

        private static int Hash(uint sequence) => (int)((sequence * 2654435761u) >> (32 - HashLog));

        /// <summary>Chains every position before <paramref name="position"/> not yet chained.</summary>
        private void InsertUpTo(int position)
        {
            for (int p = _nextToInsert; p < position; p++)
            {
                int index = p + IndexBase;
                int hash = Hash(Read32(_input, p));
                int distance = Math.Min(index - _head[hash], MaxOffset); // capped: beyond 64 KiB means "end of chain"
                _chain[(ushort)index] = (ushort)distance;
                _head[hash] = index;
            }
            _nextToInsert = Math.Max(_nextToInsert, position);
        }

        /// <summary>
        /// LZ4HC_InsertAndGetWiderMatch: the longest match through <paramref name="position"/> longer than
        /// <paramref name="longest"/>, which may start up to <paramref name="lowLimit"/> (going backward)
        /// and end at <paramref name="highLimit"/>. Returns a match of length <paramref name="longest"/>
        /// and offset 0 when there is none.
        /// </summary>
        public Match FindWiderMatch(int position, int lowLimit, int highLimit, int longest)
        {
            InsertUpTo(position);
            ReadOnlySpan<byte> input = _input;
            int lookBack = position - lowLimit;
            int positionIndex = position + IndexBase;
            int lowestIndex = Math.Max(IndexBase, positionIndex - MaxOffset);
            uint sequence = Read32(input, position);
            var best = new Match { Length = longest };

            int index = _head[Hash(sequence)];
            for (int attempts = MaxAttempts; index >= lowestIndex && attempts > 0; attempts--)
            {
                int candidate = index - IndexBase;
                // Cheap filter first: a longer match must agree on the 2 bytes where the best one ends.
                // (Both reads stay inside the input: longest never exceeds highLimit - lowLimit, and
                // candidate - lookBack + longest - 1 is always past candidate.)
                if (Read16(input, lowLimit + longest - 1) == Read16(input, candidate - lookBack + longest - 1)
                    && Read32(input, candidate) == sequence)
                {
                    int back = 0;
                    while (back > -lookBack && candidate + back > 0 && input[position + back - 1] == input[candidate + back - 1])
                        back--;
                    int length = MinMatch + CommonLength(input, position + MinMatch, candidate + MinMatch, highLimit) - back;
                    if (length > longest)
                    {
                        longest = length;
                        best = new Match { Length = length, Offset = position - candidate, Back = back };
                    }
                }
                index -= _chain[(ushort)index];
            }
            return best;
        }
    }
}
