using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 3's "real app" (tests/Samples/RealApp) as one file: Microsoft.Data.Sqlite with e_sqlite3, System.CommandLine,
/// the app's own C library and the library it links against, NativeLibrary and a DllImportResolver, a French
/// satellite assembly and a content file. Published once, run once from a read-only directory that is not the publish
/// folder, with an environment of only PATH; each test checks the lines of one concern.
/// </summary>
[TestClass]
public sealed class RealAppTests
{
    private static readonly Lazy<ProcessResult> Run = new(() => ReadOnlyDirectory.Run(
        Path.Combine(RepoPaths.EndToEndFolder, nameof(RealAppTests), "cwd"),
        PublishedRealApp.ExecutablePath,
        ["demo", "--name", "World", "-r", "2", "--directories"],
        standardInput: null,
        TimeSpan.FromMinutes(2)));

    [TestMethod]
    public void PublishFolderHoldsOnlyTheExecutable()
    {
        string executable = PublishedRealApp.ExecutablePath;
        string[] entries = [.. Directory.EnumerateFileSystemEntries(PublishedRealApp.Sample.PublishDirectory)
            .Select(entry => Path.GetRelativePath(PublishedRealApp.Sample.PublishDirectory, entry))];
        CollectionAssert.AreEqual(new[] { Path.GetFileName(executable) }, entries,
            $"The publish folder holds more than the executable: {string.Join(", ", entries)}{PublishedRealApp.PublishResult}");
    }

    [TestMethod]
    public void EveryKindOfAssetIsPackedWithNativeDependenciesRecorded()
    {
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(PublishedRealApp.ExecutablePath);
        string listing = string.Join(Environment.NewLine, entries.Values.Select(entry => $"{entry.Name} kind {entry.Kind}"));
        foreach ((string name, int kind) in new[]
                 {
                     ("RealApp.dll", 1), ("Microsoft.Data.Sqlite.dll", 1), ("System.CommandLine.dll", 1), ("Oxidize.Resources.dll", 1),
                     ("fr/RealApp.resources.dll", 1), ("libe_sqlite3.so", 2), ("libgreet.so", 2), ("libgreetdep.so", 2),
                     ("data/greeting.txt", 3),
                 })
        {
            Assert.IsTrue(entries.TryGetValue(name, out PackedEntry? entry), $"{name} is not packed:{Environment.NewLine}{listing}");
            Assert.AreEqual(kind, entry.Kind, $"{name} is packed as kind {entry.Kind}, not {kind}.");
        }
        CollectionAssert.Contains(entries["libgreet.so"].Dependencies.ToList(), "libgreetdep.so",
            "libgreet.so's DT_NEEDED libgreetdep.so is not recorded as a packed dependency.");
    }

    [TestMethod]
    public void EveryCheckPasses()
    {
        ProcessResult run = Run.Value;
        Assert.Contains("checks failed: 0", run.StandardOutput, $"Some checks of the app failed:{run}");
        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
    }

    [TestMethod]
    public void CommandLineIsParsedBySystemCommandLine() => AssertLines(
        "commandline: command=demo name=World repeat=2 verbose=False",
        "greeting 1: Hello, World!",
        "greeting 2: Hello, World!");

    [TestMethod]
    public void SqliteRunsRealSqlThroughPackedESqlite3() => AssertLines(
        "sqlite: 3 rows, total 60, quantity>=15: banana=20 cherry=30",
        "sqlite version: 3.");

    [TestMethod]
    public void OwnNativeLibraryAndItsPackedDependencyLoadThroughDllImport() => AssertLines(
        // greet_format calls into libgreetdep.so (DT_NEEDED of libgreet.so).
        "native DllImport(greet): Hello, World! (42 from libgreetdep)",
        "native DllImport(libgreet.so): 42");

    [TestMethod]
    public void NativeLibraryLoadAndDllImportResolverWork() => AssertLines(
        "NativeLibrary.Load(name, assembly): 42",
        "NativeLibrary.TryLoad(name, assembly): 42",
        "NativeLibrary.Load(path): 42",
        "DllImportResolver: 84 (resolver called for greet-alias)");

    [TestMethod]
    public void SatelliteAssemblyIsSelectedByUiCulture() => AssertLines(
        "satellite fr: Bonjour depuis l'assembly satellite",
        "satellite neutral: Hello from the neutral resources",
        "culture fr native name: français (France)");

    [TestMethod]
    public void ContentFileIsReadThroughOxidizeResources() => AssertLines(
        "resources oxidized: True",
        "resources list has data/greeting.txt: True",
        "resources exists: True",
        "resources exists (missing): False",
        "resources text: Greetings from a content file, read through Oxidize.Resources.",
        $"resources sha256: {GreetingSha256()}",
        $"resources stream sha256: {GreetingSha256()}");

    [TestMethod]
    public void ContentFileIsReadThroughOrdinaryFileApis() => AssertLines(
        "file api exists: True",
        "file api text: Greetings from a content file, read through Oxidize.Resources.",
        $"file api stream sha256: {GreetingSha256()}");

    [TestMethod]
    public void PackedFoldersAreListedAsBeforePacking() => AssertLines(
        "directory files data: greeting.txt",
        "directory files fr: RealApp.resources.dll,System.CommandLine.resources.dll",
        "directory app has RealApp.dll and libgreet.so: True",
        "directory app folders have data and fr: True",
        $"directory info data: greeting.txt:{new FileInfo(Path.Combine(PublishedRealApp.Sample.ProjectDirectory, "data", "greeting.txt")).Length}");

    /// <summary>SHA-256 of the sample's data/greeting.txt as published.</summary>
    public static string GreetingSha256() => Convert.ToHexStringLower(
        SHA256.HashData(File.ReadAllBytes(Path.Combine(PublishedRealApp.Sample.ProjectDirectory, "data", "greeting.txt"))));

    private static void AssertLines(params string[] expectedLines)
    {
        ProcessResult run = Run.Value;
        string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.TrimEntries);
        foreach (string expected in expectedLines)
        {
            Assert.IsTrue(lines.Any(line => line.StartsWith(expected, StringComparison.Ordinal)), $"No line starting with '{expected}':{run}");
        }
    }
}
