using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>"Runs with nothing extracted": the app neither writes files nor reads the runtime from disk.</summary>
[TestClass]
public sealed class FileAccessTests
{
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
}
