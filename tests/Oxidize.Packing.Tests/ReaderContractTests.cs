using System.Buffers.Binary;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>
/// One reader contract (issue 14): the C# PackedResourcesReader and the host's C reader (payload.c, run through the
/// built oxidize-inspect) give every file the same verdict: accepted, or rejected for the same documented reason
/// (host exit codes 181 missing, 182 corrupt, 183 unsupported format). The files: the fuzz regression corpus
/// (src/Oxidize.Host/fuzz/corpus/payload), and bit flips of the "everything" seed: every bit of its header and trailer,
/// one bit of every other byte before the entry data (tables and strings).
/// </summary>
[TestClass]
public sealed class ReaderContractTests
{
    private const string Accepted = "accepted";

    private static string CorpusFolder => Path.Combine(RepoPaths.Root, "src", "Oxidize.Host", "fuzz", "corpus", "payload");

    [TestMethod]
    public void VerdictsAreTheHostExitCodesOfHostStatusH()
    {
        Assert.AreEqual((int)PayloadVerdict.Missing, HostExitCodes.PayloadMissing);
        Assert.AreEqual((int)PayloadVerdict.Corrupt, HostExitCodes.PayloadCorrupt);
        Assert.AreEqual((int)PayloadVerdict.UnsupportedFormat, HostExitCodes.FormatUnsupported);
    }

    [TestMethod]
    public void BothReadersGiveTheFuzzCorpusTheSameVerdicts()
    {
        var cases = Directory.GetFiles(CorpusFolder).Order(StringComparer.Ordinal)
            .Select(path => (Name: Path.GetFileName(path), Image: File.ReadAllBytes(path)));
        var verdicts = CompareVerdicts(cases);
        Assert.IsTrue(verdicts.Contains(Accepted) && verdicts.Contains(PayloadVerdict.Corrupt.ToString()),
            $"the corpus reaches only {string.Join(", ", verdicts)}");
    }

    [TestMethod]
    public void BothReadersGiveBitFlipsTheSameVerdicts()
    {
        byte[] seed = File.ReadAllBytes(Path.Combine(CorpusFolder, "seed-everything-compact"));
        // The compact seed's payload starts at 0; its index ends where the first entry's data begins.
        int entryData = (int)Enumerable.Range(0, (int)BinaryPrimitives.ReadUInt32LittleEndian(seed.AsSpan(FormatConstants.HeaderOffsetEntryCount)))
            .Min(i => BinaryPrimitives.ReadUInt64LittleEndian(seed.AsSpan(FormatConstants.HeaderSize + i * FormatConstants.EntrySize + FormatConstants.EntryOffsetDataOffset)));
        int trailer = seed.Length - FormatConstants.TrailerSize;
        var flips = new List<(int Byte, int Bit)>();
        for (int i = 0; i < entryData; i++)
        {
            if (i < FormatConstants.HeaderSize)
                flips.AddRange(Enumerable.Range(0, 8).Select(bit => (i, bit)));
            else
                flips.Add((i, i % 8));
        }
        for (int i = trailer; i < seed.Length; i++)
            flips.AddRange(Enumerable.Range(0, 8).Select(bit => (i, bit)));

        var cases = flips.Select(flip =>
        {
            byte[] image = (byte[])seed.Clone();
            image[flip.Byte] ^= (byte)(1 << flip.Bit);
            return ($"byte {flip.Byte} bit {flip.Bit}", image);
        });
        var verdicts = CompareVerdicts(cases);
        CollectionAssert.IsSubsetOf(new[] { Accepted, "Missing", "Corrupt", "UnsupportedFormat" }, verdicts.ToArray(),
            $"the flips reach only {string.Join(", ", verdicts)}");
    }

    [TestMethod]
    public void BothReadersAcceptTheMappedLibraryFlagOnlyOnAStoredPageAlignedNativeLibrary()
    {
        var manifest = SampleManifests.Small([new PackedResource("libmapped.so", ResourceKind.NativeLibrary, new byte[5000]) { MappedLibrary = true }]);
        byte[] valid = SampleManifests.Executable(manifest);
        ulong payloadOffset = BinaryPrimitives.ReadUInt64LittleEndian(valid.AsSpan(valid.Length - FormatConstants.TrailerSize + FormatConstants.TrailerOffsetPayloadOffset));
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(valid.AsSpan((int)payloadOffset + FormatConstants.HeaderOffsetEntryCount));
        var cases = new List<(string Name, byte[] Image)> { ("as written", valid) };
        for (int i = 0; i < count; i++)
        {
            int record = (int)payloadOffset + FormatConstants.HeaderSize + i * FormatConstants.EntrySize;
            byte[] flagged = (byte[])valid.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(flagged.AsSpan(record + FormatConstants.EntryOffsetFlags), FormatConstants.EntryFlagMappedLibrary);
            cases.Add(($"flag on entry {i}", flagged));
            byte[] otherBit = (byte[])valid.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(otherBit.AsSpan(record + FormatConstants.EntryOffsetFlags), 2);
            cases.Add(($"bit 1 on entry {i}", otherBit));
            byte[] moved = (byte[])flagged.Clone();
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(moved.AsSpan(record + FormatConstants.EntryOffsetDataOffset));
            BinaryPrimitives.WriteUInt64LittleEndian(moved.AsSpan(record + FormatConstants.EntryOffsetDataOffset), offset + 16);
            cases.Add(($"flag on entry {i}, 16 bytes off", moved));
        }
        var verdicts = CompareVerdicts(cases);
        CollectionAssert.AreEquivalent(new[] { Accepted, "Corrupt" }, verdicts.ToArray());
    }

    /// <summary>Runs each case through both readers, fails listing every disagreement, and returns the verdicts seen.</summary>
    private static HashSet<string> CompareVerdicts(IEnumerable<(string Name, byte[] Image)> cases)
    {
        string folder = TestScratch.NewDirectory("reader-contract");
        string path = Path.Combine(folder, "image");
        var seen = new HashSet<string>();
        var disagreements = new List<string>();
        int count = 0;
        foreach (var (name, image) in cases)
        {
            File.WriteAllBytes(path, image);
            string c = HostVerdict(path);
            string csharp = ManagedVerdict(path, out string reason);
            seen.Add(c);
            if (c != csharp)
                disagreements.Add($"{name}: host {c}, C# {csharp} ({reason})");
            count++;
        }
        Directory.Delete(folder, recursive: true);
        Assert.IsTrue(count > 0, "no cases");
        Assert.AreEqual(0, disagreements.Count, $"{disagreements.Count} of {count} files get different verdicts:\n" + string.Join('\n', disagreements.Take(40)));
        return seen;
    }

    private static string HostVerdict(string path)
    {
        var result = NativeTool.Run(RepoPaths.Inspect, path);
        return result.ExitCode switch
        {
            0 => Accepted,
            (int)PayloadVerdict.Missing or (int)PayloadVerdict.Corrupt or (int)PayloadVerdict.UnsupportedFormat => ((PayloadVerdict)result.ExitCode).ToString(),
            _ => throw new AssertFailedException($"oxidize-inspect {path} exited {result.ExitCode}: {result.Stderr}"),
        };
    }

    private static string ManagedVerdict(string path, out string reason)
    {
        try
        {
            using var reader = PackedResourcesReader.Open(path);
            reason = "";
            return Accepted;
        }
        catch (InvalidDataException exception)
        {
            reason = exception.Message;
            return PackedResourcesReader.VerdictOf(exception)?.ToString() ?? throw new AssertFailedException($"no verdict: {exception}");
        }
    }
}
