using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Oxidize.Packing.Elf;

/// <summary>
/// A numbered symbol version such as "GLIBC_2.27": <see cref="Family"/> is the text before the
/// last underscore ("GLIBC", "GLIBCXX", "CXXABI", "GCC", "CXXABI_TM") and <see cref="Version"/>
/// its 1 to 4 numeric parts, compared numerically (GLIBC_2.3.4 &lt; GLIBC_2.14). Names whose tail
/// is not numeric (GLIBC_PRIVATE, CXXABI_FLOAT128, V1.0) are not symbol versions in this sense
/// and do not parse. A single part is kept as major.0 (CXXABI_TM_1 is 1.0).
/// </summary>
public sealed record SymbolVersion(string Name, string Family, Version Version) : IComparable<SymbolVersion>
{
    public static bool TryParse(string? name, [NotNullWhen(true)] out SymbolVersion? version)
    {
        version = null;
        int separator = name?.LastIndexOf('_') ?? -1;
        if (name is null || separator <= 0 || separator == name.Length - 1)
            return false;
        string[] parts = name[(separator + 1)..].Split('.');
        if (parts.Length > 4)
            return false;
        var numbers = new int[parts.Length];
        for (int index = 0; index < parts.Length; index++)
        {
            string part = parts[index];
            if (part.Length == 0 || !part.All(char.IsAsciiDigit)
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[index]))
                return false;
        }
        var parsed = numbers.Length switch
        {
            1 => new Version(numbers[0], 0),
            2 => new Version(numbers[0], numbers[1]),
            3 => new Version(numbers[0], numbers[1], numbers[2]),
            _ => new Version(numbers[0], numbers[1], numbers[2], numbers[3]),
        };
        version = new SymbolVersion(name, name[..separator], parsed);
        return true;
    }

    public static SymbolVersion Parse(string name) =>
        TryParse(name, out var version) ? version : throw new FormatException($"'{name}' is not a numbered symbol version such as GLIBC_2.17.");

    /// <summary>
    /// The highest version each family requires, over every requirement whatever library it names
    /// (GLIBC_ versions come from libc, libm, libpthread... alike). Weak requirements count too.
    /// Non-numeric names are skipped. Keys are families, compared ordinally.
    /// </summary>
    public static IReadOnlyDictionary<string, SymbolVersion> HighestPerFamily(IEnumerable<VersionRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        return HighestPerFamily(requirements.Select(requirement => requirement.Version));
    }

    /// <inheritdoc cref="HighestPerFamily(IEnumerable{VersionRequirement})"/>
    public static IReadOnlyDictionary<string, SymbolVersion> HighestPerFamily(IEnumerable<string> versionNames)
    {
        ArgumentNullException.ThrowIfNull(versionNames);
        var highest = new SortedDictionary<string, SymbolVersion>(StringComparer.Ordinal);
        foreach (string name in versionNames)
        {
            if (TryParse(name, out var version)
                && (!highest.TryGetValue(version.Family, out var current) || version.Version > current.Version))
                highest[version.Family] = version;
        }
        return highest;
    }

    /// <summary>Orders by family (ordinal), then numerically by version.</summary>
    public int CompareTo(SymbolVersion? other)
    {
        if (other is null)
            return 1;
        int byFamily = string.CompareOrdinal(Family, other.Family);
        return byFamily != 0 ? byFamily : Version.CompareTo(other.Version);
    }

    public override string ToString() => Name;
}
