using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>The published executable runs on its own, wherever it is started from.</summary>
[TestClass]
public sealed class OxidizedAppRunTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [TestMethod]
    public void RunsFromAnotherDirectoryWithEmptyEnvironmentAndReadOnlyCwd()
    {
        string executable = PublishedHello.ExecutablePath;
        // Not the publish folder: the app must not need files next to it or a writable current directory.
        string readOnlyCwd = Path.Combine(RepoPaths.EndToEndFolder, nameof(RunsFromAnotherDirectoryWithEmptyEnvironmentAndReadOnlyCwd), "cwd");

        ProcessResult run = ReadOnlyDirectory.Run(
            readOnlyCwd, executable, ["one", "two words", "--exit-code", "7"], "hello stdin\n", RunTimeout);

        Assert.AreEqual(7, run.ExitCode, $"The exit code of the app is not the one it was asked for:{run}");
        foreach (string expected in new[]
                 {
                     "Hello from an oxidized app!",
                     "args: [one|two words|--exit-code|7]",
                     "stdin: hello stdin",
                     "linux-x64",
                 })
        {
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}' in stdout:{run}");
        }
    }

    [TestMethod]
    public void StackTraceHasLineNumbers()
    {
        string executable = PublishedHello.ExecutablePath;

        ProcessResult run = ProcessRunner.Run(executable, ["--throw"], workingDirectory: "/", timeout: RunTimeout);

        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
        // File names and line numbers come from the PDB embedded in the assembly (DebugType=embedded by default).
        Assert.Contains("Program.cs", run.StandardOutput, $"The stack trace has no source file:{run}");
        Assert.Contains(":line ", run.StandardOutput, $"The stack trace has no line numbers:{run}");
    }
}
