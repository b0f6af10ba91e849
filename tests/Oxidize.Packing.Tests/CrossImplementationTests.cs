using System.Security.Cryptography;
using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>What the C# writer writes, the host's own C reader (via oxidize-inspect) reads back the same.</summary>
[TestClass]
public sealed class CrossImplementationTests
{
    [TestMethod]
    public void CReaderListsEveryEntryWithItsKindSizeAndDigest()
    {
        var manifest = SampleManifests.Small();
        string path = NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "app");
        var result = NativeTool.Run(RepoPaths.Inspect, "--verify", path);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);

        var entries = result.Stdout.Split('\n').Where(line => line.StartsWith("entry\t", StringComparison.Ordinal))
            .Select(line => line.Split('\t')).ToDictionary(fields => fields[1]);
        Assert.AreEqual(manifest.Resources.Count, entries.Count);
        foreach (var resource in manifest.Resources)
        {
            var fields = entries[resource.Name];
            Assert.AreEqual(((int)resource.Kind).ToString(), fields[2], resource.Name);
            Assert.AreEqual(resource.Content.Length.ToString(), fields[6], resource.Name);
            Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(resource.Content)), fields[7], resource.Name);
            Assert.AreEqual("ok", fields[^1], $"{resource.Name}: the C side's SHA-256 of the stored bytes");
        }
        StringAssert.Contains(result.Stdout, "runtime\t10.0.12\n");
        StringAssert.Contains(result.Stdout, "entry-assembly\tApp.dll\n");
        StringAssert.Contains(result.Stdout, "property\tSystem.Globalization.Invariant\ttrue\n");
    }

    [TestMethod]
    public void CReaderSeesDependenciesAndNonAsciiNames()
    {
        var extra = new[]
        {
            new PackedResource("libb.so", ResourceKind.NativeLibrary, [0x7F, 0x45, 0x4C, 0x46]),
            new PackedResource("liba.so", ResourceKind.NativeLibrary, [0x7F, 0x45, 0x4C, 0x46, 1], ["libb.so", "libnative.so"]),
            new PackedResource("données/été.txt", ResourceKind.Content, Encoding.UTF8.GetBytes("ok")),
        };
        string path = NativeTool.WriteExecutable(SampleManifests.Executable(SampleManifests.Small(extra)), "app");
        var result = NativeTool.Run(RepoPaths.Inspect, "--verify", path);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "\tlibb.so,libnative.so\tok\n");
        StringAssert.Contains(result.Stdout, "entry\tdonnées/été.txt\t3\t");
    }

    [TestMethod]
    public void CReaderDetectsAChangedDataByte()
    {
        byte[] executable = SampleManifests.Executable(SampleManifests.Small());
        int index = executable.AsSpan().IndexOf("<p>h"u8);
        Assert.IsGreaterThan(0, index);
        executable[index] ^= 0x20;
        var result = NativeTool.Run(RepoPaths.Inspect, "--verify", NativeTool.WriteExecutable(executable, "app"));
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stdout, "MISMATCH");
    }

    [TestMethod]
    public void ExtractWritesEveryEntryStoredOrDecodedAndNeverOverwrites()
    {
        var compressible = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me, compress me; ", 400)));
        var manifest = SampleManifests.Small([
            new PackedResource("données/été.txt", ResourceKind.Content, compressible),
            new PackedResource("a/b/c/deep.json", ResourceKind.Content, Encoding.UTF8.GetBytes("{}")),
        ]);
        manifest = new PayloadManifest
        {
            RuntimeVersion = manifest.RuntimeVersion, RuntimeIdentifier = manifest.RuntimeIdentifier, EntryAssemblyName = manifest.EntryAssemblyName,
            Properties = manifest.Properties, Resources = manifest.Resources, Compression = Compression.Lz4,
        };
        string path = NativeTool.WriteExecutable(SampleManifests.Executable(manifest), "app");
        string target = Path.Combine(Path.GetDirectoryName(path)!, "extracted");
        Assert.Contains("\t1\t", NativeTool.Run(RepoPaths.Inspect, path).Stdout.Split('\n').Single(line => line.StartsWith("entry\tdonnées/été.txt", StringComparison.Ordinal)),
            "the large text entry is LZ4-compressed, so extracting decodes it");

        var result = NativeTool.Run(RepoPaths.Inspect, "--extract", target, path);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var resource in manifest.Resources)
            CollectionAssert.AreEqual(resource.Content, File.ReadAllBytes(Path.Combine(target, resource.Name)), resource.Name);
        Assert.HasCount(manifest.Resources.Count, Directory.GetFiles(target, "*", SearchOption.AllDirectories));

        File.WriteAllText(Path.Combine(target, "App.dll"), "mine");
        var again = NativeTool.Run(RepoPaths.Inspect, "--extract", target, path);
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.Stderr, "must not exist yet");
        Assert.AreEqual("mine", File.ReadAllText(Path.Combine(target, "App.dll")), "an existing folder is never written into");
    }
}
