using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>`-p:InvariantGlobalization=true` together with Oxidize: the app runs, and the runtimeconfig setting
/// reaches the runtime (ICU is never loaded).</summary>
[TestClass]
public sealed class InvariantGlobalizationTests
{
    [TestMethod]
    public void InvariantHelloRunsWithoutLoadingIcu()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(InvariantHelloRunsWithoutLoadingIcu));

        ProcessResult publish = sample.Publish("-p:InvariantGlobalization=true");

        Assert.AreEqual(0, publish.ExitCode, $"The invariant-globalization publish failed:{publish}");
        HelloRun.AssertRuns(sample.ExecutablePath);

        string traceFile = Path.Combine(sample.ScratchDirectory, "strace.log");
        ProcessResult traced = ProcessRunner.Run(
            "strace", ["-f", "-qq", "-e", "trace=openat,open", "-o", traceFile, sample.ExecutablePath],
            workingDirectory: "/", standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath },
            timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, traced.ExitCode, $"The app failed under strace:{traced}");
        string[] icu = [.. File.ReadLines(traceFile).Where(line => line.Contains("libicu", StringComparison.Ordinal))];
        Assert.IsEmpty(icu, $"InvariantGlobalization=true but the app looked for ICU:{Environment.NewLine}{string.Join(Environment.NewLine, icu)}");
    }
}
