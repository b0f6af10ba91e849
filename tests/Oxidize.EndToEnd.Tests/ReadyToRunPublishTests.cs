using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>`-p:PublishReadyToRun=true` together with Oxidize: crossgen2's output is what gets packed, and the app runs.</summary>
[TestClass]
public sealed class ReadyToRunPublishTests
{
    [TestMethod]
    public void ReadyToRunHelloRunsAndPacksTheCompiledAssembly()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ReadyToRunHelloRunsAndPacksTheCompiledAssembly));

        ProcessResult publish = sample.Publish("-p:PublishReadyToRun=true");

        Assert.AreEqual(0, publish.ExitCode, $"The ReadyToRun publish failed:{publish}");
        HelloRun.AssertRuns(sample.ExecutablePath);

        // Sanity that the R2R code was packed: the packed Hello.dll is crossgen2's output (obj/.../R2R/Hello.dll),
        // larger than the IL-only one. (The executables' sizes may well be equal: assemblies are page-aligned and
        // Hello.dll is a few KB either way.)
        string readyToRunAssembly = Path.Combine(sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", "R2R", "Hello.dll");
        Assert.IsTrue(File.Exists(readyToRunAssembly), $"crossgen2 did not produce {readyToRunAssembly}:{publish}");
        PackedEntry packed = PackedExecutable.Entries(sample.ExecutablePath)["Hello.dll"];
        PackedEntry il = PackedExecutable.Entries(PublishedHello.ExecutablePath)["Hello.dll"];
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(readyToRunAssembly))), packed.Sha256,
            "The packed Hello.dll is not crossgen2's output.");
        Assert.IsGreaterThan(il.OriginalSize, packed.OriginalSize,
            $"The ReadyToRun Hello.dll ({packed.OriginalSize} bytes) is not larger than the IL one ({il.OriginalSize} bytes).");
        Assert.IsGreaterThanOrEqualTo(new FileInfo(PublishedHello.ExecutablePath).Length, new FileInfo(sample.ExecutablePath).Length,
            "The ReadyToRun executable is smaller than the IL one.");
    }
}
