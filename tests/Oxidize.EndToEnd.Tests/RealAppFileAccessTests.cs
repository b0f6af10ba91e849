using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// "Nothing extracted" for a real app: under `strace -f` the RealApp sample opens none of its .dll files and none of
/// its native libraries (libe_sqlite3.so from NuGet, the project's libgreet.so and libgreetdep.so) from disk, and
/// creates, writes or removes no file.
/// </summary>
[TestClass]
public sealed class RealAppFileAccessTests
{
    [TestMethod]
    public void NoAppLibraryOpenedFromDiskAndNoFileCreatedUnderStrace()
    {
        string executable = PublishedRealApp.ExecutablePath;
        string scratch = Path.Combine(RepoPaths.EndToEndFolder, nameof(RealAppFileAccessTests));
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
        // An empty HOME of its own and another working directory than the publish folder.
        string home = Directory.CreateDirectory(Path.Combine(scratch, "home")).FullName;
        string cwd = Directory.CreateDirectory(Path.Combine(scratch, "cwd")).FullName;
        string traceFile = Path.Combine(scratch, "strace.log");

        ProcessResult run = ProcessRunner.Run(
            "strace",
            ["-f", "-qq", "-e", "trace=%file,write,bind,connect", "-o", traceFile, executable, "demo", "--name", "strace"],
            workingDirectory: cwd,
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath, ["HOME"] = home },
            timeout: TimeSpan.FromMinutes(3));

        Assert.AreEqual(0, run.ExitCode, $"The app failed under strace:{run}");
        Assert.Contains("checks failed: 0", run.StandardOutput, $"The app did not run every check:{run}");
        Assert.IsTrue(File.ReadLines(traceFile).Any(line => line.Contains($"execve(\"{executable}\"", StringComparison.Ordinal)),
            $"{traceFile} does not record the app's execve:{run}");
        IReadOnlyList<string> violations = FileAccessTrace.FindViolations(
            File.ReadLines(traceFile), RepoPaths.Root, PublishedRealApp.NativeLibraries);
        Assert.IsEmpty(violations,
            $"The app touched the file system (full trace: {traceFile}):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(home), "The app created something in HOME.");
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(cwd), "The app created something in its working directory.");
    }
}
