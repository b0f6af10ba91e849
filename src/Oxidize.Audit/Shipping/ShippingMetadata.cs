using System.Text.RegularExpressions;
using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// What the packages say about the app, from MSBuild's own properties. <paramref name="PackageName"/> is the
/// Debian/RPM package name, <paramref name="CommandName"/> the executable's name under /usr/bin,
/// <paramref name="Version"/> already in the form both formats take (<see cref="OsPackageVersions"/>).
/// </summary>
public sealed partial record ShippingMetadata(
    string PackageName,
    string CommandName,
    string Version,
    string RpmRelease,
    string Maintainer,
    string Summary,
    string Description,
    string ExtendedDescription,
    string? Homepage,
    string License,
    string Copyright,
    string DebianArchitecture,
    string RpmArchitecture)
{
    /// <summary>NuGet's default Description: a project that never set one.</summary>
    public const string NuGetDefaultDescription = "Package Description";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DebianPackageName();

    [GeneratedRegex(@"^[^<>]+ <[^<>@\s]+@[^<>\s]+>$", RegexOptions.CultureInvariant)]
    private static partial Regex NameAndEmail();

    /// <summary>Checks what the formats require and fills the defaults; throws OXSDK5002/5005/5006/5010.</summary>
    public static ShippingMetadata Create(
        string packageName, string commandName, string version, string rpmRelease, string maintainer, string description,
        string summary, string homepage, string license, string copyright, string runtimeIdentifier)
    {
        string name = packageName.Trim();
        if (!DebianPackageName().IsMatch(name))
            throw new PackingException(ShippingErrorCodes.NameInvalid,
                $"The package name '{packageName}' is not one .deb and .rpm take: lower-case letters, digits, '+', '-' and '.', starting with a letter or digit, two characters at least. Set OxidizePackageName.");
        string text = description.Trim().ReplaceLineEndings("\n");
        if (text.Length == 0 || text == NuGetDefaultDescription)
            throw new PackingException(ShippingErrorCodes.DescriptionMissing,
                "The packages need a description of the app: set Description in the project (one line is enough; the first line is the package summary unless OxidizePackageSummary is set).");
        if (!NameAndEmail().IsMatch(maintainer.Trim()))
            throw new PackingException(ShippingErrorCodes.MaintainerInvalid,
                $"The packages' maintainer is '{maintainer}'; .deb needs a name and an e-mail address, 'Name <name@example.org>'. Set OxidizePackageMaintainer (it defaults to Authors).");
        if (license.Trim().Length == 0)
            throw new PackingException(ShippingErrorCodes.LicenseMissing,
                "The packages need the app's license: set PackageLicenseExpression (an SPDX expression such as MIT, or LicenseRef-Proprietary), or OxidizePackageLicense.");
        var (debian, rpm) = OsPackageArchitectures.FromRuntimeIdentifier(runtimeIdentifier);
        string packageVersion = OsPackageVersions.ToPackageVersion(version);
        string[] lines = text.Split('\n');
        string synopsis = summary.Trim().Length > 0 ? summary.Trim() : lines[0].Trim().TrimEnd('.');
        // Debian wants an extended description that does not repeat the synopsis (lintian errors on either): the
        // Description's lines after the one that became the synopsis, or when there are none a sentence saying what the package is.
        string extended = string.Join('\n', (summary.Trim().Length > 0 ? lines : lines[1..]).SkipWhile(line => line.Trim().Length == 0)).TrimEnd();
        if (extended.Length == 0 || extended.TrimEnd('.') == synopsis)
            extended = $"{commandName} {packageVersion}, published with Oxidize.Sdk as one native executable that carries the .NET runtime and every library it uses.";
        return new ShippingMetadata(name, commandName, packageVersion,
            rpmRelease.Trim().Length > 0 ? rpmRelease.Trim() : "1", maintainer.Trim(), synopsis, text, extended,
            homepage.Trim().Length > 0 ? homepage.Trim() : null, license.Trim(),
            copyright.Trim().Length > 0 ? copyright.Trim() : maintainer.Trim(), debian, rpm);
    }

    /// <summary>The base of every package file name: webapi_1.0.0_amd64 style names are the formats' own business.</summary>
    public string DocumentDirectory => $"usr/share/doc/{PackageName}";
}
