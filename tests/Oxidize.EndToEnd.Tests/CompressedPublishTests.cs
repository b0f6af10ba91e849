using System.IO.Compression;
using System.Xml.Linq;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// OxidizeCompression=lz4 end to end: compressed assemblies load through the TPA and the host's open(),
/// compressed native libraries through memfds, compressed content through the file interposer; assemblies
/// the app references statically, and the native libraries the runtime loads at startup, stay stored and are
/// mapped from the executable. The LZ4 codec
/// (K4os.Compression.LZ4) ships next to the tasks, and Oxidize.Resources depends on it.
/// </summary>
[TestClass]
public sealed class CompressedPublishTests
{
    [TestMethod]
    public void Lz4ExecutableIsSmallerAndRunsWithAssembliesAtTheirUsualPaths()
    {
        // With OxidizeCompressReferencedAssemblies the app's own assembly is compressed too, so it shows up as a file.
        SampleProject sample = SampleProject.Create("Hello", nameof(CompressedPublishTests));
        ProcessResult publish = sample.Publish("-p:OxidizeCompression=lz4", "-p:OxidizeCompressReferencedAssemblies=true");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsLessThan(new FileInfo(PublishedHello.ExecutablePath).Length * 0.8, (double)new FileInfo(sample.ExecutablePath).Length,
            "lz4 must make the executable clearly smaller than the stored one");

        ProcessResult run = ReadOnlyDirectory.Run(Path.Combine(sample.ScratchDirectory, "cwd"), sample.ExecutablePath,
            ["compressed", "--exit-code", "3"], "lz4 stdin\n", TimeSpan.FromMinutes(1));
        Assert.AreEqual(3, run.ExitCode, run.ToString());
        Assert.Contains("args: [compressed|--exit-code|3]", run.StandardOutput, run.ToString());
        Assert.Contains("stdin: lz4 stdin", run.StandardOutput, run.ToString());
        // A compressed assembly is opened like a file at its usual path, decoded into memory by the host.
        Assert.Contains($"assembly location: '{Path.Combine(Path.GetDirectoryName(sample.ExecutablePath)!, "Hello.dll")}'", run.StandardOutput, run.ToString());
    }

    [TestMethod]
    public void Lz4LoadsACompressedNativeLibraryThroughAMemfd()
    {
        // libSystem.Native.so and the runtime's other startup libraries stay stored (EntryCompressor.AlwaysStored), so
        // hello world alone loads no compressed library; the standalone GC does, when DOTNET_GCName names it.
        SampleProject sample = SampleProject.Create("Hello", nameof(Lz4LoadsACompressedNativeLibraryThroughAMemfd));
        ProcessResult publish = sample.Publish("-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        var entries = PackedExecutable.Entries(sample.ExecutablePath);
        Assert.AreEqual(0, entries["libSystem.Native.so"].Codec, "loaded at every start: stored");
        Assert.AreEqual(1, entries["libclrgc.so"].Codec, "loaded on request only: LZ4");

        string scratch = Directory.CreateDirectory(Path.Combine(sample.ScratchDirectory, "trace")).FullName;
        string traceFile = Path.Combine(scratch, "strace.log");
        ProcessResult run = ProcessRunner.Run("strace", ["-f", "-qq", "-e", "trace=memfd_create", "-o", traceFile, sample.ExecutablePath, "gc"],
            workingDirectory: scratch, standardInput: "compressed gc\n",
            environment: new Dictionary<string, string> { ["DOTNET_GCName"] = "libclrgc.so" }, timeout: TimeSpan.FromMinutes(3));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.Contains("stdin: compressed gc", run.StandardOutput, run.ToString());
        string[] libraries = File.ReadAllLines(traceFile).Where(line => line.Contains("memfd_create(\"lib", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, libraries, $"only the compressed GC goes through a memfd ({traceFile}):\n{string.Join('\n', libraries)}");
        Assert.Contains("memfd_create(\"libclrgc.so\"", libraries[0], traceFile);
    }

    [TestMethod]
    public void ThePackagesCarryTheLz4Codec()
    {
        // The pin in Directory.Packages.props, "[1.3.8]": exact for the encoder, the floor Oxidize.Resources asks for.
        string version = XDocument.Load(RepoPaths.PackagePinsFile).Descendants("PackageVersion")
            .Single(element => element.Attribute("Include")?.Value == "K4os.Compression.LZ4").Attribute("Version")!.Value.Trim('[', ']');
        using (ZipArchive sdk = ZipFile.OpenRead(RepoPaths.PackagePath))
        {
            // The tasks resolve their dependencies from their own folder; MSBuild has no copy of K4os.
            Assert.IsNotNull(sdk.GetEntry("tasks/net10.0/K4os.Compression.LZ4.dll"), $"{RepoPaths.PackagePath} lacks tasks/net10.0/K4os.Compression.LZ4.dll");
        }
        string resourcesPath = Path.Combine(RepoPaths.PackagesFolder, $"Oxidize.Resources.{RepoPaths.OxidizeVersion}.nupkg");
        using ZipArchive resources = ZipFile.OpenRead(resourcesPath);
        using var nuspec = resources.GetEntry("Oxidize.Resources.nuspec")!.Open();
        var dependencies = XDocument.Load(nuspec).Descendants().Where(element => element.Name.LocalName == "dependency")
            .Select(element => $"{element.Attribute("id")?.Value} {element.Attribute("version")?.Value}").ToList();
        CollectionAssert.AreEqual(new[] { $"K4os.Compression.LZ4 {version}" }, dependencies, resourcesPath);
    }

    [TestMethod]
    public void Lz4KeepsStaticallyReferencedAssembliesStoredAndMapped()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(Lz4KeepsStaticallyReferencedAssembliesStoredAndMapped));
        ProcessResult publish = sample.Publish("-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.IsLessThan(new FileInfo(PublishedHello.ExecutablePath).Length * 0.85, (double)new FileInfo(sample.ExecutablePath).Length,
            "the framework assemblies Hello does not reference are still compressed");

        ProcessResult run = ReadOnlyDirectory.Run(Path.Combine(sample.ScratchDirectory, "cwd"), sample.ExecutablePath,
            ["stored", "--exit-code", "4"], "lz4 stdin\n", TimeSpan.FromMinutes(1));
        Assert.AreEqual(4, run.ExitCode, run.ToString());
        Assert.Contains("stdin: lz4 stdin", run.StandardOutput, run.ToString());
        // The entry assembly is stored, so the runtime maps it from the executable like any single-file assembly.
        Assert.Contains("assembly location: ''", run.StandardOutput, run.ToString());
    }

    [TestMethod]
    public void ALoadListKeepsWhatARunLoadedStoredAndCompressesTheRest()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ALoadListKeepsWhatARunLoadedStoredAndCompressesTheRest));
        ProcessResult publish = sample.Publish("-p:OxidizeCompression=lz4");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        long closureSize = new FileInfo(sample.ExecutablePath).Length;
        var closureEntries = PackedExecutable.Entries(sample.ExecutablePath);

        // Record: the host appends every packed entry the run loads, each once.
        string recorded = Path.Combine(sample.ScratchDirectory, "recorded");
        Directory.CreateDirectory(recorded);
        string list = Path.Combine(recorded, "hello.loads");
        string[] Record(string executable)
        {
            File.Delete(list);
            ProcessResult run = ProcessRunner.Run(executable, ["listed", "--exit-code", "5"], workingDirectory: recorded, standardInput: "list stdin\n",
                environment: new Dictionary<string, string> { ["OXIDIZE_LOAD_LIST"] = list }, timeout: TimeSpan.FromMinutes(1));
            Assert.AreEqual(5, run.ExitCode, run.ToString());
            Assert.Contains("stdin: list stdin", run.StandardOutput, run.ToString());
            return File.ReadAllLines(list);
        }
        string[] loaded = Record(sample.ExecutablePath);
        CollectionAssert.AllItemsAreUnique(loaded, string.Join('\n', loaded));
        foreach (string name in new[] { "libcoreclr.so", "System.Private.CoreLib.dll", "Hello.dll", "System.Console.dll" })
            CollectionAssert.Contains(loaded, name, string.Join('\n', loaded));
        foreach (string name in loaded)
            Assert.IsTrue(closureEntries.ContainsKey(name), $"'{name}' is recorded but not packed");
        // The closure keeps assemblies stored that this run never loaded: those are what the list lets lz4 compress.
        string[] storedUnloaded = closureEntries.Values.Where(entry => entry.Kind == 1 && entry.Codec == 0 && !loaded.Contains(entry.Name))
            .Select(entry => entry.Name).ToArray();
        Assert.IsNotEmpty(storedUnloaded, "Hello's static reference closure holds assemblies it does not load");

        // A comment and a name from another build: the list still applies, with a warning for the stale name.
        File.WriteAllLines(list, ["# recorded from Hello listed --exit-code 5", .. loaded, "Renamed.dll"]);
        publish = sample.Publish("-p:OxidizeCompression=lz4", $"-p:OxidizeLoadList={list}");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        StringAssert.Contains(publish.Output, "warning OXSDK1050: The load list '" + list + "' names 1 entries this executable does not pack ('Renamed.dll')");
        var listedEntries = PackedExecutable.Entries(sample.ExecutablePath);
        foreach (string name in loaded)
            Assert.AreEqual(0, listedEntries[name].Codec, $"'{name}' was loaded by the recorded run: stored");
        foreach (string name in storedUnloaded.Where(name => listedEntries[name].OriginalSize >= 16384))
            Assert.AreEqual(1, listedEntries[name].Codec, $"'{name}' was not loaded by the recorded run: compressed");
        Assert.IsLessThan(closureSize, new FileInfo(sample.ExecutablePath).Length, "compressing what the run did not load makes the file smaller");

        // The same run of the new executable decodes nothing: everything it loads is stored.
        string[] loadedAgain = Record(sample.ExecutablePath);
        CollectionAssert.AreEquivalent(loaded, loadedAgain);

        // Without compression a list changes nothing, and says so; a list that is not there stops the publish.
        publish = sample.Publish($"-p:OxidizeLoadList={list}");
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        StringAssert.Contains(publish.Output, "warning OXSDK1049: OxidizeLoadList ('" + list + "') changes nothing because OxidizeCompression is none");
        string missing = Path.Combine(recorded, "missing.loads");
        publish = sample.Publish("-p:OxidizeCompression=lz4", $"-p:OxidizeLoadList={missing}");
        Assert.AreNotEqual(0, publish.ExitCode, $"The publish should have failed:{publish}");
        StringAssert.Contains(publish.Output, "error OXSDK1048: OxidizeLoadList names '" + missing + "', which cannot be read");
    }
}
