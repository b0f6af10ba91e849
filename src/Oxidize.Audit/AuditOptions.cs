using Oxidize.Audit.Native;
using Oxidize.Audit.Packages;

namespace Oxidize.Audit;

/// <summary>
/// The policy and the context of one audit. <paramref name="PackageDirectories"/> maps "id/version"
/// (lower case) to a package folder already known (a runtime pack's, or one derived from a file's path
/// in its package); other packages are looked up in <paramref name="PackageFolders"/> (NuGet's global
/// and fallback folders).
/// </summary>
public sealed record AuditOptions(
    NativePolicy Native,
    IReadOnlySet<string> SuppressedSingleFileOwners,
    bool AuditFramework,
    LicensePolicy Licenses,
    IReadOnlyList<string> PackageFolders,
    IReadOnlyDictionary<string, string> PackageDirectories,
    string AppName,
    string AppVersion,
    string OxidizeVersion,
    string RuntimeIdentifier)
{
    public static string PackageKey(string id, string version) => $"{id}/{version}".ToLowerInvariant();
}
