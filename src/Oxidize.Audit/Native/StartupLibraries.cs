namespace Oxidize.Audit.Native;

/// <summary>
/// Which ELF files of an executable are loaded when it starts, as opposed to when the app first uses them:
/// the host itself, the runtime libraries the host and coreclr_initialize load before Main
/// (libcoreclr.so, libclrjit.so, libSystem.Native.so; src/Oxidize.Host/library_prefetch.c), and the packed
/// libraries those need (DT_NEEDED). Every other packed library, a P/Invoke library of a NuGet package
/// included, is loaded on its first DllImport call or NativeLibrary.Load, so a library the target cannot
/// load breaks only the code that uses it, not the start.
/// </summary>
public static class StartupLibraries
{
    public static IReadOnlySet<string> LoadedByTheRuntime { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "libcoreclr.so", "libclrjit.so", "libSystem.Native.so",
    };

    /// <summary>
    /// The names (entry names) of <paramref name="files"/> loaded at startup. <paramref name="files"/> are
    /// (name, soname, DT_NEEDED, packed?) per ELF file; a needed library is matched by soname or file name.
    /// </summary>
    public static IReadOnlySet<string> Find(IReadOnlyList<(string Name, string? Soname, IReadOnlyList<string> Needed, bool IsPacked)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byLoadName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.Where(file => file.IsPacked))
        {
            byLoadName.TryAdd(Path.GetFileName(file.Name), file.Name);
            if (file.Soname is { } soname)
                byLoadName.TryAdd(soname, file.Name);
        }

        var startup = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(files.Where(file => !file.IsPacked || LoadedByTheRuntime.Contains(Path.GetFileName(file.Name))).Select(file => file.Name));
        var neededOf = files.GroupBy(file => file.Name, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First().Needed, StringComparer.Ordinal);
        while (pending.TryDequeue(out string? name))
        {
            if (!startup.Add(name))
                continue;
            foreach (string needed in neededOf[name])
            {
                if (byLoadName.TryGetValue(needed, out string? packed))
                    pending.Enqueue(packed);
            }
        }
        return startup;
    }
}
