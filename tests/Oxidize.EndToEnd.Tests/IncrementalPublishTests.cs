using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>Publishing again without changes must not rewrite the 80 MB executable.</summary>
[TestClass]
public sealed class IncrementalPublishTests
{
    [TestMethod]
    public void SecondPublishIsNoOp()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(SecondPublishIsNoOp));
        ProcessResult first = sample.Publish();
        Assert.AreEqual(0, first.ExitCode, $"The first publish failed:{first}");
        DateTime firstWrite = File.GetLastWriteTimeUtc(sample.ExecutablePath);

        // Normal verbosity, so the log says why _OxidizeCreateExecutable did (not) run.
        ProcessResult second = sample.Publish("-v:n");

        Assert.AreEqual(0, second.ExitCode, $"The second publish failed:{second}");
        Assert.AreEqual(firstWrite, File.GetLastWriteTimeUtc(sample.ExecutablePath),
            $"The second publish rewrote the executable:{second}");
        Assert.Contains("Skipping target \"_OxidizeCreateExecutable\" because all output files are up-to-date", second.Output,
            $"The second publish did not skip _OxidizeCreateExecutable as up to date:{second}");
        Assert.DoesNotContain("Oxidize: packed", second.Output, $"The second publish packed again:{second}");
    }
}
