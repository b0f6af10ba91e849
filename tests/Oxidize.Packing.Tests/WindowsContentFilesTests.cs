using Oxidize.Packing;

namespace Oxidize.Packing.Tests;

[TestClass]
public sealed class WindowsContentFilesTests
{
    [TestMethod]
    public void ContentTheAppReadsByPathIsListedAndWhatTheRuntimeReadsIsNot()
    {
        PackedResource[] resources =
        [
            new("wwwroot/site.css", ResourceKind.Content, [1]),
            new("Hello.dll", ResourceKind.ManagedAssembly, [1]),
            new("appsettings.json", ResourceKind.Content, [1]),
            new("coreclr.dll", ResourceKind.NativeLibrary, [1]),
            new("Hello.deps.json", ResourceKind.Content, [1]),
            new("Hello.runtimeconfig.json", ResourceKind.Content, [1]),
            new("Hello.PDB", ResourceKind.Content, [1]),
            new(".oxidize/bom.cdx.json", ResourceKind.Content, [1]),
        ];

        CollectionAssert.AreEqual(new[] { "appsettings.json", "wwwroot/site.css" }, WindowsContentFiles.ReadByPath(resources).ToArray());
    }

    [TestMethod]
    public void AnAppWithoutContentFilesHasNothingToList()
    {
        PackedResource[] resources = [new("Hello.dll", ResourceKind.ManagedAssembly, [1]), new("Hello.deps.json", ResourceKind.Content, [1])];

        Assert.AreEqual(0, WindowsContentFiles.ReadByPath(resources).Count);
    }
}
