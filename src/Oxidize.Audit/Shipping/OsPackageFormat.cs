using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>An operating-system package Oxidize can write from the executable.</summary>
public enum OsPackageFormat
{
    Deb,
    Rpm,
    TarGz,
}

public static class OsPackageFormats
{
    /// <summary>
    /// "deb;rpm;tar.gz" as a set. ';', ',' and blanks all separate (MSBuild splits a -p value at ';' and ',', so on
    /// the command line users type "deb%3Brpm" or "deb rpm"); names are case-insensitive and "tgz" is tar.gz.
    /// </summary>
    public static IReadOnlyList<OsPackageFormat> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var formats = new SortedSet<OsPackageFormat>();
        foreach (string name in list.Split([';', ',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            formats.Add(name.ToLowerInvariant() switch
            {
                "deb" => OsPackageFormat.Deb,
                "rpm" => OsPackageFormat.Rpm,
                "tar.gz" or "tgz" => OsPackageFormat.TarGz,
                _ => throw new PackingException(ShippingErrorCodes.UnknownFormat,
                    $"OxidizePackages names '{name}', which is not a package format Oxidize writes; use any of deb, rpm and tar.gz (e.g. -p:OxidizePackages=deb%3Brpm, or \"deb rpm\")."),
            });
        }
        return [.. formats];
    }

    /// <summary>The file name extension (without the name and version before it).</summary>
    public static string Extension(OsPackageFormat format) => format switch
    {
        OsPackageFormat.Deb => ".deb",
        OsPackageFormat.Rpm => ".rpm",
        _ => ".tar.gz",
    };
}
