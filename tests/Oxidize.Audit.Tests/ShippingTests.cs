using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Oxidize.Audit.Shipping;
using Oxidize.Packing;

namespace Oxidize.Audit.Tests;

/// <summary>
/// The OS-packaging library (Oxidize.Audit.Shipping) without MSBuild: format lists, versions, the dependencies computed
/// from a bill of materials, the DEP-5 copyright, and the archives' bytes. The end-to-end checks with dpkg, rpm,
/// lintian and tar are in OsPackagesTests.
/// </summary>
[TestClass]
public sealed class ShippingTests
{
    private const string Bom = """
        {
          "metadata": { "component": { "name": "App", "properties": [
            { "name": "oxidize:runtimeIdentifier", "value": "linux-x64" },
            { "name": "oxidize:requires:GLIBC", "value": "GLIBC_2.34" },
            { "name": "oxidize:requires:GLIBCXX", "value": "GLIBCXX_3.4.21" },
            { "name": "oxidize:requires:GCC", "value": "GCC_3.0" } ] } },
          "components": [
            { "type": "framework", "name": "Microsoft.NETCore.App.Runtime.linux-x64", "version": "10.0.1", "licenses": [ { "expression": "MIT" } ],
              "components": [ { "type": "file", "name": "libSystem.Security.Cryptography.Native.OpenSsl.so" } ] },
            { "type": "library", "name": "SQLitePCLRaw.core", "version": "2.1.11", "licenses": [ { "expression": "Apache-2.0" } ] },
            { "type": "library", "name": "Odd", "version": "1.0.0", "licenses": [ { "license": { "name": "Odd license (LICENSE.txt)" } } ] }
          ]
        }
        """;

    private static BomFacts Facts => BomFacts.Parse(Encoding.UTF8.GetBytes(Bom));

    private static ShippingMetadata Metadata(string description = "Does things.\n\nIn detail.") =>
        ShippingMetadata.Create("app", "App", "1.0.0", "", "A Person <a@example.org>", description, "", "", "MIT", "", "linux-x64");

    [TestMethod]
    public void FormatListsTakeEverySeparatorAndRefuseUnknownNames()
    {
        CollectionAssert.AreEqual(new[] { OsPackageFormat.Deb, OsPackageFormat.Rpm, OsPackageFormat.TarGz }, OsPackageFormats.Parse("tar.gz;deb,rpm").ToArray());
        CollectionAssert.AreEqual(new[] { OsPackageFormat.Deb, OsPackageFormat.TarGz }, OsPackageFormats.Parse(" DEB  tgz deb ").ToArray());
        Assert.IsEmpty(OsPackageFormats.Parse(""));
        var error = Assert.ThrowsExactly<PackingException>(() => OsPackageFormats.Parse("deb;zip"));
        Assert.AreEqual(ShippingErrorCodes.UnknownFormat, error.Code);
        StringAssert.Contains(error.Message, "'zip'");
    }

    [TestMethod]
    [DataRow("1.0.0", "1.0.0")]
    [DataRow("1.2.3-beta.1", "1.2.3~beta.1")]
    [DataRow("1.2.3-rc-2+sha.abc", "1.2.3~rc.2+sha.abc")]
    public void SemVerPrereleasesSortBeforeTheirRelease(string version, string expected) =>
        Assert.AreEqual(expected, OsPackageVersions.ToPackageVersion(version));

    [TestMethod]
    [DataRow("v1")]
    [DataRow("1.0:2")]
    [DataRow("1.0 beta")]
    [DataRow("")]
    public void VersionsNeitherFormatTakesAreRefused(string version) =>
        Assert.AreEqual(ShippingErrorCodes.VersionInvalid, Assert.ThrowsExactly<PackingException>(() => OsPackageVersions.ToPackageVersion(version)).Code);

    [TestMethod]
    public void DependenciesComeFromTheAuditsFacts()
    {
        var dependencies = SystemDependencies.Compute(Facts, invariantGlobalization: false, bundledUserland: false);
        CollectionAssert.AreEqual(
            new[] { "libc6 (>= 2.34)", "libstdc++6", "libgcc-s1 | libgcc1", string.Join(" | ", SystemDependencies.DebianIcuPackages), "libssl3 | libssl3t64 | libssl1.1" },
            dependencies.Select(dependency => dependency.Debian).ToArray());
        CollectionAssert.AreEqual(
            new[] { "libc.so.6(GLIBC_2.34)(64bit)", "libstdc++.so.6(GLIBCXX_3.4.21)(64bit)", "libgcc_s.so.1(GCC_3.0)(64bit)", "libicu", "(libssl.so.3()(64bit) or libssl.so.1.1()(64bit))" },
            dependencies.Select(dependency => dependency.Rpm).ToArray());

        Assert.IsFalse(SystemDependencies.Compute(Facts, invariantGlobalization: true, bundledUserland: false).Any(dependency => dependency.Rpm == "libicu"));
        Assert.IsEmpty(SystemDependencies.Compute(Facts, invariantGlobalization: false, bundledUserland: true), "a bundled userland carries all of it");
    }

    [TestMethod]
    public void MetadataRefusesWhatTheFormatsCannotTake()
    {
        PackingException Refused(Action create) => Assert.ThrowsExactly<PackingException>(create);
        Assert.AreEqual(ShippingErrorCodes.DescriptionMissing, Refused(() => Metadata(ShippingMetadata.NuGetDefaultDescription)).Code);
        Assert.AreEqual(ShippingErrorCodes.DescriptionMissing, Refused(() => Metadata(" ")).Code);
        Assert.AreEqual(ShippingErrorCodes.NameInvalid,
            Refused(() => ShippingMetadata.Create("App", "App", "1.0", "", "A <a@b.c>", "d", "", "", "MIT", "", "linux-x64")).Code);
        Assert.AreEqual(ShippingErrorCodes.MaintainerInvalid,
            Refused(() => ShippingMetadata.Create("app", "App", "1.0", "", "App", "d", "", "", "MIT", "", "linux-x64")).Code);
        Assert.AreEqual(ShippingErrorCodes.LicenseMissing,
            Refused(() => ShippingMetadata.Create("app", "App", "1.0", "", "A <a@b.c>", "d", "", "", "", "", "linux-x64")).Code);
        Assert.AreEqual(ShippingErrorCodes.ArchitectureUnsupported,
            Refused(() => ShippingMetadata.Create("app", "App", "1.0", "", "A <a@b.c>", "d", "", "", "MIT", "", "win-x64")).Code);
    }

    [TestMethod]
    public void TheSynopsisIsTheFirstLineAndTheExtendedDescriptionTheRest()
    {
        var metadata = Metadata();
        Assert.AreEqual("Does things", metadata.Summary);
        Assert.AreEqual("In detail.", metadata.ExtendedDescription);
        StringAssert.StartsWith(Metadata("One line only.").ExtendedDescription, "App 1.0.0, published with Oxidize.Sdk", "lintian refuses an empty or repeated one");
    }

    [TestMethod]
    public void CopyrightListsEveryComponentAndPointsAtCommonLicenses()
    {
        string copyright = DebianCopyrightWriter.Write(Metadata(), Facts.Components);
        StringAssert.StartsWith(copyright, "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: App\n");
        StringAssert.Contains(copyright, "  SQLitePCLRaw.core 2.1.11: Apache-2.0\n");
        StringAssert.Contains(copyright, "  Odd 1.0.0: Odd license (LICENSE.txt)\n");
        StringAssert.Contains(copyright, "\nFiles: *\nCopyright: A Person <a@example.org>\nLicense: MIT and Apache-2.0\n");
        StringAssert.Contains(copyright, "\nLicense: Apache-2.0\n The SPDX license Apache-2.0, whose text is at https://spdx.org/licenses/Apache-2.0.html.\n On Debian systems, the full text is in /usr/share/common-licenses/Apache-2.0.\n");
        StringAssert.Contains(copyright, "\nLicense: MIT\n");
        Assert.AreEqual("GPL-3.0-or-later with GCC-exception-3.1", DebianCopyrightWriter.ToDebian("GPL-3.0-or-later WITH GCC-exception-3.1"));
    }

    [TestMethod]
    public void TarballsAreSortedRootOwnedDatedAndIdenticalForIdenticalInputs()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        OsPackageEntry[] entries =
        [
            OsPackageEntry.FromBytes("usr/share/doc/app/copyright", "c"u8.ToArray()),
            OsPackageEntry.FromBytes("usr/bin/app", "binary"u8.ToArray(), OsPackageEntry.Executable),
        ];
        byte[] first = Tar(entries, time);
        CollectionAssert.AreEqual(first, Tar([.. entries.Reverse()], time), "the order of the inputs does not matter");
        CollectionAssert.AreNotEqual(first, Tar(entries, time.AddSeconds(1)));

        using var gzip = new GZipStream(new MemoryStream(first), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var read = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
            read.Add(entry);
        CollectionAssert.AreEqual(
            new[] { "./", "./usr/", "./usr/bin/", "./usr/bin/app", "./usr/share/", "./usr/share/doc/", "./usr/share/doc/app/", "./usr/share/doc/app/copyright" },
            read.Select(entry => entry.Name).ToArray());
        foreach (var entry in read)
        {
            Assert.AreEqual((0, 0, "root", "root"), (entry.Uid, entry.Gid, ((PosixTarEntry)entry).UserName, ((PosixTarEntry)entry).GroupName), entry.Name);
            Assert.AreEqual(time, entry.ModificationTime, entry.Name);
        }
        Assert.AreEqual(OsPackageEntry.Executable, read.Single(entry => entry.Name == "./usr/bin/app").Mode);
        Assert.AreEqual(OsPackageEntry.Regular, read.Single(entry => entry.Name.EndsWith("copyright", StringComparison.Ordinal)).Mode);
    }

    [TestMethod]
    public void LintianOverridesNameOnlyWhatEveryOxidizedExecutableGets()
    {
        string system = ShippingLayout.LintianOverrides(Metadata(), bundledUserland: false);
        StringAssert.Contains(system, "app: unstripped-binary-or-object [usr/bin/App]\n");
        StringAssert.Contains(system, "app: embedded-library zlib [usr/bin/App]\n");
        Assert.IsFalse(system.Contains("statically-linked-binary", StringComparison.Ordinal), system);
        StringAssert.Contains(ShippingLayout.LintianOverrides(Metadata(), bundledUserland: true), "app: statically-linked-binary [usr/bin/App]\n");
    }

    [TestMethod]
    public void TheSystemdUnitRunsTheCommandAsADynamicUser()
    {
        string unit = SystemdUnit.Write(Metadata());
        StringAssert.StartsWith(unit, "[Unit]\nDescription=Does things\n");
        StringAssert.Contains(unit, "\nExecStart=/usr/bin/App\n");
        StringAssert.Contains(unit, "\nDynamicUser=yes\n");
        StringAssert.Contains(unit, "\n[Install]\nWantedBy=multi-user.target\n");
    }

    [TestMethod]
    public void ArArchivesHaveTheDebLayout()
    {
        using var output = new MemoryStream();
        ArArchive.Write(output, [("debian-binary", "2.0\n"u8.ToArray()), ("odd", "abc"u8.ToArray())], DateTimeOffset.FromUnixTimeSeconds(42));
        string text = Encoding.ASCII.GetString(output.ToArray());
        Assert.AreEqual(
            "!<arch>\n"
            + "debian-binary   42          0     0     100644  4         `\n2.0\n"
            + "odd             42          0     0     100644  3         `\nabc\n",
            text);
    }

    private static byte[] Tar(OsPackageEntry[] entries, DateTimeOffset time)
    {
        using var buffer = new MemoryStream();
        ReproducibleTar.Write(buffer, entries, time, "./", includeRoot: true);
        return buffer.ToArray();
    }
}
