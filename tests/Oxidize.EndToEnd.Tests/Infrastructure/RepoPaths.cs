using Oxidize.Tests.Shared;
using System.Xml.Linq;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository, the built package and the tests' scratch folders are.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyVersion = new(ReadOxidizeVersion);

    public static string Root => RepositoryRoot.Path;

    /// <summary>The Oxidize.Sdk version ./build.sh packs, from eng/Versions.props.</summary>
    public static string OxidizeVersion => LazyVersion.Value;

    public static string PackagesFolder => Path.Combine(Root, "artifacts", "packages");

    /// <summary>Directory.Packages.props: every package version the repository and its samples use.</summary>
    public static string PackagePinsFile => Path.Combine(Root, "Directory.Packages.props");

    public static string SamplesFolder => Path.Combine(Root, "tests", "Samples");

    /// <summary>Scratch space: one sub-folder per test, kept after the run for inspection.</summary>
    public static string EndToEndFolder => Path.Combine(Root, "artifacts", "e2e");

    /// <summary>A NuGet package folder of our own, so the user's ~/.nuget/packages is never touched.</summary>
    public static string NuGetPackagesFolder => Path.Combine(Root, "artifacts", "nuget-e2e");

    public static string PackagePath
    {
        get
        {
            string path = Path.Combine(PackagesFolder, $"Oxidize.Sdk.{OxidizeVersion}.nupkg");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} does not exist: run ./build.sh first.");
            }
            return path;
        }
    }

    private static string ReadOxidizeVersion()
    {
        string versionsProps = Path.Combine(Root, "eng", "Versions.props");
        string? version = XDocument.Load(versionsProps).Descendants("OxidizeVersion").FirstOrDefault()?.Value.Trim();
        if (string.IsNullOrEmpty(version))
        {
            throw new InvalidOperationException($"{versionsProps} has no <OxidizeVersion>.");
        }
        return version;
    }
}
