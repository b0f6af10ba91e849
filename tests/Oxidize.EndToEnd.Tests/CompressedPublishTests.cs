using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// OxidizeCompression=lz4 end to end: compressed assemblies load through the TPA and the host's open(),
/// compressed native libraries through memfds, compressed content through the file interposer.
/// </summary>
[TestClass]
public sealed class CompressedPublishTests
{
    [TestMethod]
    public void Lz4ExecutableIsSmallerAndRunsWithAssembliesAtTheirUsualPaths()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(CompressedPublishTests));
        ProcessResult publish = sample.Publish("-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsLessThan(new FileInfo(PublishedHello.ExecutablePath).Length * 0.8, (double)new FileInfo(sample.ExecutablePath).Length,
            "lz4 must make the executable clearly smaller than the stored one");

        ProcessResult run = ReadOnlyDirectory.Run(Path.Combine(sample.ScratchDirectory, "cwd"), sample.ExecutablePath,
            ["compressed", "--exit-code", "3"], "lz4 stdin\n", TimeSpan.FromMinutes(1));
        Assert.AreEqual(3, run.ExitCode, run.ToString());
        Assert.Contains("args: [compressed|--exit-code|3]", run.StandardOutput, run.ToString());
        Assert.Contains("stdin: lz4 stdin", run.StandardOutput, run.ToString());
        // A compressed assembly is opened like a file at its usual path, decoded into memory by the host.
        Assert.Contains($"assembly location: '{Path.Combine(Path.GetDirectoryName(sample.ExecutablePath)!, "Hello.dll")}'", run.StandardOutput, run.ToString());
    }
}
