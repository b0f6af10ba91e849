using System.Globalization;
using System.Text.Json;

namespace Oxidize.Audit.Report;

/// <summary>
/// What is inside an executable, for people: per file and per package, stored (in the executable) and
/// original size, kind and codec, as JSON; and a few lines for the build log (totals per kind, the
/// largest files).
/// </summary>
public sealed class ContentsReport
{
    private const double Megabyte = 1024 * 1024;

    public ContentsReport(string executableName, long executableSize, IEnumerable<ContentsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ExecutableName = executableName;
        ExecutableSize = executableSize;
        Entries = [.. entries.OrderBy(entry => entry.Name, StringComparer.Ordinal)];
    }

    public string ExecutableName { get; }

    public long ExecutableSize { get; }

    public IReadOnlyList<ContentsEntry> Entries { get; }

    public IReadOnlyList<ContentsEntry> Largest(int count) =>
        [.. Entries.OrderByDescending(entry => entry.StoredSize).ThenBy(entry => entry.Name, StringComparer.Ordinal).Take(count)];

    /// <summary>Per package (the project's own files under "(project)"), largest stored size first.</summary>
    public IReadOnlyList<(string Package, string? Version, bool IsFramework, int Files, long StoredSize, long OriginalSize)> ByPackage() =>
        [.. Entries.GroupBy(entry => (entry.Package?.Id ?? "(project)", entry.Package?.Version, entry.IsFramework))
            .Select(group => (group.Key.Item1, group.Key.Version, group.Key.IsFramework, group.Count(), group.Sum(entry => entry.StoredSize), group.Sum(entry => entry.OriginalSize)))
            .OrderByDescending(package => package.Item5).ThenBy(package => package.Item1, StringComparer.Ordinal)];

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("executable", ExecutableName);
            json.WriteNumber("size", ExecutableSize);
            json.WriteNumber("entries", Entries.Count);
            json.WriteNumber("storedSize", Entries.Sum(entry => entry.StoredSize));
            json.WriteNumber("originalSize", Entries.Sum(entry => entry.OriginalSize));
            json.WriteStartArray("kinds");
            foreach (var kind in Entries.GroupBy(entry => entry.KindName).OrderBy(group => group.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("kind", kind.Key);
                json.WriteNumber("files", kind.Count());
                json.WriteNumber("storedSize", kind.Sum(entry => entry.StoredSize));
                json.WriteNumber("originalSize", kind.Sum(entry => entry.OriginalSize));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("packages");
            foreach (var package in ByPackage())
            {
                json.WriteStartObject();
                json.WriteString("id", package.Package);
                if (package.Version is not null)
                    json.WriteString("version", package.Version);
                json.WriteBoolean("framework", package.IsFramework);
                json.WriteNumber("files", package.Files);
                json.WriteNumber("storedSize", package.StoredSize);
                json.WriteNumber("originalSize", package.OriginalSize);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("files");
            foreach (var entry in Entries)
            {
                json.WriteStartObject();
                json.WriteString("name", entry.Name);
                json.WriteString("kind", entry.KindName);
                json.WriteString("codec", entry.CodecName);
                json.WriteNumber("storedSize", entry.StoredSize);
                json.WriteNumber("originalSize", entry.OriginalSize);
                if (entry.Package is { } origin)
                {
                    json.WriteString("package", origin.Id);
                    json.WriteString("packageVersion", origin.Version);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>"12 managed (45.1 MB), 9 native (20.3 MB), 2 content (0.0 MB)": totals per kind, stored sizes.</summary>
    public string KindTotals() => string.Join(", ", Entries.GroupBy(entry => entry.KindName).OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => $"{group.Count()} {group.Key} ({Megabytes(group.Sum(entry => entry.StoredSize))})"));

    /// <summary>"libcoreclr.so 7.2 MB (native, stored, Microsoft.NETCore.App.Runtime.linux-x64 10.0.12)".</summary>
    public static string Describe(ContentsEntry entry) =>
        $"{entry.Name} {Megabytes(entry.StoredSize)} ({entry.KindName}, {entry.CodecName}, {entry.Package?.ToString() ?? "project"})";

    public static string Megabytes(long bytes) => (bytes / Megabyte).ToString("N1", CultureInfo.InvariantCulture) + " MB";
}
