using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>
/// The managed assemblies an app references statically: its root assemblies and, transitively, every
/// packed assembly named in an AssemblyRef table along the way. Only these can be loaded without
/// reflection (Assembly.Load, Type.GetType with a name); the runtime's binder resolves an AssemblyRef by
/// simple name, so that is how references are matched to packed assemblies here too.
/// </summary>
public static class StaticReferenceClosure
{
    /// <summary>Entry names of the packed managed assemblies reachable from <paramref name="rootNames"/>
    /// (themselves included). Root names that are not packed managed assemblies are ignored, and so are
    /// references to assemblies that are not packed.</summary>
    public static IReadOnlySet<string> Compute(IEnumerable<PackedResource> resources, IEnumerable<string> rootNames)
    {
        var assemblies = resources.Where(resource => resource.Kind == ResourceKind.ManagedAssembly)
            .ToDictionary(resource => resource.Name, StringComparer.Ordinal);
        // By the name the assembly defines, not its file name; the binder compares simple names ignoring case.
        // Satellites define "X.resources" in every culture folder, but nothing references them, so the first wins.
        var entryBySimpleName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var referencesByEntry = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var assembly in assemblies.Values.OrderBy(resource => resource.Name, StringComparer.Ordinal))
        {
            if (ReadMetadata(assembly.Content) is not var (simpleName, references))
                continue;
            entryBySimpleName.TryAdd(simpleName, assembly.Name);
            referencesByEntry.Add(assembly.Name, references);
        }

        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(rootNames.Where(assemblies.ContainsKey));
        while (pending.TryPop(out string? name))
        {
            if (!closure.Add(name))
                continue;
            foreach (string reference in referencesByEntry.GetValueOrDefault(name, []))
            {
                if (entryBySimpleName.TryGetValue(reference, out string? target))
                    pending.Push(target);
            }
        }
        return closure;
    }

    /// <summary>The assembly's own simple name and the simple names it references; null when the bytes
    /// are not readable metadata (the caller then treats the assembly as referencing nothing).</summary>
    private static (string SimpleName, IReadOnlyList<string> References)? ReadMetadata(byte[] content)
    {
        try
        {
            using var peReader = new PEReader(new MemoryStream(content, writable: false));
            if (!peReader.HasMetadata)
                return null;
            MetadataReader metadata = peReader.GetMetadataReader();
            if (!metadata.IsAssembly)
                return null;
            string simpleName = metadata.GetString(metadata.GetAssemblyDefinition().Name);
            var references = metadata.AssemblyReferences
                .Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name))
                .ToList();
            return (simpleName, references);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
