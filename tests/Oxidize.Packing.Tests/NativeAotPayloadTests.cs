using System.Buffers.Binary;
using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The payload appended to a Native AOT app (PublishAot=true, docs/format.md): the NATIVE_AOT header flag, no entry
/// assembly (index 0xFFFFFFFF), possibly no entry at all; both readers accept it and nothing else changes.
/// </summary>
[TestClass]
public sealed class NativeAotPayloadTests
{
    private static PayloadManifest Aot(params PackedResource[] resources) => new()
    {
        RuntimeVersion = "10.0.12",
        RuntimeIdentifier = "linux-x64",
        EntryAssemblyName = "",
        NativeAot = true,
        Resources = resources,
    };

    private static readonly PackedResource Library = new("libe_sqlite3.so", ResourceKind.NativeLibrary, [0x7F, 0x45, 0x4C, 0x46, 9]);
    private static readonly PackedResource Schema = new("data/schema.sql", ResourceKind.Content, Encoding.UTF8.GetBytes("create table t (x);"));

    [TestMethod]
    public void HeaderCarriesTheFlagAndNoEntryAssembly()
    {
        byte[] payload = PackedResourcesWriter.WritePayload(Aot(Library, Schema));
        Assert.AreEqual((uint)FormatConstants.FlagNativeAot, BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(FormatConstants.HeaderOffsetFlags)));
        Assert.AreEqual(FormatConstants.NoEntryAssembly, BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(FormatConstants.HeaderOffsetEntryAssemblyIndex)));
    }

    [TestMethod]
    public void BothReadersAcceptItWithEntriesAndWithNone()
    {
        foreach (var manifest in new[] { Aot(Library, Schema), Aot() })
        {
            string path = NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "aot-app");
            using (var reader = PackedResourcesReader.Open(path))
            {
                Assert.IsTrue(reader.NativeAot);
                Assert.AreEqual("", reader.EntryAssemblyName);
                CollectionAssert.AreEquivalent(manifest.Resources.Select(resource => resource.Name).ToArray(), reader.Entries.Select(entry => entry.Name).ToArray());
            }
            var inspect = NativeTool.Run(RepoPaths.Inspect, "--verify", path);
            Assert.AreEqual(0, inspect.ExitCode, inspect.Stderr);
            StringAssert.Contains(inspect.Stdout, $"flags\t{FormatConstants.FlagNativeAot}\n");
            Assert.DoesNotContain("entry-assembly", inspect.Stdout);
        }
    }

    [TestMethod]
    public void AnAotPayloadNamingAnEntryAssemblyIsCorruptToBothReaders()
    {
        byte[] image = SampleManifests.Executable(Aot(Library));
        int header = image.Length - FormatConstants.TrailerSize - (int)BinaryPrimitives.ReadUInt64LittleEndian(
            image.AsSpan(image.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadSize));
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(header + FormatConstants.HeaderOffsetEntryAssemblyIndex), 0);
        string path = NativeTool.WriteExecutable(image, "aot-app");
        Assert.ThrowsExactly<InvalidDataException>(() => PackedResourcesReader.Open(path));
        Assert.AreEqual(HostExitCodes.PayloadCorrupt, NativeTool.Run(RepoPaths.Inspect, path).ExitCode);
    }

    [TestMethod]
    public void AnEmptyPayloadWithoutTheFlagIsStillRefused()
    {
        var manifest = new PayloadManifest { RuntimeVersion = "10.0.12", RuntimeIdentifier = "linux-x64", EntryAssemblyName = "App.dll", Resources = [] };
        var exception = Assert.ThrowsExactly<PackingException>(() => PackedResourcesWriter.WritePayload(manifest));
        Assert.AreEqual(PackingErrorCodes.TooManyEntries, exception.Code);
    }

    [TestMethod]
    public void AManagedAssemblyIsRefusedWithOXSDK2009()
    {
        var plugin = new PackedResource("Plugin.dll", ResourceKind.ManagedAssembly, Encoding.ASCII.GetBytes("MZ pretend assembly"));
        var exception = Assert.ThrowsExactly<PackingException>(() => PackedResourcesWriter.WritePayload(Aot(Library, plugin)));
        Assert.AreEqual("OXSDK2009", exception.Code);
        StringAssert.Contains(exception.Message, "Plugin.dll");
    }
}
