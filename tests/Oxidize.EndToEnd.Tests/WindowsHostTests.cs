using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// What the win-x64 host does beyond the contract WindowsX64Tests checks, under Wine (docs/how-it-works.md,
/// "Windows (win-x64)"): LZ4-compressed assemblies and DLLs are decoded into memory on first use (assemblies reach the
/// runtime through external_assembly_probe, DLLs the PE loader), so a compressed publish runs and writes nothing; and the
/// diagnostics policy (docs/security.md) holds on Windows too; AssemblyDependencyResolver is answered by the host's
/// own resolver (component_resolver.c with win_component_files.c) for a plugin kept on disk beside the .exe.
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
        // The runtime's startup DLLs stay stored (EntryCompressor.AlwaysStored): compressed, every start would decode them.
        Assert.AreEqual(0, entries["coreclr.dll"].Codec, "coreclr.dll should stay stored");
        Assert.AreEqual(0, entries["clrjit.dll"].Codec, "clrjit.dll should stay stored");

        WineRun run = WindowsX64Tests.RunWritingNothing(executable, ["packed", "--exit-code", "5"], "compressed\n");

        Assert.AreEqual(5, run.ExitCode, run.ToString());
        foreach (string expected in new[] { "Hello from an oxidized app!", "args: [packed|--exit-code|5]", "stdin: compressed", "assembly location: ''" })
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}' in stdout:{run}");
    }

    /// <summary>OxidizeReadyToRunComposite=true on win-x64 (auto composes only for Linux RIDs): the composite image
    /// (Hello.r2r.dll, with System.Private.CoreLib in it) is served from the executable like any assembly, and the app
    /// runs and writes nothing.</summary>
    [TestMethod]
    public void ReadyToRunCompositeHelloRunsUnderWineAndWritesNothing()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ReadyToRunCompositeHelloRunsUnderWineAndWritesNothing));
        ProcessResult publish = sample.PublishForRuntime(RuntimeIdentifier, "-p:OxidizeReadyToRunComposite=true");
        Assert.AreEqual(0, publish.ExitCode, $"The composite win-x64 publish failed:{publish}");
        string executable = sample.WindowsExecutablePath;
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(executable);
        Assert.IsTrue(entries.ContainsKey("Hello.r2r.dll"), $"No composite image packed: {string.Join(", ", entries.Keys.Order())}");

        WineRun run = WindowsX64Tests.RunWritingNothing(executable, ["composite", "--exit-code", "6"], "composite\n");

        Assert.AreEqual(6, run.ExitCode, run.ToString());
        foreach (string expected in new[] { "Hello from an oxidized app!", "args: [composite|--exit-code|6]", "stdin: composite", "assembly location: ''" })
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}' in stdout:{run}");
    }

    /// <summary>OXIDIZE_LOAD_LIST on Windows (win_load_list.c): the host appends each assembly the runtime asks for and each
    /// DLL the PE loader loads, once; a win-x64 publish given that list keeps exactly those stored and compresses the
    /// statically referenced assemblies the run did not load.</summary>
    [TestMethod]
    public void ALoadListRecordedUnderWineKeepsWhatTheRunLoadedStored()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ALoadListRecordedUnderWineKeepsWhatTheRunLoadedStored));
        ProcessResult publish = sample.PublishForRuntime(RuntimeIdentifier, "-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, $"The compressed win-x64 publish failed:{publish}");
        string executable = sample.WindowsExecutablePath;
        IReadOnlyDictionary<string, PackedEntry> closureEntries = PackedExecutable.Entries(executable);
        string list = Path.Combine(sample.ScratchDirectory, "hello.loads");

        WineRun run = WineRunner.Run(executable, ["listed"], environment: new Dictionary<string, string>
        {
            ["OXIDIZE_LOAD_LIST"] = "Z:" + list.Replace('/', '\\'),
        });

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("args: [listed]", run.StandardOutput, run.ToString());
        string[] loaded = File.ReadAllLines(list);
        CollectionAssert.AllItemsAreUnique(loaded, string.Join('\n', loaded));
        foreach (string name in new[] { "coreclr.dll", "clrjit.dll", "System.Private.CoreLib.dll", "Hello.dll", "System.Console.dll" })
            CollectionAssert.Contains(loaded, name, string.Join('\n', loaded));
        string[] storedUnloaded = closureEntries.Values.Where(entry => entry.Kind == 1 && entry.Codec == 0 && !loaded.Contains(entry.Name))
            .Select(entry => entry.Name).ToArray();
        Assert.IsNotEmpty(storedUnloaded, "Hello's static reference closure holds assemblies it does not load");

        publish = sample.PublishForRuntime(RuntimeIdentifier, "-p:OxidizeCompression=lz4", $"-p:OxidizeLoadList={list}");
        Assert.AreEqual(0, publish.ExitCode, $"The win-x64 publish with the load list failed:{publish}");
        IReadOnlyDictionary<string, PackedEntry> listedEntries = PackedExecutable.Entries(executable);
        foreach (string name in loaded)
            Assert.AreEqual(0, listedEntries[name].Codec, $"'{name}' was loaded by the recorded run: stored");
        foreach (string name in storedUnloaded.Where(name => listedEntries[name].OriginalSize >= 16384))
            Assert.AreEqual(1, listedEntries[name].Codec, $"'{name}' was not loaded by the recorded run: compressed");
        run = WineRunner.Run(executable, ["listed", "--exit-code", "7"]);
        Assert.AreEqual(7, run.ExitCode, run.ToString());
    }

    /// <summary>A compressed native DLL the app P/Invokes (SQLite's e_sqlite3.dll) is decoded into a copy the PE loader
    /// reads while it makes the image and that the host frees right after (win_entry_bytes_borrow/_return): the query
    /// still runs, so nothing reads the freed copy.</summary>
    [TestMethod]
    public void Lz4CompressedNativeDllIsLoadedFromAFreedDecodedCopy()
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", nameof(Lz4CompressedNativeDllIsLoadedFromAFreedDecodedCopy));
        ProcessResult publish = sample.PublishForRuntime(RuntimeIdentifier, "-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, $"The compressed win-x64 publish failed:{publish}");
        string executable = sample.WindowsExecutablePath;
        Assert.AreEqual(1, PackedExecutable.Entries(executable)["e_sqlite3.dll"].Codec, "e_sqlite3.dll should be LZ4-compressed");

        WineRun run = WineRunner.Run(executable, ["--query", "select 6 * 7"]);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("result: 42", run.StandardOutput, run.ToString());
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

        WineRun plainRun = RunWithEventPipe(plain.WindowsExecutablePath, Path.Combine(traces, "plain.nettrace"));
        WineRun oxidizedRun = RunWithEventPipe(oxidized.WindowsExecutablePath, Path.Combine(traces, "oxidized.nettrace"));

        Assert.AreEqual(0, plainRun.ExitCode, plainRun.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(traces, "plain.nettrace")), $"the plain app wrote no EventPipe trace, so this test proves nothing:{plainRun}");
        Assert.AreEqual(0, oxidizedRun.ExitCode, oxidizedRun.ToString());
        Assert.Contains("Hello from an oxidized app!", oxidizedRun.StandardOutput, oxidizedRun.ToString());
        Assert.IsFalse(File.Exists(Path.Combine(traces, "oxidized.nettrace")), $"the oxidized app honoured DOTNET_EnableEventPipe:{oxidizedRun}");
    }

    /// <summary>Runs a program under Wine with EventPipe asked to write to trace (a Linux path, handed to the app as its
    /// Z: path).</summary>
    private static WineRun RunWithEventPipe(string executable, string trace) =>
        WineRunner.Run(executable, [], environment: new Dictionary<string, string>
        {
            ["DOTNET_EnableEventPipe"] = "1",
            ["DOTNET_EventPipeOutputPath"] = "Z:" + trace.Replace('/', '\\'),
        });

    /// <summary>tests/Samples/PluginHost with its plugin on disk beside the .exe (-p:PluginsOnDisk=true, the
    /// OxidizeFilesystem escape hatch): the oxidized app prints what the plain self-contained win-x64 publish prints
    /// under Wine, whose hostpolicy answers AssemblyDependencyResolver there (deps.json rules for win-x64, e_sqlite3.dll
    /// loaded by path, satellite assemblies, the missing-component error, the collectible context unloaded).</summary>
    [TestMethod]
    public void APluginOnDiskResolvesAsInThePlainPublish()
    {
        SampleProject plain = CreatePluginHost(nameof(APluginOnDiskResolvesAsInThePlainPublish) + "Plain");
        ProcessResult publish = plain.PublishSelfContainedWithoutOxidize(RuntimeIdentifier, "-p:PluginsOnDisk=true");
        Assert.AreEqual(0, publish.ExitCode, $"The plain win-x64 publish failed:{publish}");
        SampleProject oxidized = CreatePluginHost(nameof(APluginOnDiskResolvesAsInThePlainPublish));
        publish = oxidized.PublishForRuntime(RuntimeIdentifier, "-p:PluginsOnDisk=true");
        Assert.AreEqual(0, publish.ExitCode, $"The oxidized win-x64 publish failed:{publish}");
        Assert.IsTrue(File.Exists(Path.Combine(oxidized.PublishDirectory, "plugins", "Greeter", "runtimes", RuntimeIdentifier, "native", "e_sqlite3.dll")),
            publish.ToString());

        WineRun expected = WineRunner.Run(plain.WindowsExecutablePath, []);
        WineRun actual = WineRunner.Run(oxidized.WindowsExecutablePath, []);

        // Under Wine 8 the plain publish dies in a finalizer once the plugin has run ("Internal CLR error" in
        // DynamicResolver+DestroyScout.Finalize, exit code 2), at a point that depends on when the GC runs: its output is
        // a prefix of the full one, which always holds the resolver's answers (printed before the plugin runs).
        Assert.Contains("missing component: ", expected.StandardOutput, $"the plain publish stopped before its resolver answers:{expected}");
        Assert.IsTrue(actual.StandardOutput.StartsWith(expected.StandardOutput, StringComparison.Ordinal), $"oxidized:{actual}plain:{expected}");
        Assert.AreEqual(0, actual.ExitCode, actual.ToString());
        var report = new AppReport(actual.StandardOutput);
        Assert.AreEqual("plugins\\Greeter\\runtimes\\win-x64\\native\\e_sqlite3.dll", report["resolve native e_sqlite3"], actual.ToString());
        Assert.AreEqual("version known True, 6 * 7 = 42", report["sqlite"], actual.ToString());
        Assert.AreEqual("True", report["greeting plugin unloaded"], actual.ToString());
    }

    private static SampleProject CreatePluginHost(string scratchName)
    {
        SampleProject sample = SampleProject.Create("PluginHost", scratchName);
        string plugin = sample.AddSample("GreeterPlugin");
        ProcessResult build = ProcessRunner.Run("dotnet", ["build", "-c", "Release", "-nologo", "-nodeReuse:false"],
            workingDirectory: plugin, environment: SampleProject.DotnetEnvironment(), timeout: TimeSpan.FromMinutes(10));
        Assert.AreEqual(0, build.ExitCode, $"dotnet build of GreeterPlugin failed:{build}");
        return sample;
    }

    /// <summary>The bare host (artifacts/host/win-x64/oxidize-host.exe, no payload) exits 181, and a payload whose header
    /// says a newer format version 183, with the documented messages (docs/errors.md), as on Linux.</summary>
    [TestMethod]
    public void BareHostAndNewerFormatGiveTheDocumentedExitCodes()
    {
        string folder = Path.Combine(RepoPaths.EndToEndFolder, nameof(BareHostAndNewerFormatGiveTheDocumentedExitCodes));
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        string bare = Path.Combine(folder, "bare.exe");
        File.Copy(Path.Combine(RepoPaths.Root, "artifacts", "host", "win-x64", "oxidize-host.exe"), bare);

        SampleProject sample = SampleProject.Create("Hello", nameof(BareHostAndNewerFormatGiveTheDocumentedExitCodes) + "Hello");
        ProcessResult publish = sample.PublishForRuntime(RuntimeIdentifier);
        Assert.AreEqual(0, publish.ExitCode, $"The win-x64 publish failed:{publish}");
        string newer = Path.Combine(folder, "newer.exe");
        File.Copy(sample.WindowsExecutablePath, newer);
        using (FileStream file = File.Open(newer, FileMode.Open, FileAccess.ReadWrite))
        {
            // The trailer (last 32 bytes, docs/format.md) holds the header's offset at byte 8; the header's format version
            // is the u32 at its byte 8.
            var trailer = new byte[32];
            file.Seek(-32, SeekOrigin.End);
            file.ReadExactly(trailer);
            file.Seek(BitConverter.ToInt64(trailer, 8) + 8, SeekOrigin.Begin);
            file.Write(BitConverter.GetBytes(2u));
        }

        WineRun bareRun = WineRunner.Run(bare, []);
        WineRun newerRun = WineRunner.Run(newer, []);

        Assert.AreEqual(181, bareRun.ExitCode, bareRun.ToString());
        Assert.Contains("no Oxidize payload", bareRun.StandardError, bareRun.ToString());
        Assert.AreEqual(183, newerRun.ExitCode, newerRun.ToString());
        Assert.Contains("the header says format version 2", newerRun.StandardError, newerRun.ToString());
    }
}
