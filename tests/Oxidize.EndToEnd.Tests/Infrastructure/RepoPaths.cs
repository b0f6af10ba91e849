using System.Xml.Linq;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository, the built package and the tests' scratch folders are.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<string> LazyVersion = new(ReadOxidizeVersion);

    public static string Root => LazyRoot.Value;

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

    private static string FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OXIDIZE_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        // The tests run from tests/Oxidize.EndToEnd.Tests/bin/<cfg>/<tfm>/; the solution marks the root.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oxidize.Sdk.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException(
            $"No Oxidize.Sdk.sln above {AppContext.BaseDirectory}: set OXIDIZE_REPO_ROOT to the repository root.");
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
