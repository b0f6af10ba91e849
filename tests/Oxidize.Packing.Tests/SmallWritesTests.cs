namespace Oxidize.Packing.Tests;

/// <summary>
/// The executable reaches the file in writes of at most 16 KiB (SmallWritesStream): on Linux with large page-cache
/// folios a write's size becomes the folio size, and a run maps a whole folio around each page it touches
/// (docs/performance.md, "Peak RSS and how the executable is written").
/// </summary>
[TestClass]
public sealed class SmallWritesTests
{
    /// <summary>A memory stream that remembers the largest single write it was given.</summary>
    private sealed class WriteRecorder : MemoryStream
    {
        public int LargestWrite { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            LargestWrite = Math.Max(LargestWrite, count);
            base.Write(buffer, offset, count);
        }
    }

    [TestMethod]
    public void AnExecutableWithLargeEntriesIsWrittenInPiecesOfAtMost16KiBWithTheSameBytes()
    {
        var large = new byte[3 * 1024 * 1024 + 5];
        new Random(15).NextBytes(large);
        var manifest = SampleManifests.Small([
            new PackedResource("Large.dll", ResourceKind.ManagedAssembly, large),
            new PackedResource("data/large.bin", ResourceKind.Content, large),
        ]);
        using var recorder = new WriteRecorder();
        PackedResourcesWriter.WriteExecutable(recorder, SampleManifests.FakeHost, manifest);

        Assert.IsTrue(recorder.LargestWrite > 0);
        Assert.IsTrue(recorder.LargestWrite <= SmallWritesStream.MaximumWrite, $"a write of {recorder.LargestWrite} bytes");
        CollectionAssert.AreEqual(SampleManifests.Executable(manifest), recorder.ToArray(), "the same bytes as one write each");
        using var reader = PackedResourcesReader.Open(NativeTool.WriteExecutable(recorder.ToArray(), "small-writes"));
        Assert.IsTrue(reader.TryFind("Large.dll", out PackedEntry assembly));
        CollectionAssert.AreEqual(large, reader.ReadEntry(assembly));
    }
}
