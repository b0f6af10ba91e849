using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// A multi-targeted project (&lt;TargetFrameworks&gt;net8.0;net10.0&lt;/TargetFrameworks&gt;, the Hello sample retargeted)
/// publishes with -f net10.0 as the README's plain command does for one framework: no -r, no --self-contained.
/// Restore walks net8.0 too, which must restore as without Oxidize; publishing net8.0 stops with OXSDK1004.
/// </summary>
[TestClass]
public sealed class MultiTargetedPublishTests
{
    [TestMethod]
    public void TheNet10FrameworkPublishesAndRuns()
    {
        SampleProject sample = MultiTargeted(nameof(TheNet10FrameworkPublishesAndRuns));

        ProcessResult publish = sample.PublishWithoutRuntime("-f", "net10.0");

        Assert.AreEqual(0, publish.ExitCode, $"Publishing -f net10.0 failed:{publish}");
        CollectionAssert.AreEqual(new[] { "Hello" }, Directory.GetFileSystemEntries(sample.PublishDirectory).Select(Path.GetFileName).ToArray());
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, []);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("Hello from an oxidized app!", run.StandardOutput);
        Assert.Contains("linux-x64", run.StandardOutput, "the runtime identifier PublishDefaults chose for the net10.0 framework");
        // Rounded sizes, whatever logger formats the message.
        StringAssert.Matches(publish.Output, new System.Text.RegularExpressions.Regex(@"[\d,]+\.\d MB of files into [\d,]+\.\d MB: "));
    }

    [TestMethod]
    public void TheNet8FrameworkFailsWithOXSDK1004()
    {
        SampleProject sample = MultiTargeted(nameof(TheNet8FrameworkFailsWithOXSDK1004));

        ProcessResult publish = sample.PublishWithoutRuntime("-f", "net8.0");

        Assert.AreNotEqual(0, publish.ExitCode, $"Publishing -f net8.0 succeeded:{publish}");
        Assert.Contains("error OXSDK1004: Oxidize=true requires a target framework of net10.0 or later, but the project targets 'net8.0'.", publish.Output, publish.ToString());
        Assert.DoesNotContain("OXSDK1003", publish.Output, "the framework is the cause; a missing runtime identifier only its symptom");
        Assert.DoesNotContain("OXSDK1005", publish.Output, publish.ToString());
        Assert.IsFalse(Directory.Exists(sample.PublishDirectory), $"A failed publish left {sample.PublishDirectory} behind:{publish}");
    }

    private static SampleProject MultiTargeted(string testName)
    {
        SampleProject sample = SampleProject.Create("Hello", testName);
        sample.EditProjectFile("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>");
        return sample;
    }
}
