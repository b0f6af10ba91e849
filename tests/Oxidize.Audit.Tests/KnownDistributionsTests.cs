using Oxidize.Tests.Shared;
using Oxidize.Audit.Native;
using Oxidize.Packing.Elf;

namespace Oxidize.Audit.Tests;

[TestClass]
public sealed class KnownDistributionsTests
{
    [TestMethod]
    public void DebianTwelveRowMatchesThisMachinesLibraries()
    {
        // The tests run on Debian 12: its row must say what its libc and libstdc++ really define.
        if (!File.ReadAllText("/etc/os-release").Contains("VERSION_ID=\"12\"", StringComparison.Ordinal))
            Prerequisite.MachineLacks("Debian 12");
        var debian = KnownDistributions.All.Single(distribution => distribution.Name == "Debian 12");
        var libc = SymbolVersion.HighestPerFamily(ElfFile.Read(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libc.so.6")).DefinedVersions);
        var libstdcxx = SymbolVersion.HighestPerFamily(ElfFile.Read(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")).DefinedVersions);

        Assert.AreEqual(libc["GLIBC"].Version, debian.Glibc);
        Assert.AreEqual(libstdcxx["GLIBCXX"].Version, debian.Glibcxx);
        Assert.AreEqual(libstdcxx["CXXABI"].Version, debian.CxxAbi);
    }

    [TestMethod]
    public void TableIsOrderedByGlibcWithMuslLast()
    {
        var glibcs = KnownDistributions.All.Where(distribution => !distribution.IsMusl).Select(distribution => distribution.Glibc!).ToList();
        CollectionAssert.AreEqual(glibcs.Order().ToList(), glibcs);
        Assert.IsTrue(KnownDistributions.All[^1].IsMusl);
        Assert.AreEqual(new Version(2, 17), KnownDistributions.All.Single(distribution => distribution.Name == "CentOS 7").Glibc);
    }

    [TestMethod]
    public void LackingListsNewestFirstAndLeavesMuslOut()
    {
        var lacking = KnownDistributions.Lacking("GLIBC", new Version(2, 28)).Select(distribution => distribution.Name).ToArray();

        CollectionAssert.AreEqual(new[] { "Ubuntu 18.04", "Amazon Linux 2", "CentOS 7" }, lacking);
        Assert.IsEmpty(KnownDistributions.Lacking("GLIBC", new Version(2, 17)));
        Assert.IsEmpty(KnownDistributions.Lacking("GCC", new Version(99, 0)), "families the table does not track fail nowhere");
    }

    [TestMethod]
    public void SupportedAtTheFloorStartsWithTheFloorsDistribution()
    {
        var supported = KnownDistributions.SupportedAt(new Version(2, 27));

        Assert.AreEqual("Ubuntu 18.04", supported[0].Name);
        Assert.IsFalse(supported.Any(distribution => distribution.IsMusl || distribution.Name == "Amazon Linux 2"));
        Assert.AreEqual("Debian 11 (glibc 2.31)", KnownDistributions.All.Single(distribution => distribution.Name == "Debian 11").Describe("GLIBC"));
        Assert.AreEqual("RHEL 9 (GLIBCXX 3.4.29)", KnownDistributions.All.Single(distribution => distribution.Name == "RHEL 9").Describe("GLIBCXX"));
    }
}
