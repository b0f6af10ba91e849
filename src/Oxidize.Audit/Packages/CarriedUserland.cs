using System.Security.Cryptography;
using Oxidize.Audit.Bom;

namespace Oxidize.Audit.Packages;

/// <summary>A Debian package some carried files came from, with its licenses and those files (entry names, SHA-256).</summary>
public sealed record CarriedPackage(DebianPackage Package, DebianLicenses Licenses, IReadOnlyList<BomFile> Files);

/// <summary>
/// What a bundled executable carries of the build machine's userland, by package. <paramref name="UnownedFiles"/>
/// are files no package owns (the CA bundle is generated on the machine); <paramref name="Vendor"/> and
/// <paramref name="Distribution"/> come from os-release ("debian", "debian-12"). With
/// <paramref name="PackageDatabaseMissing"/>, the machine has no dpkg database and every file is unowned.
/// </summary>
public sealed record CarriedUserland(
    IReadOnlyList<CarriedPackage> Packages,
    IReadOnlyList<BomFile> UnownedFiles,
    string Vendor,
    string Distribution,
    bool PackageDatabaseMissing)
{
    public static readonly CarriedUserland None = new([], [], "", "", PackageDatabaseMissing: false);

    /// <summary>
    /// Finds the packages of <paramref name="files"/> in the dpkg database under <paramref name="root"/> ("/", or a
    /// test's fake system, in which case the files' paths are inside it).
    /// </summary>
    public static CarriedUserland Resolve(IReadOnlyList<CarriedFile> files, string root = "/")
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
            return None;
        var hashed = files.Select(file => (file.Path, Bom: new BomFile(file.Name, null, Sha256(file.Path)))).ToList();
        if (DpkgDatabase.Open(root) is not { } database)
            return new CarriedUserland([], [.. hashed.Select(file => file.Bom)], "", "", PackageDatabaseMissing: true);

        // The database sees paths from its root, inside which a test's fake system keeps its files.
        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var seenFromRoot = files.Select(file => Path.GetFullPath(file.Path)).Distinct(StringComparer.Ordinal)
            .ToDictionary(path => path, path => path.StartsWith(fullRoot + "/", StringComparison.Ordinal) ? path[fullRoot.Length..] : path, StringComparer.Ordinal);
        var found = database.FindOwners([.. seenFromRoot.Values.Distinct(StringComparer.Ordinal)]);
        DebianPackage? OwnerOf(string path) => found.GetValueOrDefault(seenFromRoot[Path.GetFullPath(path)]);
        var (vendor, distribution) = database.ReadDistribution();
        var packages = hashed.Where(file => OwnerOf(file.Path) is not null)
            .GroupBy(file => OwnerOf(file.Path)!)
            .Select(group => new CarriedPackage(
                group.Key,
                DebianCopyright.Read(group.Key.CopyrightPath, group.Key.SourceName),
                [.. group.Select(file => file.Bom).OrderBy(file => file.Name, StringComparer.Ordinal)]))
            .OrderBy(package => package.Package.Name, StringComparer.Ordinal)
            .ToList();
        var unowned = hashed.Where(file => OwnerOf(file.Path) is null).Select(file => file.Bom).OrderBy(file => file.Name, StringComparer.Ordinal).ToList();
        return new CarriedUserland(packages, unowned, vendor, distribution, PackageDatabaseMissing: false);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
