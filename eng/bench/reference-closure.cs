// The static reference closure of an assembly inside a publish folder, for eng/bench/web-composite.sh:
//   dotnet run eng/bench/reference-closure.cs -- FOLDER ROOT_SIMPLE_NAME
// prints the file name of every assembly of FOLDER reachable from ROOT through AssemblyRef tables (ROOT included),
// one a line, sorted. The same walk as src/Oxidize.Packing/StaticReferenceClosure.cs, over files instead of packed
// entries. Not product code: a measuring aid.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

string folder = args[0];
var references = new Dictionary<string, (string File, List<string> Names)>(StringComparer.OrdinalIgnoreCase);
foreach (string path in Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal))
{
    try
    {
        using var pe = new PEReader(File.OpenRead(path));
        if (!pe.HasMetadata)
            continue;
        MetadataReader metadata = pe.GetMetadataReader();
        if (!metadata.IsAssembly)
            continue;
        references.TryAdd(metadata.GetString(metadata.GetAssemblyDefinition().Name),
            (Path.GetFileName(path), metadata.AssemblyReferences
                .Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToList()));
    }
    catch (BadImageFormatException)
    {
        // Native libraries named *.dll: not assemblies.
    }
}

var closure = new SortedSet<string>(StringComparer.Ordinal);
var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
var pending = new Stack<string>([args[1]]);
while (pending.TryPop(out string? name))
{
    if (!references.TryGetValue(name, out var entry) || !seen.Add(name))
        continue;
    closure.Add(entry.File);
    foreach (string reference in entry.Names)
        pending.Push(reference);
}
foreach (string file in closure)
    Console.WriteLine(file);
