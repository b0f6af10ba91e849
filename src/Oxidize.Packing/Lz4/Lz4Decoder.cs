using static Oxidize.Packing.Lz4.Lz4Format;

namespace Oxidize.Packing.Lz4;

/// <summary>
/// Decodes one LZ4 block, treating it as untrusted: every length is checked against the input and
/// output left before it is used, so a damaged block ends in <see cref="InvalidDataException"/>, never
/// in an out-of-range access. Beyond memory safety it enforces the format's own rules (offset not 0,
/// end-of-block rules, last token's match field 0) exactly as the host's lz4_decode.c does, so the two
/// decoders accept the same blocks, and anything either accepts, liblz4 decodes the same way.
/// </summary>
internal static class Lz4Decoder
{
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0;
        int lastMatchStart = -1, lastMatchEnd = -1;
        while (true)
        {
            if (ip >= input.Length)
                throw Malformed(ip, input.Length == 0 ? "the block is empty" : "the block ends after a match, without its last literals");
            int token = input[ip++];

            // Literals: high 4 bits of the token, plus extension bytes.
            int literalLength = token >> 4;
            if (literalLength == LengthFieldMax)
                literalLength = ReadLengthExtension(input, ref ip, literalLength, Math.Min(input.Length - ip, output.Length - op));
            if (literalLength > input.Length - ip)
                throw Malformed(ip, $"{literalLength} literals run past the end of the block");
            if (literalLength > output.Length - op)
                throw Malformed(ip, $"{literalLength} literals overrun the output");
            input.Slice(ip, literalLength).CopyTo(output[op..]);
            ip += literalLength;
            op += literalLength;

            // The block ends right after the literals of its last sequence, which has no match.
            if (ip == input.Length)
            {
                if ((token & 0xF) != 0)
                    throw Malformed(ip, "the last sequence has a match length but no match");
                break;
            }

            // Match: 2-byte little-endian offset, low 4 bits of the token + 4, plus extension bytes.
            if (input.Length - ip < 2)
                throw Malformed(ip, "the block ends inside a match offset");
            int offset = input[ip] | input[ip + 1] << 8;
            ip += 2;
            if (offset == 0)
                throw Malformed(ip - 2, "match offset 0");
            if (offset > op)
                throw Malformed(ip - 2, $"match offset {offset} reaches before the start of the output ({op} bytes written)");
            int matchLength = token & 0xF;
            if (matchLength == LengthFieldMax)
                matchLength = ReadLengthExtension(input, ref ip, matchLength, output.Length - op - MinMatch);
            if (matchLength > output.Length - op - MinMatch) // not "+ MinMatch > ...": that could overflow
                throw Malformed(ip, $"a {matchLength + 4L}-byte match overruns the output");
            matchLength += MinMatch;
            CopyMatch(output, op, offset, matchLength);
            lastMatchStart = op;
            op += matchLength;
            lastMatchEnd = op;
        }

        // End-of-block rules: every conforming encoder follows them (decoders may rely on them), so
        // breaking one means the block is damaged.
        if (lastMatchStart >= 0 && (op - lastMatchStart < MatchFindLimit || op - lastMatchEnd < LastLiterals))
            throw Malformed(ip, $"the last match ({lastMatchStart}..{lastMatchEnd} of {op} bytes) breaks the end-of-block rules");
        return op;
    }

    /// <summary>
    /// Adds the extension bytes of a length whose 4-bit field was 15: each byte adds its value and 255
    /// means another follows. Stops as soon as the length passes <paramref name="limit"/>, the most the
    /// caller could use, which also keeps the sum from overflowing on a long run of 255s.
    /// </summary>
    private static int ReadLengthExtension(ReadOnlySpan<byte> input, ref int ip, int length, int limit)
    {
        long value = length;
        int extensionByte;
        do
        {
            if (ip >= input.Length)
                throw Malformed(ip, "the block ends inside a length");
            extensionByte = input[ip++];
            value += extensionByte;
            if (value > limit)
                throw Malformed(ip, $"a length of at least {value} runs past the end of the block or the output");
        }
        while (extensionByte == 255);
        return (int)value;
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes from <paramref name="offset"/> back. When the offset is
    /// shorter than the length, the source overlaps the destination and the last offset bytes repeat;
    /// Span.CopyTo has memmove semantics, which would copy the old bytes instead, so the copy proceeds
    /// in chunks that never overlap: [start, op + done) always holds whole periods, and doubles.
    /// </summary>
    private static void CopyMatch(Span<byte> output, int op, int offset, int length)
    {
        int start = op - offset;
        if (offset == 1)
        {
            output.Slice(op, length).Fill(output[start]);
            return;
        }
        int done = 0;
        int chunk = offset;
        while (length - done > chunk)
        {
            output.Slice(start, chunk).CopyTo(output[(op + done)..]);
            done += chunk;
            chunk = done + offset;
        }
        output.Slice(start, length - done).CopyTo(output[(op + done)..]);
    }

    private static InvalidDataException Malformed(int inputOffset, string reason) =>
        new($"Malformed LZ4 block at input byte {inputOffset}: {reason}.");
}
