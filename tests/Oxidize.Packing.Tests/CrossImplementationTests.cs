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
}
