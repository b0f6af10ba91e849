using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>LZ4 entries: chosen per entry, decoded back by both readers, laid out as the format says.</summary>
[TestClass]
public sealed class CompressionTests
{
    private static readonly byte[] Compressible = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("the same line again and again\n", 400)));
    private static readonly byte[] Incompressible = RandomBytes(20_000);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static PayloadManifest Manifest(Compression compression) => new()
    {
        RuntimeVersion = "10.0.12",
        RuntimeIdentifier = "linux-x64",
        EntryAssemblyName = "App.dll",
        Compression = compression,
        Resources =
        [
            new PackedResource("App.dll", ResourceKind.ManagedAssembly, Compressible),
            new PackedResource("Plugin.dll", ResourceKind.ManagedAssembly, Compressible),
            new PackedResource("System.Private.CoreLib.dll", ResourceKind.ManagedAssembly, Compressible),
            new PackedResource("libcoreclr.so", ResourceKind.NativeLibrary, Compressible),
            new PackedResource("libSystem.Native.so", ResourceKind.NativeLibrary, Compressible),
            new PackedResource("libSystem.Globalization.Native.so", ResourceKind.NativeLibrary, Compressible),
            new PackedResource("libnative.so", ResourceKind.NativeLibrary, Compressible),
            new PackedResource("data/noise.bin", ResourceKind.Content, Incompressible),
            new PackedResource("data/tiny.txt", ResourceKind.Content, Encoding.ASCII.GetBytes("tiny")),
        ],
    };

    private static PackedResourcesReader Read(Compression compression) =>
        PackedResourcesReader.Open(NativeTool.WriteExecutable(SampleManifests.Executable(Manifest(compression)), "app"));

    [TestMethod]
    [DataRow(Compression.Lz4)]
    [DataRow(Compression.Lz4HighCompression)]
    public void CompressibleEntriesAreLz4AndTheRestStaysStored(Compression compression)
    {
        using var reader = Read(compression);
        var codecs = reader.Entries.ToDictionary(entry => entry.Name, entry => entry.Codec);
        Assert.AreEqual(FormatConstants.CodecLz4, codecs["Plugin.dll"], "outside the app's static references");
        Assert.AreEqual(FormatConstants.CodecStored, codecs["App.dll"], "the entry assembly is always in the static closure");
        Assert.AreEqual(FormatConstants.CodecLz4, codecs["libnative.so"]);
        Assert.AreEqual(FormatConstants.CodecStored, codecs["data/noise.bin"], "random bytes do not shrink by 10%");
        Assert.AreEqual(FormatConstants.CodecStored, codecs["data/tiny.txt"], "too small to be worth a block");
        Assert.AreEqual(FormatConstants.CodecStored, codecs["System.Private.CoreLib.dll"], "always stored: mapped lazily at every startup");
        Assert.AreEqual(FormatConstants.CodecStored, codecs["libcoreclr.so"], "always stored: mapped at every startup, cheaper than decoded");
        Assert.AreEqual(FormatConstants.CodecStored, codecs["libSystem.Native.so"], "always stored: loaded at every startup");
        Assert.AreEqual(FormatConstants.CodecStored, codecs["libSystem.Globalization.Native.so"], "always stored: loaded at startup unless InvariantGlobalization");
        foreach (var entry in reader.Entries.Where(entry => entry.Codec == FormatConstants.CodecLz4))
            Assert.IsLessThan(entry.OriginalSize * 0.9, (double)entry.StoredSize, entry.Name);
    }

    [TestMethod]
    public void CompressedEntriesReadBackIdenticalInCSharp()
    {
        using var reader = Read(Compression.Lz4);
        foreach (var resource in Manifest(Compression.Lz4).Resources)
        {
            Assert.IsTrue(reader.TryFind(resource.Name, out var entry));
            CollectionAssert.AreEqual(resource.Content, reader.ReadEntry(entry), resource.Name);
            using var stream = reader.OpenEntry(entry);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            CollectionAssert.AreEqual(resource.Content, copy.ToArray(), resource.Name);
        }
    }

    [TestMethod]
    public void TheHostsCReaderDecodesAndVerifiesEveryCompressedEntry()
    {
        string path = NativeTool.WriteExecutable(SampleManifests.Executable(Manifest(Compression.Lz4HighCompression)), "app");
        var result = NativeTool.Run(RepoPaths.Inspect, "--verify", path);
        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n').Where(line => line.StartsWith("entry\t", StringComparison.Ordinal)).ToList();
        Assert.HasCount(Manifest(Compression.Lz4HighCompression).Resources.Count, lines);
        Assert.IsTrue(lines.All(line => line.EndsWith("\tok", StringComparison.Ordinal)), result.Stdout);
        Assert.IsTrue(lines.Any(line => line.Split('\t')[3] == "1"), "some entry must actually be LZ4");
    }

    [TestMethod]
    public void NoneStoresEverythingAndMatchesTheUncompressedLayout()
    {
        using var reader = Read(Compression.None);
        Assert.IsTrue(reader.Entries.All(entry => entry.Codec == FormatConstants.CodecStored));
    }

    [TestMethod]
    [DataRow(Compression.Lz4)]
    [DataRow(Compression.Lz4HighCompression)]
    public void CompressedOutputIsDeterministic(Compression compression)
    {
        CollectionAssert.AreEqual(SampleManifests.Executable(Manifest(compression)), SampleManifests.Executable(Manifest(compression)));
    }

    [TestMethod]
    public void ADamagedBlockIsRefusedWithTheEntryName()
    {
        byte[] executable = SampleManifests.Executable(Manifest(Compression.Lz4));
        PackedEntry plugin;
        using (var reader = PackedResourcesReader.Open(NativeTool.WriteExecutable(executable, "app")))
            Assert.IsTrue(reader.TryFind("Plugin.dll", out plugin!));
        Assert.AreEqual(FormatConstants.CodecLz4, plugin.Codec);
        // A first token announcing 15 + 255 + 255 + ... literals: the length runs past the block.
        executable.AsSpan((int)plugin.FileOffset, (int)plugin.StoredSize).Fill(0xFF);

        using var damaged = PackedResourcesReader.Open(NativeTool.WriteExecutable(executable, "app"));
        Assert.IsTrue(damaged.TryFind("Plugin.dll", out var entry));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => damaged.ReadEntry(entry));
        StringAssert.Contains(error.Message, "entry 'Plugin.dll' does not decode. Malformed LZ4 block:");
        Assert.ThrowsExactly<InvalidDataException>(() => damaged.OpenEntry(entry));
    }

    [TestMethod]
    [DataRow("none", Compression.None)]
    [DataRow("", Compression.None)]
    [DataRow("LZ4", Compression.Lz4)]
    [DataRow("lz4hc", Compression.Lz4HighCompression)]
    [DataRow("zstd", null)]
    public void PropertyValuesParse(string text, Compression? expected) => Assert.AreEqual(expected, EntryCompressor.Parse(text));
}
