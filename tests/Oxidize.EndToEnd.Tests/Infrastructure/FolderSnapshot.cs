namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Every file and folder under some roots with its size and last write time, taken before and after a run to show what
/// the run created, changed or removed there (a Windows app's leftovers in a Wine prefix's AppData and Temp, or beside
/// the executable).
/// </summary>
public sealed class FolderSnapshot
{
    private readonly Dictionary<string, string> entries;

    private FolderSnapshot(Dictionary<string, string> entries) => this.entries = entries;

    public static FolderSnapshot Take(IEnumerable<string> roots)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string root in roots)
        {
            if (Directory.Exists(root))
                Add(root, entries);
            else
                entries[root] = "absent";
        }
        return new FolderSnapshot(entries);
    }

    /// <summary>Records a folder's entries and recurses into its subfolders, but not through symbolic links: a link is
    /// recorded with its target (Wine links a profile's Documents to $HOME unless the prefix is sandboxed).</summary>
    private static void Add(string folder, Dictionary<string, string> entries)
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(folder))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget != null)
            {
                entries[path] = $"link -> {info.LinkTarget}";
            }
            else if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                entries[path] = "folder";
                Add(path, entries);
            }
            else
            {
                entries[path] = $"{info.Length} bytes, written {info.LastWriteTimeUtc:O}";
            }
        }
    }

    /// <summary>"created|changed|removed: path" for every difference from <paramref name="before"/>; empty when none.</summary>
    public IReadOnlyList<string> ChangesSince(FolderSnapshot before)
    {
        var changes = new List<string>();
        foreach ((string path, string state) in entries)
        {
            if (!before.entries.TryGetValue(path, out string? earlier))
                changes.Add($"created: {path} ({state})");
            else if (earlier != state)
                changes.Add($"changed: {path} ({earlier} -> {state})");
        }
        changes.AddRange(before.entries.Keys.Where(path => !entries.ContainsKey(path)).Select(path => $"removed: {path}"));
        changes.Sort(StringComparer.Ordinal);
        return changes;
    }
}
