using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Commands;

/// <summary>
/// `dotnet oxidize diff OLD NEW`: packages whose version changed, entries added, removed and changed (by SHA-256), and
/// the size delta. Exit 0 when every entry is identical (a reproducibility check), 1 when anything differs, as diff(1).
/// </summary>
public static class DiffCommand
{
    public static int Run(string oldPath, string newPath, TextWriter output)
    {
        using var before = ExecutableContents.Open(oldPath);
        using var after = ExecutableContents.Open(newPath);
        var oldEntries = before.Entries.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
        var newEntries = after.Entries.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
        var removed = before.Entries.Where(entry => !newEntries.ContainsKey(entry.Name)).ToList();
        var added = after.Entries.Where(entry => !oldEntries.ContainsKey(entry.Name)).ToList();
        var changed = after.Entries.Where(entry => oldEntries.TryGetValue(entry.Name, out var old) && !old.Entry.Sha256.AsSpan().SequenceEqual(entry.Entry.Sha256))
            .Select(entry => (Old: oldEntries[entry.Name], New: entry)).ToList();

        output.WriteLine($"--- {oldPath}  {Sizes.Human(before.Reader.Length)}, {before.Entries.Count} entries, .NET {before.Reader.RuntimeVersion}");
        output.WriteLine($"+++ {newPath}  {Sizes.Human(after.Reader.Length)}, {after.Entries.Count} entries, .NET {after.Reader.RuntimeVersion}");
        if (before.Reader.RuntimeVersion != after.Reader.RuntimeVersion)
            output.WriteLine($"runtime: {before.Reader.RuntimeVersion} -> {after.Reader.RuntimeVersion}");
        WritePackageChanges(before, after, output);
        foreach (var entry in removed)
            output.WriteLine($"- {entry.Name}  {Sizes.Human(entry.Entry.StoredSize)}  ({entry.Owner.Label})");
        foreach (var entry in added)
            output.WriteLine($"+ {entry.Name}  {Sizes.Human(entry.Entry.StoredSize)}  ({entry.Owner.Label})");
        foreach (var (old, current) in changed)
        {
            string owner = old.Owner == current.Owner ? current.Owner.Label : $"{old.Owner.Label} -> {current.Owner.Label}";
            output.WriteLine($"~ {current.Name}  {Sizes.Human(old.Entry.StoredSize)} -> {Sizes.Human(current.Entry.StoredSize)} ({Sizes.Signed(current.Entry.StoredSize - old.Entry.StoredSize)})  ({owner})");
        }
        int unchanged = after.Entries.Count - added.Count - changed.Count;
        output.WriteLine($"{added.Count} added, {removed.Count} removed, {changed.Count} changed, {unchanged} unchanged; file size {Sizes.Signed(after.Reader.Length - before.Reader.Length)} ({after.Reader.Length - before.Reader.Length:+#;-#;0} bytes)");
        return added.Count + removed.Count + changed.Count == 0 ? ExitCodes.Success : ExitCodes.Mismatch;
    }

    /// <summary>"System.CommandLine 2.0.0 -> 3.0.0": a package present in both with another version, then packages only in one.</summary>
    private static void WritePackageChanges(ExecutableContents before, ExecutableContents after, TextWriter output)
    {
        static Dictionary<string, HashSet<string>> Versions(ExecutableContents contents) => contents.Entries.Select(entry => entry.Owner)
            .Where(owner => owner.Version.Length > 0).GroupBy(owner => owner.Name, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(owner => owner.Version).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var oldVersions = Versions(before);
        var newVersions = Versions(after);
        foreach (var (name, versions) in newVersions.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (oldVersions.TryGetValue(name, out var old) && !old.SetEquals(versions))
                output.WriteLine($"package {name}: {string.Join(", ", old.Order())} -> {string.Join(", ", versions.Order())}");
            else if (old is null)
                output.WriteLine($"package {name} {string.Join(", ", versions.Order())}: added");
        }
        foreach (var name in oldVersions.Keys.Where(name => !newVersions.ContainsKey(name)).Order(StringComparer.Ordinal))
            output.WriteLine($"package {name} {string.Join(", ", oldVersions[name].Order())}: removed");
    }
}
