using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// PublishSingleFile=true written in the project (a common leftover of an app published as one file before):
/// Oxidize=true takes over with the message OXSDK1009 instead of failing. On the command line it is still
/// refused (ValidationErrorTests.PublishSingleFileFailsWithOXSDK1001).
/// </summary>
[TestClass]
public sealed class PublishSingleFileTakeOverTests
{
    [TestMethod]
    public void OxidizeTakesOverFromPublishSingleFileInTheProject()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(OxidizeTakesOverFromPublishSingleFileInTheProject));
        sample.EditProjectFile("<OutputType>Exe</OutputType>", "<OutputType>Exe</OutputType>\n    <PublishSingleFile>true</PublishSingleFile>");

        ProcessResult publish = sample.Publish();

        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.Contains("OXSDK1009: Oxidize=true takes over from the project's PublishSingleFile=true", publish.Output, publish.ToString());
        Assert.DoesNotContain("OXSDK1001", publish.Output, publish.ToString());
        Assert.DoesNotContain("warning OXSDK1009", publish.Output, "a message, not a warning");
        CollectionAssert.AreEqual(new[] { "Hello" }, Directory.GetFileSystemEntries(sample.PublishDirectory).Select(Path.GetFileName).ToArray());
        Assert.IsTrue(PackedExecutable.Entries(sample.ExecutablePath).ContainsKey("Hello.dll"), "the executable is Oxidize's, not the SDK's single-file bundle");
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, []);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("Hello from an oxidized app!", run.StandardOutput);
    }
}
