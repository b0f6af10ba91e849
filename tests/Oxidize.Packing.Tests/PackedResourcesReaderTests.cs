namespace Oxidize.Packing.Tests;

/// <summary>The C# reader (used by Oxidize.Resources) reads what the writer writes, and only that.</summary>
[TestClass]
public sealed class PackedResourcesReaderTests
{
    private static string WriteSmall(PayloadManifest? manifest = null, byte[]? bytes = null) =>
        NativeTool.WriteExecutable(bytes ?? SampleManifests.Executable(manifest ?? SampleManifests.Small()), "app");

    [TestMethod]
    public void ReadsBackEveryEntryPropertyAndHeaderField()
    {
        var manifest = SampleManifests.Small();
        using var reader = PackedResourcesReader.Open(WriteSmall(manifest));
        Assert.AreEqual("10.0.12", reader.RuntimeVersion);
        Assert.AreEqual("linux-x64", reader.RuntimeIdentifier);
        Assert.AreEqual("App.dll", reader.EntryAssemblyName);
        CollectionAssert.AreEqual(manifest.Properties.ToArray(), reader.Properties.ToArray());
        Assert.HasCount(manifest.Resources.Count, reader.Entries);
        foreach (var resource in manifest.Resources)
        {
            Assert.IsTrue(reader.TryFind(resource.Name, out var entry), resource.Name);
            Assert.AreEqual(resource.Kind, entry.Kind);
            CollectionAssert.AreEqual(resource.Content, reader.ReadEntry(entry), resource.Name);
            CollectionAssert.AreEqual(System.Security.Cryptography.SHA256.HashData(resource.Content), entry.Sha256);
        }
        Assert.IsFalse(reader.TryFind("missing.txt", out _));
    }

    [TestMethod]
    public void RefusesAFileWithoutPayload()
    {
        Assert.ThrowsExactly<InvalidDataException>(() => PackedResourcesReader.Open(WriteSmall(bytes: SampleManifests.FakeHost)));
    }

    [TestMethod]
    public void EveryTruncationOrBitFlipInTheIndexIsInvalidDataOrStillConsistent()
    {
        byte[] original = SampleManifests.Executable(SampleManifests.Small());
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            byte[] damaged = (byte[])original.Clone();
            if (i % 3 == 0)
                damaged = damaged[..random.Next(damaged.Length)];
            else
                damaged[4096 + random.Next(128 + 3 * FormatConstants.EntrySize)] ^= (byte)(1 << random.Next(8));
            try
            {
                using var reader = PackedResourcesReader.Open(WriteSmall(bytes: damaged));
                foreach (var entry in reader.Entries)
                    Assert.IsLessThanOrEqualTo(damaged.Length, entry.FileOffset + entry.StoredSize, "an accepted entry must lie inside the file");
            }
            catch (InvalidDataException)
            {
                // the documented answer for a damaged file
            }
        }
    }
}
