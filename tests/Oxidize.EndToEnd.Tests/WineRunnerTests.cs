using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The Wine helper the win-x64 tests rely on (tests/Shared/WineRunner.cs), checked with Wine's own cmd.exe from the
/// prefix: a hang fails as a Wine failure, never passes; a process the program leaves running does not hold the run open; stdin, exit code and the variables given reach the program,
/// and the test runner's own environment does not.
/// </summary>
[TestClass]
public sealed class WineRunnerTests
{
    private static string Cmd
    {
        get
        {
            WineRunner.PrepareEnvironment(); // creates the prefix, and with it cmd.exe, on first use
            return Path.Combine(WineRunner.PrefixDirectory, "drive_c", "windows", "system32", "cmd.exe");
        }
    }

    [TestMethod]
    public void AHangFailsAsAWineFailure()
    {
        string cmd = Cmd;

        var failure = Assert.ThrowsExactly<AssertFailedException>(
            () => WineRunner.Run(cmd, ["/c", "ping -n 20 127.0.0.1"], timeout: TimeSpan.FromSeconds(3)));

        Assert.Contains("Wine timed out (a Wine failure, not a pass)", failure.Message);
    }

    [TestMethod]
    public void AProcessThatOutlivesTheProgramDoesNotHoldTheRunOpen()
    {
        string cmd = Cmd;

        // ping inherits cmd's stdout and runs about 20 s after cmd has exited, as the services a fresh prefix starts
        // do: a runner that waited for end of file on a pipe would wait for it (and fail after its 30 s drain).
        WineRun run = WineRunner.Run(cmd, ["/c", "start /b ping -n 20 127.0.0.1 & echo parent done & exit 3"]);

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        Assert.Contains("parent done", run.StandardOutput, run.ToString());
        Assert.IsLessThan(15.0, run.Elapsed.TotalSeconds, $"the run waited for the process it left behind:{run}");
    }

    [TestMethod]
    public void StdinExitCodeAndGivenVariablesReachTheProgramButNotTheRunnersEnvironment()
    {
        string cmd = Cmd;
        Environment.SetEnvironmentVariable("OXIDIZE_RUNNER_ONLY", "leaked");
        try
        {
            WineRun run = WineRunner.Run(cmd, ["/c", "set /p line= & echo got %line% [%OXIDIZE_GIVEN%] [%OXIDIZE_RUNNER_ONLY%] & exit 5"],
                standardInput: "hello\n", environment: new Dictionary<string, string> { ["OXIDIZE_GIVEN"] = "given" });

            Assert.AreEqual(5, run.ExitCode, run.ToString());
            // cmd leaves an undefined %NAME% as it is.
            Assert.Contains("got hello [given] [%OXIDIZE_RUNNER_ONLY%]", run.StandardOutput, run.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("OXIDIZE_RUNNER_ONLY", null);
        }
    }
}
