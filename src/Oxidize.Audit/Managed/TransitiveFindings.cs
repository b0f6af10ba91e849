namespace Oxidize.Audit.Managed;

/// <summary>
/// Tells the single-file findings a project can act on from those it cannot: its own assemblies (no package)
/// and the packages it references itself keep a warning each; packages that only come in through another
/// package (System.Configuration.ConfigurationManager through Microsoft.Data.SqlClient, say) are the
/// referencing package's business, and are summarized.
/// </summary>
public static class TransitiveFindings
{
    /// <param name="directPackageIds">The ids of the project's own PackageReference items; case-insensitive, as NuGet ids are.</param>
    public static (IReadOnlyList<SingleFileFinding> Direct, IReadOnlyList<SingleFileFinding> Transitive) Split(
        IReadOnlyList<SingleFileFinding> findings, IEnumerable<string> directPackageIds)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(directPackageIds);
        var direct = new HashSet<string>(directPackageIds, StringComparer.OrdinalIgnoreCase);
        var lookup = findings.ToLookup(finding => finding.Package is null || direct.Contains(finding.Package.Id));
        return ([.. lookup[true]], [.. lookup[false]]);
    }
}
