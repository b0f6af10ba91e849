using System.Text.RegularExpressions;
using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 15 point 1: the runtime's native libraries are mapped from the executable by the host's own ELF loader
/// (docs/how-it-works.md, "Mapped native libraries") instead of copied into a memfd per process. tests/Samples/NativeFrames
/// is published three ways: by default (mapped), with OxidizeZeroCopyLibraries=false (the memfd path), and as a normal
/// self-contained publish; what the runtime does through native frames (exceptions raised by its C++ code and by
/// hardware faults, threads, the unhandled-exception path) must print the same in all three.
/// </summary>
[TestClass]
public sealed partial class MappedLibraryTests
{
    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Mapped = new(() => PublishNativeFrames("Mapped", "-v:n"));

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Copied =
        new(() => PublishNativeFrames("Copied", "-v:n", "-p:OxidizeZeroCopyLibraries=false"));

    private static readonly Lazy<(string Executable, ProcessResult Publish)> Normal = new(() =>
    {
        SampleProject sample = SampleProject.Create("NativeFrames", nameof(MappedLibraryTests) + "Normal");
        string output = Path.Combine(sample.ScratchDirectory, "normal");
        ProcessResult publish = ProcessRunner.Run("dotnet",
            ["publish", "-r", "linux-x64", "--self-contained", "-p:Oxidize=false", "-o", output, "-nologo", "-nodeReuse:false"],
            workingDirectory: sample.ProjectDirectory, environment: SampleProject.DotnetEnvironment(), timeout: TimeSpan.FromMinutes(10));
        return (Path.Combine(output, "NativeFrames"), publish);
    });

    private static (SampleProject, ProcessResult) PublishNativeFrames(string way, params string[] arguments)
    {
        SampleProject sample = SampleProject.Create("NativeFrames", nameof(MappedLibraryTests) + way);
        // Without ReadyToRun (the Oxidize default since issue 15), so that the JIT is loaded and runs at startup: the gdb
        // test stops in libclrjit.so's getJit, which a fully precompiled app may never call.
        return (sample, sample.Publish([.. arguments, "-p:OxidizeReadyToRun=false"]));
    }

    private static string Executable(Lazy<(SampleProject Sample, ProcessResult Publish)> published)
    {
        (SampleProject sample, ProcessResult publish) = published.Value;
        Assert.AreEqual(0, publish.ExitCode, $"Publishing NativeFrames failed:{publish}");
        return sample.ExecutablePath;
    }

    private static string NormalExecutable()
    {
        Assert.AreEqual(0, Normal.Value.Publish.ExitCode, $"The normal publish of NativeFrames failed:{Normal.Value.Publish}");
        return Normal.Value.Executable;
    }

    private static ProcessResult Run(string executable, string mode) =>
        ProcessRunner.Run(executable, [mode], workingDirectory: "/", timeout: TimeSpan.FromMinutes(2));

    public static IEnumerable<object[]> Modes => [["exceptions"], ["threads"]];

    [TestMethod]
    [DynamicData(nameof(Modes))]
    public void MappedAndCopiedRuntimesPrintWhatTheNormalBuildPrints(string mode)
    {
        ProcessResult normal = Run(NormalExecutable(), mode);
        Assert.AreEqual(0, normal.ExitCode, normal.ToString());
        foreach (var published in new[] { Mapped, Copied })
        {
            ProcessResult oxidized = Run(Executable(published), mode);
            Assert.AreEqual(0, oxidized.ExitCode, oxidized.ToString());
            Assert.AreEqual(normal.StandardOutput, oxidized.StandardOutput, $"the oxidized app printed something else:{oxidized}{normal}");
        }
        StringAssert.Contains(normal.StandardOutput, mode == "exceptions" ? "line 134" : "threads: 5000050000");
    }

    [TestMethod]
    public void AnUnhandledExceptionEndsTheAppAsInTheNormalBuild()
    {
        ProcessResult normal = Run(NormalExecutable(), "unhandled");
        foreach (var published in new[] { Mapped, Copied })
        {
            ProcessResult oxidized = Run(Executable(published), "unhandled");
            Assert.AreEqual(normal.ExitCode, oxidized.ExitCode, $"{oxidized}{normal}");
            Assert.AreEqual(134, oxidized.ExitCode, oxidized.ToString());
            StringAssert.Contains(oxidized.StandardError, "Unhandled exception. System.InvalidOperationException: unhandled on purpose");
            StringAssert.Contains(oxidized.StandardError, "Program.cs:line 10", "the stack trace has the line number, as the normal build's has");
            StringAssert.Contains(normal.StandardError, "Program.cs:line 10");
        }
    }

    [GeneratedRegex(@"^\S+ (\S{4}) (\S+) \S+ \S+\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex MapsLine();

    /// <summary>The lines of /proc/PID/maps of NativeFrames waiting: (permissions, offset, path).</summary>
    private static List<(string Permissions, long Offset, string Path)> MapsOfWaitingApp(string executable)
    {
        using BackgroundProcess process = BackgroundProcess.Start(executable, ["wait"], "/", null);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!process.Output.Contains("pid ", StringComparison.Ordinal))
        {
            Assert.IsFalse(process.HasExited, $"The app ended:{process}");
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"The app did not start waiting:{process}");
            Thread.Sleep(20);
        }
        string maps = File.ReadAllText($"/proc/{process.Id}/maps");
        process.Signal("KILL");
        return MapsLine().Matches(maps).Select(match => (match.Groups[1].Value, Convert.ToInt64(match.Groups[2].Value, 16), match.Groups[3].Value)).ToList();
    }

    [TestMethod]
    public void TheMappedRuntimeIsCodeMappedFromTheExecutableAndTheFallbackCopiesIt()
    {
        string executable = Executable(Mapped);
        var mapped = MapsOfWaitingApp(executable);
        Assert.IsFalse(mapped.Any(line => line.Path.StartsWith("/memfd:libcoreclr.so", StringComparison.Ordinal)), "libcoreclr.so was copied into a memfd");
        // The host's own code is at the start of the file; the runtime's is executable code much further in, in the payload.
        Assert.IsTrue(mapped.Any(line => line.Path == executable && line.Permissions == "r-xp" && line.Offset > 16 << 20),
            "no executable mapping of the payload: " + string.Join('\n', mapped.Where(line => line.Path == executable)));

        var copied = MapsOfWaitingApp(Executable(Copied));
        Assert.IsTrue(copied.Any(line => line.Path.StartsWith("/memfd:libcoreclr.so", StringComparison.Ordinal) && line.Permissions == "r-xp"),
            "with OxidizeZeroCopyLibraries=false, libcoreclr.so runs from a memfd");
        StringAssert.Contains(Copied.Value.Publish.Output, "OxidizeZeroCopyLibraries is false: every native library is copied into memory at startup");
    }

    [TestMethod]
    public void GdbNamesTheRuntimesExportedFunctionsAndUnwindsThroughTheRuntimeIntoTheHost()
    {
        if (!File.Exists("/usr/bin/gdb"))
            Prerequisite.Missing("gdb");
        // getJit is libclrjit.so's export, called from libcoreclr.so when the runtime starts; the stack below it is the
        // runtime's (unwound with its .eh_frame) down to coreclr_execute_assembly and the host's runtime_host_run.
        ProcessResult gdb = ProcessRunner.Run("/usr/bin/gdb",
            ["-nx", "-batch", "-ex", "set breakpoint pending on", "-ex", "break getJit", "-ex", "run", "-ex", "bt", "-ex", "kill",
             "--args", Executable(Mapped), "threads"],
            workingDirectory: "/", timeout: TimeSpan.FromMinutes(3));
        StringAssert.Contains(gdb.StandardOutput, "in getJit ()", gdb.ToString());
        StringAssert.Contains(gdb.StandardOutput, "in coreclr_execute_assembly ()", gdb.ToString());
        StringAssert.Contains(gdb.StandardOutput, "in runtime_host_run ()", gdb.ToString());
    }

    [TestMethod]
    [DataRow("true")]
    [DataRow("false")]
    public void TheRuntimeRunsInAnEmptyRootWithTheBundledUserland(string zeroCopy)
    {
        // The only file of an empty root needs the bundled userland (docs/userland.md): its carried glibc then loads
        // the host, and the host maps (or copies) the runtime as on this machine.
        SampleProject sample = SampleProject.Create("NativeFrames", nameof(MappedLibraryTests) + "EmptyRoot" + zeroCopy);
        ProcessResult publish = sample.Publish("-p:OxidizeUserland=bundled", "-p:OxidizeZeroCopyLibraries=" + zeroCopy);
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        ProcessResult run = EmptyRoot.Run(Path.Combine(sample.ScratchDirectory, "empty-root"), sample.ExecutablePath, "/NativeFrames", ["exceptions"]);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.StandardOutput, "missing assembly: FileNotFoundException", run.ToString());
        StringAssert.Contains(run.StandardOutput, "null reference: caught", run.ToString());
        StringAssert.Contains(run.StandardOutput, "line 134", run.ToString());
    }
}
