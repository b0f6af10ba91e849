using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>`-p:PublishTrimmed=true` together with Oxidize: the trimmed assemblies are what gets packed, and the app runs.</summary>
[TestClass]
public sealed class TrimmedPublishTests
{
    [TestMethod]
    public void TrimmedHelloRunsAndIsSmallerThanUntrimmed()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(TrimmedHelloRunsAndIsSmallerThanUntrimmed));

        ProcessResult publish = sample.Publish("-p:PublishTrimmed=true");

        Assert.AreEqual(0, publish.ExitCode, $"The trimmed publish failed:{publish}");
        HelloRun.AssertRuns(sample.ExecutablePath);
        long trimmed = new FileInfo(sample.ExecutablePath).Length;
        long untrimmed = new FileInfo(PublishedHello.ExecutablePath).Length;
        Assert.IsLessThan(untrimmed, trimmed, $"Trimmed executable ({trimmed} bytes) is not smaller than untrimmed ({untrimmed} bytes).");
    }
}
