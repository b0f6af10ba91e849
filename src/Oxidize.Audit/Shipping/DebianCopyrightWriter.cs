using System.Text;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// A machine-readable debian/copyright (DEP-5) for the one executable: its license is the app's and, since it
/// carries them, every license of the bill of materials' components; the Comment lists each component with its
/// version and license, so what the executable carries can be read without unpacking it.
/// </summary>
public static class DebianCopyrightWriter
{
    public const string FormatUri = "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/";

    public static string Write(ShippingMetadata metadata, IReadOnlyList<CarriedComponent> components)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(components);
        var licenses = new List<string> { ToDebian(metadata.License) };
        foreach (var component in components)
        {
            if (component.LicenseExpression is { } expression && !licenses.Contains(ToDebian(expression)))
                licenses.Add(ToDebian(expression));
        }

        var text = new StringBuilder();
        text.Append("Format: ").Append(FormatUri).Append('\n');
        text.Append("Upstream-Name: ").Append(metadata.CommandName).Append('\n');
        text.Append("Upstream-Contact: ").Append(metadata.Maintainer).Append('\n');
        if (metadata.Homepage is { } homepage)
            text.Append("Source: ").Append(homepage).Append('\n');
        text.Append("Comment: /usr/bin/").Append(metadata.CommandName)
            .Append(" is one executable that carries the .NET runtime and these components (from its bill of materials,\n")
            .Append(" the entry .oxidize/bom.cdx.json inside it):\n");
        foreach (var component in components.OrderBy(component => component.Name, StringComparer.Ordinal))
            text.Append("  ").Append(component.Name).Append(' ').Append(component.Version).Append(": ").Append(LicenseText(component)).Append('\n');
        text.Append('\n');
        text.Append("Files: *\n");
        text.Append("Copyright: ").Append(metadata.Copyright).Append('\n');
        // DEP-5 has no parentheses; "and" of every expression is what one file carrying them all is under.
        text.Append("License: ").Append(string.Join(" and ", licenses).Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)).Append('\n');
        foreach (string license in licenses.SelectMany(Names).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            text.Append('\n');
            text.Append("License: ").Append(license).Append('\n');
            text.Append(" The SPDX license ").Append(license).Append(", whose text is at https://spdx.org/licenses/").Append(license).Append(".html.\n");
            if (CommonLicense(license) is { } common)
                text.Append(" On Debian systems, the full text is in /usr/share/common-licenses/").Append(common).Append(".\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// The file in /usr/share/common-licenses (base-files) with the text of an SPDX license, where Debian has one;
    /// Debian policy 12.5 wants copyright files to point there rather than elsewhere.
    /// </summary>
    public static string? CommonLicense(string spdx) => spdx switch
    {
        "Apache-2.0" or "MPL-1.1" or "MPL-2.0" or "CC0-1.0" or "Artistic-2.0" => spdx,
        "GPL-1.0-only" or "GPL-1.0-or-later" => "GPL-1",
        "GPL-2.0-only" or "GPL-2.0-or-later" => "GPL-2",
        "GPL-3.0-only" or "GPL-3.0-or-later" => "GPL-3",
        "LGPL-2.0-only" or "LGPL-2.0-or-later" => "LGPL-2",
        "LGPL-2.1-only" or "LGPL-2.1-or-later" => "LGPL-2.1",
        "LGPL-3.0-only" or "LGPL-3.0-or-later" => "LGPL-3",
        "GFDL-1.2-only" or "GFDL-1.2-or-later" => "GFDL-1.2",
        "GFDL-1.3-only" or "GFDL-1.3-or-later" => "GFDL-1.3",
        _ => null,
    };

    /// <summary>An SPDX expression in DEP-5's spelling: lower-case operators.</summary>
    public static string ToDebian(string spdx) =>
        spdx.Replace(" AND ", " and ", StringComparison.Ordinal).Replace(" OR ", " or ", StringComparison.Ordinal).Replace(" WITH ", " with ", StringComparison.Ordinal);

    /// <summary>The license names of a DEP-5 expression: not the operators, not the exception after "with".</summary>
    private static IEnumerable<string> Names(string expression)
    {
        string[] tokens = expression.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] == "with")
                i++;
            else if (tokens[i] is not ("and" or "or"))
                yield return tokens[i];
        }
    }

    private static string LicenseText(CarriedComponent component) =>
        component.LicenseExpression ?? (component.LicenseNames.Count > 0 ? string.Join(", ", component.LicenseNames) : "license not recorded");
}
