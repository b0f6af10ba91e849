namespace Oxidize.Packing.Lz4;

/// <summary>
/// The LZ4 <em>block</em> format (lz4/doc/lz4_Block_format.md): no frame, no checksum, no dictionary;
/// the caller stores the compressed and original sizes. Two encoders share one format and one decoder:
/// <see cref="Compress"/> is LZ4's default single-probe hash-table encoder (<c>lz4 -1</c>), for speed;
/// <see cref="CompressHighCompression"/> searches hash chains with lazy matching (<c>lz4 -9</c>), for
/// size, which is what a publish-time packer wants since the app decompresses at every start.
/// The host's C decoder (src/Oxidize.Host/lz4_decode.c) accepts and rejects exactly what
/// <see cref="Decompress"/> does.
/// </summary>
public static class Lz4Codec
{
    /// <summary>The largest input the format's reference implementation accepts (LZ4_MAX_INPUT_SIZE).</summary>
    public const int MaxInputLength = 0x7E00_0000;

    /// <summary>
    /// The most <see cref="Compress"/> or <see cref="CompressHighCompression"/> can write for an input of
    /// this length (LZ4_COMPRESSBOUND): incompressible data grows by one length byte per 255 literals,
    /// plus a token and a few bytes of slack.
    /// </summary>
    public static int MaxCompressedLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputLength, MaxInputLength);
        return inputLength + inputLength / 255 + 16;
    }

    /// <summary>
    /// Compresses <paramref name="input"/> as one LZ4 block, fast (about <c>lz4 -1</c>), and returns the
    /// block's length. <paramref name="output"/> must hold <see cref="MaxCompressedLength"/> bytes.
    /// The output depends only on the input.
    /// </summary>
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckOutputRoom(input.Length, output.Length);
        return Lz4FastEncoder.Compress(input, output);
    }

    /// <summary>
    /// Compresses <paramref name="input"/> as one LZ4 block, slowly but smaller (about <c>lz4 -9</c>), and
    /// returns the block's length. <paramref name="output"/> must hold <see cref="MaxCompressedLength"/>
    /// bytes. The output depends only on the input.
    /// </summary>
    public static int CompressHighCompression(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckOutputRoom(input.Length, output.Length);
        return Lz4HighCompressionEncoder.Compress(input, output);
    }

    /// <summary>
    /// Decodes the LZ4 block <paramref name="input"/> into <paramref name="output"/> and returns the number
    /// of bytes written. Throws <see cref="InvalidDataException"/> for any malformed block, including one
    /// that does not fit in <paramref name="output"/>; never reads or writes outside the two spans.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> input, Span<byte> output) => Lz4Decoder.Decode(input, output);

    // Demanding the worst case up front lets the encoders write without checking room at every step.
    private static void CheckOutputRoom(int inputLength, int outputLength)
    {
        int needed = MaxCompressedLength(inputLength);
        if (outputLength < needed)
            throw new ArgumentException($"The output needs room for {needed} bytes (MaxCompressedLength({inputLength})); it has {outputLength}.", "output");
    }
}
