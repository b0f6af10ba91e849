using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// What the win-x64 host does beyond the contract WindowsX64Tests checks, under Wine (docs/how-it-works.md,
/// "Windows (win-x64)"): LZ4-compressed assemblies and DLLs are decoded into memory on first use (assemblies reach the
/// runtime through external_assembly_probe, DLLs the PE loader), so a compressed publish runs and writes nothing.
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
}
