using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Runtime variables that load code from a path or write files are ignored by an app published
/// without OxidizeEnableDiagnostics (docs/security.md). Each case below changes what a normal .NET
/// app does, so the test fails if the host passed the variable through.
/// </summary>
[TestClass]
public sealed class EnvironmentIsolationTests
{
    private static ProcessResult RunHello(string workingDirectory, params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath };
        foreach (var (name, value) in variables)
            environment[name] = value;
        return ProcessRunner.Run(PublishedHello.ExecutablePath, ["isolated"], workingDirectory, "", environment, TimeSpan.FromMinutes(1));
    }

    private static string Scratch(string name)
    {
        string directory = Path.Combine(RepoPaths.EndToEndFolder, nameof(EnvironmentIsolationTests), name);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        return Directory.CreateDirectory(directory).FullName;
    }

    [TestMethod]
    public void StandaloneGcPathFromTheEnvironmentIsIgnored()
    {
        // A normal .NET app fails to initialize its GC when DOTNET_GCPath names a missing library.
        string directory = Scratch("gcpath");
        ProcessResult run = RunHello(directory, ("DOTNET_GCPath", Path.Combine(directory, "libmissing-gc.so")),
            ("COMPlus_GCPath", Path.Combine(directory, "libmissing-gc.so")));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("args: [isolated]", run.StandardOutput, run.ToString());
    }

    [TestMethod]
    public void EventPipeTraceRequestedThroughTheEnvironmentIsNotWritten()
    {
        string directory = Scratch("eventpipe");
        string trace = Path.Combine(directory, "trace.nettrace");
        ProcessResult run = RunHello(directory, ("DOTNET_EnableEventPipe", "1"), ("DOTNET_EventPipeOutputPath", trace),
            ("DOTNET_EnableDiagnostics", "1"));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.IsFalse(File.Exists(trace), $"{trace} was written: the EventPipe variables reached the runtime");
    }
}
