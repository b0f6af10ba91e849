using Oxidize.Audit.Native;

namespace Oxidize.Audit.Tests;

/// <summary>
/// The audit without a declared glibc floor (the default): findings say what raises the executable's floor
/// above the runtime's, libstdc++ is judged at that real floor, and each finding says whether the library
/// loads at startup or when first used.
/// </summary>
[TestClass]
public sealed class GlibcFloorTests
{
    private static readonly PackageOrigin Package = new("Fixture.Native", "1.2.3");
    private static readonly NativePolicy Undeclared = new(NativePolicy.RuntimeGlibcFloor, new HashSet<string>(), FloorDeclared: false);
    private static readonly NativePolicy Declared = new(NativePolicy.RuntimeGlibcFloor, new HashSet<string>());

    [TestMethod]
    public void WithoutADeclaredFloorTheRealFloorIsWhatTheNeediestLibraryNeeds()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libe_sqlite3.so", Fixtures.NeedsGlibc234);

        var result = NativeAudit.Analyze([new NativeBinary("libe_sqlite3.so", Package, library)], Undeclared);

        Assert.AreEqual(new Version(2, 34), result.GlibcFloor);
        var finding = result.GlibcTooNew.Single();
        Assert.AreEqual("GLIBC_2.34", finding.Version.Name);
        Assert.IsFalse(finding.LoadsAtStartup, "a NuGet package's P/Invoke library is loaded when first used");
        CollectionAssert.Contains(finding.FailsOn.Select(distribution => distribution.Name).ToList(), "Ubuntu 20.04");
    }

    [TestMethod]
    public void ADeclaredFloorIsTheFloorTheFindingsAreJudgedAt()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libe_sqlite3.so", Fixtures.NeedsGlibc234);

        var result = NativeAudit.Analyze([new NativeBinary("libe_sqlite3.so", Package, library)], Declared);

        Assert.AreEqual(new Version(2, 27), result.GlibcFloor);
        Assert.HasCount(1, result.GlibcTooNew);
    }

    [TestMethod]
    public void WithoutADeclaredFloorLibstdcxxIsCheckedOnlyOnTheReleasesTheRealFloorIncludes()
    {
        string directory = Fixtures.NewDirectory();
        var binaries = new[]
        {
            new NativeBinary("libnewglibc.so", Package, Fixtures.SharedLibrary(directory, "libnewglibc.so", Fixtures.NeedsGlibc234)),
            new NativeBinary("libwaits.so", Package, Fixtures.SharedLibrary(directory, "libwaits.so", Fixtures.NeedsGlibcxx330, "g++")),
        };

        var undeclared = NativeAudit.Analyze(binaries, Undeclared).CxxRuntimeTooNew.Single(finding => finding.Version.Family == "GLIBCXX");
        var declared = NativeAudit.Analyze(binaries, Declared).CxxRuntimeTooNew.Single(finding => finding.Version.Family == "GLIBCXX");

        var failsOn = undeclared.FailsOn.Select(distribution => distribution.Name).ToList();
        CollectionAssert.Contains(failsOn, "RHEL 9", "glibc 2.34 with GLIBCXX 3.4.29: inside the real floor, and lacking 3.4.30");
        CollectionAssert.DoesNotContain(failsOn, "Debian 11", "glibc 2.31: libnewglibc.so already excludes it");
        CollectionAssert.Contains(declared.FailsOn.Select(distribution => distribution.Name).ToList(), "Debian 11", "at a declared 2.27 it counts");
    }

    [TestMethod]
    public void TheRuntimesStartupLibrariesAndWhatTheyNeedLoadAtStartupOthersWhenFirstUsed()
    {
        string directory = Fixtures.NewDirectory();
        // A dependency linked into a startup library: the loader brings it in with it.
        byte[] helper = Fixtures.SharedLibrary(directory, "libhelper.so", Fixtures.NeedsGlibc234);
        byte[] native = Fixtures.SharedLibrary(directory, "libSystem.Native.so", "int start_thread(void);\nint run(void) { return start_thread(); }\n",
            "gcc", "-L.", "-lhelper");
        byte[] plugin = Fixtures.SharedLibrary(directory, "libplugin.so", Fixtures.NeedsGlibc234);

        var result = NativeAudit.Analyze(
            [new NativeBinary("libSystem.Native.so", null, native), new NativeBinary("runtimes/linux-x64/native/libhelper.so", Package, helper),
             new NativeBinary("libplugin.so", Package, plugin)],
            Declared);

        var atStartup = result.GlibcTooNew.ToDictionary(finding => finding.File, finding => finding.LoadsAtStartup);
        Assert.IsTrue(atStartup["runtimes/linux-x64/native/libhelper.so"], "needed by libSystem.Native.so, matched by its soname");
        Assert.IsFalse(atStartup["libplugin.so"]);
    }

    [TestMethod]
    public void StartupLibrariesAreTheHostTheRuntimesOwnAndTheirPackedDependencies()
    {
        var startup = StartupLibraries.Find(
        [
            ("oxidize-host", null, [], false),
            ("libcoreclr.so", "libcoreclr.so", ["libc.so.6"], true),
            ("libclrjit.so", "libclrjit.so", ["libdep.so.1"], true),
            ("native/libdep.so", "libdep.so.1", ["libdeeper.so"], true),
            ("libdeeper.so", null, [], true),
            ("libe_sqlite3.so", "libe_sqlite3.so", ["libc.so.6"], true),
        ]);

        CollectionAssert.AreEquivalent(new[] { "oxidize-host", "libcoreclr.so", "libclrjit.so", "native/libdep.so", "libdeeper.so" }, startup.ToArray());
    }
}
