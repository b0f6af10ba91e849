namespace Oxidize.Audit.Packages;

/// <summary>
/// Debian's control-file syntax (deb822), shared by dpkg's status file and machine-readable copyright
/// files: paragraphs separated by blank lines, "Field: value" lines, and continuation lines that start
/// with a space or tab (a lone " ." stands for an empty line). Field names are case-insensitive. A
/// field's value is its first line, then its continuation lines joined with '\n'.
/// </summary>
public static class ControlParagraphs
{
    public static IEnumerable<Dictionary<string, string>> Read(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? field = null;
        foreach (string line in lines)
        {
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0)
                    yield return fields;
                fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                field = null;
            }
            else if (line[0] is ' ' or '\t')
            {
                if (field is not null)
                    fields[field] += "\n" + (line.Trim() == "." ? "" : line.Trim());
            }
            else if (line[0] != '#' && line.IndexOf(':') is var colon and > 0)
            {
                field = line[..colon].Trim();
                fields[field] = line[(colon + 1)..].Trim();
            }
        }
        if (fields.Count > 0)
            yield return fields;
    }
}
