using Oxidize.Packing.Elf;

namespace Oxidize.Packing;

/// <summary>
/// Fills in, for each packed native library, the packed libraries it needs (DT_NEEDED matched by file
/// name or SONAME). The host loads those first, because a library loaded from memory has no file
/// next to it for the dynamic loader to find its dependencies by path.
/// </summary>
public static class NativeDependencies
{
    public static List<PackedResource> Resolve(IReadOnlyList<PackedResource> resources) => Resolve(resources, out _);

    /// <param name="unloadable">Pairs (library, dependency) where the dependency matched only by file
    /// name because it has no SONAME: glibc matches DT_NEEDED against the SONAMEs of loaded libraries,
    /// so such a dependency cannot be found once it is loaded from memory.</param>
    public static List<PackedResource> Resolve(IReadOnlyList<PackedResource> resources, out IReadOnlyList<(string Library, string Dependency)> unloadable)
    {
        var natives = resources.Where(resource => resource.Kind == ResourceKind.NativeLibrary)
            .Select(resource => (Resource: resource, Elf: TryRead(resource.Content)))
            .ToList();
        var byLoaderName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (resource, elf) in natives)
        {
            byLoaderName.TryAdd(Path.GetFileName(resource.Name), resource.Name);
            if (elf?.Soname is { } soname)
                byLoaderName.TryAdd(soname, resource.Name);
        }

        var sonameByName = natives.ToDictionary(native => native.Resource.Name, native => native.Elf?.Soname, StringComparer.Ordinal);
        unloadable = natives
            .SelectMany(native => (native.Elf?.Needed ?? []).Select(needed => (Library: native.Resource.Name, Needed: needed)))
            .Where(pair => byLoaderName.TryGetValue(pair.Needed, out string? target) && target != pair.Library && sonameByName[target] != pair.Needed)
            .Select(pair => (pair.Library, byLoaderName[pair.Needed]))
            .Distinct()
            .ToList();

        var dependenciesByName = natives.ToDictionary(
            native => native.Resource.Name,
            native => (IReadOnlyList<string>)(native.Elf?.Needed ?? [])
                .Select(needed => byLoaderName.GetValueOrDefault(needed))
                .OfType<string>()
                .Where(dependency => dependency != native.Resource.Name)
                .Distinct(StringComparer.Ordinal)
                .ToList(),
            StringComparer.Ordinal);
        return resources.Select(resource => dependenciesByName.TryGetValue(resource.Name, out var dependencies) && dependencies.Count > 0
            ? resource with { Dependencies = dependencies }
            : resource).ToList();
    }

    // An ELF this reader does not handle (32-bit, another byte order) simply gets no dependencies:
    // the publish-time audit is where unusable libraries are reported.
    private static ElfInfo? TryRead(byte[] content)
    {
        try
        {
            return ElfFile.Read(content);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
