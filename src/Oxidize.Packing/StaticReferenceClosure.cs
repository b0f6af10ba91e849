using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>
/// The managed assemblies an app references statically: its root assemblies and, transitively, every
/// assembly of the set named in an AssemblyRef table along the way. Only these can be loaded without
/// reflection (Assembly.Load, Type.GetType with a name); the runtime's binder resolves an AssemblyRef by
/// simple name, so that is how references are matched to assemblies here too.
/// </summary>
public static class StaticReferenceClosure
{
    /// <summary>Entry names of the packed managed assemblies reachable from <paramref name="rootNames"/>
    /// (themselves included). Root names that are not packed managed assemblies are ignored, and so are
    /// references to assemblies that are not packed.</summary>
    public static IReadOnlySet<string> Compute(IEnumerable<PackedResource> resources, IEnumerable<string> rootNames)
    {
        var assemblies = resources.Where(resource => resource.Kind == ResourceKind.ManagedAssembly)
            .ToDictionary(resource => resource.Name, resource => (Func<Stream>)(() => new MemoryStream(resource.Content, writable: false)),
                StringComparer.Ordinal);
        return Walk(assemblies, rootNames);
    }

    /// <summary>The same walk over assembly files: the paths of <paramref name="paths"/> reachable from
    /// <paramref name="rootPaths"/> (themselves included). Files that are not assemblies reference nothing.</summary>
    public static IReadOnlySet<string> ComputeForFiles(IEnumerable<string> paths, IEnumerable<string> rootPaths)
    {
        var assemblies = paths.Distinct(StringComparer.Ordinal)
            .ToDictionary(path => path, path => (Func<Stream>)(() => File.OpenRead(path)), StringComparer.Ordinal);
        return Walk(assemblies, rootPaths);
    }

    private static HashSet<string> Walk(Dictionary<string, Func<Stream>> assemblies, IEnumerable<string> roots)
    {
        // By the name the assembly defines, not its key; the binder compares simple names ignoring case.
        // Satellites define "X.resources" in every culture folder, but nothing references them, so the first wins.
        var keyBySimpleName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var referencesByKey = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach ((string key, Func<Stream> open) in assemblies.OrderBy(assembly => assembly.Key, StringComparer.Ordinal))
        {
            if (ReadMetadata(open) is not var (simpleName, references))
                continue;
            keyBySimpleName.TryAdd(simpleName, key);
            referencesByKey.Add(key, references);
        }

        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots.Where(assemblies.ContainsKey));
        while (pending.TryPop(out string? key))
        {
            if (!closure.Add(key))
                continue;
            foreach (string reference in referencesByKey.GetValueOrDefault(key, []))
            {
                if (keyBySimpleName.TryGetValue(reference, out string? target))
                    pending.Push(target);
            }
        }
        return closure;
    }

    /// <summary>The assembly's own simple name and the simple names it references; null when the bytes
    /// are not readable metadata (the caller then treats the assembly as referencing nothing).</summary>
    private static (string SimpleName, IReadOnlyList<string> References)? ReadMetadata(Func<Stream> open)
    {
        try
        {
            using var peReader = new PEReader(open());
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
