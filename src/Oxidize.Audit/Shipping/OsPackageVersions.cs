using System.Text.RegularExpressions;
using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// MSBuild's Version (SemVer: 1.2.3, 1.2.3-beta.1, 1.2.3+abc) as a Debian and RPM version. A SemVer prerelease
/// sorts before its release; both formats spell that "~" (1.2.3~beta.1 &lt; 1.2.3), while "-" would mean a Debian
/// revision and is not allowed in an RPM version at all.
/// </summary>
public static partial class OsPackageVersions
{
    [GeneratedRegex(@"^[0-9][A-Za-z0-9.+~]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Portable();

    /// <summary>The version both formats take; throws OXSDK5003 for one they cannot.</summary>
    public static string ToPackageVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        string trimmed = version.Trim();
        int plus = trimmed.IndexOf('+', StringComparison.Ordinal);
        string core = plus < 0 ? trimmed : trimmed[..plus];
        string build = plus < 0 ? "" : trimmed[plus..];
        int dash = core.IndexOf('-', StringComparison.Ordinal);
        string converted = (dash < 0 ? core : core[..dash] + "~" + core[(dash + 1)..].Replace('-', '.')) + build;
        if (!Portable().IsMatch(converted))
            throw new PackingException(ShippingErrorCodes.VersionInvalid,
                $"Version '{version}' cannot be a .deb or .rpm version: it must start with a digit and hold only letters, digits, '.', '+', '~' and a SemVer '-' prerelease (e.g. 1.2.3 or 1.2.3-beta.1, which becomes 1.2.3~beta.1). Set Version, or OxidizePackageVersion for the packages only.");
        return converted;
    }
}
