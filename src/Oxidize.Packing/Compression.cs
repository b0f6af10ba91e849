using Oxidize.Packing.Lz4;

namespace Oxidize.Packing;

/// <summary>How entries are compressed (OxidizeCompression).</summary>
public enum Compression
{
    /// <summary>Everything stored: assemblies are mapped from the executable with no copy.</summary>
    None,

    /// <summary>LZ4, fast encoder: decoding costs about 4 GB/s on one core.</summary>
    Lz4,

    /// <summary>LZ4, high-compression encoder: smaller, same decoding speed, slower to publish.</summary>
    Lz4HighCompression,
}

/// <summary>Compresses one entry's bytes, or says it is not worth it.</summary>
public static class EntryCompressor
{
    /// <summary>An entry stays stored unless LZ4 saves at least this share of it: decoding a block that
    /// barely shrank costs startup time and memory for nothing.</summary>
    public const double MinimumSaving = 0.10;

    /// <summary>
    /// Entries (nearly) every app loads at startup, where a decode on every start costs more than the bytes
    /// compression saves (docs/performance.md). Stored, CoreLib is mapped from the executable and only the
    /// pages the runtime touches are read; compressed, all 15 MB would be decoded on every start. Stored
    /// native libraries are mapped from the executable by the host's own loader (docs/how-it-works.md,
    /// "Mapped native libraries"); a compressed one is decoded into a memfd and loaded by glibc instead.
    /// libSystem.Native.so is loaded at every start and libSystem.Globalization.Native.so by every app that
    /// does not set InvariantGlobalization: compressed, they saved 68 KB and cost two memfds per start.
    /// win-x64's coreclr.dll and clrjit.dll, loaded at every start by the host's PE loader: compressed, every start
    /// decodes 6.7 MB to save 1.9 MB of file (the decoded copy is freed once the loader made the image, win_entry_bytes.c;
    /// before that change it stayed, and Hello peaked 4.5 MiB higher under Wine, docs/how-it-works.md).
    /// </summary>
    public static readonly IReadOnlySet<string> AlwaysStored = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Private.CoreLib.dll", "libcoreclr.so", "libclrjit.so", "libSystem.Native.so", "libSystem.Globalization.Native.so",
        "coreclr.dll", "clrjit.dll",
    };

    /// <summary>The LZ4 block for <paramref name="content"/>, or null when it should stay stored.</summary>
    public static byte[]? TryCompress(byte[] content, Compression compression)
    {
        if (compression == Compression.None || content.Length < 64)
            return null;
        var block = new byte[Lz4Codec.MaxCompressedLength(content.Length)];
        int length = compression == Compression.Lz4HighCompression
            ? Lz4Codec.CompressHighCompression(content, block)
            : Lz4Codec.Compress(content, block);
        return length <= content.Length * (1 - MinimumSaving) ? block[..length] : null;
    }

    /// <summary>Parses the OxidizeCompression property value; null when it is not one of the known names.</summary>
    public static Compression? Parse(string? value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "none" => Compression.None,
        "lz4" => Compression.Lz4,
        "lz4hc" => Compression.Lz4HighCompression,
        _ => null,
    };
}
