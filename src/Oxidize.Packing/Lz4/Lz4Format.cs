namespace Oxidize.Packing.Lz4;

/// <summary>The constants of the LZ4 block format that the encoders and the decoder share.</summary>
internal static class Lz4Format
{
    /// <summary>The shortest match; a match-length field of 0 means this many bytes.</summary>
    public const int MinMatch = 4;

    /// <summary>The farthest back a match can reach: offsets are 16 bits and 0 is invalid.</summary>
    public const int MaxOffset = 65535;

    /// <summary>The last 5 bytes of a block are always literals (end-of-block rule 2).</summary>
    public const int LastLiterals = 5;

    /// <summary>The last match starts at least 12 bytes before the end of the block (end-of-block rule 3).</summary>
    public const int MatchFindLimit = 12;

    /// <summary>
    /// Shorter inputs are stored as literals only: a match needs a literal before it (nothing to copy
    /// from yet) and must start 12 bytes before the end.
    /// </summary>
    public const int MinCompressibleLength = MatchFindLimit + 1;

    /// <summary>A 4-bit length field of 15 is followed by extension bytes (each adds 0..255; 255 means more follow).</summary>
    public const int LengthFieldMax = 15;
}
