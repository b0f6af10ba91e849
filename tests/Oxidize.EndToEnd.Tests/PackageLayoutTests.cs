using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The package's tasks folder is self-sufficient: every assembly a shipped task assembly references is either shipped
/// beside it (at the referenced version or later), one of MSBuild's own (which the MSBuild running the task provides),
/// or part of the shared framework. This is why the NuGet client is shipped rather than borrowed from the .NET SDK: the
/// tasks compile against NuGet.Packaging 8.0.0, and an SDK's copy of a lower version (10.0.401 has 7.9.0.0) cannot
/// satisfy that reference.
/// </summary>
[TestClass]
public sealed class PackageLayoutTests
{
    private const string TasksFolder = "tasks/net10.0/";

    [TestMethod]
    public void EveryAssemblyTheTasksReferenceIsShippedOrProvidedByMSBuildOrTheFramework()
    {
        using ZipArchive package = ZipFile.OpenRead(RepoPaths.PackagePath);
        var shipped = new Dictionary<string, (Version Version, List<(string Name, Version Version)> References)>(StringComparer.OrdinalIgnoreCase);
        foreach (ZipArchiveEntry entry in package.Entries.Where(entry => entry.FullName.StartsWith(TasksFolder, StringComparison.Ordinal) && entry.FullName.EndsWith(".dll", StringComparison.Ordinal)))
        {
            using var bytes = new MemoryStream();
            using (Stream stream = entry.Open())
                stream.CopyTo(bytes);
            bytes.Position = 0;
            using var pe = new PEReader(bytes);
            MetadataReader metadata = pe.GetMetadataReader();
            AssemblyDefinition definition = metadata.GetAssemblyDefinition();
            var references = metadata.AssemblyReferences.Select(metadata.GetAssemblyReference)
                .Select(reference => (metadata.GetString(reference.Name), reference.Version)).ToList();
            shipped[metadata.GetString(definition.Name)] = (definition.Version, references);
        }
        CollectionAssert.IsSubsetOf(new[] { "Oxidize.Sdk.Tasks", "Oxidize.Packing", "Oxidize.Audit", "NuGet.Packaging", "K4os.Compression.LZ4", "Mono.Cecil" },
            shipped.Keys.ToArray(), $"{RepoPaths.PackagePath} lacks task assemblies: {string.Join(", ", shipped.Keys)}");

        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var unresolved = new List<string>();
        foreach ((string assembly, (_, List<(string Name, Version Version)> references)) in shipped)
        {
            foreach ((string name, Version version) in references)
            {
                bool resolved = shipped.TryGetValue(name, out var beside) ? beside.Version >= version
                    : name.StartsWith("Microsoft.Build", StringComparison.Ordinal) || name == "netstandard"
                      || File.Exists(Path.Combine(frameworkDirectory, name + ".dll"));
                if (!resolved)
                    unresolved.Add($"{assembly} -> {name} {version}" + (beside.Version is null ? " (not shipped)" : $" (shipped {beside.Version})"));
            }
        }
        Assert.IsEmpty(unresolved, "References the tasks folder cannot satisfy:\n" + string.Join("\n", unresolved));
    }
}
