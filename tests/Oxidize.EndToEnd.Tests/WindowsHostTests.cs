using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// What the win-x64 host does beyond the contract WindowsX64Tests checks, under Wine (docs/how-it-works.md,
/// "Windows (win-x64)"): LZ4-compressed assemblies and DLLs are decoded into memory on first use (assemblies reach the
/// runtime through external_assembly_probe, DLLs the PE loader), so a compressed publish runs and writes nothing; and the
/// diagnostics policy (docs/security.md) holds on Windows too.
/// </summary>
[TestClass]
public sealed class WindowsHostTests
{
    private const string RuntimeIdentifier = "win-x64";

    [TestMethod]
    public void Lz4CompressedHelloRunsUnderWineAndWritesNothing()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(Lz4CompressedHelloRunsUnderWineAndWritesNothing));
        // With OxidizeCompressReferencedAssemblies the app's own assembly is compressed too (CoreLib always stays stored).
        ProcessResult publish = sample.PublishForRuntime(RuntimeIdentifier, "-p:OxidizeCompression=lz4", "-p:OxidizeCompressReferencedAssemblies=true");
        Assert.AreEqual(0, publish.ExitCode, $"The compressed win-x64 publish failed:{publish}");
        string executable = sample.WindowsExecutablePath;
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(executable);
        const int lz4 = 1;
        Assert.AreEqual(lz4, entries["Hello.dll"].Codec, "Hello.dll should be LZ4-compressed");
        Assert.IsTrue(entries.Values.Any(entry => entry.Kind == 2 && entry.Codec == lz4), "no native DLL is LZ4-compressed");

        WineRunner.PrepareEnvironment();
        string[] watched = [sample.PublishDirectory, .. WineRunner.WritableFolders];
        FolderSnapshot before = FolderSnapshot.Take(watched);
        WineRun run = WineRunner.Run(executable, ["packed", "--exit-code", "5"], "compressed\n");
        IReadOnlyList<string> changes = FolderSnapshot.Take(watched).ChangesSince(before);

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        foreach (string expected in new[] { "Hello from an oxidized app!", "args: [packed|--exit-code|5]", "stdin: compressed", "assembly location: ''" })
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}' in stdout:{run}");
        Assert.IsEmpty(changes, $"The run changed files:{Environment.NewLine}{string.Join(Environment.NewLine, changes)}{run}");
    }

    /// <summary>DOTNET_EnableEventPipe with an output path makes a plain self-contained app write a trace (so the
    /// variables do reach a Windows app under Wine); the oxidized one, built without OxidizeEnableDiagnostics, ignores
    /// them: the host removes them from the process environment before the runtime reads it.</summary>
    [TestMethod]
    public void EventPipeVariablesAreIgnoredUnlessDiagnosticsAreEnabled()
    {
        SampleProject plain = SampleProject.Create("Hello", nameof(EventPipeVariablesAreIgnoredUnlessDiagnosticsAreEnabled) + "Plain");
        ProcessResult publish = plain.PublishSelfContainedWithoutOxidize(RuntimeIdentifier);
        Assert.AreEqual(0, publish.ExitCode, $"The plain win-x64 publish failed:{publish}");
        SampleProject oxidized = SampleProject.Create("Hello", nameof(EventPipeVariablesAreIgnoredUnlessDiagnosticsAreEnabled));
        publish = oxidized.PublishForRuntime(RuntimeIdentifier);
        Assert.AreEqual(0, publish.ExitCode, $"The oxidized win-x64 publish failed:{publish}");
        string traces = Path.Combine(oxidized.ScratchDirectory, "traces");
        Directory.CreateDirectory(traces);

        ProcessResult plainRun = RunWithEventPipe(plain.WindowsExecutablePath, Path.Combine(traces, "plain.nettrace"));
        ProcessResult oxidizedRun = RunWithEventPipe(oxidized.WindowsExecutablePath, Path.Combine(traces, "oxidized.nettrace"));

        Assert.AreEqual(0, plainRun.ExitCode, plainRun.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(traces, "plain.nettrace")), $"the plain app wrote no EventPipe trace, so this test proves nothing:{plainRun}");
        Assert.AreEqual(0, oxidizedRun.ExitCode, oxidizedRun.ToString());
        Assert.Contains("Hello from an oxidized app!", oxidizedRun.StandardOutput, oxidizedRun.ToString());
        Assert.IsFalse(File.Exists(Path.Combine(traces, "oxidized.nettrace")), $"the oxidized app honoured DOTNET_EnableEventPipe:{oxidizedRun}");
    }

    /// <summary>Runs a program under Wine (timeout, stdin from /dev/null) with EventPipe asked to write to trace (a Linux
    /// path, handed to the app as its Z: path).</summary>
    private static ProcessResult RunWithEventPipe(string executable, string trace)
    {
        Dictionary<string, string> environment = WineRunner.PrepareEnvironment();
        environment["DOTNET_EnableEventPipe"] = "1";
        environment["DOTNET_EventPipeOutputPath"] = "Z:" + trace.Replace('/', '\\');
        return ProcessRunner.Run("/bin/sh", ["-c", "exec timeout --kill-after=10 120 \"$0\" \"$1\" </dev/null", WineRunner.Wine, executable],
            workingDirectory: Path.GetDirectoryName(executable), environment: environment, timeout: TimeSpan.FromMinutes(3));
    }
}
