using System.Runtime.InteropServices;
using Oxidize.Packing;
using Oxidize.Tests.Shared;

namespace Oxidize.Userland.Tests;

/// <summary>
/// The resolver in process, on the repository's real host and this machine's glibc, OpenSSL and ICU, and on folders
/// made here for what must fail (a library found nowhere, no ICU, missing data) and for the time-zone filter.
/// </summary>
[TestClass]
public sealed class UserlandResolverTests
{
    private static readonly string[] SystemDirectories = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"];

    private static string Host
    {
        get
        {
            string host = Path.Combine(RepositoryRoot.Path, "artifacts", "host", "oxidize-host");
            if (!File.Exists(host))
                Prerequisite.Missing($"{host} (./build.sh builds it)");
            return host;
        }
    }

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr GnuGetLibcVersion();

    [TestMethod]
    public void TheHostLeadsToThisMachinesLoaderAndGlibc()
    {
        UserlandPlan plan = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = SystemDirectories });

        Assert.AreEqual(Marshal.PtrToStringAnsi(GnuGetLibcVersion()), plan.GlibcVersion, "the carried glibc is the one this process runs on");
        Assert.AreEqual(new FileInfo("/lib64/ld-linux-x86-64.so.2").ResolveLinkTarget(true)?.FullName ?? "/lib64/ld-linux-x86-64.so.2", plan.LoaderPath);
        Assert.Contains("libc.so.6", plan.Preloaded);
        Assert.IsEmpty(plan.OnDemand);
        CollectionAssert.AreEqual(plan.Preloaded.Order(StringComparer.Ordinal).ToArray(), plan.Preloaded.ToArray(), "preloads in ordinal order");

        UserlandFile[] files = [.. plan.Files];
        Assert.AreEqual(new UserlandFile(Host, ".oxidize/userland/host", IsContent: true, KeepStored: true), files[0]);
        Assert.AreEqual(new UserlandFile(plan.LoaderPath, ".oxidize/userland/ld.so", IsContent: true, KeepStored: true), files[1]);
        UserlandFile libc = files.Single(file => file.EntryName == ".oxidize/userland/preload/libc.so.6");
        Assert.IsTrue(libc.IsContent && libc.KeepStored);
        Assert.IsTrue(files.All(file => File.Exists(file.SourcePath) && new FileInfo(file.SourcePath).LinkTarget is null), "real files, links resolved");
        Assert.HasCount(2 + plan.Preloaded.Count, files);
    }

    [TestMethod]
    public void TheLoaderCacheFindsWhatTheSystemFoldersFind()
    {
        UserlandPlan fromFolders = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = SystemDirectories });
        UserlandPlan fromCache = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host });
        Assert.IsNull(fromCache.LoaderCacheFailure);
        CollectionAssert.AreEqual(fromFolders.Files.ToArray(), fromCache.Files.ToArray());
    }

    [TestMethod]
    public void APackedLibraryIsNotCarriedTwiceButItsNeedsAre()
    {
        string libdl = SystemLibrary("libdl.so.2");
        UserlandPlan without = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = SystemDirectories });
        Assert.Contains("libdl.so.2", without.Preloaded, "the host needs libdl.so.2");

        UserlandPlan with = UserlandResolver.Resolve(new UserlandRequest
        {
            HostPath = Host,
            LibraryDirectories = SystemDirectories,
            PackedFiles = [new PackedFile(libdl, "runtimes/linux-x64/native/libdl.so.2"), new PackedFile(Host, "not-an-elf-check/App.dll")],
        });
        Assert.DoesNotContain("libdl.so.2", with.Preloaded);
        Assert.Contains("libc.so.6", with.Preloaded);
    }

    [TestMethod]
    public void OpenSslIsLoadedOnDemandAndItsGlibcNeedsArePreloaded()
    {
        SystemLibrary("libssl.so.3");
        UserlandPlan plan = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = SystemDirectories, IncludeOpenSsl = true });
        CollectionAssert.IsSubsetOf(new[] { "libcrypto.so.3", "libssl.so.3" }, plan.OnDemand.ToArray());
        Assert.IsFalse(plan.OnDemand.Any(name => name.StartsWith("libc.so", StringComparison.Ordinal) || name == "libpthread.so.0"), string.Join(" ", plan.OnDemand));
        UserlandFile ssl = plan.Files.Single(file => file.EntryName == ".oxidize/userland/native/libssl.so.3");
        Assert.IsFalse(ssl.IsContent, "the host loads it from memory when the runtime asks");
        Assert.IsFalse(ssl.KeepStored, "only loaded when TLS is used");
    }

    [TestMethod]
    public void IcuIsLoadedOnDemandAndKeptStored()
    {
        SystemLibrary("libicuuc.so.72");
        UserlandPlan plan = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = SystemDirectories, IncludeIcu = true });
        string major = new LibraryLocator(new Dictionary<string, string>(), SystemDirectories).IcuMajorVersion()!;
        foreach (string name in new[] { $"libicuuc.so.{major}", $"libicui18n.so.{major}", $"libicudata.so.{major}" })
        {
            UserlandFile file = plan.Files.Single(file => file.EntryName == ".oxidize/userland/native/" + name);
            Assert.IsTrue(!file.IsContent && file.KeepStored, name);
        }
    }

    [TestMethod]
    public void IcuMajorVersionIsTheHighestWithBothLibraries()
    {
        string real = SystemLibrary("libc.so.6");
        var cache = new Dictionary<string, string>
        {
            ["libicuuc.so.70"] = real, ["libicui18n.so.70"] = real,
            ["libicuuc.so.9"] = real, ["libicui18n.so.9"] = real,
            ["libicuuc.so.99"] = real, // no libicui18n.so.99
            ["libicuuc.so.71.1"] = real, ["libicui18n.so.71.1"] = real, // not a soname of the libicuuc.so.<major> form
        };
        var locator = new LibraryLocator(cache, [TestScratch.NewDirectory("userland-empty")]);
        Assert.AreEqual("70", locator.IcuMajorVersion());
        Assert.IsNull(new LibraryLocator(new Dictionary<string, string>(), [TestScratch.NewDirectory("userland-empty")]).IcuMajorVersion());
    }

    [TestMethod]
    public void ALibraryFoundNowhereFailsWith4002NamingWhoNeedsIt()
    {
        PackingException error = Assert.ThrowsExactly<PackingException>(() => UserlandResolver.Resolve(
            new UserlandRequest { HostPath = Host, LibraryDirectories = [TestScratch.NewDirectory("userland-empty")] }));
        Assert.AreEqual("OXSDK4002", error.Code);
        StringAssert.Contains(error.Message, "(needed by the host) is not on this machine");
    }

    [TestMethod]
    public void AHostThatIsNotElfFailsWith4002()
    {
        string notElf = Path.Combine(TestScratch.NewDirectory("userland-host"), "oxidize-host");
        File.WriteAllText(notElf, "#!/bin/sh\n");
        PackingException error = Assert.ThrowsExactly<PackingException>(() => UserlandResolver.Resolve(
            new UserlandRequest { HostPath = notElf, LibraryDirectories = SystemDirectories }));
        Assert.AreEqual("OXSDK4002", error.Code);
        StringAssert.Contains(error.Message, "the host");
    }

    [TestMethod]
    public void IcuAskedForButNotThereFailsWith4003()
    {
        // A folder with only what the host needs (links to this machine's glibc libraries), so the closure resolves.
        string folder = TestScratch.NewDirectory("userland-no-icu");
        UserlandPlan plain = UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = SystemDirectories });
        foreach (UserlandFile file in plain.Files.Where(file => file.EntryName.StartsWith(".oxidize/userland/preload/", StringComparison.Ordinal)))
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file.EntryName)), file.SourcePath);

        Assert.HasCount(plain.Files.Count, UserlandResolver.Resolve(new UserlandRequest { HostPath = Host, LibraryDirectories = [folder] }).Files);
        PackingException error = Assert.ThrowsExactly<PackingException>(() => UserlandResolver.Resolve(
            new UserlandRequest { HostPath = Host, LibraryDirectories = [folder], IncludeIcu = true }));
        Assert.AreEqual("OXSDK4003", error.Code);
    }

    [TestMethod]
    public void MissingCertificatesOrZoneInfoFailWith4004()
    {
        string folder = TestScratch.NewDirectory("userland-data");
        PackingException certificates = Assert.ThrowsExactly<PackingException>(() => UserlandResolver.Resolve(new UserlandRequest
            { HostPath = Host, LibraryDirectories = SystemDirectories, CertificatesFile = Path.Combine(folder, "none.crt") }));
        Assert.AreEqual("OXSDK4004", certificates.Code);
        StringAssert.Contains(certificates.Message, "none.crt");
        PackingException zoneInfo = Assert.ThrowsExactly<PackingException>(() => UserlandResolver.Resolve(new UserlandRequest
            { HostPath = Host, LibraryDirectories = SystemDirectories, ZoneInfoDirectory = Path.Combine(folder, "zoneinfo") }));
        Assert.AreEqual("OXSDK4004", zoneInfo.Code);
    }

    [TestMethod]
    public void ZoneInfoLeavesOutPosixAndRightAndKeepsTheRestAsContent()
    {
        string zoneInfo = TestScratch.NewDirectory("userland-zoneinfo");
        foreach (string relative in new[] { "Europe/Paris", "UTC", "zone.tab", "posix/Europe/Paris", "right/UTC" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(zoneInfo, relative))!);
            File.WriteAllText(Path.Combine(zoneInfo, relative), relative);
        }
        string certificates = Path.Combine(zoneInfo, "..", Path.GetFileName(zoneInfo) + ".crt");
        File.WriteAllText(certificates, "-----BEGIN CERTIFICATE-----\n");

        UserlandPlan plan = UserlandResolver.Resolve(new UserlandRequest
            { HostPath = Host, LibraryDirectories = SystemDirectories, ZoneInfoDirectory = zoneInfo, CertificatesFile = certificates });
        UserlandFile[] data = [.. plan.Files.Where(file => !file.EntryName.Contains("/preload/", StringComparison.Ordinal)).Skip(2)];
        CollectionAssert.AreEqual(
            new[] { ".oxidize/userland/ca-certificates.crt", ".oxidize/userland/zoneinfo/Europe/Paris", ".oxidize/userland/zoneinfo/UTC", ".oxidize/userland/zoneinfo/zone.tab" },
            data.Select(file => file.EntryName).ToArray());
        Assert.IsTrue(data.All(file => file.IsContent && !file.KeepStored));
        Assert.AreEqual(Path.GetFullPath(Path.Combine(zoneInfo, "Europe/Paris")), data[1].SourcePath);
    }

    private static string SystemLibrary(string name)
    {
        string? found = SystemDirectories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
        if (found is null)
            Prerequisite.Missing($"{name} in {string.Join(" or ", SystemDirectories)}");
        return found!;
    }
}
