using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Report;

/// <summary>
/// Renders the report: Report/report-template.html (embedded) with the summary, the audit's records and the licenses
/// as HTML, and the size tree (kind, package, file; stored and original bytes) as JSON for the page's treemap script.
/// Everything is inline and the page's Content-Security-Policy forbids any load, so it works offline and from email.
/// </summary>
public static class HtmlReport
{
    public static string Render(ExecutableContents contents)
    {
        string template = ReadTemplate();
        string title = Path.GetFileName(contents.Path);
        return template
            .Replace("{{TITLE}}", Encode(title), StringComparison.Ordinal)
            .Replace("{{SUMMARY}}", Summary(contents), StringComparison.Ordinal)
            .Replace("{{FINDINGS}}", Findings(contents), StringComparison.Ordinal)
            .Replace("{{LICENSES}}", Licenses(contents), StringComparison.Ordinal)
            // The default encoder escapes <, > and & as \u003C..., so the JSON cannot close its <script> element.
            .Replace("{{DATA}}", JsonSerializer.Serialize(SizeTree(contents, title)), StringComparison.Ordinal);
    }

    /// <summary>{ name, stored, original, kind, children }: kind, then package, then file.</summary>
    private static Dictionary<string, object> SizeTree(ExecutableContents contents, string title)
    {
        static Dictionary<string, object> Node(string name, string kind, IEnumerable<OwnedEntry> entries, List<Dictionary<string, object>>? children) =>
            new()
            {
                ["name"] = name,
                ["kind"] = kind,
                ["stored"] = entries.Sum(entry => entry.Entry.StoredSize),
                ["original"] = entries.Sum(entry => entry.Entry.OriginalSize),
                ["children"] = children ?? [],
            };
        var kinds = contents.Entries.GroupBy(entry => ExecutableContents.KindName(entry.Entry.Kind)).Select(kind =>
            Node(kind.Key, kind.Key, kind, kind.GroupBy(entry => entry.Owner).Select(package =>
                Node(package.Key.Label, kind.Key, package, package.Select(entry => Node(entry.Name, kind.Key, [entry], null)).ToList())).ToList()))
            .ToList();
        var root = Node(title, "", contents.Entries, kinds);
        root["host"] = contents.PayloadOffset;
        return root;
    }

    private static string Summary(ExecutableContents contents)
    {
        var reader = contents.Reader;
        long stored = contents.Entries.Sum(entry => entry.Entry.StoredSize);
        long original = contents.Entries.Sum(entry => entry.Entry.OriginalSize);
        var rows = new List<(string, string)>
        {
            ("File", $"{Path.GetFileName(contents.Path)}, {Sizes.Human(reader.Length)} ({reader.Length:N0} bytes)"),
            ("Runtime", $".NET {reader.RuntimeVersion} {reader.RuntimeIdentifier}"),
            ("Entry assembly", reader.NativeAot ? "none (a Native AOT app)" : reader.EntryAssemblyName),
            ("Userland", contents.Userland),
            ("Entries", $"{contents.Entries.Count}: {Sizes.Human(stored)} stored, {Sizes.Human(original)} original"),
            ("Compressed entries", contents.Entries.Count(entry => entry.Compressed).ToString()),
            ("Host", Sizes.Human(contents.PayloadOffset)),
        };
        return Table(["", ""], rows.Select(row => new[] { row.Item1, row.Item2 }), header: false);
    }

    private static string Findings(ExecutableContents contents)
    {
        if (contents.Bom is not { } bom)
            return "<p>No audit was recorded: the executable was published with <code>OxidizeAudit=false</code>.</p>";
        var rows = new List<string[]>();
        foreach (var requirement in bom.Requirements)
            rows.Add(["floor", $"needs {requirement.Key} {requirement.Value} or newer (the newest version the host or a packed library asks for)"]);
        foreach (var component in bom.Components.Where(component => component.Purl is not null && component.Licenses.Count == 0))
            rows.Add(["license", $"{component.Name} {component.Version} declares no license"]);
        if (contents.Userland == "bundled")
            rows.Add(["userland", "carries its own loader, glibc and libraries from the build machine (.oxidize/userland/)"]);
        var text = new StringBuilder("<p>Recorded at publish time in the packed bill of materials (the publish log and obj/ hold the full audit).</p>");
        text.Append(rows.Count == 0 ? "<p>No findings.</p>" : Table(["what", "finding"], rows));
        return text.ToString();
    }

    private static string Licenses(ExecutableContents contents)
    {
        if (contents.Bom is not { } bom)
            return "<p>No bill of materials was packed (OxidizeAudit=false).</p>";
        var rows = bom.Components.Where(component => component.Purl is not null)
            .OrderBy(component => component.Name, StringComparer.OrdinalIgnoreCase)
            .Select(component => new[] { component.Name, component.Version, component.Licenses.Count > 0 ? string.Join(", ", component.Licenses) : "(none declared)", component.Purl! });
        return Table(["component", "version", "license", "package URL"], rows);
    }

    private static string Table(string[] headers, IEnumerable<string[]> rows, bool header = true)
    {
        var html = new StringBuilder("<table>");
        if (header)
            html.Append("<thead><tr>").AppendJoin("", headers.Select(cell => $"<th>{Encode(cell)}</th>")).Append("</tr></thead>");
        html.Append("<tbody>");
        foreach (var row in rows)
            html.Append("<tr>").AppendJoin("", row.Select(cell => $"<td>{Encode(cell)}</td>")).Append("</tr>");
        return html.Append("</tbody></table>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string ReadTemplate()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("report-template.html")
            ?? throw new InvalidOperationException("the report template is not embedded in dotnet-oxidize");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
