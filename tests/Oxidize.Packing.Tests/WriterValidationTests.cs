using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>Input the format cannot represent is refused with its stable code, never written.</summary>
[TestClass]
public sealed class WriterValidationTests
{
    private static PackingException Refused(PayloadManifest manifest) =>
        Assert.ThrowsExactly<PackingException>(() => PackedResourcesWriter.WritePayload(manifest));

    private static PayloadManifest With(IEnumerable<PackedResource>? extra = null, string entry = "App.dll",
        IReadOnlyList<KeyValuePair<string, string>>? properties = null)
    {
        var small = SampleManifests.Small(extra);
        return new PayloadManifest
        {
            RuntimeVersion = small.RuntimeVersion,
            RuntimeIdentifier = small.RuntimeIdentifier,
            EntryAssemblyName = entry,
            Properties = properties ?? small.Properties,
            Resources = small.Resources,
        };
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("/etc/passwd")]
    [DataRow("a/../../b.dll")]
    [DataRow("./a.dll")]
    [DataRow("a//b.dll")]
    [DataRow("nul\0.dll")]
    public void InvalidNamesAreRefused(string name)
    {
        var error = Refused(With([new PackedResource(name, ResourceKind.Content, [1])]));
        Assert.AreEqual(PackingErrorCodes.InvalidName, error.Code);
    }

    [TestMethod]
    public void OverlongNameIsRefused()
    {
        string name = new string('a', FormatConstants.MaxNameLength + 1);
        Assert.AreEqual(PackingErrorCodes.InvalidName, Refused(With([new PackedResource(name, ResourceKind.Content, [1])])).Code);
    }

    [TestMethod]
    public void BackslashesAreNormalizedNotRefused()
    {
        Assert.AreEqual("wwwroot/css/site.css", ResourceName.Normalize(@"wwwroot\css\site.css"));
    }

    [TestMethod]
    public void DuplicateNamesAreRefused()
    {
        var error = Refused(With([new PackedResource("libnative.so", ResourceKind.NativeLibrary, [9])]));
        Assert.AreEqual(PackingErrorCodes.DuplicateName, error.Code);
        StringAssert.Contains(error.Message, "libnative.so");
    }

    [TestMethod]
    public void MissingEntryAssemblyIsRefused()
    {
        Assert.AreEqual(PackingErrorCodes.EntryAssemblyMissing, Refused(With(entry: "Other.dll")).Code);
    }

    [TestMethod]
    public void EntryAssemblyThatIsNotManagedIsRefused()
    {
        Assert.AreEqual(PackingErrorCodes.EntryAssemblyMissing, Refused(With(entry: "libnative.so")).Code);
    }

    [TestMethod]
    public void DependencyOnAnUnpackedLibraryIsRefused()
    {
        var dependent = new PackedResource("libdependent.so", ResourceKind.NativeLibrary, [0x7F], ["libmissing.so"]);
        Assert.AreEqual(PackingErrorCodes.UnknownDependency, Refused(With([dependent])).Code);
    }

    [TestMethod]
    public void DependencyOnContentIsRefused()
    {
        var dependent = new PackedResource("libdependent.so", ResourceKind.NativeLibrary, [0x7F], ["wwwroot/index.html"]);
        Assert.AreEqual(PackingErrorCodes.UnknownDependency, Refused(With([dependent])).Code);
    }

    [TestMethod]
    public void PropertyWithNulOrEmptyKeyIsRefused()
    {
        Assert.AreEqual(PackingErrorCodes.InvalidProperty, Refused(With(properties: [new("", "x")])).Code);
        Assert.AreEqual(PackingErrorCodes.InvalidProperty, Refused(With(properties: [new("Key", "a\0b")])).Code);
    }

    [TestMethod]
    public void EmptyManifestIsRefused()
    {
        var empty = new PayloadManifest { RuntimeVersion = "10.0.0", RuntimeIdentifier = "linux-x64", EntryAssemblyName = "App.dll", Resources = [] };
        Assert.AreEqual(PackingErrorCodes.TooManyEntries, Refused(empty).Code);
    }

    [TestMethod]
    public void HostThatIsNotElfIsRefusedBeforeWriting()
    {
        using var output = new MemoryStream();
        var error = Assert.ThrowsExactly<PackingException>(
            () => PackedResourcesWriter.WriteExecutable(output, Encoding.ASCII.GetBytes("MZ windows host"), SampleManifests.Small()));
        Assert.AreEqual(PackingErrorCodes.HostNotExecutable, error.Code);
        Assert.AreEqual(0, output.Length, "nothing is written for a refused input");
    }
}
