using K4os.Compression.LZ4;

namespace Oxidize.Packing.Lz4;

/// <summary>
/// Decodes one LZ4 block with K4os.Compression.LZ4, a port of liblz4's <c>LZ4_decompress_safe</c>: every
/// length and offset is checked against the input and output before it is used, so a damaged block
/// ends in <see cref="InvalidDataException"/>, never in an access outside the two spans. Shared as
/// source with Oxidize.Resources, which reads compressed entries of the running executable.
/// </summary>
internal static class Lz4Decoder
{
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        // K4os reports an empty block as 0 bytes decoded, yet no LZ4 block is empty.
        if (input.IsEmpty)
            throw Malformed("the block is empty");
        // And it reports the block of empty data (one token, nothing else) as a failure, since 0 bytes
        // decoded looks like an error to its API.
        if (input is [0])
            return 0;
        int decoded = LZ4Codec.Decode(input, output);
        return decoded > 0 ? decoded
            : throw Malformed($"liblz4's checks refuse its {input.Length} bytes (a length, an offset or the last sequence runs past the block or past the {output.Length}-byte output)");
    }

    private static InvalidDataException Malformed(string reason) => new($"Malformed LZ4 block: {reason}.");
}
