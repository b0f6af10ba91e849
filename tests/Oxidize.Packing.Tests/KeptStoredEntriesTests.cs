using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>Entries the manifest names as read at every start stay stored under compression, whatever LZ4 would save.</summary>
[TestClass]
public sealed class KeptStoredEntriesTests
{
    private static readonly byte[] Compressible = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("icu data icu data ", 2000)));

    private static Dictionary<string, PackedEntry> Write(bool compressReferencedAssemblies)
    {
        var manifest = new PayloadManifest
        {
            RuntimeVersion = "10.0.12",
            RuntimeIdentifier = "linux-x64",
            EntryAssemblyName = "App.dll",
            Compression = Compression.Lz4,
            CompressReferencedAssemblies = compressReferencedAssemblies,
            KeptStoredNames = [".oxidize/userland/native/libicudata.so.72"],
            Resources =
            [
                new PackedResource("App.dll", ResourceKind.ManagedAssembly, Encoding.ASCII.GetBytes("MZ pretend assembly")),
                new PackedResource(".oxidize/userland/native/libicudata.so.72", ResourceKind.Content, Compressible),
                new PackedResource(".oxidize/userland/native/libssl.so.3", ResourceKind.Content, Compressible),
            ],
        };
        using var reader = PackedResourcesReader.Open(NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "app"));
        return reader.Entries.ToDictionary(entry => entry.Name);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void KeptStoredEntryIsStoredWhileAnEqualOneIsCompressed(bool compressReferencedAssemblies)
    {
        var entries = Write(compressReferencedAssemblies);

        Assert.AreEqual(FormatConstants.CodecStored, entries[".oxidize/userland/native/libicudata.so.72"].Codec);
        Assert.AreEqual(FormatConstants.CodecLz4, entries[".oxidize/userland/native/libssl.so.3"].Codec, "the same bytes compress when not kept stored");
    }
}
