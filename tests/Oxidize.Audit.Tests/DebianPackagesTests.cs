using Oxidize.Tests.Shared;
using System.Diagnostics;
using System.Text.Json;
using Oxidize.Audit.Native;
using Oxidize.Audit.Packages;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.Audit.Tests;

/// <summary>
/// How the audit records the userland a bundled executable carries: the owning Debian package of each file
/// (from a dpkg database, a fake one here and this machine's real one), its licenses (machine-readable
/// copyright files, and the table for prose ones), and the bill of materials entries.
/// </summary>
[TestClass]
public sealed class DebianPackagesTests
{
    private const string Status = """
        Package: libfoo1
        Status: install ok installed
        Architecture: amd64
        Source: foo (1.2-1)
        Version: 1.2-1+b1
        Homepage: https://foo.example.org/
        Description: the foo library
         A continuation line.

        Package: tzdata
        Status: install ok installed
        Architecture: all
        Version: 2025b-0+deb12u2

        Package: libgone1
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 0.9-1

        """;

    /// <summary>A root with a merged /usr (lib -> usr/lib), two packages' files, one removed package and one file no package owns.</summary>
    private static string FakeRoot()
    {
        string root = Fixtures.NewDirectory();
        Directory.CreateDirectory(Path.Combine(root, "usr/lib/x86_64-linux-gnu"));
        Directory.CreateSymbolicLink(Path.Combine(root, "lib"), "usr/lib");
        File.WriteAllText(Path.Combine(root, "usr/lib/x86_64-linux-gnu/libfoo.so.1.2"), "foo");
        File.CreateSymbolicLink(Path.Combine(root, "usr/lib/x86_64-linux-gnu/libfoo.so.1"), "libfoo.so.1.2");
        File.WriteAllText(Path.Combine(root, "usr/lib/x86_64-linux-gnu/libgone.so.1"), "gone");
        File.WriteAllText(Path.Combine(root, "usr/lib/x86_64-linux-gnu/generated.crt"), "made here");
        Directory.CreateDirectory(Path.Combine(root, "usr/share/zoneinfo/Europe"));
        File.WriteAllText(Path.Combine(root, "usr/share/zoneinfo/Europe/Berlin"), "TZif");

        string info = Path.Combine(root, "var/lib/dpkg/info");
        Directory.CreateDirectory(info);
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), Status);
        // dpkg lists the library under /lib (the package's own layout); the link is what a loader cache names.
        File.WriteAllText(Path.Combine(info, "libfoo1:amd64.list"), "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libfoo.so.1.2\n");
        File.WriteAllText(Path.Combine(info, "tzdata.list"), "/usr/share/zoneinfo/Europe\n/usr/share/zoneinfo/Europe/Berlin\n");
        File.WriteAllText(Path.Combine(info, "libgone1:amd64.list"), "/usr/lib/x86_64-linux-gnu/libgone.so.1\n");

        Directory.CreateDirectory(Path.Combine(root, "usr/share/doc/libfoo1"));
        File.WriteAllText(Path.Combine(root, "usr/share/doc/libfoo1/copyright"), """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: foo

            Files: *
            Copyright: 2020 Foo Authors
            License: LGPL-2.1+

            Files: debian/*
            Copyright: 2021 A Packager
            License: GPL-2+
             The full text would be here.
             .
             With a second paragraph.

            License: LGPL-2.1+
             On Debian systems, see /usr/share/common-licenses/LGPL-2.1.
            """);
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
        return root;
    }

    [TestMethod]
    public void ControlParagraphsJoinContinuationLinesAndSplitOnBlankLines()
    {
        var paragraphs = ControlParagraphs.Read(Status.Split('\n')).ToList();

        Assert.HasCount(3, paragraphs);
        Assert.AreEqual("the foo library\nA continuation line.", paragraphs[0]["description"], "field names are case-insensitive");
        Assert.AreEqual("foo (1.2-1)", paragraphs[0]["Source"]);
        Assert.AreEqual("deinstall ok config-files", paragraphs[2]["Status"]);
    }

    [TestMethod]
    public void FindsOwnersThroughMergedUsrAndLinksAndIgnoresRemovedPackagesAndUnownedFiles()
    {
        string root = FakeRoot();
        var database = DpkgDatabase.Open(root)!;

        var owners = database.FindOwners([
            "/lib/x86_64-linux-gnu/libfoo.so.1",            // a link, through the /lib link; dpkg lists its target under /lib
            "/usr/lib/x86_64-linux-gnu/libfoo.so.1.2",      // the target, by its /usr path
            "/usr/share/zoneinfo/Europe/Berlin",
            "/usr/lib/x86_64-linux-gnu/libgone.so.1",       // its package is removed (config files only)
            "/usr/lib/x86_64-linux-gnu/generated.crt",      // no package lists it
        ]);

        Assert.HasCount(3, owners);
        var foo = owners["/lib/x86_64-linux-gnu/libfoo.so.1"];
        Assert.AreEqual(new DebianPackage("libfoo1", "1.2-1+b1", "amd64", "foo", "1.2-1", "https://foo.example.org/",
            Path.Combine(root, "usr/share/doc/libfoo1/copyright")), foo);
        Assert.AreEqual(foo, owners["/usr/lib/x86_64-linux-gnu/libfoo.so.1.2"]);
        Assert.AreEqual(("tzdata", "all", "tzdata", "2025b-0+deb12u2"), (owners["/usr/share/zoneinfo/Europe/Berlin"].Name,
            owners["/usr/share/zoneinfo/Europe/Berlin"].Architecture, owners["/usr/share/zoneinfo/Europe/Berlin"].SourceName,
            owners["/usr/share/zoneinfo/Europe/Berlin"].SourceVersion));
        Assert.AreEqual(("debian", "debian-12"), database.ReadDistribution());
        Assert.IsNull(DpkgDatabase.Open(Fixtures.NewDirectory()), "no database, no lookup");
    }

    [TestMethod]
    public void PackageUrlEscapesTheVersion()
    {
        var package = new DebianPackage("libc6", "2.36-9+deb12u14", "amd64", "glibc", "2.36-9+deb12u14", null, "");
        Assert.AreEqual("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12", package.PackageUrl("debian", "debian-12"));
        Assert.AreEqual("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64", (package with { Name = "zlib1g", Version = "1:1.2.13.dfsg-1" }).PackageUrl("debian", ""));
    }

    [TestMethod]
    public void MachineReadableCopyrightGivesTheMainLicenseAndTheOthers()
    {
        var licenses = DebianCopyright.Read(Path.Combine(FakeRoot(), "usr/share/doc/libfoo1/copyright"), "foo");

        Assert.AreEqual(DebianLicenseSource.CopyrightFile, licenses.Source);
        Assert.AreEqual("LGPL-2.1-or-later", licenses.Expression);
        CollectionAssert.AreEqual(new[] { "LGPL-2.1+" }, licenses.Names.ToArray());
        CollectionAssert.AreEqual(new[] { "GPL-2+" }, licenses.OtherNames.ToArray());
    }

    [TestMethod]
    [DataRow("Expat", "MIT")]
    [DataRow("GPL-2", "GPL-2.0-only")]
    [DataRow("GPL-3+", "GPL-3.0-or-later")]
    [DataRow("LGPL-2.1", "LGPL-2.1-only")]
    [DataRow("BSD-3-clause", "BSD-3-Clause")]
    [DataRow("MIT or GPL-2+", "MIT OR GPL-2.0-or-later")]
    [DataRow("Apache-2.0 and Zlib", "Apache-2.0 AND Zlib")]
    [DataRow("public-domain", null)]
    [DataRow("Artistic or GPL-1+", null)]
    [DataRow("GPL-2+ with OpenSSL exception", null)]
    [DataRow("MIT or", null)]
    public void DebianLicenseNamesBecomeSpdxWhereTheyHaveIdentifiers(string debian, string? spdx) =>
        Assert.AreEqual(spdx, DebianCopyright.ToSpdx(debian));

    [TestMethod]
    public void ProseCopyrightUsesTheTableOnlyWhenThePhraseIsThere()
    {
        const string glibc = "This is the Debian prepackaged version of the GNU C Library.\n\n  under the terms of the GNU Lesser General Public\n  License; either version 2.1 of the License, or (at your option) any later version.\n";

        Assert.AreEqual(new DebianLicenses("LGPL-2.1-or-later", ["LGPL-2.1-or-later"], [], DebianLicenseSource.KnownSourcePackage) with { Names = [] },
            DebianCopyright.Parse(glibc, "glibc") with { Names = [] });
        Assert.AreEqual("GPL-3.0-or-later WITH GCC-exception-3.1",
            DebianCopyright.Parse("GCC ... GNU General Public License (v3 or later) with version 3.1 of the GCC\nRuntime Library Exception", "gcc-12").Expression);
        Assert.AreEqual(DebianLicenseSource.Unknown, DebianCopyright.Parse("Now under some other license.", "glibc").Source, "relicensed: not guessed");
        Assert.AreEqual(DebianLicenseSource.Unknown, DebianCopyright.Parse(glibc, "someotherlibc").Source);
        Assert.AreEqual(DebianLicenseSource.Unknown, DebianCopyright.Read(Path.Combine(Fixtures.NewDirectory(), "missing"), "glibc").Source);
    }

    private static List<CarriedFile> CarriedFiles(string root) =>
    [
        new(".oxidize/userland/preload/libfoo.so.1", Path.Combine(root, "lib/x86_64-linux-gnu/libfoo.so.1")),
        new(".oxidize/userland/zoneinfo/Europe/Berlin", Path.Combine(root, "usr/share/zoneinfo/Europe/Berlin")),
        new(".oxidize/userland/ca-certificates.crt", Path.Combine(root, "usr/lib/x86_64-linux-gnu/generated.crt")),
    ];

    private static (string Host, AuditOptions Options) Audit(IEnumerable<string> deniedLicenses)
    {
        string build = Fixtures.NewDirectory();
        Fixtures.SharedLibrary(build, "oxidize-host", Fixtures.Plain);
        return (Path.Combine(build, "oxidize-host"), new AuditOptions(
            new NativePolicy(NativePolicy.RuntimeGlibcFloor, new HashSet<string>()), new HashSet<string>(), AuditFramework: false,
            new LicensePolicy(deniedLicenses), [], new Dictionary<string, string>(), "App", "1.0.0", "0.1.0", "linux-x64"));
    }

    [TestMethod]
    public void BillOfMaterialsListsCarriedPackagesWithLicensesAndTheirFiles()
    {
        string root = FakeRoot();
        var (host, options) = Audit([]);

        string bootstrap = Path.Combine(Fixtures.NewDirectory(), "oxidize-bootstrap");
        File.WriteAllBytes(bootstrap, [0x7F, .. "ELF\0"u8, .. "oxidize-static-libc=musl;1.2.3-1;MIT\0"u8]);

        var result = PublishAudit.Run([], host, options, [.. CarriedFiles(root), new(".oxidize/userland/host", host)], root, bootstrap);
        using var bom = JsonDocument.Parse(result.Bom);

        var errors = new JsonSchemaValidator(Fixtures.SchemaDirectory).Validate(bom.RootElement, "cyclonedx-1.5-subset.schema.json");
        Assert.IsEmpty(errors, string.Join(Environment.NewLine, errors));
        var components = bom.RootElement.GetProperty("components").EnumerateArray().ToDictionary(component => component.GetProperty("name").GetString()!);
        CollectionAssert.AreEquivalent(new[] { "oxidize-host", "oxidize-bootstrap", "libfoo1", "tzdata", "ca-certificates.crt" }, components.Keys.ToArray(),
            "the carried host is listed once, as the host");
        var musl = components["oxidize-bootstrap"].GetProperty("components").EnumerateArray().Single();
        Assert.AreEqual(("musl", "1.2.3-1", "MIT"), (musl.GetProperty("name").GetString(), musl.GetProperty("version").GetString(),
            musl.GetProperty("licenses")[0].GetProperty("expression").GetString()));

        var foo = components["libfoo1"];
        Assert.AreEqual("1.2-1+b1", foo.GetProperty("version").GetString());
        Assert.AreEqual("pkg:deb/debian/libfoo1@1.2-1%2Bb1?arch=amd64&distro=debian-12", foo.GetProperty("purl").GetString());
        Assert.AreEqual("LGPL-2.1-or-later", foo.GetProperty("licenses")[0].GetProperty("expression").GetString());
        var properties = foo.GetProperty("properties").EnumerateArray().ToDictionary(property => property.GetProperty("name").GetString()!, property => property.GetProperty("value").GetString());
        Assert.AreEqual("foo 1.2-1", properties["oxidize:sourcePackage"]);
        Assert.AreEqual("GPL-2+", properties["oxidize:otherLicenses"]);
        Assert.AreEqual("/usr/share/doc/libfoo1/copyright", properties["oxidize:licenseSource"]);
        var file = foo.GetProperty("components").EnumerateArray().Single();
        Assert.AreEqual(".oxidize/userland/preload/libfoo.so.1", file.GetProperty("bom-ref").GetString()![5..]);
        Assert.AreEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("foo"u8)), file.GetProperty("hashes")[0].GetProperty("content").GetString());

        Assert.IsFalse(components["tzdata"].TryGetProperty("licenses", out _), "tzdata has no copyright file here: no license is made up");
        Assert.AreEqual("file", components["ca-certificates.crt"].GetProperty("type").GetString());
        Assert.DoesNotContain(root, System.Text.Encoding.UTF8.GetString(result.Bom), "no path of the build machine");
        Assert.AreEqual("tzdata", result.Userland.Packages.Single(package => package.Licenses.Names.Count == 0).Package.Name);
    }

    [TestMethod]
    public void DeniedLicenseOfACarriedPackageIsFound()
    {
        string root = FakeRoot();
        var (host, options) = Audit(["LGPL-*"]);

        var result = PublishAudit.Run([], host, options, CarriedFiles(root), root);

        var finding = result.DeniedLicenses.Single();
        Assert.AreEqual(("libfoo1", "LGPL-2.1-or-later"), (finding.Package.Id, finding.Denied.Single()));
    }

    [TestMethod]
    public void WithoutAPackageDatabaseEveryCarriedFileIsListedByHash()
    {
        string root = FakeRoot();
        Directory.Delete(Path.Combine(root, "var"), recursive: true);

        var userland = CarriedUserland.Resolve(CarriedFiles(root), root);

        Assert.IsTrue(userland.PackageDatabaseMissing);
        Assert.IsEmpty(userland.Packages);
        Assert.HasCount(3, userland.UnownedFiles);
    }

    [TestMethod]
    public void ThisMachinesGlibcIsFoundWithDpkgsVersionAndItsLicense()
    {
        if (DpkgDatabase.Open() is null)
            Prerequisite.MachineLacks("a Debian-based system (dpkg's database)");
        string libc = "/lib/x86_64-linux-gnu/libc.so.6";
        string loader = "/lib64/ld-linux-x86-64.so.2";

        var userland = CarriedUserland.Resolve([new(".oxidize/userland/preload/libc.so.6", libc), new(".oxidize/userland/ld.so", loader)]);

        var package = userland.Packages.Single();
        Assert.AreEqual("libc6", package.Package.Name);
        // One line per installed architecture (libc6:amd64 and, for the arm64 tests, libc6:arm64: Multi-Arch: same
        // packages have one version), so the first line.
        Assert.AreEqual(DpkgQuery("-W", "-f=${Version}\n", "libc6").Split('\n')[0], package.Package.Version);
        Assert.AreEqual("glibc", package.Package.SourceName);
        Assert.AreEqual("LGPL-2.1-or-later", package.Licenses.Expression);
        Assert.HasCount(2, package.Files);
        Assert.IsEmpty(userland.UnownedFiles);
    }

    private static string DpkgQuery(params string[] arguments)
    {
        var start = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
