using System.Security.Cryptography;
using System.Text.Json;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The publish-time audit on a real app (tests/Samples/AuditSqlite: Microsoft.Data.Sqlite, whose native
/// SQLite needs GLIBC_2.34, and System.CommandLine): refused below a declared glibc floor of 2.34, published with it, with a CycloneDX bill of materials that validates against the schema and is packed inside.
/// </summary>
[TestClass]
public sealed class AuditSqliteTests
{
    private const string RuntimePack = "Microsoft.NETCore.App.Runtime.linux-x64";

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Relaxed = new(() =>
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", "AuditSqliteRelaxed");
        return (sample, sample.Publish("-p:OxidizeMaxGlibcVersion=2.34"));
    });

    /// <summary>Expected versions: what the sample's committed lock file pins.</summary>
    private static LockedPackages Locked => LockedPackages.OfSample("AuditSqlite", Relaxed.Value.Sample.ProjectDirectory);

    private static string BomPath => Path.Combine(Relaxed.Value.Sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", "AuditSqlite.oxidize.bom.cdx.json");

    private static string ExecutablePath
    {
        get
        {
            Assert.AreEqual(0, Relaxed.Value.Publish.ExitCode, $"Publishing AuditSqlite with OxidizeMaxGlibcVersion=2.34 failed:{Relaxed.Value.Publish}");
            return Relaxed.Value.Sample.ExecutablePath;
        }
    }

    [TestMethod]
    public void WithADeclaredFloorTheDriversGlibcAndADeniedLicenseFailThePublish()
    {
        SampleProject sample = SampleProject.Create("AuditSqlite", nameof(WithADeclaredFloorTheDriversGlibcAndADeniedLicenseFailThePublish));

        // Without a declared floor the glibc finding is a warning (AuditSqliteDefaultTests).
        ProcessResult publish = sample.Publish("-p:OxidizeDeniedLicenses=Apache-2.0", "-p:OxidizeMaxGlibcVersion=2.31");

        Assert.AreNotEqual(0, publish.ExitCode, $"The publish succeeded:{publish}");
        var locked = LockedPackages.OfSample("AuditSqlite", sample.ProjectDirectory);
        (string nativeId, string nativeVersion) = locked.PackageCarrying("libe_sqlite3.so");
        string glibc = AuditOutput.Single(publish, "error", "OXSDK3001", "'libe_sqlite3.so'", $"from package {nativeId} {nativeVersion}", "@GLIBC_2.34");
        StringAssert.Contains(glibc, "Ubuntu 20.04 (glibc 2.31)");
        AuditOutput.Single(publish, "error", "OXSDK3020", $"Package SQLitePCLRaw.core {locked.Version("SQLitePCLRaw.core")} ", "'Apache-2.0'");
        Assert.IsEmpty(AuditOutput.Lines(publish, "error", "OXSDK3020").Where(line => line.Contains("System.CommandLine", StringComparison.Ordinal)).ToArray(),
            "System.CommandLine is MIT");
    }

    [TestMethod]
    public void BillOfMaterialsListsThePackagesWithVersionsAndLicensesAndValidates()
    {
        _ = ExecutablePath;
        StringAssert.Contains(Relaxed.Value.Publish.Output, "bill of materials: " + BomPath);
        using var bom = JsonDocument.Parse(File.ReadAllBytes(BomPath));

        var validator = new JsonSchemaValidator(Path.Combine(RepoPaths.Root, "tests", "Oxidize.Audit.Tests", "Schemas"));
        var errors = validator.Validate(bom.RootElement, "cyclonedx-1.5-subset.schema.json");
        Assert.IsEmpty(errors, string.Join(Environment.NewLine, errors));

        var components = bom.RootElement.GetProperty("components").EnumerateArray().ToDictionary(component => component.GetProperty("name").GetString()!);
        string Describe(string name) => $"{components[name].GetProperty("version").GetString()} {License(components[name])} {components[name].GetProperty("type").GetString()}";
        Assert.AreEqual($"{Locked.Version("Microsoft.Data.Sqlite")} MIT library", Describe("Microsoft.Data.Sqlite"), "the metapackage, which brings no file of its own");
        Assert.AreEqual($"{Locked.Version("Microsoft.Data.Sqlite.Core")} MIT library", Describe("Microsoft.Data.Sqlite.Core"));
        Assert.AreEqual($"{Locked.Version("System.CommandLine")} MIT library", Describe("System.CommandLine"));
        string[] sqlitePclRaw = [.. components.Keys.Where(name => name.StartsWith("SQLitePCLRaw.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        CollectionAssert.IsSubsetOf(new[] { "SQLitePCLRaw.core", "SQLitePCLRaw.provider.e_sqlite3" }, sqlitePclRaw);
        foreach (string name in sqlitePclRaw)
            Assert.AreEqual($"{Locked.Version(name)} Apache-2.0 library", Describe(name), name);
        Assert.IsTrue(components.ContainsKey(RuntimePack), string.Join(", ", components.Keys));
        StringAssert.Matches(Describe(RuntimePack), new System.Text.RegularExpressions.Regex(@"^10\.0\.\d+ MIT framework$"));
        CollectionAssert.Contains(components[RuntimePack].GetProperty("components").EnumerateArray().Select(library => library.GetProperty("name").GetString()).ToList(),
            "libcoreclr.so", "the runtime's native libraries are listed under the runtime pack");
        Assert.AreEqual("application", components["oxidize-host"].GetProperty("type").GetString());
    }

    [TestMethod]
    public void NativeLibrariesAreListedWithTheHashOfWhatIsPackedAndTheBomIsPackedToo()
    {
        var entries = PackedExecutable.Entries(ExecutablePath);
        using var bom = JsonDocument.Parse(File.ReadAllBytes(BomPath));

        var sqlite = bom.RootElement.GetProperty("components").EnumerateArray()
            .Single(component => component.GetProperty("name").GetString() == Locked.PackageCarrying("libe_sqlite3.so").Id);
        var library = sqlite.GetProperty("components").EnumerateArray().Single();
        Assert.AreEqual("libe_sqlite3.so", library.GetProperty("name").GetString());
        Assert.AreEqual(entries["libe_sqlite3.so"].Sha256, library.GetProperty("hashes")[0].GetProperty("content").GetString(), ignoreCase: true);

        Assert.IsTrue(entries.TryGetValue(".oxidize/bom.cdx.json", out var packedBom), string.Join(", ", entries.Keys));
        Assert.AreEqual(3, packedBom!.Kind, "content");
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(BomPath))), packedBom.Sha256, ignoreCase: true);
    }

    [TestMethod]
    public void ContentsReportIsWrittenAndSummarized()
    {
        _ = ExecutablePath;
        string output = Relaxed.Value.Publish.Output;
        StringAssert.Contains(output, "Oxidize contents: ");
        // The largest entry is the ReadyToRun composite (OxidizeReadyToRunComposite=auto: the app ships NuGet libraries),
        // which holds System.Private.CoreLib's code; it comes from the project's own build.
        StringAssert.Contains(output, " 1. AuditSqlite.r2r.dll");
        StringAssert.Contains(output, "(managed, stored, project)");
        StringAssert.Contains(output, "10. ");

        string reportPath = Path.Combine(Relaxed.Value.Sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", "AuditSqlite.oxidize.report.json");
        using var report = JsonDocument.Parse(File.ReadAllBytes(reportPath));
        var file = report.RootElement.GetProperty("files").EnumerateArray().Single(entry => entry.GetProperty("name").GetString() == "libe_sqlite3.so");
        Assert.AreEqual(Locked.PackageCarrying("libe_sqlite3.so").Id, file.GetProperty("package").GetString());
        Assert.AreEqual("native", file.GetProperty("kind").GetString());
        Assert.IsGreaterThan(0L, file.GetProperty("storedSize").GetInt64());
        Assert.AreEqual(new FileInfo(ExecutablePath).Length, report.RootElement.GetProperty("size").GetInt64());
    }

    [TestMethod]
    public void TheAppRuns()
    {
        ProcessResult run = ProcessRunner.Run(ExecutablePath, ["--query", "select 40 + 2"], timeout: TimeSpan.FromMinutes(1));

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.StandardOutput, "result: 42");
    }

    private static string License(JsonElement component) =>
        component.TryGetProperty("licenses", out var licenses) && licenses[0].TryGetProperty("expression", out var expression) ? expression.GetString()! : "(none)";
}
