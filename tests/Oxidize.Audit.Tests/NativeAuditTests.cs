using Oxidize.Tests.Shared;
using Oxidize.Audit.Native;

namespace Oxidize.Audit.Tests;

/// <summary>The native checks on libraries compiled here, and on the real .NET runtime.</summary>
[TestClass]
public sealed class NativeAuditTests
{
    private static readonly PackageOrigin Package = new("Fixture.Native", "1.2.3");
    private static readonly NativePolicy RuntimeFloor = new(NativePolicy.RuntimeGlibcFloor, new HashSet<string>());

    [TestMethod]
    public void SymbolAboveTheFloorIsReportedWithItsSymbolPackageAndTheDistributionsItFailsOn()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libnewglibc.so", Fixtures.NeedsGlibc234);

        var result = NativeAudit.Analyze([new NativeBinary("libnewglibc.so", Package, library)], RuntimeFloor);

        var finding = result.GlibcTooNew.Single();
        Assert.AreEqual("libnewglibc.so", finding.File);
        Assert.AreEqual(Package, finding.Package);
        Assert.AreEqual("libc.so.6", finding.Library);
        Assert.AreEqual("GLIBC_2.34", finding.Version.Name);
        CollectionAssert.Contains(finding.Symbols.ToList(), "pthread_create");
        var failsOn = finding.FailsOn.Select(distribution => distribution.Name).ToList();
        CollectionAssert.IsSubsetOf(new[] { "Debian 11", "Ubuntu 20.04", "RHEL 8", "Ubuntu 18.04", "CentOS 7" }, failsOn);
        CollectionAssert.DoesNotContain(failsOn, "RHEL 9");
        CollectionAssert.DoesNotContain(failsOn, "Alpine", "musl fails whatever the version; it is not a finding's distribution");
        Assert.AreEqual("Ubuntu 20.04", failsOn[0], "newest first: the closest miss is the most telling");
        Assert.IsEmpty(result.CxxRuntimeTooNew);
        Assert.IsEmpty(result.MissingLibraries);
    }

    [TestMethod]
    public void RaisingTheFloorAcceptsTheLibrary()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libnewglibc.so", Fixtures.NeedsGlibc234);

        var result = NativeAudit.Analyze([new NativeBinary("libnewglibc.so", Package, library)], RuntimeFloor with { MaxGlibc = new Version(2, 34) });

        Assert.IsEmpty(result.GlibcTooNew);
        Assert.AreEqual("GLIBC_2.34", result.Highest.Single(requirement => requirement.Version.Family == "GLIBC").Version.Name);
    }

    [TestMethod]
    public void DataSymbolVersionIsFoundToo()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libsingle.so", Fixtures.NeedsGlibc232);

        var finding = NativeAudit.Analyze([new NativeBinary("libsingle.so", null, library)], RuntimeFloor).GlibcTooNew.Single();

        Assert.AreEqual("GLIBC_2.32", finding.Version.Name);
        CollectionAssert.AreEqual(new[] { "__libc_single_threaded" }, finding.Symbols.ToArray());
        Assert.IsNull(finding.Package);
        var failsOn = finding.FailsOn.Select(distribution => distribution.Name).ToList();
        CollectionAssert.Contains(failsOn, "Debian 11");
        CollectionAssert.DoesNotContain(failsOn, "RHEL 9");
    }

    [TestMethod]
    public void WithoutSectionHeadersTheVersionIsStillReportedWithoutSymbols()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libnewglibc.so", Fixtures.NeedsGlibc234);
        // e_shoff = 0, e_shnum = 0: what sstrip leaves; the loader never needs section headers.
        Array.Clear(library, 0x28, 8);
        Array.Clear(library, 0x3C, 2);

        var finding = NativeAudit.Analyze([new NativeBinary("libnewglibc.so", Package, library)], RuntimeFloor).GlibcTooNew.Single();

        Assert.AreEqual("GLIBC_2.34", finding.Version.Name);
        Assert.IsEmpty(finding.Symbols);
    }

    [TestMethod]
    public void LibstdcxxNewerThanTheDistributionsAtTheFloorIsReported()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libwaits.so", Fixtures.NeedsGlibcxx330, "g++");

        var result = NativeAudit.Analyze([new NativeBinary("libwaits.so", Package, library)], RuntimeFloor);

        var finding = result.CxxRuntimeTooNew.Single(finding => finding.Version.Family == "GLIBCXX");
        Assert.AreEqual("GLIBCXX_3.4.30", finding.Version.Name);
        Assert.AreEqual("libstdc++.so.6", finding.Library);
        CollectionAssert.Contains(finding.Symbols.ToList(), "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE");
        var failsOn = finding.FailsOn.Select(distribution => distribution.Name).ToList();
        CollectionAssert.IsSubsetOf(new[] { "RHEL 9", "Debian 11", "Ubuntu 18.04" }, failsOn);
        CollectionAssert.DoesNotContain(failsOn, "Amazon Linux 2", "its glibc is below the floor: the runtime does not run there anyway");
        CollectionAssert.DoesNotContain(failsOn, "Debian 12");
    }

    [TestMethod]
    public void RequirementsOnAPackedLibraryAreThePackedCopysBusiness()
    {
        string directory = Fixtures.NewDirectory();
        byte[] library = Fixtures.SharedLibrary(directory, "libwaits.so", Fixtures.NeedsGlibcxx330, "g++");
        byte[] libstdcxx = File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6");

        var result = NativeAudit.Analyze(
            [new NativeBinary("libwaits.so", Package, library), new NativeBinary("libstdc++.so.6", Package, libstdcxx)],
            RuntimeFloor with { MaxGlibc = new Version(2, 36) });

        Assert.IsEmpty(result.CxxRuntimeTooNew);
        Assert.IsEmpty(result.MissingLibraries);
    }

    [TestMethod]
    public void NeededLibraryThatIsNeitherPackedNorAllowedIsReported()
    {
        string directory = Fixtures.NewDirectory();
        // The stub only exists to link against: its soname goes into DT_NEEDED, and it is not packed.
        Fixtures.SharedLibrary(directory, "libnotthere.so", "int not_there(void) { return 1; }\n", "gcc", "-Wl,-soname,libnotthere.so.1");
        byte[] library = Fixtures.SharedLibrary(directory, "libneedsmissing.so", "int not_there(void);\nint call(void) { return not_there(); }\n",
            "gcc", "-L.", "-lnotthere");

        var missing = NativeAudit.Analyze([new NativeBinary("libneedsmissing.so", Package, library)], RuntimeFloor).MissingLibraries.Single();

        Assert.AreEqual(new MissingLibraryFinding("libneedsmissing.so", Package, "libnotthere.so.1", LoadsAtStartup: false), missing);
    }

    [TestMethod]
    public void ALibraryMostInstallationsHaveIsReportedWithItsPackagesAndAnUnknownOneWithout()
    {
        string directory = Fixtures.NewDirectory();
        // Stubs with the real sonames, only to link against: fontconfig is in the common tier, libnotthere is not.
        Fixtures.SharedLibrary(directory, "libfontconfig.so", "int FcInit(void) { return 1; }\n", "gcc", "-Wl,-soname,libfontconfig.so.1");
        Fixtures.SharedLibrary(directory, "libnotthere.so", "int not_there(void) { return 1; }\n", "gcc", "-Wl,-soname,libnotthere.so.1");
        byte[] library = Fixtures.SharedLibrary(directory, "libdraws.so", "int FcInit(void);\nint not_there(void);\nint draw(void) { return FcInit() + not_there(); }\n",
            "gcc", "-L.", "-lfontconfig", "-lnotthere");

        var missing = NativeAudit.Analyze([new NativeBinary("libdraws.so", Package, library)], RuntimeFloor).MissingLibraries;

        CollectionAssert.AreEqual(
            new[]
            {
                new MissingLibraryFinding("libdraws.so", Package, "libfontconfig.so.1", LoadsAtStartup: false, new CommonSystemLibrary("libfontconfig.so.1", "libfontconfig1", "fontconfig")),
                new MissingLibraryFinding("libdraws.so", Package, "libnotthere.so.1", LoadsAtStartup: false),
            },
            missing.ToArray());
    }

    [TestMethod]
    public void NeededLibraryIsFineWhenPackedUnderItsSonameOrFileNameOrAllowed()
    {
        string directory = Fixtures.NewDirectory();
        byte[] stub = Fixtures.SharedLibrary(directory, "libnotthere.so", "int not_there(void) { return 1; }\n", "gcc", "-Wl,-soname,libnotthere.so.1");
        byte[] library = Fixtures.SharedLibrary(directory, "libneedsmissing.so", "int not_there(void);\nint call(void) { return not_there(); }\n",
            "gcc", "-L.", "-lnotthere");
        var needing = new NativeBinary("libneedsmissing.so", Package, library);

        Assert.IsEmpty(NativeAudit.Analyze([needing, new NativeBinary("native/libnotthere.so", Package, stub)], RuntimeFloor).MissingLibraries, "packed, found by soname");
        Assert.IsEmpty(NativeAudit.Analyze([needing], RuntimeFloor with { AllowedLibraries = new HashSet<string> { "libnotthere.so.1" } }).MissingLibraries, "allowed");
        Assert.HasCount(1, NativeAudit.Analyze([needing, new NativeBinary("libnotthere.so.1", Package, stub, IsPacked: false)], RuntimeFloor).MissingLibraries,
            "a file that is not packed (the host) satisfies nothing");
    }

    [TestMethod]
    public void TheDotNetRuntimeMeetsItsOwnFloor()
    {
        var binaries = Directory.GetFiles(Fixtures.RuntimeNativeDirectory(), "*.so").Order(StringComparer.Ordinal)
            .Select(path => new NativeBinary(Path.GetFileName(path), new PackageOrigin("Microsoft.NETCore.App.Runtime.linux-x64", "10.0.0"), File.ReadAllBytes(path)))
            .ToList();

        var result = NativeAudit.Analyze(binaries, RuntimeFloor);

        Assert.IsEmpty(result.GlibcTooNew, string.Join("; ", result.GlibcTooNew));
        Assert.IsEmpty(result.CxxRuntimeTooNew, string.Join("; ", result.CxxRuntimeTooNew));
        Assert.IsEmpty(result.MissingLibraries, string.Join("; ", result.MissingLibraries));
        Assert.IsEmpty(result.Unreadable);
        Assert.AreEqual("GLIBC_2.27", result.Highest[0].Version.Name, "the runtime's floor, first in the list");
        CollectionAssert.AreEqual(new[] { "GLIBC", "GLIBCXX", "CXXABI", "GCC" }, result.Highest.Select(requirement => requirement.Version.Family).ToArray());
    }

    [TestMethod]
    public void FilesThatAreNotX86_64ElfAreUnreadableNotFatal()
    {
        byte[] library = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libplain.so", Fixtures.Plain);
        byte[] aarch64 = (byte[])library.Clone();
        aarch64[18] = 183; // e_machine EM_AARCH64
        byte[] truncated = library[..40];

        var result = NativeAudit.Analyze(
            [new NativeBinary("libarm.so", Package, aarch64), new NativeBinary("libcut.so", null, truncated), new NativeBinary("libplain.so", null, library)],
            RuntimeFloor);

        CollectionAssert.AreEqual(new[] { "libarm.so", "libcut.so" }, result.Unreadable.Select(file => file.File).ToArray());
        StringAssert.Contains(result.Unreadable[0].Reason, "built for arm64 (e_machine 183), not x86-64");
        Assert.HasCount(1, result.Files);
    }

    /// <summary>A linux-arm64 publish holds files to AArch64 (a library cross-compiled with Debian's aarch64 gcc) and the
    /// same glibc table: its GLIBC_2.34 symbol is a finding, and an x86-64 library is the unreadable one.</summary>
    [TestMethod]
    public void Arm64PolicyChecksAArch64LibrariesAndRefusesX86_64Ones()
    {
        byte[] arm64 = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libnewglibc.so", Fixtures.NeedsGlibc234, "aarch64-linux-gnu-gcc");
        byte[] x64 = Fixtures.SharedLibrary(Fixtures.NewDirectory(), "libplain.so", Fixtures.Plain);

        var result = NativeAudit.Analyze(
            [new NativeBinary("libnewglibc.so", Package, arm64), new NativeBinary("libplain.so", null, x64)],
            RuntimeFloor with { Machine = Oxidize.Packing.Elf.ElfMachine.AArch64 });

        Assert.AreEqual("libplain.so", result.Unreadable.Single().File);
        StringAssert.Contains(result.Unreadable[0].Reason, "built for x86-64 (e_machine 62), not arm64");
        var finding = result.GlibcTooNew.Single();
        Assert.AreEqual("libnewglibc.so", finding.File);
        Assert.AreEqual("GLIBC_2.34", finding.Version.Name);
        CollectionAssert.Contains(finding.FailsOn.Select(distribution => distribution.Name).ToList(), "Ubuntu 20.04");
    }

    [TestMethod]
    [DataRow("oxidize-host", Oxidize.Packing.Elf.ElfMachine.X86_64)]
    [DataRow("linux-arm64/oxidize-host", Oxidize.Packing.Elf.ElfMachine.AArch64)]
    public void TheRealHostNeedsNothingAboveTheRuntimeFloor(string hostPath, Oxidize.Packing.Elf.ElfMachine machine)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Oxidize.Sdk.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no Oxidize.Sdk.sln above the tests");
        string host = Path.Combine(root, "artifacts", "host", hostPath);
        if (!File.Exists(host))
            Prerequisite.Missing(host);

        var result = NativeAudit.Analyze([new NativeBinary("oxidize-host", null, File.ReadAllBytes(host), IsPacked: false)], RuntimeFloor with { Machine = machine });

        Assert.IsEmpty(result.Unreadable, string.Join("; ", result.Unreadable));
        Assert.IsEmpty(result.GlibcTooNew, string.Join("; ", result.GlibcTooNew));
        Assert.IsEmpty(result.MissingLibraries, string.Join("; ", result.MissingLibraries));
    }
}
