using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Oxidize.Packing.Lz4;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>The writer streams file-backed entries to the output instead of building the payload in memory.</summary>
[TestClass]
public sealed class WriterStreamingTests
{
    [TestMethod]
    [DataRow(Compression.None)]
    [DataRow(Compression.Lz4)]
    [DataRow(Compression.Lz4HighCompression)]
    public void FilesGiveTheSameExecutableAsTheirBytesInMemory(Compression compression)
    {
        var random = new Random(14);
        var noise = new byte[3 << 20];
        random.NextBytes(noise);
        var contents = new Dictionary<string, byte[]>
        {
            ["App.dll"] = File.ReadAllBytes(typeof(PackedResourcesWriter).Assembly.Location),
            ["Plugin.dll"] = File.ReadAllBytes(typeof(Assert).Assembly.Location),
            // Over the copy chunk (1 MB) and not compressible: stored, copied in several chunks.
            ["data/noise.bin"] = noise,
            ["data/repetitive.txt"] = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("streamed in chunks ", 200_000))),
            ["empty.txt"] = [],
            ["libnative.so"] = [0x7F, (byte)'E', (byte)'L', (byte)'F', .. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("native ", 5000)))],
        };
        string folder = TestScratch.NewDirectory("writer-streaming");
        var fromFiles = new List<PackedResource>();
        foreach (var (name, bytes) in contents)
        {
            string path = Path.Combine(folder, name.Replace('/', '_'));
            File.WriteAllBytes(path, bytes);
            fromFiles.Add(new PackedResource(name, ResourceClassifier.Classify(ResourceContent.FromFile(path)), ResourceContent.FromFile(path)));
        }
        var inMemory = contents.Select(pair => new PackedResource(pair.Key, ResourceClassifier.Classify(pair.Value), pair.Value)).ToList();
        CollectionAssert.AreEqual(new[] { ResourceKind.ManagedAssembly, ResourceKind.ManagedAssembly },
            fromFiles.Where(resource => resource.Name.EndsWith(".dll")).Select(resource => resource.Kind).ToArray());

        byte[] expected = SampleManifests.Executable(Manifest(inMemory, compression));
        using (var output = new FileStream(Path.Combine(folder, "app"), FileMode.Create, FileAccess.ReadWrite))
            PackedResourcesWriter.WriteExecutable(output, SampleManifests.FakeHost, Manifest(fromFiles, compression));
        CollectionAssert.AreEqual(expected, File.ReadAllBytes(Path.Combine(folder, "app")));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void AnEntryTooLargeForOneLz4BlockIsStoredWithoutBeingReadWhole()
    {
        long length = Lz4Codec.MaxInputLength + 1L;
        var big = new PackedResource("big.bin", ResourceKind.Content, new PatternContent(length));
        var output = new HeadKeepingStream(64 << 10);
        long payloadSize = PackedResourcesWriter.WritePayload(output, Manifest([.. SampleManifests.Small().Resources, big], Compression.Lz4));

        byte[] index = output.Head;
        int entry = FormatConstants.HeaderSize + 1 * FormatConstants.EntrySize; // App.dll < big.bin < libnative.so
        Assert.AreEqual(FormatConstants.CodecStored, BinaryPrimitives.ReadUInt16LittleEndian(index.AsSpan(entry + FormatConstants.EntryOffsetCodec)));
        Assert.AreEqual((ulong)length, BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(entry + FormatConstants.EntryOffsetStoredSize)));
        Assert.AreEqual((ulong)length, BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(entry + FormatConstants.EntryOffsetOriginalSize)));
        using (Stream content = big.Source.OpenRead())
            CollectionAssert.AreEqual(SHA256.HashData(content), index.AsSpan(entry + FormatConstants.EntryOffsetSha256, 32).ToArray());
        Assert.IsTrue(payloadSize > length, $"payload {payloadSize} bytes");
        Assert.AreEqual(payloadSize, output.Length);
    }

    [TestMethod]
    public void ANativeLibraryTooLargeToParseFailsWithOXSDK2008()
    {
        // Sparse: 2 GiB and more of zeros after the ELF magic take no disk space.
        string folder = TestScratch.NewDirectory("writer-oversized-library");
        string path = Path.Combine(folder, "libhuge.so");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write([0x7F, (byte)'E', (byte)'L', (byte)'F']);
            file.SetLength(Array.MaxLength + 1L);
        }
        var content = ResourceContent.FromFile(path);
        Assert.AreEqual(ResourceKind.NativeLibrary, ResourceClassifier.Classify(content), "classified from its first bytes");

        var error = Assert.ThrowsExactly<PackingException>(() => NativeDependencies.Resolve([new PackedResource("libhuge.so", ResourceKind.NativeLibrary, content)]));
        Assert.AreEqual(PackingErrorCodes.EntryTooLarge, error.Code, error.Message);
        Directory.Delete(folder, recursive: true);
    }

    private static PayloadManifest Manifest(IReadOnlyList<PackedResource> resources, Compression compression) => new()
    {
        RuntimeVersion = "10.0.12",
        RuntimeIdentifier = "linux-x64",
        EntryAssemblyName = "App.dll",
        Resources = resources,
        Compression = compression,
    };

    /// <summary>Bytes made up as they are read (a 1 MB random block, repeated), which refuse to be read whole.</summary>
    private sealed class PatternContent(long length) : ResourceContent
    {
        private static readonly byte[] Block = RandomBlock();

        public override long Length => length;

        public override Stream OpenRead() => new PatternStream(length);

        public override byte[] ReadAllBytes() => throw new AssertFailedException("The writer read an entry too large for LZ4 whole.");

        private static byte[] RandomBlock()
        {
            var block = new byte[1 << 20];
            new Random(3).NextBytes(block);
            return block;
        }

        private sealed class PatternStream(long length) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => length;
            public override long Position { get; set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int total = (int)Math.Min(count, length - Position);
                for (int done = 0; done < total;)
                {
                    int inBlock = (int)(Position % Block.Length);
                    int chunk = Math.Min(total - done, Block.Length - inBlock);
                    Block.AsSpan(inBlock, chunk).CopyTo(buffer.AsSpan(offset + done));
                    done += chunk;
                    Position += chunk;
                }
                return total;
            }

            public override void Flush() => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }

    /// <summary>A seekable output that keeps its first bytes (the payload's index) and only counts the rest.</summary>
    private sealed class HeadKeepingStream(int headSize) : Stream
    {
        public byte[] Head { get; } = new byte[headSize];

        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get; set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Position < Head.Length)
                buffer[..(int)Math.Min(buffer.Length, Head.Length - Position)].CopyTo(Head.AsSpan((int)Position));
            Position += buffer.Length;
            _length = Math.Max(_length, Position);
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => _length + offset,
        };

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
