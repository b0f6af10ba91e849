using System.Text.Json;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What restore resolved for a sample, as the tests' expectations: package versions from its committed
/// packages.lock.json, and which package carries a given native library from the project.assets.json restore wrote.
/// Tests name packages; versions are never repeated as literals, so a deliberate pin change updates them too.
/// </summary>
public sealed class LockedPackages
{
    private readonly Dictionary<string, string> versions;
    private readonly string projectDirectory;

    private LockedPackages(Dictionary<string, string> versions, string projectDirectory)
    {
        this.versions = versions;
        this.projectDirectory = projectDirectory;
    }

    /// <summary>The lock file of tests/Samples/<paramref name="sampleName"/>, as committed.</summary>
    public static LockedPackages OfSample(string sampleName, string? restoredProjectDirectory = null)
    {
        string lockFile = Path.Combine(RepoPaths.SamplesFolder, sampleName, "packages.lock.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(lockFile));
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (JsonProperty target in document.RootElement.GetProperty("dependencies").EnumerateObject())
        {
            foreach (JsonProperty package in target.Value.EnumerateObject())
            {
                versions[package.Name] = package.Value.GetProperty("resolved").GetString()!;
            }
        }
        return new LockedPackages(versions, restoredProjectDirectory ?? "");
    }

    public string Version(string packageId) =>
        versions.TryGetValue(packageId, out string? version)
            ? version
            : throw new AssertFailedException($"{packageId} is not in the sample's packages.lock.json: {string.Join(", ", versions.Keys)}");

    /// <summary>"Id version" of the package whose linux-x64 native assets include <paramref name="fileName"/>, from the
    /// restored project's obj/project.assets.json.</summary>
    public (string Id, string Version) PackageCarrying(string fileName)
    {
        string assetsFile = Path.Combine(projectDirectory, "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
        foreach (JsonProperty package in document.RootElement.GetProperty("targets").GetProperty("net10.0/linux-x64").EnumerateObject())
        {
            if (package.Value.TryGetProperty("native", out JsonElement native)
                && native.EnumerateObject().Any(asset => Path.GetFileName(asset.Name) == fileName))
            {
                string[] idAndVersion = package.Name.Split('/');
                Assert.AreEqual(Version(idAndVersion[0]), idAndVersion[1], $"{assetsFile} and the lock file disagree on {idAndVersion[0]}");
                return (idAndVersion[0], idAndVersion[1]);
            }
        }
        throw new AssertFailedException($"No package in {assetsFile} carries {fileName} for linux-x64.");
    }
}
