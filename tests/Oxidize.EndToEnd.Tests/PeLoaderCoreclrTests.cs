using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The Windows loader's real test (issue 20): the WinNativeLoad sample, published self-contained for win-x64 from this
/// machine, runs under Wine with coreclr.dll, clrjit.dll, System.IO.Compression.Native.dll and SQLite's e_sqlite3.dll
/// all loaded from memory by pe_loader (src/Oxidize.Host/tests-windows/pe_coreclr_test.c reads every native DLL of the
/// publish into a buffer, as a payload entry, and runs coreclr_initialize + coreclr_execute_assembly). The managed
/// assemblies are the TPA list, read as files: serving those from memory is the Windows host's part.
/// </summary>
[TestClass]
public sealed class PeLoaderCoreclrTests
{
    private static readonly string[] NativeDlls = ["coreclr.dll", "clrjit.dll", "System.IO.Compression.Native.dll", "e_sqlite3.dll"];

    [TestMethod]
    public void RuntimeAndAppDllsRunFromMemoryUnderWine()
    {
        string program = Path.Combine(RepoPaths.Root, "artifacts", "host", "win-x64-tests", "pe-coreclr-test.exe");
        if (!File.Exists(program))
            Prerequisite.Missing($"{program} (make -C src/Oxidize.Host win-loader-tests, which ./build.sh runs)");
        SampleProject sample = SampleProject.Create("WinNativeLoad", nameof(RuntimeAndAppDllsRunFromMemoryUnderWine));
        ProcessResult publish = sample.PublishSelfContainedWithoutOxidize("win-x64");
        Assert.AreEqual(0, publish.ExitCode, $"dotnet publish -r win-x64 failed:{publish}");
        foreach (string dll in NativeDlls)
            Assert.IsTrue(File.Exists(Path.Combine(sample.PublishDirectory, dll)), $"the publish has no {dll}:{publish}");
        string[] filesBefore = Listing(sample.PublishDirectory);

        WineRun run = WineRunner.Run(
            program, [WineRunner.WindowsPath(sample.PublishDirectory), "WinNativeLoad.dll", "a b", "c\"d"], timeout: TimeSpan.FromMinutes(3));

        string output = run.ToString();
        Assert.AreEqual(42, run.ExitCode, $"the app's exit code did not come back:{Environment.NewLine}{output}");
        StringAssert.Contains(run.StandardOutput, "args: a b|c\"d", output);
        StringAssert.Contains(run.StandardOutput, "exception: thrown and caught", output);
        StringAssert.Contains(run.StandardOutput, "thread: ran", output);
        StringAssert.Contains(run.StandardOutput, "gzip: 8000 -> ", output);
        StringAssert.Matches(run.StandardOutput, new System.Text.RegularExpressions.Regex(@"sqlite: 3\.\d+\.\d+ 42"), output);
        StringAssert.Contains(run.StandardOutput, "runtime: .NET 10.", output);
        foreach (string dll in NativeDlls)
            StringAssert.Contains(run.StandardOutput, $"loaded from memory: {dll}", output);
        Assert.DoesNotContain("Windows' loader has", run.StandardOutput, output);
        CollectionAssert.AreEqual(filesBefore, Listing(sample.PublishDirectory), "the run changed the publish folder");
    }

    private static string[] Listing(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(path => $"{Path.GetRelativePath(folder, path)} {new FileInfo(path).Length}").Order(StringComparer.Ordinal)];
}
