using K4os.Compression.LZ4;

namespace Oxidize.Packing.Lz4;

/// <summary>
/// The LZ4 <em>block</em> format (lz4/doc/lz4_Block_format.md): no frame, no checksum, no dictionary;
/// the caller stores the compressed and original sizes. Both encoders are K4os.Compression.LZ4's ports
/// of liblz4: <see cref="Compress"/> is <c>LZ4_compress_default</c> (<c>lz4 -1</c>), for speed;
/// <see cref="CompressHighCompression"/> is <c>LZ4_compress_HC</c> at level 9 (<c>lz4 -9</c>'s hash-chain
/// parser), for size, which is what a publish-time packer wants since the app decompresses at every
/// start. Levels 10-12 (the optimal parser) would win a few percent at several times the cost.
/// The host decodes with its own C decoder (src/Oxidize.Host/lz4_decode.c), which is stricter than
/// liblz4: it also enforces the format's end-of-block rules, which every liblz4-derived encoder follows.
/// </summary>
public static class Lz4Codec
{
    /// <summary>The largest input the format's reference implementation accepts (LZ4_MAX_INPUT_SIZE).</summary>
    public const int MaxInputLength = 0x7E00_0000;

    /// <summary>The level <see cref="CompressHighCompression"/> uses: <c>lz4 -9</c>, LZ4HC's default.</summary>
    public const LZ4Level HighCompressionLevel = LZ4Level.L09_HC;

    /// <summary>
    /// The most <see cref="Compress"/> or <see cref="CompressHighCompression"/> can write for an input of
    /// this length (LZ4_COMPRESSBOUND): incompressible data grows by one length byte per 255 literals,
    /// plus a token and a few bytes of slack.
    /// </summary>
    public static int MaxCompressedLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputLength, MaxInputLength);
        return LZ4Codec.MaximumOutputSize(inputLength);
    }

    /// <summary>
    /// Compresses <paramref name="input"/> as one LZ4 block, fast (<c>lz4 -1</c>), and returns the
    /// block's length. <paramref name="output"/> must hold <see cref="MaxCompressedLength"/> bytes.
    /// The output depends only on the input.
    /// </summary>
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output) => Encode(input, output, LZ4Level.L00_FAST);

    /// <summary>
    /// Compresses <paramref name="input"/> as one LZ4 block, slowly but smaller (<c>lz4 -9</c>), and
    /// returns the block's length. <paramref name="output"/> must hold <see cref="MaxCompressedLength"/>
    /// bytes. The output depends only on the input.
    /// </summary>
    public static int CompressHighCompression(ReadOnlySpan<byte> input, Span<byte> output) => Encode(input, output, HighCompressionLevel);

    /// <summary>
    /// Decodes the LZ4 block <paramref name="input"/> into <paramref name="output"/> and returns the number
    /// of bytes written. Throws <see cref="InvalidDataException"/> for a malformed block, including one
    /// that does not fit in <paramref name="output"/>.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> input, Span<byte> output) => Lz4Decoder.Decode(input, output);

    private static int Encode(ReadOnlySpan<byte> input, Span<byte> output, LZ4Level level)
    {
        // Demanding the worst case up front means encoding cannot fail for lack of room.
        int needed = MaxCompressedLength(input.Length);
        if (output.Length < needed)
            throw new ArgumentException($"The output needs room for {needed} bytes (MaxCompressedLength({input.Length})); it has {output.Length}.", nameof(output));
        if (input.IsEmpty)
        {
            // K4os writes nothing for empty input, which no decoder accepts; liblz4 writes the block
            // of one token with no literals and no match.
            output[0] = 0;
            return 1;
        }
        int length = LZ4Codec.Encode(input, output, level);
        // Only a too-small output makes K4os fail, and the check above rules that out.
        return length > 0 ? length : throw new InvalidOperationException($"K4os.Compression.LZ4 failed to encode {input.Length} bytes at {level}.");
    }
}
