using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Packed content files behave as they did in the publish folder (issue 12): tests/Samples/ContentWrites writes,
/// appends to, truncates and lists its packed data/ratings/products.json, which a write copies up to a real file
/// beside the executable; a real file there overrides a packed content file, never a packed assembly, native library
/// or runtimeconfig.json. Published with OxidizePackedFilesReadOnly=true, packed files stay read-only and
/// authoritative. Each test runs its own copy of the executable, alone in a folder of its own.
/// </summary>
[TestClass]
public sealed class ContentWritesTests
{
    private const string PackedProducts = """{"products":[{"id":1,"rating":3}]}\n""";
    private const string FinalProducts = """{"products":[{"id":1,"rating":4}]}\n""";

    /// <summary>The file's text for a value as the sample prints it (newlines as "\n").</summary>
    private static string Bytes(string printed) => printed.Replace("\\n", "\n", StringComparison.Ordinal);

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Layered = new(() => Publish("layered"));

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> ReadOnly =
        new(() => Publish("read-only", "-p:OxidizePackedFilesReadOnly=true"));

    private static (SampleProject, ProcessResult) Publish(string scratch, params string[] arguments)
    {
        SampleProject sample = SampleProject.Create("ContentWrites", Path.Combine(nameof(ContentWritesTests), scratch));
        return (sample, sample.Publish(arguments));
    }

    [TestMethod]
    public void WritesCopyThePackedFileUpAndTheCopyWinsInThisRunAndTheNext()
    {
        string executable = FreshCopy(Layered, nameof(WritesCopyThePackedFileUpAndTheCopyWinsInThisRunAndTheNext));
        string folder = Path.GetDirectoryName(executable)!;

        ProcessResult write = RunApp(executable, "write");
        AssertLines(write,
            "create in packed folder: created by the app\\n",
            "create folder in packed folder: True",
            $"before: {PackedProducts}",
            """write: {"products":[{"id":1,"rating":5}]}\n""",
            """append: {"products":[{"id":1,"rating":5}]}\nappended\n""",
            "truncate: length 0",
            $"rewrite: {FinalProducts}",
            // O_CREAT|O_EXCL on a packed file: it exists, as it did in the publish folder.
            $"FAILED create new (exists): IOException: The file '{Path.Combine(folder, "data", "override.txt")}' already exists.",
            // Each name once: the copies on disk hide the packed entries of the same name.
            "listing data: created.txt,override.txt,ratings",
            $"listing ratings: products.json:{Bytes(FinalProducts).Length}");

        string copy = Path.Combine(folder, "data", "ratings", "products.json");
        Assert.AreEqual(Bytes(FinalProducts), File.ReadAllText(copy), "the copy on disk");
        UnixFileMode mode = File.GetUnixFileMode(copy);
        Assert.IsTrue(mode.HasFlag(UnixFileMode.UserRead | UnixFileMode.UserWrite) && !mode.HasFlag(UnixFileMode.UserExecute),
            $"the copy's mode is {mode}");
        Assert.IsTrue(Directory.Exists(Path.Combine(folder, "data", "ratings", "archive")), "the folder created in a packed folder");
        CollectionAssert.AreEquivalent(new[] { "archive", "products.json" },
            Directory.EnumerateFileSystemEntries(Path.Combine(folder, "data", "ratings")).Select(Path.GetFileName).ToArray(),
            "no temporary file of the copy-up is left");

        ProcessResult next = RunApp(executable, "read");
        AssertLines(next,
            $"products: {FinalProducts}",
            "override: packed into the executable\\n",
            "listing data: created.txt,override.txt,ratings",
            $"listing ratings: products.json:{Bytes(FinalProducts).Length}");
    }

    [TestMethod]
    public void DeletingOrMovingAPackedOnlyFileFailsWithReadOnlyFileSystem()
    {
        string executable = FreshCopy(Layered, nameof(DeletingOrMovingAPackedOnlyFileFailsWithReadOnlyFileSystem));

        ProcessResult packedOnly = RunApp(executable, "delete");
        AssertLines(packedOnly,
            "FAILED delete: IOException: Read-only file system",
            "FAILED move: IOException: Read-only file system",
            $"products: {PackedProducts}");

        // Deleting the copy on disk works, and the packed file shows through again.
        RunApp(executable, "write");
        ProcessResult copied = RunApp(executable, "delete");
        AssertLines(copied, "delete: deleted", $"products: {PackedProducts}");
    }

    [TestMethod]
    public void AFileBesideTheExecutableOverridesPackedContentButNotCodeOrRuntimeConfiguration()
    {
        string executable = FreshCopy(Layered, nameof(AFileBesideTheExecutableOverridesPackedContentButNotCodeOrRuntimeConfiguration));
        PlaceOperatorFiles(Path.GetDirectoryName(executable)!);

        ProcessResult run = RunApp(executable, "read");
        AssertLines(run,
            "override: from the operator\\n",
            $"products: {PackedProducts}",
            "listing data: override.txt,ratings",
            "assembly: MZ",
            "native library: .ELF",
            "runtimeconfig: True");
    }

    // Issue 13, point 4: releases in /srv/app/v2, the service started as /srv/app/current/App with current -> v2. The
    // app directory is the folder of /proc/self/exe (v2), and a path through the link names the same folder: the host
    // compares the folder's identity (device and inode), not its spelling.
    [TestMethod]
    public void PackedFilesAreFoundThroughASymlinkedReleaseFolder()
    {
        string version = Path.GetDirectoryName(FreshCopy(Layered, Path.Combine(nameof(PackedFilesAreFoundThroughASymlinkedReleaseFolder), "v2")))!;
        string current = Path.Combine(Path.GetDirectoryName(version)!, "current");
        File.Delete(current);
        File.CreateSymbolicLink(current, "v2");
        string executable = Path.Combine(current, Path.GetFileName(Layered.Value.Sample.ExecutablePath));

        ProcessResult read = RunApp(executable, "--app-directory", current, "read");
        AssertLines(read,
            $"products: {PackedProducts}",
            "override: packed into the executable\\n",
            "listing data: override.txt,ratings",
            $"listing ratings: products.json:{Bytes(PackedProducts).Length}",
            "assembly: MZ",
            "native library: .ELF",
            "native library load: loaded",
            "runtimeconfig: True");

        // A write through the link copies up into the release folder, and an operator's file there wins.
        ProcessResult write = RunApp(executable, "--app-directory", current, "write");
        AssertLines(write,
            "create in packed folder: created by the app\\n",
            "create folder in packed folder: True",
            $"rewrite: {FinalProducts}",
            "listing data: created.txt,override.txt,ratings");
        Assert.AreEqual(Bytes(FinalProducts), File.ReadAllText(Path.Combine(version, "data", "ratings", "products.json")), "the copy up in v2");
        Assert.IsTrue(File.Exists(Path.Combine(version, "data", "created.txt")), "the file created in a packed folder through the link");
        File.WriteAllText(Path.Combine(version, "data", "override.txt"), "from the operator\n");
        ProcessResult again = RunApp(executable, "--app-directory", current, "read");
        AssertLines(again, $"products: {FinalProducts}", "override: from the operator\\n");
    }

    [TestMethod]
    public void ReadOnlyPackedFilesRefuseWritesAndIgnoreFilesBesideTheExecutable()
    {
        string executable = FreshCopy(ReadOnly, nameof(ReadOnlyPackedFilesRefuseWritesAndIgnoreFilesBesideTheExecutable));
        string folder = Path.GetDirectoryName(executable)!;
        string products = Path.Combine(folder, "data", "ratings", "products.json");

        ProcessResult write = RunApp(executable, "write");
        AssertLines(write,
            $"FAILED write: IOException: Read-only file system : '{products}'",
            $"FAILED append: IOException: Read-only file system : '{products}'",
            $"FAILED truncate: IOException: Read-only file system : '{products}'",
            $"before: {PackedProducts}",
            $"listing ratings: products.json:{Bytes(PackedProducts).Length}");
        Assert.IsFalse(File.Exists(products), "a read-only packed file was copied up");

        PlaceOperatorFiles(folder);
        ProcessResult read = RunApp(executable, "read");
        AssertLines(read, "override: packed into the executable\\n", $"products: {PackedProducts}", "assembly: MZ");
    }

    [TestMethod]
    public void AReadOnlyAppDirectoryGivesTheWriterTheSystemsError()
    {
        string executable = FreshCopy(Layered, nameof(AReadOnlyAppDirectoryGivesTheWriterTheSystemsError));
        string folder = Path.GetDirectoryName(executable)!;
        string products = Path.Combine(folder, "data", "ratings", "products.json");

        ProcessResult run = PrivateMounts.Run(PrivateMounts.BindReadOnly("\"$1\"") + "exec \"$2\" write", [folder, executable]);
        AssertLines(run,
            $"before: {PackedProducts}",
            $"FAILED write: IOException: Read-only file system : '{products}'",
            $"FAILED create in packed folder: IOException: Read-only file system",
            $"listing ratings: products.json:{Bytes(PackedProducts).Length}");
        CollectionAssert.AreEqual(new[] { Path.GetFileName(executable) },
            Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ToArray(), "nothing was written");
    }

    [TestMethod]
    public void ConcurrentWritersCopyUpOnceAndEveryLineLands()
    {
        // Eight processes copy the packed file up at the same moment, then append a line each under the file's lock.
        // A copy-up that replaced another's copy (a plain rename) would lose the lines written to the replaced one.
        string executable = FreshCopy(Layered, nameof(ConcurrentWritersCopyUpOnceAndEveryLineLands));
        string folder = Path.GetDirectoryName(executable)!;
        string start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 4000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] lines = [.. Enumerable.Range(1, 8).Select(i => $"writer {i}")];

        ProcessResult[] runs = Task.WhenAll(lines.Select(line => Task.Run(() => RunApp(executable, "append-at", start, line)))).Result;

        foreach (ProcessResult run in runs)
        {
            AssertLines(run, "append-at: appended");
        }
        string[] written = File.ReadAllLines(Path.Combine(folder, "data", "ratings", "products.json"));
        Assert.AreEqual(Bytes(PackedProducts).TrimEnd('\n'), written[0], "the packed bytes come first");
        CollectionAssert.AreEquivalent(lines, written[1..], $"lines written: {string.Join(" | ", written)}");
        CollectionAssert.AreEqual(new[] { "products.json" },
            Directory.EnumerateFileSystemEntries(Path.Combine(folder, "data", "ratings")).Select(Path.GetFileName).ToArray(),
            "no temporary file of a copy-up is left");
    }

    [TestMethod]
    public void ARunThatOnlyReadsTouchesNothingOnDisk()
    {
        string executable = FreshCopy(Layered, nameof(ARunThatOnlyReadsTouchesNothingOnDisk));
        string folder = Path.GetDirectoryName(executable)!;
        string traceFile = Path.Combine(Path.GetDirectoryName(folder)!, nameof(ARunThatOnlyReadsTouchesNothingOnDisk) + ".strace");

        ProcessResult run = ProcessRunner.Run("strace", ["-f", "-qq", "-e", "trace=%file,write,bind,connect", "-o", traceFile, executable, "read"],
            workingDirectory: folder, environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath },
            timeout: TimeSpan.FromMinutes(3));

        AssertLines(run, $"products: {PackedProducts}");
        Assert.IsTrue(File.ReadLines(traceFile).Any(line => line.Contains($"execve(\"{executable}\"", StringComparison.Ordinal)),
            $"{traceFile} does not record the app's execve:{run}");
        // The disk is looked at (a real file would win) but nothing is created, written or opened from it.
        Assert.IsTrue(File.ReadLines(traceFile).Any(line => line.Contains(Path.Combine(folder, "data", "ratings", "products.json"), StringComparison.Ordinal)),
            $"the app never looked for products.json on disk ({traceFile})");
        IReadOnlyList<string> violations = FileAccessTrace.FindViolations(File.ReadLines(traceFile), RepoPaths.Root);
        Assert.IsEmpty(violations, $"The app touched the file system ({traceFile}):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        CollectionAssert.AreEqual(new[] { Path.GetFileName(executable) },
            Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ToArray(), "the folder holds only the executable");
    }

    /// <summary>An operator's data/override.txt, and files named like the app's assembly, a packed native library and
    /// the runtime configuration, all garbage: only the first may win.</summary>
    private static void PlaceOperatorFiles(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.WriteAllText(Path.Combine(folder, "data", "override.txt"), "from the operator\n");
        File.WriteAllText(Path.Combine(folder, "ContentWrites.dll"), "not an assembly\n");
        File.WriteAllText(Path.Combine(folder, "libSystem.Native.so"), "not a library\n");
        File.WriteAllText(Path.Combine(folder, "ContentWrites.runtimeconfig.json"), "{}\n");
    }

    /// <summary>The published executable copied alone into artifacts/e2e/ContentWritesTests/runs/&lt;test&gt;/.</summary>
    private static string FreshCopy(Lazy<(SampleProject Sample, ProcessResult Publish)> published, string testName)
    {
        (SampleProject sample, ProcessResult publish) = published.Value;
        Assert.AreEqual(0, publish.ExitCode, $"Publishing the ContentWrites sample failed:{publish}");
        string folder = Path.Combine(RepoPaths.EndToEndFolder, nameof(ContentWritesTests), "runs", testName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        string executable = Path.Combine(folder, Path.GetFileName(sample.ExecutablePath));
        File.Copy(sample.ExecutablePath, executable);
        File.SetUnixFileMode(executable, File.GetUnixFileMode(sample.ExecutablePath));
        return executable;
    }

    private static ProcessResult RunApp(string executable, params string[] arguments)
    {
        ProcessResult run = ProcessRunner.Run(executable, arguments, workingDirectory: Path.GetDirectoryName(executable),
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, timeout: TimeSpan.FromMinutes(2));
        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
        return run;
    }

    private static void AssertLines(ProcessResult run, params string[] expectedLines)
    {
        string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.TrimEntries);
        foreach (string expected in expectedLines)
        {
            Assert.IsTrue(lines.Any(line => line.StartsWith(expected, StringComparison.Ordinal)), $"No line starting with '{expected}':{run}");
        }
    }
}
