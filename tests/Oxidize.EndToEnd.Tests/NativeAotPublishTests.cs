using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 17: `-p:Oxidize=true -p:PublishAot=true` gives one executable, the Native AOT binary with the payload appended,
/// that serves its NuGet native libraries and content files from memory. Each test publishes for real and runs the result
/// from a folder holding nothing but the executable, with an empty environment.
/// </summary>
[TestClass]
public sealed class NativeAotPublishTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>OXPAK_FLAG_NATIVE_AOT (oxidize_format.h, docs/format.md), as oxidize-inspect prints the header's flags.</summary>
    private const int NativeAotFlag = 8;

    [TestMethod]
    public void HelloWorldIsOneFileThatRunsAlone()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(HelloWorldIsOneFileThatRunsAlone));
        PublishAot(sample, "-p:PublishAot=true");

        string executable = CopyAlone(sample, nameof(HelloWorldIsOneFileThatRunsAlone));
        ProcessResult run = ProcessRunner.Run(executable, ["one", "two"], workingDirectory: "/", standardInput: "a line\n",
            environment: new Dictionary<string, string>(), timeout: RunTimeout);
        Assert.AreEqual(0, run.ExitCode, $"The AOT executable failed:{run}");
        Assert.Contains("Hello from an oxidized app!", run.StandardOutput, run.ToString());
        Assert.Contains("args: [one|two]", run.StandardOutput, run.ToString());
        Assert.Contains("stdin: a line", run.StandardOutput, run.ToString());
        Assert.Contains($"base directory: {Path.GetDirectoryName(executable)}/", run.StandardOutput, run.ToString());

        // A Native AOT payload: the AOT flag, no runtime or managed assembly packed (the audit's bill of materials is).
        Assert.AreEqual(NativeAotFlag, PayloadFlags(executable) & NativeAotFlag, "the payload lacks the Native AOT flag");
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(executable);
        Assert.IsFalse(entries.Values.Any(entry => entry.Kind == 1 || entry.Name.StartsWith("libcoreclr", StringComparison.Ordinal)),
            $"A Native AOT payload packed runtime files: {string.Join(", ", entries.Keys)}");
        Assert.IsTrue(entries.ContainsKey(".oxidize/bom.cdx.json"), $"The bill of materials is not packed: {string.Join(", ", entries.Keys)}");

        // dotnet oxidize reads it too, and says what it is.
        ProcessResult info = InstalledOxidizeTool.Run("info", executable);
        Assert.AreEqual(0, info.ExitCode, info.ToString());
        Assert.Contains("Entry assembly:   none (a Native AOT app", info.StandardOutput, info.ToString());
        ProcessResult verify = InstalledOxidizeTool.Run("verify", executable);
        Assert.AreEqual(0, verify.ExitCode, verify.ToString());
    }

    [TestMethod]
    public void SqliteServesItsNativeLibraryAndContentFromThePayload()
    {
        SampleProject sample = SampleProject.Create("AotSqlite", nameof(SqliteServesItsNativeLibraryAndContentFromThePayload));
        PublishAot(sample);

        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(sample.ExecutablePath);
        Assert.AreEqual(2, entries.GetValueOrDefault("libe_sqlite3.so")?.Kind, $"libe_sqlite3.so is not packed as a native library: {string.Join(", ", entries.Keys)}");
        Assert.AreEqual(3, entries.GetValueOrDefault("data/schema.sql")?.Kind, $"data/schema.sql is not packed as content: {string.Join(", ", entries.Keys)}");

        // The bill of materials: the compiler and AOT runtime packs compiled into the binary, the packages from the deps.json
        // an AOT publish does not ship, and not the CoreCLR runtime pack, which the SDK resolves but nothing uses.
        string bom = File.ReadAllText(Path.Combine(sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", "AotSqlite.oxidize.bom.cdx.json"));
        foreach (string package in new[] { "runtime.linux-x64.Microsoft.DotNet.ILCompiler", "Microsoft.NETCore.App.Runtime.NativeAOT.linux-x64",
            "Microsoft.Data.Sqlite", "SQLitePCLRaw.lib.e_sqlite3" })
            Assert.Contains($"\"name\": \"{package}\"", bom, $"The bill of materials does not list {package}");
        Assert.DoesNotContain("\"name\": \"Microsoft.NETCore.App.Runtime.linux-x64\"", bom, "The bill of materials lists the unused CoreCLR runtime pack");

        string executable = CopyAlone(sample, nameof(SqliteServesItsNativeLibraryAndContentFromThePayload));
        string folder = Path.GetDirectoryName(executable)!;
        string traceFile = Path.Combine(RepoPaths.EndToEndFolder, nameof(SqliteServesItsNativeLibraryAndContentFromThePayload), "strace.log");
        ProcessResult run = ProcessRunner.Run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=%file,write,bind,connect,memfd_create", "-o", traceFile, executable],
            workingDirectory: "/", standardInput: "", environment: new Dictionary<string, string>(), timeout: RunTimeout);

        Assert.AreEqual(0, run.ExitCode, $"The AOT executable failed under strace:{run}");
        Assert.Contains($"schema: 2 lines from {folder}/data/schema.sql", run.StandardOutput, run.ToString());
        Assert.Contains("words: hello from native aot", run.StandardOutput, run.ToString());
        Assert.Contains("sqlite: 3.", run.StandardOutput, run.ToString());
        Assert.AreEqual(1, Directory.GetFileSystemEntries(folder).Length, $"The run left files beside the executable in {folder}");

        string[] trace = File.ReadAllLines(traceFile);
        // Mapped from the executable by the ELF loader (no copy): the run above used it, the trace shows no file or memfd for it.
        Assert.IsFalse(trace.Any(line => line.Contains("memfd_create(\"libe_sqlite3.so\"", StringComparison.Ordinal)),
            $"libe_sqlite3.so was copied into a memfd instead of mapped from the executable ({traceFile})");
        IReadOnlyList<string> violations = FileAccessTrace.FindViolations(trace, RepoPaths.Root, ["libe_sqlite3.so"]);
        Assert.IsEmpty(violations,
            $"The AOT app touched the file system (full trace: {traceFile}):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [TestMethod]
    public void OwnNativeLibrariesAndTheirDependenciesComeFromThePayload()
    {
        SampleProject sample = SampleProject.Create("AotGreet", nameof(OwnNativeLibrariesAndTheirDependenciesComeFromThePayload));
        // RealApp's C libraries: libgreet.so needs libgreetdep.so (DT_NEEDED), which the app never names.
        string native = Path.Combine(sample.ProjectDirectory, "native");
        Directory.CreateDirectory(native);
        foreach (string source in new[] { "greet.c", "greetdep.c" })
            File.Copy(Path.Combine(RepoPaths.SamplesFolder, "RealApp", "native", source), Path.Combine(native, source));
        NativeCompiler.SharedLibrary(native, "greetdep.c", "libgreetdep.so");
        NativeCompiler.SharedLibrary(native, "greet.c", "libgreet.so", "-L.", "-lgreetdep", "-Wl,-rpath,$ORIGIN");
        PublishAot(sample, "-p:PublishAot=true");
        CollectionAssert.AreEqual(new[] { "libgreetdep.so" }, PackedExecutable.Entries(sample.ExecutablePath)["libgreet.so"].Dependencies.ToArray(),
            "libgreet.so is not packed with its dependency");

        string executable = CopyAlone(sample, nameof(OwnNativeLibrariesAndTheirDependenciesComeFromThePayload));
        string traceFile = Path.Combine(RepoPaths.EndToEndFolder, nameof(OwnNativeLibrariesAndTheirDependenciesComeFromThePayload), "strace.log");
        ProcessResult run = ProcessRunner.Run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=%file,write,bind,connect", "-o", traceFile, executable],
            workingDirectory: "/", standardInput: "", environment: new Dictionary<string, string>(), timeout: RunTimeout);
        Assert.AreEqual(0, run.ExitCode, $"The AOT executable failed under strace:{run}");
        Assert.Contains("DllImport: Hello, aot! (42 from libgreetdep)", run.StandardOutput, run.ToString());
        Assert.Contains("NativeLibrary.Load by name: loaded", run.StandardOutput, run.ToString());
        Assert.Contains("NativeLibrary.Load by path: greet_twice(21) = 42", run.StandardOutput, run.ToString());
        IReadOnlyList<string> violations = FileAccessTrace.FindViolations(File.ReadLines(traceFile), RepoPaths.Root, ["libgreet.so", "libgreetdep.so"]);
        Assert.IsEmpty(violations,
            $"The AOT app touched the file system (full trace: {traceFile}):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [TestMethod]
    public void TwoCleanPublishesGiveIdenticalExecutablesAndASecondPublishPacksNothing()
    {
        SampleProject sample = SampleProject.Create("AotSqlite", nameof(TwoCleanPublishesGiveIdenticalExecutablesAndASecondPublishPacksNothing));
        PublishAot(sample);
        string first = Sha256(sample.ExecutablePath);
        string packed = Path.Combine(sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", "oxidize", sample.Name);
        DateTime packedAt = File.GetLastWriteTimeUtc(packed);

        // Nothing changed: the payload is not written again, and the publish folder gets the same bytes.
        PublishAot(sample);
        Assert.AreEqual(packedAt, File.GetLastWriteTimeUtc(packed), "A publish with nothing changed packed the executable again");
        Assert.AreEqual(first, Sha256(sample.ExecutablePath), "A publish with nothing changed gave another executable");

        foreach (string output in new[] { "bin", "obj" })
            Directory.Delete(Path.Combine(sample.ProjectDirectory, output), recursive: true);
        Directory.Delete(sample.PublishDirectory, recursive: true);
        PublishAot(sample);
        Assert.AreEqual(first, Sha256(sample.ExecutablePath), "Two clean publishes of the same AOT app gave different executables");
    }

    [TestMethod]
    public void LinuxArm64FailsWithOXSDK1040()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(LinuxArm64FailsWithOXSDK1040));
        AssertFailsWith("OXSDK1040", sample, sample.PublishForRuntime("linux-arm64", "-p:PublishAot=true"));
    }

    [TestMethod]
    public void BundledUserlandFailsWithOXSDK1041()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(BundledUserlandFailsWithOXSDK1041));
        AssertFailsWith("OXSDK1041", sample, sample.Publish("-p:PublishAot=true", "-p:OxidizeUserland=bundled"));
    }

    [TestMethod]
    public void AppExportsFailWithOXSDK1044()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(AppExportsFailWithOXSDK1044));
        AssertFailsWith("OXSDK1044", sample, sample.Publish("-p:PublishAot=true", "-p:IlcExportUnmanagedEntrypoints=true"));
    }

    private static void PublishAot(SampleProject sample, params string[] extraArguments)
    {
        ProcessResult publish = sample.Publish(extraArguments);
        Assert.AreEqual(0, publish.ExitCode, $"The Native AOT publish failed:{publish}");
        string[] published = Directory.GetFileSystemEntries(sample.PublishDirectory);
        CollectionAssert.AreEqual(new[] { sample.ExecutablePath }, published, $"The publish folder holds more than the executable:{publish}");
    }

    /// <summary>The executable alone in a new folder: nothing beside it could serve a library or a file.</summary>
    private static string CopyAlone(SampleProject sample, string testName)
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, testName, "alone");
        Directory.CreateDirectory(folder);
        string executable = Path.Combine(folder, sample.Name);
        File.Copy(sample.ExecutablePath, executable);
        return executable;
    }

    private static int PayloadFlags(string executable)
    {
        ProcessResult inspect = ProcessRunner.Run(PackedExecutable.InspectToolPath, [executable], timeout: RunTimeout);
        Assert.AreEqual(0, inspect.ExitCode, $"oxidize-inspect failed:{inspect}");
        string flags = inspect.StandardOutput.Split('\n').Single(line => line.StartsWith("flags\t", StringComparison.Ordinal));
        return int.Parse(flags["flags\t".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertFailsWith(string errorCode, SampleProject sample, ProcessResult result)
    {
        Assert.AreNotEqual(0, result.ExitCode, $"The publish should have failed with {errorCode}:{result}");
        Assert.Contains($"error {errorCode}:", result.Output, $"The publish did not report {errorCode}:{result}");
        Assert.IsFalse(File.Exists(sample.ExecutablePath), $"A failed publish left {sample.ExecutablePath} behind:{result}");
    }

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
