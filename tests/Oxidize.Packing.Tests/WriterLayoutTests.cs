using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>The payload's bytes, field by field against docs/format.md, and against a reviewed golden copy.</summary>
[TestClass]
public sealed class WriterLayoutTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "small-payload.hex");

    private static uint U32(byte[] bytes, long offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset));

    private static ulong U64(byte[] bytes, long offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)offset));

    private static string StringAt(byte[] payload, long refOffset)
    {
        long stringsOffset = (long)U64(payload, FormatConstants.HeaderOffsetStringsOffset);
        uint offset = U32(payload, refOffset);
        uint length = U32(payload, refOffset + 4);
        Assert.AreEqual(0, payload[stringsOffset + offset + length], "strings are NUL-terminated");
        return Encoding.UTF8.GetString(payload, (int)(stringsOffset + offset), (int)length);
    }

    [TestMethod]
    public void HeaderDescribesTheTables()
    {
        byte[] payload = PackedResourcesWriter.WritePayload(SampleManifests.Small());
        Assert.AreEqual("OXSDKPAK", Encoding.ASCII.GetString(payload, 0, 8));
        Assert.AreEqual(1u, U32(payload, FormatConstants.HeaderOffsetFormatVersion));
        Assert.AreEqual(128u, U32(payload, FormatConstants.HeaderOffsetHeaderSize));
        Assert.AreEqual(3u, U32(payload, FormatConstants.HeaderOffsetEntryCount));
        Assert.AreEqual(80u, U32(payload, FormatConstants.HeaderOffsetEntrySize));
        Assert.AreEqual(128ul, U64(payload, FormatConstants.HeaderOffsetEntriesOffset));
        Assert.AreEqual(2u, U32(payload, FormatConstants.HeaderOffsetPropertyCount));
        Assert.AreEqual(10u, U32(payload, FormatConstants.HeaderOffsetRuntimeContract));
        Assert.AreEqual("10.0.12", StringAt(payload, FormatConstants.HeaderOffsetRuntimeVersion));
        Assert.AreEqual("linux-x64", StringAt(payload, FormatConstants.HeaderOffsetRuntimeIdentifier));
        Assert.AreEqual(0u, U32(payload, FormatConstants.HeaderOffsetEntryAssemblyIndex), "App.dll sorts first");
        for (int i = 104; i < 128; i++)
            Assert.AreEqual(0, payload[i], $"reserved header byte {i}");
    }

    [TestMethod]
    public void EntriesAreSortedWithAlignedDataAndDigests()
    {
        var manifest = SampleManifests.Small();
        byte[] payload = PackedResourcesWriter.WritePayload(manifest);
        var names = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            long entry = FormatConstants.HeaderSize + i * FormatConstants.EntrySize;
            string name = StringAt(payload, entry + FormatConstants.EntryOffsetName);
            names.Add(name);
            var resource = manifest.Resources.Single(r => r.Name == name);
            ulong dataOffset = U64(payload, entry + FormatConstants.EntryOffsetDataOffset);
            Assert.AreEqual((ushort)resource.Kind, BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan((int)entry + FormatConstants.EntryOffsetKind)));
            Assert.AreEqual((ulong)resource.Content.Length, U64(payload, entry + FormatConstants.EntryOffsetOriginalSize));
            CollectionAssert.AreEqual(resource.Content, payload.AsSpan((int)dataOffset, resource.Content.Length).ToArray());
            CollectionAssert.AreEqual(SHA256.HashData(resource.Content), payload.AsSpan((int)entry + FormatConstants.EntryOffsetSha256, 32).ToArray());
            if (resource.Kind == ResourceKind.ManagedAssembly)
                Assert.AreEqual(0ul, dataOffset % FormatConstants.AssemblyAlignment, "assemblies are page-aligned for mapping");
        }
        CollectionAssert.AreEqual(new[] { "App.dll", "libnative.so", "wwwroot/index.html" }, names);
    }

    [TestMethod]
    public void LargeStoredContentFilesArePageAlignedAndSmallOnesAreNot()
    {
        // The host's view of a packed file maps it straight from the executable only where it starts on a page.
        byte[] large = new byte[FormatConstants.MappedContentMinimumSize];
        byte[] justBelow = new byte[FormatConstants.MappedContentMinimumSize - 1];
        var manifest = SampleManifests.Small(
        [
            new PackedResource("data/a-odd.txt", ResourceKind.Content, [1, 2, 3]),
            new PackedResource("data/b-large.bin", ResourceKind.Content, large),
            new PackedResource("data/c-odd.txt", ResourceKind.Content, [4]),
            new PackedResource("data/d-below.bin", ResourceKind.Content, justBelow),
        ]);
        byte[] payload = PackedResourcesWriter.WritePayload(manifest);
        var offsets = new Dictionary<string, ulong>();
        for (int i = 0; i < manifest.Resources.Count; i++)
        {
            long entry = FormatConstants.HeaderSize + i * FormatConstants.EntrySize;
            offsets[StringAt(payload, entry + FormatConstants.EntryOffsetName)] = U64(payload, entry + FormatConstants.EntryOffsetDataOffset);
        }
        Assert.AreEqual(0ul, offsets["data/b-large.bin"] % FormatConstants.PayloadAlignment, "64 KiB of content starts on a page");
        Assert.AreNotEqual(0ul, offsets["data/d-below.bin"] % FormatConstants.PayloadAlignment, "one byte less is only 16-byte aligned");
        Assert.AreEqual(0ul, offsets["data/d-below.bin"] % FormatConstants.DataAlignment);
    }

    [TestMethod]
    public void ExecutableIsHostThenPageAlignedPayloadThenTrailer()
    {
        byte[] executable = SampleManifests.Executable(SampleManifests.Small());
        byte[] payload = PackedResourcesWriter.WritePayload(SampleManifests.Small());
        CollectionAssert.AreEqual(SampleManifests.FakeHost, executable[..SampleManifests.FakeHost.Length]);
        byte[] trailer = executable[^FormatConstants.TrailerSize..];
        Assert.AreEqual("OXSDKEND", Encoding.ASCII.GetString(trailer, 0, 8));
        Assert.AreEqual(4096ul, U64(trailer, FormatConstants.TrailerOffsetPayloadOffset));
        // The payload, then zeros to a multiple of 8 (counted in payload_size), so the file ends 8-aligned and an
        // Authenticode signature adds no padding before its certificate table (docs/format.md).
        int padded = (payload.Length + 7) / 8 * 8;
        Assert.AreEqual((ulong)padded, U64(trailer, FormatConstants.TrailerOffsetPayloadSize));
        Assert.AreEqual(1u, U32(trailer, FormatConstants.TrailerOffsetFormatVersion));
        CollectionAssert.AreEqual(payload, executable[4096..(4096 + payload.Length)]);
        Assert.IsTrue(executable[(4096 + payload.Length)..^FormatConstants.TrailerSize].All(b => b == 0), "the padding is not zeros");
        Assert.AreEqual(4096 + padded + FormatConstants.TrailerSize, executable.Length);
        Assert.AreEqual(0, executable.Length % 8);
    }

    [TestMethod]
    public void PayloadMatchesTheReviewedGoldenBytes()
    {
        byte[] payload = PackedResourcesWriter.WritePayload(SampleManifests.Small());
        string actual = Convert.ToHexString(payload);
        if (Environment.GetEnvironmentVariable("OXIDIZE_UPDATE_GOLDEN") == "1")
        {
            // 32 bytes a line, so a format change shows as a readable diff.
            var lines = Enumerable.Range(0, (actual.Length + 63) / 64).Select(i => actual.Substring(i * 64, Math.Min(64, actual.Length - i * 64)));
            File.WriteAllLines(Path.Combine(RepoPaths.Root, "tests", "Oxidize.Packing.Tests", "Golden", "small-payload.hex"), lines);
        }
        string golden = string.Concat(File.ReadAllLines(GoldenPath).Select(line => line.Trim()));
        Assert.AreEqual(golden, actual,
            "the format changed: if on purpose, bump the format version, update docs/format.md and regenerate with OXIDIZE_UPDATE_GOLDEN=1");
    }
}
