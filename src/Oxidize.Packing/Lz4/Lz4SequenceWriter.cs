using System.Diagnostics;

namespace Oxidize.Packing.Lz4;

/// <summary>
/// Writes LZ4 sequences: token (literal length in the high 4 bits, match length - 4 in the low 4),
/// literal-length extension bytes, the literals, the 2-byte little-endian offset, then match-length
/// extension bytes. Both encoders choose the matches; this is the one place that knows the byte layout.
/// Callers guarantee room (the output holds MaxCompressedLength bytes), so nothing is checked here
/// beyond what span indexing does anyway.
/// </summary>
internal static class Lz4SequenceWriter
{
    /// <summary>Writes one sequence at <paramref name="position"/>; returns the position after it.</summary>
    public static int WriteSequence(Span<byte> output, int position, ReadOnlySpan<byte> literals, int offset, int matchLength)
    {
        Debug.Assert(offset is > 0 and <= Lz4Format.MaxOffset && matchLength >= Lz4Format.MinMatch);
        int tokenPosition = position;
        int token = WriteLiterals(output, ref position, literals);
        output[position] = (byte)offset;
        output[position + 1] = (byte)(offset >> 8);
        position += 2;
        int matchField = matchLength - Lz4Format.MinMatch;
        if (matchField >= Lz4Format.LengthFieldMax)
        {
            token |= Lz4Format.LengthFieldMax;
            position = WriteLengthExtension(output, position, matchField - Lz4Format.LengthFieldMax);
        }
        else
        {
            token |= matchField;
        }
        output[tokenPosition] = (byte)token;
        return position;
    }

    /// <summary>Writes the block's last sequence, literals only (match field 0); returns the block's length.</summary>
    public static int WriteLastLiterals(Span<byte> output, int position, ReadOnlySpan<byte> literals)
    {
        int tokenPosition = position;
        output[tokenPosition] = (byte)WriteLiterals(output, ref position, literals);
        return position;
    }

    // Leaves room for the token, writes the literal length's extension and the literals, and returns
    // the token's literal half.
    private static int WriteLiterals(Span<byte> output, ref int position, ReadOnlySpan<byte> literals)
    {
        position++;
        int token;
        if (literals.Length >= Lz4Format.LengthFieldMax)
        {
            token = Lz4Format.LengthFieldMax << 4;
            position = WriteLengthExtension(output, position, literals.Length - Lz4Format.LengthFieldMax);
        }
        else
        {
            token = literals.Length << 4;
        }
        literals.CopyTo(output[position..]);
        position += literals.Length;
        return token;
    }

    // What a length field of 15 leaves over: as many 255s as fit, then the remainder (possibly 0).
    private static int WriteLengthExtension(Span<byte> output, int position, int remainder)
    {
        if (remainder >= 255)
        {
            int count = remainder / 255;
            output.Slice(position, count).Fill(255);
            position += count;
            remainder -= count * 255;
        }
        output[position] = (byte)remainder;
        return position + 1;
    }
}
