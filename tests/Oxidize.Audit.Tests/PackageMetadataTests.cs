using Oxidize.Tests.Shared;
using System.Reflection;
using Oxidize.Audit.Packages;

namespace Oxidize.Audit.Tests;

/// <summary>.nuspec reading with the .NET SDK's NuGet.Packaging, on package folders written here.</summary>
[TestClass]
public sealed class PackageMetadataTests
{
    [TestMethod]
    public void ReadsExpressionAuthorsUrlsAndHash()
    {
        string root = Fixtures.NewDirectory();
        byte[] hash = Enumerable.Range(0, 64).Select(value => (byte)value).ToArray();
        string directory = PackageFolder.Write(root, "Fixture.Expression", "1.0.0", """
            <authors>Ada, Grace</authors>
            <description>A fixture.</description>
            <license type="expression">MIT OR Apache-2.0</license>
            <licenseUrl>https://licenses.nuget.org/MIT%20OR%20Apache-2.0</licenseUrl>
            <projectUrl>https://example.org/fixture</projectUrl>
            <repository type="git" url="https://example.org/fixture.git" />
            """, sha512Base64: Convert.ToBase64String(hash));

        Assert.AreEqual(directory, NuspecMetadataReader.FindPackageDirectory(["/nonexistent", root], "Fixture.Expression", "1.0.0"));
        var metadata = NuspecMetadataReader.Read(directory);

        Assert.AreEqual("Fixture.Expression", metadata.Id);
        Assert.AreEqual("1.0.0", metadata.Version);
        Assert.AreEqual("MIT OR Apache-2.0", metadata.LicenseExpression);
        Assert.AreEqual("Ada, Grace", metadata.Authors);
        Assert.AreEqual("https://example.org/fixture", metadata.ProjectUrl);
        Assert.AreEqual("https://example.org/fixture.git", metadata.RepositoryUrl);
        Assert.AreEqual("https://licenses.nuget.org/MIT%20OR%20Apache-2.0", metadata.LicenseUrl);
        Assert.AreEqual(Convert.ToHexStringLower(hash), metadata.Sha512);
        Assert.AreEqual("MIT OR Apache-2.0", metadata.LicenseSummary);
    }

    [TestMethod]
    public void LicenseFileIsCarriedAsTextAndThePlaceholderUrlDropped()
    {
        string directory = PackageFolder.Write(Fixtures.NewDirectory(), "Fixture.File", "2.0.0", """
            <authors>Someone</authors>
            <description>A fixture.</description>
            <license type="file">docs/LICENSE.txt</license>
            <licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl>
            """, new Dictionary<string, string> { ["docs/LICENSE.txt"] = "Public domain.\n" });

        var metadata = NuspecMetadataReader.Read(directory);

        Assert.IsNull(metadata.LicenseExpression);
        Assert.AreEqual("docs/LICENSE.txt", metadata.LicenseFile);
        Assert.AreEqual("Public domain.\n", metadata.LicenseText);
        Assert.IsNull(metadata.LicenseUrl);
        Assert.IsNull(metadata.Sha512);
    }

    [TestMethod]
    public void OldPackageWithOnlyALicenseUrl()
    {
        string directory = PackageFolder.Write(Fixtures.NewDirectory(), "Fixture.Url", "3.1.0", """
            <authors>Someone</authors>
            <description>A fixture.</description>
            <licenseUrl>https://example.org/license</licenseUrl>
            """);

        var metadata = NuspecMetadataReader.Read(directory);

        Assert.AreEqual("https://example.org/license", metadata.LicenseUrl);
        Assert.AreEqual("https://example.org/license", metadata.LicenseSummary);
    }

    [TestMethod]
    public void MissingOrBrokenNuspecIsAnExceptionTheAuditCanReport()
    {
        string root = Fixtures.NewDirectory();
        Assert.IsNull(NuspecMetadataReader.FindPackageDirectory([root], "Nothing.Here", "1.0.0"));
        Assert.IsNull(NuspecMetadataReader.FindPackageDirectory([root], "Bad.Version", "not a version"));

        string broken = Path.Combine(root, "broken", "1.0.0");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "broken.nuspec"), "<package><metadata>");
        Assert.ThrowsExactly<InvalidDataException>(() => NuspecMetadataReader.Read(broken));
    }

    [TestMethod]
    public void TheRealRuntimePackNuspecIsMitByMicrosoft()
    {
        // The project downloads exactly this runtime pack at restore (PackageDownload in the .csproj).
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string version = typeof(PackageMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "RuntimePackVersion").Value!;
        string directory = Path.Combine(packages, "microsoft.netcore.app.runtime.linux-x64", version);
        if (!Directory.Exists(directory))
            Prerequisite.Missing($"the runtime pack {directory}, which restoring this test project downloads");

        var metadata = NuspecMetadataReader.Read(directory);

        Assert.AreEqual("MIT", metadata.LicenseExpression);
        Assert.AreEqual("Microsoft", metadata.Authors);
        Assert.IsNotNull(metadata.ProjectUrl);
        Assert.IsNotNull(metadata.Sha512);
    }
}
