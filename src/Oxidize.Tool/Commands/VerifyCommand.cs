using System.Security.Cryptography;
using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Commands;

/// <summary>
/// `dotnet oxidize verify FILE`: the trailer and index are checked by opening the file (the reader's checks are the
/// host's), then every entry's original bytes against its recorded SHA-256. Exit 0 only if all match.
/// </summary>
public static class VerifyCommand
{
    public static int Run(string path, TextWriter output, TextWriter error)
    {
        using var contents = ExecutableContents.Open(path);
        var bad = new List<string>();
        foreach (var entry in contents.Entries)
        {
            string? problem = Check(contents, entry);
            if (problem is null)
                continue;
            if (bad.Count == 0)
                error.WriteLine($"dotnet-oxidize: {path}: entry '{entry.Name}' {problem}");
            bad.Add(entry.Name);
        }
        if (bad.Count == 0)
        {
            output.WriteLine($"OK: the trailer, the index and all {contents.Entries.Count} entries match their SHA-256 ({path})");
            return ExitCodes.Success;
        }
        error.WriteLine($"dotnet-oxidize: {path}: {bad.Count} of {contents.Entries.Count} entries do not match: {string.Join(", ", bad.Take(10))}{(bad.Count > 10 ? ", ..." : "")}");
        return ExitCodes.Mismatch;
    }

    /// <summary>Null when the entry's bytes match its digest, else what is wrong with them.</summary>
    public static string? Check(ExecutableContents contents, OwnedEntry entry)
    {
        byte[] actual;
        try
        {
            // Stored entries are hashed straight from the mapping; compressed ones are decoded whole first (the reader
            // bounds their size by the index, as the host does).
            using var bytes = contents.Reader.OpenEntry(entry.Entry);
            actual = SHA256.HashData(bytes);
        }
        catch (InvalidDataException undecodable)
        {
            return $"does not decode: {undecodable.Message}";
        }
        catch (OutOfMemoryException)
        {
            return $"is too large to decode in memory ({entry.Entry.OriginalSize} bytes)";
        }
        return actual.AsSpan().SequenceEqual(entry.Entry.Sha256)
            ? null
            : $"does not match its SHA-256 (recorded {Convert.ToHexStringLower(entry.Entry.Sha256)}, actual {Convert.ToHexStringLower(actual)})";
    }
}
