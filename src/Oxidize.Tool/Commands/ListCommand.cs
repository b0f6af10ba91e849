using System.Text.Json;
using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Commands;

/// <summary>`dotnet oxidize list FILE [--tree] [--json]`: every entry with its kind, sizes and package.</summary>
public static class ListCommand
{
    public static int Run(string path, bool tree, bool json, TextWriter output)
    {
        using var contents = ExecutableContents.Open(path);
        if (json)
            WriteJson(contents, output);
        else if (tree)
            WriteTree(contents, output);
        else
            WriteTable(contents, output);
        return ExitCodes.Success;
    }

    private static void WriteTable(ExecutableContents contents, TextWriter output)
    {
        var table = new TextTable("KIND", "CODEC", "SIZE", "STORED", "PACKAGE", "VERSION", "NAME") { RightAligned = [2, 3] };
        foreach (var entry in contents.Entries)
            table.Add(ExecutableContents.KindName(entry.Entry.Kind), entry.Compressed ? "lz4" : "stored", entry.Entry.OriginalSize.ToString(),
                entry.Entry.StoredSize.ToString(), entry.Owner.Name, entry.Owner.Version.Length > 0 ? entry.Owner.Version : "-", entry.Name);
        table.Write(output);
    }

    /// <summary>Kind, then package (largest first), then files: where the bytes go.</summary>
    private static void WriteTree(ExecutableContents contents, TextWriter output)
    {
        output.WriteLine($"{Path.GetFileName(contents.Path)}  {Sizes.Human(contents.Reader.Length)}");
        var kinds = contents.Entries.GroupBy(entry => ExecutableContents.KindName(entry.Entry.Kind))
            .OrderByDescending(kind => kind.Sum(entry => entry.Entry.StoredSize)).ToList();
        for (int k = 0; k < kinds.Count; k++)
        {
            bool lastKind = k == kinds.Count - 1;
            output.WriteLine($"{(lastKind ? "└── " : "├── ")}{kinds[k].Key}  {Sizes.Human(kinds[k].Sum(entry => entry.Entry.StoredSize))}");
            var packages = kinds[k].GroupBy(entry => entry.Owner).OrderByDescending(package => package.Sum(entry => entry.Entry.StoredSize)).ToList();
            string kindIndent = lastKind ? "    " : "│   ";
            for (int p = 0; p < packages.Count; p++)
            {
                bool lastPackage = p == packages.Count - 1;
                output.WriteLine($"{kindIndent}{(lastPackage ? "└── " : "├── ")}{packages[p].Key.Label}  {Sizes.Human(packages[p].Sum(entry => entry.Entry.StoredSize))}");
                var files = packages[p].OrderByDescending(entry => entry.Entry.StoredSize).ThenBy(entry => entry.Name, StringComparer.Ordinal).ToList();
                for (int f = 0; f < files.Count; f++)
                {
                    string compressed = files[f].Compressed ? $" (lz4, {Sizes.Human(files[f].Entry.OriginalSize)} original)" : "";
                    output.WriteLine($"{kindIndent}{(lastPackage ? "    " : "│   ")}{(f == files.Count - 1 ? "└── " : "├── ")}{files[f].Name}  {Sizes.Human(files[f].Entry.StoredSize)}{compressed}");
                }
            }
        }
    }

    private static void WriteJson(ExecutableContents contents, TextWriter output)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("runtimeVersion", contents.Reader.RuntimeVersion);
            json.WriteString("runtimeIdentifier", contents.Reader.RuntimeIdentifier);
            json.WriteString("entryAssembly", contents.Reader.EntryAssemblyName);
            json.WriteNumber("fileSize", contents.Reader.Length);
            json.WriteStartArray("entries");
            foreach (var entry in contents.Entries)
            {
                json.WriteStartObject();
                json.WriteString("name", entry.Name);
                json.WriteString("kind", ExecutableContents.KindName(entry.Entry.Kind));
                json.WriteString("codec", entry.Compressed ? "lz4" : "stored");
                json.WriteNumber("size", entry.Entry.OriginalSize);
                json.WriteNumber("storedSize", entry.Entry.StoredSize);
                json.WriteNumber("fileOffset", entry.Entry.FileOffset);
                json.WriteString("sha256", Convert.ToHexStringLower(entry.Entry.Sha256));
                json.WriteString("package", entry.Owner.Name);
                json.WriteString("packageVersion", entry.Owner.Version);
                json.WriteString("packageSource", entry.Owner.Source);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
