namespace Oxidize.Audit.Packages;

/// <summary>
/// What a package's .nuspec says about it, for the bill of materials. <see cref="LicenseExpression"/>
/// is an SPDX expression (&lt;license type="expression"&gt;); a package that ships its license as a file
/// has <see cref="LicenseFile"/> (and <see cref="LicenseText"/> when it is small enough to carry);
/// older packages only have <see cref="LicenseUrl"/>. <see cref="Sha512"/> is NuGet's hash of the
/// .nupkg (hex), when the package folder has it.
/// </summary>
public sealed record PackageMetadata(
    string Id,
    string Version,
    string? LicenseExpression = null,
    string? LicenseFile = null,
    string? LicenseText = null,
    string? LicenseUrl = null,
    string? Authors = null,
    string? ProjectUrl = null,
    string? RepositoryUrl = null,
    string? Description = null,
    string? Sha512 = null)
{
    /// <summary>The license as a person reads it: the expression, else the license file's name, else the URL, else null.</summary>
    public string? LicenseSummary => LicenseExpression ?? (LicenseFile is not null ? $"see {LicenseFile} in the package" : LicenseUrl);
}
