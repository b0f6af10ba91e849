using Oxidize.Packing.Elf;

namespace Oxidize.Packing;

/// <summary>
/// Fills in, for each packed native library, the packed libraries it needs (DT_NEEDED matched by file
/// name or SONAME). The host loads those first, because a library loaded from memory has no file
/// next to it for the dynamic loader to find its dependencies by path.
/// </summary>
public static class NativeDependencies
{
    public static List<PackedResource> Resolve(IReadOnlyList<PackedResource> resources)
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
