using System.Diagnostics;
using System.Reflection.PortableExecutable;
using Oxidize.Tests.Shared;

namespace Oxidize.Packing.Tests;

/// <summary>
/// The win-x64 host as eng/build.sh builds it (src/Oxidize.Host/Makefile, mingw-w64): a PE x64 console program with no
/// timestamp, and byte-identical when the same sources are built at another path, so publishes from two checkouts
/// give the same .exe (docs/how-it-works.md, "Windows (win-x64)").
/// </summary>
[TestClass]
public sealed class WindowsHostBuildTests
{
    private const string MinGwCompiler = "/usr/bin/x86_64-w64-mingw32-gcc";

    private static string BuiltHost => Path.Combine(RepoPaths.Root, "artifacts", "host", "win-x64", "oxidize-host.exe");

    [TestMethod]
    public void TheHostIsAnX64ConsoleProgramWithoutTimestamp()
    {
        if (!File.Exists(BuiltHost))
            Prerequisite.Missing($"{BuiltHost} (built by ./build.sh)");
        using FileStream file = File.OpenRead(BuiltHost);
        using var pe = new PEReader(file);

        Assert.AreEqual(Machine.Amd64, pe.PEHeaders.CoffHeader.Machine);
        Assert.IsTrue(pe.PEHeaders.IsExe, "the host is not an executable image");
        Assert.AreEqual(Subsystem.WindowsCui, pe.PEHeaders.PEHeader!.Subsystem, "the host must be a console program");
        Assert.AreEqual(0, pe.PEHeaders.CoffHeader.TimeDateStamp, "a link timestamp would make every build differ");
        Assert.IsEmpty(pe.ReadDebugDirectory(), "the host carries debug information (paths of the build machine)");
    }

    [TestMethod]
    public void TheSameSourcesAtAnotherPathGiveTheSameBytes()
    {
        if (!File.Exists(BuiltHost))
            Prerequisite.Missing($"{BuiltHost} (built by ./build.sh)");
        if (!File.Exists(MinGwCompiler))
            Prerequisite.Missing($"{MinGwCompiler} (Debian package gcc-mingw-w64-x86-64, installed by ./build.sh)");
        string sources = Path.Combine(RepoPaths.Root, "src", "Oxidize.Host");
        // Another path of another length: a path that leaked into the binary would change it.
        string copy = Path.Combine(TestScratch.NewDirectory("win-host-build"), "some", "other-checkout", "Oxidize.Host");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.EnumerateFiles(sources).Where(f => f.EndsWith(".c") || f.EndsWith(".h") || Path.GetFileName(f) == "Makefile"))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string output = Path.Combine(copy, "out");
        string target = Path.Combine(output, "win-x64", "oxidize-host.exe");

        var start = new ProcessStartInfo("make") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-s", "-C", copy, $"OUT={output}", target })
            start.ArgumentList.Add(argument);
        using Process make = Process.Start(start)!;
        Task<string> stdout = make.StandardOutput.ReadToEndAsync();
        Task<string> stderr = make.StandardError.ReadToEndAsync();
        if (!make.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            make.Kill(entireProcessTree: true);
            Assert.Fail("building the win-x64 host took more than 5 minutes");
        }
        make.WaitForExit();

        Assert.AreEqual(0, make.ExitCode, $"make failed:{Environment.NewLine}{stdout.Result}{stderr.Result}");
        CollectionAssert.AreEqual(File.ReadAllBytes(BuiltHost), File.ReadAllBytes(target),
            $"{target} differs from {BuiltHost}: the build depends on where the sources are");
    }
}
