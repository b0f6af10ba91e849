namespace Oxidize.Packing.Tests;

/// <summary>Which assemblies an app references statically, and that exactly those stay stored under compression.</summary>
[TestClass]
public sealed class StaticReferenceClosureTests
{
    private static PackedResource Assembly(string simpleName, params string[] references) =>
        new(simpleName + ".dll", ResourceKind.ManagedAssembly, TinyAssembly.Build(simpleName, references));

    // App -> Lib -> Deep -> Lib (a cycle), App -> NotPacked; Plugin -> Lib is referenced by nothing.
    private static readonly PackedResource[] Graph =
    [
        Assembly("App", "Lib", "NotPacked"),
        Assembly("Lib", "Deep"),
        Assembly("Deep", "lib"), // the binder matches simple names ignoring case
        Assembly("Plugin", "Lib"),
        Assembly("OwnExtra"),
        new PackedResource("App.runtimeconfig.json", ResourceKind.Content, "{}"u8.ToArray()),
    ];

    [TestMethod]
    public void FollowsAssemblyRefsTransitivelyFromTheRoots()
    {
        var closure = StaticReferenceClosure.Compute(Graph, ["App.dll"]);
        CollectionAssert.AreEquivalent(new[] { "App.dll", "Lib.dll", "Deep.dll" }, closure.ToArray());
    }

    [TestMethod]
    public void EveryRootIsIncludedEvenWhenNothingReferencesIt()
    {
        var closure = StaticReferenceClosure.Compute(Graph, ["App.dll", "OwnExtra.dll", "missing.dll", "App.runtimeconfig.json"]);
        CollectionAssert.AreEquivalent(new[] { "App.dll", "Lib.dll", "Deep.dll", "OwnExtra.dll" }, closure.ToArray());
    }

    [TestMethod]
    public void AnAssemblyWithUnreadableMetadataIsKeptButReferencesNothing()
    {
        PackedResource[] resources = [new("App.dll", ResourceKind.ManagedAssembly, "MZ not really"u8.ToArray()), Assembly("Lib")];
        CollectionAssert.AreEquivalent(new[] { "App.dll" }, StaticReferenceClosure.Compute(resources, ["App.dll"]).ToArray());
    }

    [TestMethod]
    public void TheRealFrameworkClosureOfSystemConsoleHasCoreLibButNotXml()
    {
        // The shared runtime these tests run on holds the same implementation assemblies as the runtime pack.
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = Directory.GetFiles(runtimeDirectory, "*.dll")
            .Select(path => new PackedResource(Path.GetFileName(path), ResourceKind.ManagedAssembly, File.ReadAllBytes(path)))
            .ToList();
        var closure = StaticReferenceClosure.Compute(framework, ["System.Console.dll"]);
        Assert.Contains("System.Console.dll", closure);
        Assert.Contains("System.Private.CoreLib.dll", closure);
        Assert.Contains("System.Threading.dll", closure);
        Assert.DoesNotContain("System.Private.Xml.dll", closure);
        Assert.DoesNotContain("System.Net.Http.dll", closure);
        Assert.IsLessThan(framework.Count / 4, closure.Count, string.Join(' ', closure.Order()));
    }

    [TestMethod]
    [DataRow(Compression.Lz4)]
    [DataRow(Compression.Lz4HighCompression)]
    public void UnderCompressionOnlyAssembliesOutsideTheClosureAreCompressed(Compression compression)
    {
        var manifest = new PayloadManifest
        {
            RuntimeVersion = "10.0.12",
            RuntimeIdentifier = "linux-x64",
            EntryAssemblyName = "App.dll",
            AppAssemblyNames = ["OwnExtra.dll"],
            Compression = compression,
            Resources = Graph,
        };
        using var reader = PackedResourcesReader.Open(NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "app"));
        var entries = reader.Entries.ToDictionary(entry => entry.Name);
        foreach (string name in new[] { "App.dll", "Lib.dll", "Deep.dll", "OwnExtra.dll" })
        {
            Assert.AreEqual(FormatConstants.CodecStored, entries[name].Codec, name);
            Assert.AreEqual(0L, entries[name].FileOffset % FormatConstants.AssemblyAlignment, name + " is mapped, so page-aligned");
        }
        Assert.AreEqual(FormatConstants.CodecLz4, entries["Plugin.dll"].Codec, "only reflection can load it");
    }

    [TestMethod]
    public void CompressReferencedAssembliesCompressesTheClosureToo()
    {
        var manifest = new PayloadManifest
        {
            RuntimeVersion = "10.0.12",
            RuntimeIdentifier = "linux-x64",
            EntryAssemblyName = "App.dll",
            Compression = Compression.Lz4,
            CompressReferencedAssemblies = true,
            Resources = Graph,
        };
        using var reader = PackedResourcesReader.Open(NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "app"));
        Assert.IsTrue(reader.Entries.Where(entry => entry.Kind == ResourceKind.ManagedAssembly).All(entry => entry.Codec == FormatConstants.CodecLz4));
    }

    [TestMethod]
    public void WithoutCompressionEverythingIsStoredAsBefore()
    {
        var manifest = new PayloadManifest
        {
            RuntimeVersion = "10.0.12", RuntimeIdentifier = "linux-x64", EntryAssemblyName = "App.dll", Resources = Graph,
        };
        using var reader = PackedResourcesReader.Open(NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "app"));
        Assert.IsTrue(reader.Entries.All(entry => entry.Codec == FormatConstants.CodecStored));
    }
}
