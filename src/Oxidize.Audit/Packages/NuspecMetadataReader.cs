using NuGet.Packaging;
using NuGet.Packaging.Licenses;
using NuGet.Versioning;

namespace Oxidize.Audit.Packages;

/// <summary>
/// Reads <see cref="PackageMetadata"/> from an extracted package folder with NuGet.Packaging, the
/// copy the .NET SDK ships (this assembly is compiled against it and never carries its own). Callers
/// must be ready for a FileLoadException/FileNotFoundException from the JIT when that copy is missing.
/// </summary>
public static class NuspecMetadataReader
{
    /// <summary>License files up to this size are carried in the bill of materials as text.</summary>
    public const int MaxLicenseTextBytes = 64 * 1024;

    /// <summary>
    /// The package folder NuGet extracted id/version into, looking in each of <paramref name="packageFolders"/>
    /// (NuGet's global folder and fallback folders, in order); null when none has its .nuspec.
    /// </summary>
    public static string? FindPackageDirectory(IEnumerable<string> packageFolders, string id, string version)
    {
        ArgumentNullException.ThrowIfNull(packageFolders);
        if (!NuGetVersion.TryParse(version, out var parsed))
            return null;
        foreach (string folder in packageFolders.Where(folder => folder.Length > 0))
        {
            var resolver = new VersionFolderPathResolver(folder);
            if (File.Exists(resolver.GetManifestFilePath(id, parsed)))
                return resolver.GetInstallPath(id, parsed);
        }
        return null;
    }

    /// <summary>Reads the folder's one .nuspec; throws IOException or InvalidDataException when it is missing or unreadable.</summary>
    public static PackageMetadata Read(string packageDirectory)
    {
        string[] nuspecs = Directory.GetFiles(packageDirectory, "*.nuspec");
        if (nuspecs.Length != 1)
            throw new InvalidDataException($"'{packageDirectory}' holds {nuspecs.Length} .nuspec files, not one.");
        NuspecReader nuspec;
        try
        {
            nuspec = new NuspecReader(nuspecs[0]);
            _ = nuspec.GetId();
        }
        catch (Exception exception) when (exception is NuGet.Packaging.Core.PackagingException or System.Xml.XmlException)
        {
            throw new InvalidDataException($"'{nuspecs[0]}' is not a valid .nuspec: {exception.Message}", exception);
        }

        var license = nuspec.GetLicenseMetadata();
        string? expression = license?.Type == LicenseType.Expression ? license.License : null;
        string? licenseFile = license?.Type == LicenseType.File ? license.License : null;
        string? repository = nuspec.GetRepositoryMetadata()?.Url;
        return new PackageMetadata(
            Id: nuspec.GetId(),
            Version: nuspec.GetVersion().ToNormalizedString(),
            LicenseExpression: expression,
            LicenseFile: licenseFile,
            LicenseText: licenseFile is null ? null : ReadSmallText(packageDirectory, licenseFile),
            // NuGet writes this placeholder URL into packages that have a license expression or file.
            LicenseUrl: NullIfEmpty(nuspec.GetLicenseUrl()) is { } url && !url.StartsWith("https://aka.ms/deprecateLicenseUrl", StringComparison.OrdinalIgnoreCase) ? url : null,
            Authors: NullIfEmpty(nuspec.GetAuthors()),
            ProjectUrl: NullIfEmpty(nuspec.GetProjectUrl()),
            RepositoryUrl: NullIfEmpty(repository),
            Description: NullIfEmpty(nuspec.GetDescription()),
            Sha512: ReadSha512(packageDirectory));
    }

    /// <summary>True when <paramref name="expression"/> parses as an SPDX expression NuGet accepts.</summary>
    public static bool IsValidExpression(string expression)
    {
        try
        {
            _ = NuGetLicenseExpression.Parse(expression);
            return true;
        }
        catch (NuGetLicenseExpressionParsingException)
        {
            return false;
        }
    }

    private static string? ReadSmallText(string packageDirectory, string relativePath)
    {
        string path = Path.GetFullPath(Path.Combine(packageDirectory, relativePath));
        // The path comes from the .nuspec: never read outside the package folder.
        if (!path.StartsWith(Path.GetFullPath(packageDirectory).TrimEnd('/') + "/", StringComparison.Ordinal))
            return null;
        var file = new FileInfo(path);
        return file.Exists && file.Length <= MaxLicenseTextBytes ? File.ReadAllText(path) : null;
    }

    /// <summary>The hex SHA-512 of the .nupkg, from the *.nupkg.sha512 file (base64) NuGet writes on extraction.</summary>
    private static string? ReadSha512(string packageDirectory)
    {
        string? hashFile = Directory.GetFiles(packageDirectory, "*.nupkg.sha512").FirstOrDefault();
        if (hashFile is null)
            return null;
        try
        {
            return Convert.ToHexStringLower(Convert.FromBase64String(File.ReadAllText(hashFile).Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
