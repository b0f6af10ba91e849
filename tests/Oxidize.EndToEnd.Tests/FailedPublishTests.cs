using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// A publish the audit refuses leaves the publish folder as it was: absent if it was absent (the SDK creates it
/// before the audit runs), and with the previous executable untouched if there was one. The refusal here is a
/// declared glibc floor (2.17) below what the runtime itself needs (2.27), which also shows a library loaded at
/// startup being reported as such.
/// </summary>
[TestClass]
public sealed class FailedPublishTests
{
    private const string FloorBelowTheRuntime = "-p:OxidizeMaxGlibcVersion=2.17";

    [TestMethod]
    public void AFailedFirstPublishLeavesNoPublishFolder()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(AFailedFirstPublishLeavesNoPublishFolder));

        ProcessResult publish = sample.Publish(FloorBelowTheRuntime);

        Assert.AreNotEqual(0, publish.ExitCode, $"The publish succeeded:{publish}");
        string coreclr = AuditOutput.Single(publish, "error", "OXSDK3001", "'libcoreclr.so'", "GLIBC_2.");
        StringAssert.Contains(coreclr, "the executable fails to start", "libcoreclr.so loads at startup, not when first used");
        Assert.IsFalse(Directory.Exists(sample.PublishDirectory), $"The failed publish left {sample.PublishDirectory} behind:{publish}");
    }

    [TestMethod]
    public void AFailedRepublishLeavesThePreviousExecutableInPlace()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(AFailedRepublishLeavesThePreviousExecutableInPlace));
        ProcessResult first = sample.Publish();
        Assert.AreEqual(0, first.ExitCode, $"The first publish failed:{first}");
        var before = Snapshot(sample.PublishDirectory);

        ProcessResult publish = sample.Publish(FloorBelowTheRuntime);

        Assert.AreNotEqual(0, publish.ExitCode, $"The publish succeeded:{publish}");
        AuditOutput.Single(publish, "error", "OXSDK3001", "'libcoreclr.so'");
        CollectionAssert.AreEqual(before, Snapshot(sample.PublishDirectory), "the publish folder changed");
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, []);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
    }

    /// <summary>Every file of the folder with its size and last write time, in name order.</summary>
    private static string[] Snapshot(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(path => $"{Path.GetRelativePath(directory, path)} {(File.Exists(path) ? new FileInfo(path).Length : -1)} {File.GetLastWriteTimeUtc(path):O}")];
}
