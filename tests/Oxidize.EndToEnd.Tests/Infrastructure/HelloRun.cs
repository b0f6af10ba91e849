namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a published Hello sample (any variant) from another directory with only PATH and checks its output.</summary>
public static class HelloRun
{
    public static ProcessResult AssertRuns(string executable)
    {
        Assert.IsTrue(File.Exists(executable), $"{executable} does not exist.");
        ProcessResult run = ProcessRunner.Run(
            executable, ["one", "two words"], workingDirectory: "/", standardInput: "hello stdin\n",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath },
            timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
        foreach (string expected in new[] { "Hello from an oxidized app!", "args: [one|two words]", "stdin: hello stdin", "linux-x64" })
        {
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}' in stdout:{run}");
        }
        return run;
    }
}
