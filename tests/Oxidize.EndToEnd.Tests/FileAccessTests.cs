using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>"Runs with nothing extracted": the app neither writes files nor reads the runtime from disk.</summary>
[TestClass]
public sealed class FileAccessTests
{
    /// <summary>Hello with OxidizeZeroCopyLibraries=false: the runtime's libraries are copied into memfds (the prefetch path).</summary>
    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> CopiedHello = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(FileAccessTests) + "CopiedHello");
        return (sample, sample.Publish("-p:OxidizeZeroCopyLibraries=false"));
    });

    private static string TraceMemfds(string executable, string testName)
    {
        string scratch = Directory.CreateDirectory(Path.Combine(RepoPaths.EndToEndFolder, testName)).FullName;
        string traceFile = Path.Combine(scratch, "strace.log");
        ProcessResult run = ProcessRunner.Run("strace", ["-f", "-qq", "-e", "trace=execve,memfd_create", "-o", traceFile, executable],
            workingDirectory: scratch, standardInput: "", timeout: TimeSpan.FromMinutes(3));
        Assert.AreEqual(0, run.ExitCode, $"The app failed under strace:{run}");
        return traceFile;
    }

    [TestMethod]
    public void TheMappedRuntimeIsNotCopiedIntoAnyMemfd()
    {
        string traceFile = TraceMemfds(PublishedHello.ExecutablePath, nameof(TheMappedRuntimeIsNotCopiedIntoAnyMemfd));
        string[] copies = File.ReadAllLines(traceFile).Where(line => line.Contains("memfd_create(\"lib", StringComparison.Ordinal)).ToArray();
        Assert.IsEmpty(copies, $"native libraries were copied although the publish maps them ({traceFile}):\n{string.Join('\n', copies)}");
    }
    [TestMethod]
    public void NoFileCreatedOrRuntimeFileOpenedUnderStrace()
    {
        string executable = PublishedHello.ExecutablePath;
        string scratch = Path.Combine(RepoPaths.EndToEndFolder, nameof(NoFileCreatedOrRuntimeFileOpenedUnderStrace));
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
        // An empty HOME of its own: a cache directory created there would show up as a mkdir.
        string home = Directory.CreateDirectory(Path.Combine(scratch, "home")).FullName;
        string traceFile = Path.Combine(scratch, "strace.log");

        // %file: every call taking a path; bind/connect: unix sockets such as the runtime's diagnostics
        // IPC (/tmp/dotnet-diagnostic-*), which %file does not cover; write: kept for reading the log.
        ProcessResult run = ProcessRunner.Run(
            "strace",
            ["-f", "-qq", "-e", "trace=%file,write,bind,connect", "-o", traceFile, executable, "under strace"],
            workingDirectory: scratch,
            standardInput: "traced\n",
            // No TMPDIR, so anything temporary would go to /tmp, which the trace is checked for.
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["HOME"] = home },
            timeout: TimeSpan.FromMinutes(3));

        Assert.AreEqual(0, run.ExitCode, $"The app failed under strace:{run}");
        Assert.Contains("args: [under strace]", run.StandardOutput, $"The app did not run to the end:{run}");
        // Guards against a trace that silently recorded nothing (wrong flags, strace not following the app).
        Assert.IsTrue(File.ReadLines(traceFile).Any(line => line.Contains($"execve(\"{executable}\"", StringComparison.Ordinal)),
            $"{traceFile} does not record the app's execve:{run}");
        IReadOnlyList<string> violations = FileAccessTrace.FindViolations(File.ReadLines(traceFile), RepoPaths.Root);
        Assert.IsEmpty(violations,
            $"The app touched the file system (full trace: {traceFile}):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [TestMethod]
    public void TheAppDirectoryIsNotResolvedAgainForEveryAssembly()
    {
        // The runtime calls realpath on the app directory for each assembly it maps from the executable;
        // the host answers from the path it read from /proc/self/exe instead of glibc's readlink per component.
        string executable = PublishedHello.ExecutablePath;
        string scratch = Directory.CreateDirectory(Path.Combine(RepoPaths.EndToEndFolder, nameof(TheAppDirectoryIsNotResolvedAgainForEveryAssembly))).FullName;
        string traceFile = Path.Combine(scratch, "strace.log");
        ProcessResult run = ProcessRunner.Run("strace", ["-f", "-qq", "-e", "trace=readlink,openat", "-o", traceFile, executable],
            workingDirectory: scratch, standardInput: "", timeout: TimeSpan.FromMinutes(3));
        Assert.AreEqual(0, run.ExitCode, $"The app failed under strace:{run}");

        string[] trace = File.ReadAllLines(traceFile);
        // The runtime opens the executable by its path for each assembly; the host answers each open by reopening the
        // file it opened at start (/proc/self/exe) through its descriptor, so a replaced path is never read (issue 13).
        string hostOpen = trace.First(line => line.Contains("openat(AT_FDCWD, \"/proc/self/exe\"", StringComparison.Ordinal));
        string executableDescriptor = hostOpen[(hostOpen.LastIndexOf('=') + 1)..].Trim();
        int assembliesMapped = trace.Count(line => line.Contains($"openat(AT_FDCWD, \"/proc/self/fd/{executableDescriptor}\"", StringComparison.Ordinal));
        int openedByPath = trace.Count(line => line.Contains($"openat(AT_FDCWD, \"{executable}\"", StringComparison.Ordinal));
        int appDirectoryReadlinks = trace.Count(line => line.Contains($"readlink(\"{Path.GetDirectoryName(executable)}\"", StringComparison.Ordinal));
        Assert.IsGreaterThan(3, assembliesMapped, $"the runtime maps each assembly through its own open of the executable ({traceFile})");
        Assert.AreEqual(0, openedByPath, $"the executable was opened by its path, which may name another file by now ({traceFile})");
        // Two remain, once per process: the runtime canonicalizes /proc/self/exe and the executable's path at startup.
        Assert.IsLessThanOrEqualTo(2, appDirectoryReadlinks, $"{appDirectoryReadlinks} readlink calls on the app directory ({traceFile})");
    }

    [TestMethod]
    public void TheJitIsCopiedOnASecondThreadWhileLibcoreclrLoads()
    {
        // Only the memfd path copies (OxidizeZeroCopyLibraries=false, or a library the loader cannot map).
        Assert.AreEqual(0, CopiedHello.Value.Publish.ExitCode, CopiedHello.Value.Publish.ToString());
        string traceFile = TraceMemfds(CopiedHello.Value.Sample.ExecutablePath, nameof(TheJitIsCopiedOnASecondThreadWhileLibcoreclrLoads));

        string[] trace = File.ReadAllLines(traceFile);
        string ThreadOf(string call) => trace.First(line => line.Contains(call, StringComparison.Ordinal)).Split(' ')[0];
        string mainThread = ThreadOf("execve(");
        Assert.AreEqual(mainThread, ThreadOf("memfd_create(\"libcoreclr.so\""), $"libcoreclr.so is copied first, by the main thread ({traceFile})");
        Assert.AreNotEqual(mainThread, ThreadOf("memfd_create(\"libclrjit.so\""), $"the JIT is copied by the prefetch thread ({traceFile})");
        Assert.AreEqual(1, trace.Count(line => line.Contains("memfd_create(\"libclrjit.so\"", StringComparison.Ordinal)), "copied once");
    }
}
