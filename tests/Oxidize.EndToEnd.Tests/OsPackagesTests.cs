using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;
using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// OxidizePackages=deb;rpm;tar.gz (issue 19) on the web sample and the SQLite sample, checked with the real tools:
/// dpkg-deb, lintian, dpkg (installing into a scratch root and running the installed command), rpm and tar; and two
/// clean publishes giving byte-identical .deb and .tar.gz files.
/// </summary>
[TestClass]
public sealed class OsPackagesTests
{
    /// <summary>2023-11-14 22:13:20 UTC.</summary>
    private const string Epoch = "1700000000";
    private const string EpochListed = "2023-11-14 22:13";
    private const string Maintainer = "Oxidize Tests <tests@example.org>";

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Web = new(() =>
    {
        SampleProject sample = SampleProject.Create("WebApi", "OsPackagesWebApi");
        File.WriteAllText(Path.Combine(sample.ProjectDirectory, "README.md"), "# WebApi\n\nA sample web app.\n");
        sample.EditProjectFile("</Project>", "  <ItemGroup>\n    <OxidizePackageDocument Include=\"README.md\" />\n  </ItemGroup>\n</Project>");
        return (sample, sample.Publish(
            [.. PackageProperties("A minimal web API.\n\nServes /hello and its configuration."), "-p:OxidizeSystemdService=true",
                "-p:PackageProjectUrl=https://example.org/webapi"]));
    });

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Sqlite = new(() =>
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", "OsPackagesSqlite");
        return (sample, sample.Publish([.. PackageProperties("Runs a query against an in-memory SQLite database."), "-p:Version=1.2.3-beta.1"]));
    });

    public TestContext TestContext { get; set; } = null!;

    private static string[] PackageProperties(string description) =>
    [
        // Blanks separate formats too: MSBuild splits a -p value at ';' and ','.
        "-p:OxidizePackages=deb rpm tar.gz",
        $"-p:Description={description.Replace("\n", "%0A", StringComparison.Ordinal)}",
        $"-p:OxidizePackageMaintainer={Maintainer}",
        "-p:PackageLicenseExpression=MIT",
        $"-p:SOURCE_DATE_EPOCH={Epoch}",
    ];

    private static string Packages(SampleProject sample) => sample.PublishDirectory.TrimEnd('/') + "-packages";

    private static string PackageFile((SampleProject Sample, ProcessResult Publish) published, string name)
    {
        Assert.AreEqual(0, published.Publish.ExitCode, $"Publishing {published.Sample.Name} with packages failed:{published.Publish}");
        string path = Path.Combine(Packages(published.Sample), name);
        Assert.IsTrue(File.Exists(path), $"No {path}; the packages folder holds {string.Join(", ", Directory.GetFiles(Packages(published.Sample)).Select(Path.GetFileName))}:{published.Publish}");
        return path;
    }

    private static string WebDeb => PackageFile(Web.Value, "webapi_1.0.0_amd64.deb");

    private static string SqliteDeb => PackageFile(Sqlite.Value, "auditsqlite_1.2.3~beta.1_amd64.deb");

    private static ProcessResult Tool(string program, params string[] arguments)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(program, arguments, timeout: TimeSpan.FromMinutes(5));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Prerequisite.Missing($"{program} (eng/build.sh installs it)");
            throw;
        }
        Assert.AreEqual(0, result.ExitCode, $"{program} failed:{result}");
        return result;
    }

    [TestMethod]
    public void PublishFolderStillHoldsOnlyTheExecutable()
    {
        _ = WebDeb;
        CollectionAssert.AreEqual(new[] { "WebApi" }, Directory.GetFileSystemEntries(Web.Value.Sample.PublishDirectory).Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEquivalent(new[] { "webapi_1.0.0_amd64.deb", "webapi-1.0.0-1.x86_64.rpm", "webapi-1.0.0-linux-x64.tar.gz" },
            Directory.GetFileSystemEntries(Packages(Web.Value.Sample)).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void WebDebDependsOnGlibcIcuAndOpenSslAndListsItsFiles()
    {
        string info = Tool("dpkg-deb", "--info", WebDeb).StandardOutput;
        StringAssert.Contains(info, "Package: webapi\n");
        StringAssert.Contains(info, "Version: 1.0.0\n");
        StringAssert.Contains(info, "Architecture: amd64\n");
        StringAssert.Contains(info, $"Maintainer: {Maintainer}\n");
        StringAssert.Contains(info, "Homepage: https://example.org/webapi\n");
        StringAssert.Contains(info, "Description: A minimal web API\n  Serves /hello and its configuration.\n", "the synopsis is the first line, the rest the extended description");
        string depends = info.Split('\n').Single(line => line.StartsWith(" Depends: ", StringComparison.Ordinal));
        StringAssert.Contains(depends, "libc6 (>= 2.27)");
        StringAssert.Contains(depends, "libicu72");
        StringAssert.Contains(depends, "libssl3");

        string contents = Tool("dpkg-deb", "--contents", WebDeb).StandardOutput;
        TestContext.WriteLine(contents);
        StringAssert.Matches(contents, new System.Text.RegularExpressions.Regex($@"-rwxr-xr-x root/root +\d+ {EpochListed} \./usr/bin/WebApi\n"));
        StringAssert.Contains(contents, "./usr/share/doc/webapi/copyright\n");
        StringAssert.Contains(contents, "./usr/share/doc/webapi/README.md\n");
        StringAssert.Contains(contents, "./lib/systemd/system/webapi.service\n");
        Assert.AreEqual(File.ReadAllBytes(Web.Value.Sample.ExecutablePath).Length.ToString(),
            contents.Split('\n').Single(line => line.EndsWith("./usr/bin/WebApi", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]);
    }

    [TestMethod]
    public void WebDebInstalledWithDpkgIntoAScratchRootServes()
    {
        string root = Path.Combine(RepoPaths.EndToEndFolder, "OsPackagesWebApi", "root");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        foreach (string folder in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates" })
            Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
        // The scratch root has no libc6 or ICU package; the dependencies are this machine's, which has them.
        Tool("dpkg", "--root", root, "--force-depends", "--log=/dev/null", "-i", WebDeb);
        StringAssert.Contains(Tool("dpkg", "--root", root, "-L", "webapi").StandardOutput, "/usr/bin/WebApi");

        string unit = File.ReadAllText(Path.Combine(root, "lib/systemd/system/webapi.service"));
        StringAssert.Contains(unit, "ExecStart=/usr/bin/WebApi\n");
        StringAssert.Contains(unit, "DynamicUser=yes\n");

        string installed = Path.Combine(root, "usr", "bin", "WebApi");
        using var server = WebApiTests.Server.Start(installed, Path.GetDirectoryName(installed)!);
        Assert.AreEqual("Hello from an oxidized web app!", server.Get("/hello"));
        Assert.AreEqual("Bonjour from appsettings.json", server.Get("/config"), "appsettings.json is packed beside the installed command");
        server.StopWithSigterm();
    }

    [TestMethod]
    public void LintianFindsNoErrors()
    {
        foreach (string deb in new[] { WebDeb, SqliteDeb })
        {
            ProcessResult lintian;
            try
            {
                lintian = ProcessRunner.Run("lintian", ["--no-cfg", deb], timeout: TimeSpan.FromMinutes(5));
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Prerequisite.Missing("lintian (eng/build.sh installs it)");
                throw;
            }
            TestContext.WriteLine(lintian.ToString());
            string[] errors = [.. lintian.Output.Split('\n').Where(line => line.StartsWith("E: ", StringComparison.Ordinal))];
            Assert.IsEmpty(errors, $"lintian reports errors for {deb}:{lintian}");
            Assert.IsFalse(lintian.Output.Contains("internal error", StringComparison.OrdinalIgnoreCase), $"lintian did not run cleanly:{lintian}");
        }
    }

    [TestMethod]
    public void SqliteDebNeedsGlibc234NotIcuAndItsCommandRuns()
    {
        string info = Tool("dpkg-deb", "--info", SqliteDeb).StandardOutput;
        StringAssert.Contains(info, "Version: 1.2.3~beta.1\n", "a SemVer prerelease sorts before its release");
        string depends = info.Split('\n').Single(line => line.StartsWith(" Depends: ", StringComparison.Ordinal));
        StringAssert.Contains(depends, "libc6 (>= 2.34)", "libe_sqlite3.so needs GLIBC_2.34");
        Assert.IsFalse(depends.Contains("libicu", StringComparison.Ordinal), $"InvariantGlobalization=true needs no ICU: {depends}");

        string root = Path.Combine(RepoPaths.EndToEndFolder, "OsPackagesSqlite", "extracted");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        Tool("dpkg", "-x", SqliteDeb, root);
        ProcessResult run = Tool(Path.Combine(root, "usr", "bin", "AuditSqlite"), "--query", "select 40 + 2");
        Assert.AreEqual("result: 42", run.StandardOutput.Trim());

        string copyright = File.ReadAllText(Path.Combine(root, "usr", "share", "doc", "auditsqlite", "copyright"));
        TestContext.WriteLine(copyright);
        var locked = LockedPackages.OfSample("AuditSqlite", Sqlite.Value.Sample.ProjectDirectory);
        StringAssert.StartsWith(copyright, "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n");
        StringAssert.Contains(copyright, $"  SQLitePCLRaw.core {locked.Version("SQLitePCLRaw.core")}: Apache-2.0\n");
        StringAssert.Contains(copyright, $"  System.CommandLine {locked.Version("System.CommandLine")}: MIT\n");
        StringAssert.Contains(copyright, "\nFiles: *\nCopyright: Oxidize Tests <tests@example.org>\nLicense: MIT and Apache-2.0\n");
        StringAssert.Contains(copyright, "\nLicense: Apache-2.0\n");
    }

    [TestMethod]
    public void RpmCarriesTheSameFilesAndRequiresFromTheAudit()
    {
        string sqliteRpm = PackageFile(Sqlite.Value, "auditsqlite-1.2.3~beta.1-1.x86_64.rpm");
        string info = Tool("rpm", "-qip", sqliteRpm).StandardOutput;
        TestContext.WriteLine(info);
        StringAssert.Matches(info, new System.Text.RegularExpressions.Regex(@"Name +: auditsqlite\n"));
        StringAssert.Matches(info, new System.Text.RegularExpressions.Regex(@"Version +: 1\.2\.3~beta\.1\n"));
        StringAssert.Matches(info, new System.Text.RegularExpressions.Regex(@"License +: MIT\n"));
        StringAssert.Matches(info, new System.Text.RegularExpressions.Regex(@"Architecture: x86_64\n"));
        string[] requires = Tool("rpm", "-qp", "--requires", sqliteRpm).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.Contains(requires, "libc.so.6(GLIBC_2.34)(64bit)");
        Assert.IsFalse(requires.Any(requirement => requirement.Contains("libicu", StringComparison.Ordinal)), string.Join(", ", requires));
        string files = Tool("rpm", "-qlp", sqliteRpm).StandardOutput;
        StringAssert.Contains(files, "/usr/bin/AuditSqlite\n");
        StringAssert.Contains(files, "/usr/share/doc/auditsqlite/copyright\n");

        string webRpm = PackageFile(Web.Value, "webapi-1.0.0-1.x86_64.rpm");
        string[] webRequires = Tool("rpm", "-qp", "--requires", webRpm).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.Contains(webRequires, "libc.so.6(GLIBC_2.27)(64bit)");
        CollectionAssert.Contains(webRequires, "libicu");
        // The executable in the .rpm is the published one, not stripped or otherwise touched by rpmbuild.
        string dump = Tool("rpm", "-qp", "--dump", webRpm).StandardOutput;
        string line = dump.Split('\n').Single(entry => entry.StartsWith("/usr/bin/WebApi ", StringComparison.Ordinal));
        StringAssert.Contains(line, $" {new FileInfo(Web.Value.Sample.ExecutablePath).Length} ");
        StringAssert.Contains(line, Sha256(Web.Value.Sample.ExecutablePath).ToLowerInvariant());
    }

    [TestMethod]
    public void TarballHoldsTheExecutableAndDocumentsOwnedByRootAndDated()
    {
        string tarball = PackageFile(Web.Value, "webapi-1.0.0-linux-x64.tar.gz");
        string listing = Tool("tar", "-tvzf", tarball).StandardOutput;
        TestContext.WriteLine(listing);
        string[] lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(3, lines, listing);
        StringAssert.Matches(lines[0], new System.Text.RegularExpressions.Regex($@"^drwxr-xr-x root/root +0 {EpochListed} webapi-1\.0\.0/$"));
        StringAssert.Matches(lines[1], new System.Text.RegularExpressions.Regex($@"^-rw-r--r-- root/root +\d+ {EpochListed} webapi-1\.0\.0/README\.md$"));
        StringAssert.Matches(lines[2], new System.Text.RegularExpressions.Regex($@"^-rwxr-xr-x root/root +\d+ {EpochListed} webapi-1\.0\.0/WebApi$"));
    }

    [TestMethod]
    public void TwoCleanPublishesGiveIdenticalDebAndTarball()
    {
        SampleProject sample = SampleProject.Create("Hello", "OsPackagesReproducible");
        string[] properties = [.. PackageProperties("Says hello."), "-p:OxidizePackages=deb%3Brpm%3Btar.gz"];
        ProcessResult first = sample.Publish(properties);
        Assert.AreEqual(0, first.ExitCode, $"The first publish failed:{first}");
        string kept = Path.Combine(sample.ScratchDirectory, "first");
        Directory.CreateDirectory(kept);
        foreach (string file in Directory.GetFiles(Packages(sample)))
            File.Copy(file, Path.Combine(kept, Path.GetFileName(file)));

        foreach (string output in new[] { Path.Combine(sample.ProjectDirectory, "bin"), Path.Combine(sample.ProjectDirectory, "obj"), sample.PublishDirectory, Packages(sample) })
            Directory.Delete(output, recursive: true);
        ProcessResult second = sample.Publish(properties);
        Assert.AreEqual(0, second.ExitCode, $"The second publish failed:{second}");

        foreach (string name in new[] { "hello_1.0.0_amd64.deb", "hello-1.0.0-linux-x64.tar.gz" })
            Assert.AreEqual(Sha256(Path.Combine(kept, name)), Sha256(Path.Combine(Packages(sample), name)), $"{name} differs between two clean publishes");
        // rpmbuild with SOURCE_DATE_EPOCH, a fixed build host and no signature: Debian 12's rpm 4.18 gives identical bytes too.
        string rpm = "hello-1.0.0-1.x86_64.rpm";
        Assert.AreEqual(Sha256(Path.Combine(kept, rpm)), Sha256(Path.Combine(Packages(sample), rpm)), $"{rpm} differs between two clean publishes");
    }

    /// <summary>Each refusal comes from the check before PrepareForPublish, so not even the executable is written.</summary>
    [TestMethod]
    public void WhatAFormatCannotTakeFailsWithItsCode()
    {
        SampleProject sample = SampleProject.Create("Hello", "OsPackagesErrors");
        string[] valid = PackageProperties("Says hello.");
        (string Code, string[] Properties)[] cases =
        [
            ("OXSDK5001", [.. valid, "-p:OxidizePackages=deb zip"]),
            ("OXSDK5002", [.. valid.Where(property => !property.StartsWith("-p:Description=", StringComparison.Ordinal))]),
            ("OXSDK5003", [.. valid, "-p:OxidizePackageVersion=v1"]),
            ("OXSDK5004", [.. valid, "-p:OxidizeRpmbuild=/nonexistent/rpmbuild"]),
            ("OXSDK5005", [.. valid, "-p:OxidizePackageMaintainer=Somebody"]),
            ("OXSDK5007", [.. valid, "-p:OxidizeAudit=false"]),
        ];
        foreach (var (code, properties) in cases)
        {
            ProcessResult publish = sample.Publish(properties);
            Assert.AreNotEqual(0, publish.ExitCode, $"{code}: the publish succeeded:{publish}");
            Assert.IsNotEmpty(AuditOutput.Lines(publish, "error", code), $"Expected error {code}:{publish}");
            Assert.IsFalse(Directory.Exists(Packages(sample)) && Directory.GetFiles(Packages(sample)).Length > 0,
                $"{code}: a refused packaging wrote {string.Join(", ", Directory.GetFiles(Packages(sample)))}");
            Assert.IsFalse(File.Exists(sample.ExecutablePath), $"{code} is found before the publish audits and packs anything:{publish}");
        }
    }

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
