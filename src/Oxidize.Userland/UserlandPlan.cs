namespace Oxidize.Userland;

/// <summary>
/// One file the executable carries. <paramref name="IsContent"/>: the host never loads it itself (everything but the
/// on-demand libraries: a second libc would be fatal). <paramref name="KeepStored"/>: every start reads it, so
/// compression leaves it stored.
/// </summary>
public sealed record UserlandFile(string SourcePath, string EntryName, bool IsContent, bool KeepStored);

/// <summary>What <see cref="UserlandResolver"/> found: the files to pack and what to say about them.</summary>
public sealed class UserlandPlan
{
    public required IReadOnlyList<UserlandFile> Files { get; init; }

    /// <summary>The carried glibc's version (highest GLIBC_x.y libc.so.6 defines), e.g. "2.36".</summary>
    public required string GlibcVersion { get; init; }

    /// <summary>The loader the host names in PT_INTERP, with links resolved.</summary>
    public required string LoaderPath { get; init; }

    /// <summary>Sonames preloaded by the loader at startup, in ordinal order.</summary>
    public required IReadOnlyList<string> Preloaded { get; init; }

    /// <summary>Sonames the host loads from memory when the runtime first asks for them, in ordinal order.</summary>
    public required IReadOnlyList<string> OnDemand { get; init; }

    /// <summary>Why the loader's cache was not used, when it could not be read (the default folders were searched).</summary>
    public string? LoaderCacheFailure { get; init; }
}
