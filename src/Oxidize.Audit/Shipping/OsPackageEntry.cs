namespace Oxidize.Audit.Shipping;

/// <summary>
/// One regular file of a package: <paramref name="Path"/> relative to the root ("usr/bin/App"), its permission bits,
/// and its bytes, either on disk (<paramref name="SourcePath"/>, the executable) or generated (<paramref name="Content"/>).
/// </summary>
public sealed record OsPackageEntry(string Path, UnixFileMode Mode, string? SourcePath, byte[]? Content)
{
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    public const UnixFileMode Regular = (UnixFileMode)0b110_100_100;
    public const UnixFileMode Directory = Executable;

    public static OsPackageEntry FromFile(string path, string sourcePath, UnixFileMode mode) => new(path, mode, sourcePath, null);

    public static OsPackageEntry FromBytes(string path, byte[] content, UnixFileMode mode = Regular) => new(path, mode, null, content);

    public Stream Open() => Content is { } bytes ? new MemoryStream(bytes, writable: false) : File.OpenRead(SourcePath!);

    public long Length => Content?.LongLength ?? new FileInfo(SourcePath!).Length;

    /// <summary>Every directory the entries need, parents first ("usr/", "usr/bin/").</summary>
    public static IReadOnlyList<string> Directories(IEnumerable<OsPackageEntry> entries)
    {
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            for (int slash = entry.Path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = entry.Path.IndexOf('/', slash + 1))
                directories.Add(entry.Path[..(slash + 1)]);
        }
        return [.. directories];
    }
}
