using System.Text.RegularExpressions;

namespace Oxidize.Audit.Packages;

/// <summary>Where a Debian package's licenses were read from.</summary>
public enum DebianLicenseSource
{
    /// <summary>The package's machine-readable copyright file (DEP-5).</summary>
    CopyrightFile,

    /// <summary>The copyright file is prose; Oxidize's table of well-known source packages, checked against the prose.</summary>
    KnownSourcePackage,

    /// <summary>Neither: the copyright file is missing, or prose Oxidize has no entry for.</summary>
    Unknown,
}

/// <summary>
/// The licenses of a Debian package. <paramref name="Names"/> are Debian's names for the license of the
/// package as a whole (the "Files: *" paragraph), <paramref name="Expression"/> the same as an SPDX
/// expression when every name has an SPDX identifier, and <paramref name="OtherNames"/> the licenses the
/// copyright file gives for parts of the source (build scripts, the packaging, bundled code), which may
/// or may not be in the binary package.
/// </summary>
public sealed record DebianLicenses(
    string? Expression,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> OtherNames,
    DebianLicenseSource Source);

/// <summary>Reads a package's licenses from its /usr/share/doc/&lt;package&gt;/copyright file.</summary>
public static class DebianCopyright
{
    /// <summary>
    /// Source packages whose copyright file is prose, with their SPDX license and a phrase the prose must
    /// contain for the entry to apply (so a relicensed future version reads as unknown, not as wrong).
    /// </summary>
    private static readonly (Regex Source, string Expression, string Phrase)[] KnownSourcePackages =
    [
        (new Regex("^glibc$", RegexOptions.CultureInvariant), "LGPL-2.1-or-later", "Lesser General Public"),
        (new Regex(@"^gcc-[0-9]+$", RegexOptions.CultureInvariant), "GPL-3.0-or-later WITH GCC-exception-3.1", "Runtime Library Exception"),
    ];

    /// <summary>Debian short names (DEP-5 section 7) that are SPDX identifiers under another spelling.</summary>
    private static readonly Dictionary<string, string> SpdxNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Expat"] = "MIT", ["MIT"] = "MIT", ["Apache-2.0"] = "Apache-2.0", ["ISC"] = "ISC", ["Zlib"] = "Zlib",
        ["BSD-2-clause"] = "BSD-2-Clause", ["BSD-3-clause"] = "BSD-3-Clause", ["BSD-4-clause"] = "BSD-4-Clause",
        ["MPL-1.1"] = "MPL-1.1", ["MPL-2.0"] = "MPL-2.0", ["CC0-1.0"] = "CC0-1.0", ["Unicode-DFS-2016"] = "Unicode-DFS-2016",
    };

    /// <summary>GPL-2, LGPL-2.1+, AGPL-3: the GNU licenses, "+" meaning "or any later version".</summary>
    private static readonly Regex GnuName = new(@"^(?<family>A?GPL|LGPL)-(?<major>[0-9])(\.(?<minor>[0-9]))?(?<later>\+)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The licenses of the package whose copyright file is at <paramref name="path"/>.</summary>
    public static DebianLicenses Read(string path, string sourcePackage)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new DebianLicenses(null, [], [], DebianLicenseSource.Unknown);
        }
        return Parse(text, sourcePackage);
    }

    public static DebianLicenses Parse(string text, string sourcePackage)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = ControlParagraphs.Read(text.ReplaceLineEndings("\n").Split('\n')).ToList();
        bool machineReadable = paragraphs.Count > 0 && paragraphs[0].TryGetValue("Format", out string? format)
            && (format.Contains("copyright-format", StringComparison.OrdinalIgnoreCase) || format.Contains("dep5", StringComparison.OrdinalIgnoreCase));
        if (!machineReadable)
        {
            foreach (var (source, expression, phrase) in KnownSourcePackages)
            {
                if (source.IsMatch(sourcePackage) && text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
                    return new DebianLicenses(expression, [expression], [], DebianLicenseSource.KnownSourcePackage);
            }
            return new DebianLicenses(null, [], [], DebianLicenseSource.Unknown);
        }

        var files = paragraphs.Where(paragraph => paragraph.ContainsKey("Files") && paragraph.ContainsKey("License")).ToList();
        var main = files.FirstOrDefault(paragraph => paragraph["Files"].Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Contains("*"));
        if (main is null)
            return new DebianLicenses(null, [], Distinct(files.Select(LicenseName)), DebianLicenseSource.Unknown);
        string mainName = LicenseName(main);
        var others = Distinct(files.Where(paragraph => paragraph != main).Select(LicenseName).Where(name => name != mainName));
        return new DebianLicenses(ToSpdx(mainName), [mainName], others, DebianLicenseSource.CopyrightFile);
    }

    /// <summary>
    /// A Debian license field ("GPL-2+", "Artistic or GPL-1+", "MIT and BSD-3-clause") as an SPDX expression,
    /// or null when a name in it has no SPDX identifier here ("public-domain", "GPL-2+ with OpenSSL exception").
    /// </summary>
    public static string? ToSpdx(string debianName)
    {
        ArgumentNullException.ThrowIfNull(debianName);
        var tokens = debianName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var spdx = new List<string>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (i % 2 == 1)
            {
                if (!tokens[i].Equals("or", StringComparison.OrdinalIgnoreCase) && !tokens[i].Equals("and", StringComparison.OrdinalIgnoreCase))
                    return null;
                spdx.Add(tokens[i].ToUpperInvariant());
            }
            else if (Identifier(tokens[i]) is { } identifier)
            {
                spdx.Add(identifier);
            }
            else
            {
                return null;
            }
        }
        return spdx.Count % 2 == 1 ? string.Join(' ', spdx) : null;
    }

    private static string? Identifier(string name)
    {
        if (SpdxNames.TryGetValue(name, out string? known))
            return known;
        var gnu = GnuName.Match(name);
        if (!gnu.Success)
            return null;
        string version = $"{gnu.Groups["major"].Value}.{(gnu.Groups["minor"].Success ? gnu.Groups["minor"].Value : "0")}";
        return $"{gnu.Groups["family"].Value.ToUpperInvariant()}-{version}-{(gnu.Groups["later"].Success ? "or-later" : "only")}";
    }

    /// <summary>The first line of a paragraph's License field: its name (the rest, if any, is the license text).</summary>
    private static string LicenseName(Dictionary<string, string> paragraph) => paragraph["License"].Split('\n', 2)[0].Trim();

    private static List<string> Distinct(IEnumerable<string> names) =>
        [.. names.Where(name => name.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
