namespace Oxidize.Packing.Tests;

/// <summary>A load list recorded by the host (OXIDIZE_LOAD_LIST) decides, under compression, which entries stay stored:
/// exactly those it names, instead of the static reference closure.</summary>
[TestClass]
public sealed class LoadListTests
{
    private static PackedResource Assembly(string simpleName, params string[] references) =>
        new(simpleName + ".dll", ResourceKind.ManagedAssembly, TinyAssembly.Build(simpleName, references));

    private static PayloadManifest Lz4Manifest(PackedResource[] resources, IReadOnlyList<string>? loadList = null,
        bool compressReferencedAssemblies = false) => new()
    {
        RuntimeVersion = "10.0.12",
        RuntimeIdentifier = "linux-x64",
        EntryAssemblyName = "App.dll",
        Compression = Compression.Lz4,
        CompressReferencedAssemblies = compressReferencedAssemblies,
        LoadListNames = loadList,
        Resources = resources,
    };

    [TestMethod]
    public void ParseKeepsEachNameOnceInFirstSeenOrderAndSkipsBlankAndCommentLines()
    {
        // Two recorded runs appended to one file; a developer's comment; a file edited on Windows.
        string text = "libcoreclr.so\nApp.dll\nSystem.Runtime.dll\n\n# second run\r\nlibcoreclr.so\r\n  App.dll  \nwwwroot/index.html\n";
        CollectionAssert.AreEqual(new[] { "libcoreclr.so", "App.dll", "System.Runtime.dll", "wwwroot/index.html" }, LoadList.Parse(text).ToArray());
    }

    [TestMethod]
    public void NotPackedNamesTheListedEntriesTheExecutableDoesNotCarry()
    {
        PackedResource[] resources = [Assembly("App"), Assembly("Lib")];
        CollectionAssert.AreEqual(new[] { "Old.dll" }, LoadList.NotPacked(["App.dll", "Old.dll", "Lib.dll"], resources).ToArray());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TheListReplacesTheStaticReferenceClosure(bool compressReferencedAssemblies)
    {
        // App -> Lib -> Deep: without a list all three stay stored (the closure); the recorded run loaded App and Deep only.
        PackedResource[] resources = [Assembly("App", "Lib"), Assembly("Lib", "Deep"), Assembly("Deep"), Assembly("Plugin")];
        var stored = StoredEntries.For(Lz4Manifest(resources, ["App.dll", "Deep.dll", "Old.dll"], compressReferencedAssemblies));

        Assert.Contains("App.dll", stored);
        Assert.Contains("Deep.dll", stored);
        Assert.DoesNotContain("Lib.dll", stored, "referenced, but the recorded run did not load it");
        Assert.DoesNotContain("Plugin.dll", stored);
        Assert.Contains("libcoreclr.so", stored, "the runtime's own files stay stored whatever the list says");
    }

    [TestMethod]
    public void WithoutAListTheClosureStaysStored()
    {
        PackedResource[] resources = [Assembly("App", "Lib"), Assembly("Lib"), Assembly("Plugin")];
        var stored = StoredEntries.For(Lz4Manifest(resources));

        Assert.Contains("Lib.dll", stored);
        Assert.DoesNotContain("Plugin.dll", stored);
    }
}
