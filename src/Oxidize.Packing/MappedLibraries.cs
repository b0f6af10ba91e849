using Oxidize.Packing.Elf;

namespace Oxidize.Packing;

/// <summary>
/// Chooses the native libraries the host maps from the executable with its own ELF loader (no copy per process), and
/// says why each other one keeps the memfd path. A library qualifies when <see cref="MappedLibraryCheck"/> accepts it
/// and no packed library that stays with glibc needs it: glibc finds a DT_NEEDED library only among the libraries
/// it loaded itself, so the dependencies of a memfd library must be memfd libraries too.
/// </summary>
public static class MappedLibraries
{
    /// <summary>The resources with <see cref="PackedResource.MappedLibrary"/> set where it can be, and for every native
    /// library left out, the reason. <paramref name="resources"/> must carry their dependencies (NativeDependencies).
    /// Under compression only the entries that stay stored anyway (<paramref name="keptStored"/>, from
    /// <see cref="StoredEntries"/>) are mapped: the others keep the size LZ4 saves on them.</summary>
    public static List<PackedResource> Choose(IReadOnlyList<PackedResource> resources, IReadOnlySet<string>? keptStored,
        out IReadOnlyList<(string Library, string Reason)> notMapped)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var natives = resources.Where(resource => resource.Kind == ResourceKind.NativeLibrary).ToList();
        foreach (var native in natives)
        {
            if (keptStored is not null && !keptStored.Contains(native.Name))
                reasons[native.Name] = "OxidizeCompression may compress it, and only a stored library can be mapped";
            else if (MappedLibraryCheck.WhyNotMappable(native.Content) is { } reason)
                reasons[native.Name] = reason;
        }
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var native in natives.Where(native => reasons.ContainsKey(native.Name)))
            {
                foreach (string dependency in native.Dependencies ?? [])
                {
                    if (reasons.TryAdd(dependency, $"the packed library {native.Name}, which glibc loads, needs it"))
                        changed = true;
                }
            }
        }
        notMapped = natives.Where(native => reasons.ContainsKey(native.Name)).Select(native => (native.Name, reasons[native.Name])).ToList();
        return resources.Select(resource => resource.Kind == ResourceKind.NativeLibrary && !reasons.ContainsKey(resource.Name)
            ? resource with { MappedLibrary = true }
            : resource).ToList();
    }
}
