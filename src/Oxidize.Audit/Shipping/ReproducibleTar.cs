using System.Formats.Tar;
using System.IO.Compression;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// A gzip-compressed ustar archive whose bytes depend only on the entries and one timestamp: entries sorted by
/// path (directories and files together, so parents come first), owner root:root (0:0), the same mtime on every
/// entry, and gzip's header without a name or time (the runtime's zlib writes mtime 0).
/// </summary>
public static class ReproducibleTar
{
    /// <param name="prefix">Prepended to every path: "./" in a .deb, "app-1.0/" in a tarball.</param>
    public static void Write(Stream output, IReadOnlyList<OsPackageEntry> entries, DateTimeOffset timestamp, string prefix, bool includeRoot)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entries);
        using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        using var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true);
        var time = DateTimeOffset.FromUnixTimeSeconds(timestamp.ToUnixTimeSeconds());

        var items = new SortedDictionary<string, OsPackageEntry?>(StringComparer.Ordinal);
        foreach (string directory in OsPackageEntry.Directories(entries))
            items[directory] = null;
        foreach (var entry in entries)
            items.Add(entry.Path, entry);
        if (includeRoot)
            tar.WriteEntry(Entry(TarEntryType.Directory, prefix, OsPackageEntry.Directory, time));
        foreach (var (path, entry) in items)
        {
            if (entry is null)
            {
                tar.WriteEntry(Entry(TarEntryType.Directory, prefix + path, OsPackageEntry.Directory, time));
                continue;
            }
            var file = Entry(TarEntryType.RegularFile, prefix + path, entry.Mode, time);
            using var content = entry.Open();
            file.DataStream = content;
            tar.WriteEntry(file);
        }
    }

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset time) => new(type, name)
    {
        Mode = mode,
        ModificationTime = time,
        Uid = 0,
        Gid = 0,
        UserName = "root",
        GroupName = "root",
    };
}
