namespace Oxidize.Audit.Managed;

/// <summary>One packed assembly to scan, with the package it came from.</summary>
public sealed record ManagedAssembly(string Name, PackageOrigin? Package, byte[] Content);

/// <summary>An assembly Mono.Cecil could not read (for example a file named .dll that only looks like one).</summary>
public sealed record UnreadableAssembly(string Name, PackageOrigin? Package, string Reason);

/// <summary>Scans assemblies and groups what it finds into one finding per package, leaving out suppressed packages.</summary>
public static class SingleFileAudit
{
    /// <param name="suppressed">Package ids, or for assemblies not from a package their file names (with or without .dll); case-insensitive, as NuGet ids are.</param>
    public static (IReadOnlyList<SingleFileFinding> Findings, IReadOnlyList<UnreadableAssembly> Unreadable) Analyze(
        IEnumerable<ManagedAssembly> assemblies, IReadOnlySet<string> suppressed)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        ArgumentNullException.ThrowIfNull(suppressed);
        var suppressedOwners = new HashSet<string>(suppressed, StringComparer.OrdinalIgnoreCase);
        var findings = new List<SingleFileFinding>();
        var unreadable = new List<UnreadableAssembly>();
        foreach (var group in assemblies.GroupBy(OwnerOf, StringComparer.OrdinalIgnoreCase).OrderBy(group => group.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (suppressedOwners.Contains(group.Key) || suppressedOwners.Contains(Path.GetFileNameWithoutExtension(group.Key)))
                continue;
            var uses = new List<SingleFileApiUse>();
            foreach (var assembly in group.OrderBy(assembly => assembly.Name, StringComparer.Ordinal))
            {
                try
                {
                    uses.AddRange(SingleFileAnalyzer.Analyze(Path.GetFileName(assembly.Name), assembly.Content));
                }
                // Mono.Cecil reports damaged metadata with several exception types; none of them should fail the publish.
                catch (Exception exception) when (exception is BadImageFormatException or InvalidOperationException or ArgumentException
                    or EndOfStreamException or IndexOutOfRangeException or NotSupportedException)
                {
                    unreadable.Add(new UnreadableAssembly(assembly.Name, assembly.Package, exception.Message));
                }
            }
            if (uses.Count > 0)
                findings.Add(new SingleFileFinding(group.Key, group.First().Package, uses));
        }
        return (findings, unreadable);
    }

    private static string OwnerOf(ManagedAssembly assembly) => assembly.Package?.Id ?? Path.GetFileName(assembly.Name);
}
