using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Oxidize.Audit.Bom;
using Oxidize.Audit.Native;
using Oxidize.Audit.Packages;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.Audit.Tests;

/// <summary>
/// The whole audit over a publish-like set of files made here (real runtime libraries, gcc-built libraries
/// in package folders, this assembly as a package's assembly, a deps.json), and the bill of materials it
/// writes, validated against the CycloneDX 1.5 JSON schema.
/// </summary>
[TestClass]
public sealed class PublishAuditTests
{
    private const string RuntimePack = "Microsoft.NETCore.App.Runtime.linux-x64";

    private sealed record Scenario(List<AuditedFile> Files, string Host, AuditOptions Options, string Packages);

    private static Scenario Create(IEnumerable<string>? deniedLicenses = null)
    {
        string root = Fixtures.NewDirectory();
        string packages = Path.Combine(root, "packages");
        string build = Path.Combine(root, "build");
        Directory.CreateDirectory(build);
        var files = new List<AuditedFile>();

        // The runtime pack: two real libraries, its .nuspec found through PackageDirectories (as ResolvedRuntimePack gives it).
        string runtimeDirectory = PackageFolder.Write(packages, RuntimePack, "10.0.0", """
            <authors>Microsoft</authors><description>The runtime.</description>
            <license type="expression">MIT</license><projectUrl>https://dot.net/</projectUrl>
            """);
        foreach (string name in new[] { "libcoreclr.so", "libSystem.Native.so" })
            files.Add(new AuditedFile(name, Path.Combine(Fixtures.RuntimeNativeDirectory(), name), new PackageOrigin(RuntimePack, "10.0.0"), IsFramework: true));

        // A package with a library above the glibc floor, under GPL.
        string native = PackageFolder.Write(packages, "Fixture.Native", "1.2.3", """
            <authors>Fixture Authors</authors><description>Native.</description>
            <license type="expression">GPL-3.0-only</license><projectUrl>https://example.org/native</projectUrl>
            """);
        Fixtures.SharedLibrary(build, "libnewglibc.so", Fixtures.NeedsGlibc234);
        string nativePath = Path.Combine(native, "runtimes", "linux-x64", "native", "libnewglibc.so");
        Directory.CreateDirectory(Path.GetDirectoryName(nativePath)!);
        File.Copy(Path.Combine(build, "libnewglibc.so"), nativePath);
        files.Add(new AuditedFile("libnewglibc.so", nativePath, new PackageOrigin("Fixture.Native", "1.2.3"), false));

        // A package whose assembly (this test assembly) calls Assembly.Location; license as a file.
        string location = PackageFolder.Write(packages, "Fixture.Location", "2.0.0", """
            <authors>Fixture Authors</authors><description>Managed.</description>
            <license type="file">LICENSE.txt</license>
            """, new Dictionary<string, string> { ["LICENSE.txt"] = "Do what you like.\n" });
        string assemblyPath = Path.Combine(location, "lib", "net10.0", "Fixture.Location.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(assemblyPath)!);
        File.Copy(typeof(PublishAuditTests).Assembly.Location, assemblyPath);
        files.Add(new AuditedFile("Fixture.Location.dll", assemblyPath, new PackageOrigin("Fixture.Location", "2.0.0"), false));

        // A metapackage only the deps.json names, and the project's own native library.
        PackageFolder.Write(packages, "Fixture.Meta", "1.0.0", """
            <authors>Fixture Authors</authors><description>Meta.</description>
            <licenseUrl>https://example.org/meta-license</licenseUrl>
            """);
        File.WriteAllText(Path.Combine(build, "App.deps.json"), """
            { "libraries": { "App/1.0.0": { "type": "project" }, "Fixture.Meta/1.0.0": { "type": "package" },
                             "Fixture.Native/1.2.3": { "type": "package" }, "Fixture.Location/2.0.0": { "type": "package" } } }
            """);
        files.Add(new AuditedFile("App.deps.json", Path.Combine(build, "App.deps.json"), null, false));
        Fixtures.SharedLibrary(build, "libown.so", Fixtures.Plain);
        files.Add(new AuditedFile("native/libown.so", Path.Combine(build, "libown.so"), null, false));

        // A stand-in for the host: an executable linked here would need __libc_start_main@GLIBC_2.34 (the real
        // host avoids that with its own start code), and the audit checks the host like any other ELF file.
        Fixtures.SharedLibrary(build, "oxidize-host", Fixtures.Plain);

        var options = new AuditOptions(
            new NativePolicy(NativePolicy.RuntimeGlibcFloor, new HashSet<string>()),
            new HashSet<string>(),
            AuditFramework: false,
            new LicensePolicy(deniedLicenses ?? []),
            [packages],
            new Dictionary<string, string> { [AuditOptions.PackageKey(RuntimePack, "10.0.0")] = runtimeDirectory },
            "App", "1.4.0", "0.1.0", "linux-x64");
        return new Scenario(files, Path.Combine(build, "oxidize-host"), options, packages);
    }

    [TestMethod]
    public void FindsEachKindOfProblemWithItsPackage()
    {
        var scenario = Create(["GPL-*"]);

        var result = PublishAudit.Run(scenario.Files, scenario.Host, scenario.Options);

        var glibc = result.Native.GlibcTooNew.Single();
        Assert.AreEqual(("libnewglibc.so", new PackageOrigin("Fixture.Native", "1.2.3")), (glibc.File, glibc.Package));
        var singleFile = result.SingleFile.Single();
        Assert.AreEqual(new PackageOrigin("Fixture.Location", "2.0.0"), singleFile.Package);
        Assert.AreEqual("Fixture.Native", result.DeniedLicenses.Single().Package.Id);
        Assert.IsEmpty(result.MissingMetadata);
        Assert.IsNull(result.NuGetUnavailable);
        CollectionAssert.AreEqual(new[] { "Fixture.Location", "Fixture.Meta", "Fixture.Native", RuntimePack },
            result.Packages.Select(package => package.Metadata.Id).ToArray(), "files' packages plus the deps.json's metapackage");
        Assert.IsTrue(result.Packages.Single(package => package.Metadata.Id == RuntimePack).IsFramework);
    }

    [TestMethod]
    public void BillOfMaterialsValidatesAgainstTheCycloneDxSchemaAndSaysWhatIsInside()
    {
        var scenario = Create();
        var result = PublishAudit.Run(scenario.Files, scenario.Host, scenario.Options);
        using var bom = JsonDocument.Parse(result.Bom);

        var errors = new JsonSchemaValidator(Fixtures.SchemaDirectory).Validate(bom.RootElement, "cyclonedx-1.5-subset.schema.json");
        Assert.IsEmpty(errors, string.Join(Environment.NewLine, errors));

        var root = bom.RootElement;
        Assert.AreEqual("1.5", root.GetProperty("specVersion").GetString());
        Assert.AreEqual("App", root.GetProperty("metadata").GetProperty("component").GetProperty("name").GetString());
        var components = root.GetProperty("components").EnumerateArray().ToDictionary(component => component.GetProperty("name").GetString()!);

        var runtime = components[RuntimePack];
        Assert.AreEqual("framework", runtime.GetProperty("type").GetString());
        Assert.AreEqual("MIT", runtime.GetProperty("licenses")[0].GetProperty("expression").GetString());
        Assert.AreEqual($"pkg:nuget/{RuntimePack}@10.0.0", runtime.GetProperty("purl").GetString());
        CollectionAssert.AreEquivalent(new[] { "libcoreclr.so", "libSystem.Native.so" },
            runtime.GetProperty("components").EnumerateArray().Select(library => library.GetProperty("name").GetString()).ToArray());

        var native = components["Fixture.Native"];
        Assert.AreEqual("GPL-3.0-only", native.GetProperty("licenses")[0].GetProperty("expression").GetString());
        Assert.AreEqual("Fixture Authors", native.GetProperty("author").GetString());
        Assert.AreEqual("https://example.org/native", native.GetProperty("externalReferences")[0].GetProperty("url").GetString());
        var library = native.GetProperty("components")[0];
        string expectedHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(scenario.Files.Single(file => file.Name == "libnewglibc.so").Path)));
        Assert.AreEqual(expectedHash, library.GetProperty("hashes")[0].GetProperty("content").GetString());

        Assert.AreEqual("Do what you like.\n", components["Fixture.Location"].GetProperty("licenses")[0].GetProperty("license").GetProperty("text").GetProperty("content").GetString());
        Assert.AreEqual("https://example.org/meta-license", components["Fixture.Meta"].GetProperty("licenses")[0].GetProperty("license").GetProperty("url").GetString());
        Assert.AreEqual("application", components["oxidize-host"].GetProperty("type").GetString());
        Assert.AreEqual("native/libown.so", components["libown.so"].GetProperty("properties")[0].GetProperty("value").GetString());
        StringAssert.Contains(Encoding.UTF8.GetString(result.Bom), "\"oxidize:requires:GLIBC\",\n          \"value\": \"GLIBC_2.34\"");
    }

    [TestMethod]
    public void BillOfMaterialsIsDeterministic()
    {
        var scenario = Create();

        byte[] first = PublishAudit.Run(scenario.Files, scenario.Host, scenario.Options).Bom;
        byte[] second = PublishAudit.Run([.. Enumerable.Reverse(scenario.Files)], scenario.Host, scenario.Options).Bom;

        CollectionAssert.AreEqual(first, second, "same files in another order give the same bytes");
        Assert.DoesNotContain("\r", Encoding.UTF8.GetString(first));
        Assert.DoesNotContain(scenario.Packages, Encoding.UTF8.GetString(first), "no path of the build machine");
    }

    [TestMethod]
    public void PackageWithoutNuspecIsListedByIdAndVersionAndReported()
    {
        var scenario = Create();
        var files = scenario.Files.Append(new AuditedFile("Orphan.dll", typeof(PublishAuditTests).Assembly.Location, new PackageOrigin("Orphan", "0.0.1"), false)).ToList();

        var result = PublishAudit.Run(files, scenario.Host, scenario.Options with { SuppressedSingleFileOwners = new HashSet<string> { "Orphan", "Fixture.Location" } });

        Assert.AreEqual(new PackageOrigin("Orphan", "0.0.1"), result.MissingMetadata.Single().Package);
        Assert.IsNull(result.Packages.Single(package => package.Metadata.Id == "Orphan").Metadata.LicenseExpression);
        Assert.IsEmpty(result.SingleFile);
        using var bom = JsonDocument.Parse(result.Bom);
        Assert.IsEmpty(new JsonSchemaValidator(Fixtures.SchemaDirectory).Validate(bom.RootElement, "cyclonedx-1.5-subset.schema.json"));
    }
}
