using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 6: signals and crashes end the app exactly as in a normal .NET app. tests/Samples/Robust `signals MODE` prints "ready"
/// and waits; each case runs the oxidized executable and `dotnet Robust.dll` (framework-dependent) the same way and
/// requires the same exit code and the same handler output. Process.ExitCode reports death by signal n as 128+n.
/// </summary>
[TestClass]
public sealed class SignalTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    private sealed record Outcome(int ExitCode, string Output, string Description);

    private static Outcome RunAndSignal(string fileName, string[] arguments, string signal)
    {
        using BackgroundProcess process = BackgroundProcess.Start(
            fileName, arguments, "/", new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath });
        DateTime deadline = DateTime.UtcNow + ReadyTimeout;
        while (!process.Output.Contains("ready\n", StringComparison.Ordinal))
        {
            Assert.IsFalse(process.HasExited, $"The app ended before it was ready:{process}");
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"The app did not get ready:{process}");
            Thread.Sleep(20);
        }
        process.Signal(signal);
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(30)), $"SIG{signal} did not end the app:{process}");
        return new Outcome(process.ExitCode, process.Output, process.ToString());
    }

    /// <summary>Runs both builds and asserts they agree; returns the oxidized one's outcome.</summary>
    private static Outcome AssertLikeNormalDotnet(string mode, string signal)
    {
        Outcome oxidized = RunAndSignal(PublishedRobust.ExecutablePath, ["signals", mode], signal);
        (string dotnet, string[] assembly) = PublishedRobust.FrameworkDependentCommand;
        Outcome normal = RunAndSignal(dotnet, [.. assembly, "signals", mode], signal);
        Assert.AreEqual(normal.ExitCode, oxidized.ExitCode,
            $"SIG{signal} with '{mode}': the oxidized app's exit code differs from `dotnet Robust.dll`'s:{oxidized.Description}{normal.Description}");
        foreach (string handler in normal.Output.Split('\n').Where(line => line.StartsWith("handler: ", StringComparison.Ordinal)))
        {
            Assert.Contains(handler, oxidized.Output, $"`dotnet Robust.dll` printed '{handler}', the oxidized app did not:{oxidized.Description}{normal.Description}");
        }
        Console.WriteLine($"SIG{signal}, {mode}: exit code {oxidized.ExitCode} (dotnet Robust.dll: {normal.ExitCode})");
        return oxidized;
    }

    [TestMethod]
    public void SigtermReachesPosixSignalRegistration()
    {
        Outcome outcome = AssertLikeNormalDotnet("handle", "TERM");
        Assert.AreEqual(3, outcome.ExitCode, $"the handler cancelled SIGTERM, so the app exits by itself:{outcome.Description}");
        Assert.Contains("handler: SIGTERM", outcome.Output, outcome.Description);
        Assert.Contains("exiting by itself after SIGTERM", outcome.Output, outcome.Description);
        Assert.Contains("handler: ProcessExit", outcome.Output, outcome.Description);
    }

    [TestMethod]
    public void SigintRaisesCancelKeyPressLikeCtrlC()
    {
        Outcome outcome = AssertLikeNormalDotnet("handle", "INT");
        Assert.AreEqual(3, outcome.ExitCode, $"the handler cancelled Ctrl+C, so the app exits by itself:{outcome.Description}");
        Assert.Contains("handler: CancelKeyPress ControlC", outcome.Output, outcome.Description);
    }

    [TestMethod]
    public void SigintNotCancelledEndsTheAppWith130AfterCancelKeyPress()
    {
        Outcome outcome = AssertLikeNormalDotnet("observe", "INT");
        Assert.AreEqual(128 + 2, outcome.ExitCode, outcome.Description);
        Assert.Contains("handler: CancelKeyPress ControlC", outcome.Output, outcome.Description);
    }

    [TestMethod]
    public void SigtermWithOnlyProcessExitHandlersEndsTheAppWith143()
    {
        Outcome outcome = AssertLikeNormalDotnet("observe", "TERM");
        Assert.AreEqual(128 + 15, outcome.ExitCode, outcome.Description);
    }

    [TestMethod]
    public void UnhandledSigtermAndSigintGive128PlusN()
    {
        Assert.AreEqual(128 + 15, AssertLikeNormalDotnet("none", "TERM").ExitCode);
        Assert.AreEqual(128 + 2, AssertLikeNormalDotnet("none", "INT").ExitCode);
    }

    [TestMethod]
    public void UnhandledExceptionAbortsLikeNormalDotnetAndWritesNoDump()
    {
        // Even asked for a crash dump, the oxidized app writes none: createdump is not packed (docs/security.md).
        string dumps = Path.Combine(RepoPaths.EndToEndFolder, nameof(SignalTests), "dumps");
        if (Directory.Exists(dumps))
        {
            Directory.Delete(dumps, recursive: true);
        }
        Directory.CreateDirectory(dumps);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = ReadOnlyDirectory.MinimalPath,
            ["DOTNET_DbgEnableMiniDump"] = "1",
            ["DOTNET_DbgMiniDumpName"] = Path.Combine(dumps, "core.%p"),
        };
        ProcessResult oxidized = ProcessRunner.Run(PublishedRobust.ExecutablePath, ["throw"], workingDirectory: "/", standardInput: "",
            environment: environment, timeout: TimeSpan.FromMinutes(1));
        (string dotnet, string[] assembly) = PublishedRobust.FrameworkDependentCommand;
        ProcessResult normal = ProcessRunner.Run(dotnet, [.. assembly, "throw"], workingDirectory: "/", standardInput: "",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, timeout: TimeSpan.FromMinutes(1));

        Assert.AreEqual(128 + 6, normal.ExitCode, normal.ToString());
        Assert.AreEqual(normal.ExitCode, oxidized.ExitCode, $"an unhandled exception must end the app with SIGABRT:{oxidized}");
        Assert.Contains("Unhandled exception. System.InvalidOperationException: unhandled on purpose", oxidized.StandardError, oxidized.ToString());
        Assert.IsEmpty(Directory.GetFiles(dumps), $"a crash dump was written:{oxidized}");
    }
}
