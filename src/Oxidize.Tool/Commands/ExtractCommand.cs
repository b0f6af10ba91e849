using System.Security.Cryptography;
using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Commands;

/// <summary>
/// `dotnet oxidize extract FILE DIR [--only GLOB]`: writes entries' original bytes under DIR. DIR must not exist or be
/// empty (nothing is overwritten); every name is checked before the first byte is written, so a name that would leave
/// DIR (absolute, "..", empty segments) refuses the whole extraction; each entry is written only after it matches its
/// SHA-256, and never through a symbolic link.
/// </summary>
public static class ExtractCommand
{
    public static int Run(string path, string directory, string? only, TextWriter output)
    {
        using var contents = ExecutableContents.Open(path);
        var glob = only is null ? null : new Glob(only);
        var selected = contents.Entries.Where(entry => glob is null || glob.Matches(entry.Name)).ToList();
        if (selected.Count == 0)
            throw new ToolException(ExitCodes.OutputRefused, $"no entry of {path} matches '{only}'; nothing extracted.");
        string root = Path.GetFullPath(directory);
        foreach (var entry in selected)
            Target(root, entry.Name);
        PrepareRoot(root);
        foreach (var entry in selected)
        {
            if (VerifyCommand.Check(contents, entry) is { } problem)
                throw new ToolException(ExitCodes.Mismatch, $"{path}: entry '{entry.Name}' {problem}; extraction stopped (entries before it are in {root}).");
            Write(root, entry.Name, ExecutableFile.Read(contents.Reader, entry.Entry, path));
        }
        output.WriteLine($"Extracted {selected.Count} of {contents.Entries.Count} entries to {root}");
        return ExitCodes.Success;
    }

    /// <summary>Where the entry goes; a name that is not a plain relative path inside the folder is refused.</summary>
    private static string Target(string root, string name)
    {
        string[] segments = name.Split('/');
        if (name.Length == 0 || name.Contains('\0') || name.Contains('\\') || segments.Any(segment => segment is "" or "." or ".."))
            throw new ToolException(ExitCodes.OutputRefused, $"entry '{name}' is not a relative path inside the folder; refusing to extract anything.");
        string target = Path.GetFullPath(Path.Combine(root, name));
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ToolException(ExitCodes.OutputRefused, $"entry '{name}' would be written outside {root}; refusing to extract anything.");
        return target;
    }

    private static void PrepareRoot(string root)
    {
        try
        {
            if (File.Exists(root) || (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any()))
                throw new ToolException(ExitCodes.OutputRefused, $"{root} exists and is not an empty folder; extract writes only into a new or empty one.");
            if (Directory.Exists(root) && new DirectoryInfo(root).LinkTarget is not null)
                throw new ToolException(ExitCodes.OutputRefused, $"{root} is a symbolic link; extract writes only into a real folder.");
            Directory.CreateDirectory(root);
        }
        catch (Exception failed) when (failed is IOException or UnauthorizedAccessException)
        {
            throw new ToolException(ExitCodes.OutputRefused, $"cannot create {root}: {failed.Message}");
        }
    }

    private static void Write(string root, string name, byte[] bytes)
    {
        string target = Target(root, name);
        try
        {
            // Every folder between root and the file is created here, by us, so none can be a link planted earlier.
            string folder = root;
            foreach (string segment in name.Split('/')[..^1])
            {
                folder = Path.Combine(folder, segment);
                var info = Directory.CreateDirectory(folder);
                if (info.LinkTarget is not null)
                    throw new ToolException(ExitCodes.OutputRefused, $"{folder} is a symbolic link; refusing to write {name} through it.");
            }
            using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            file.Write(bytes);
        }
        catch (Exception failed) when (failed is IOException or UnauthorizedAccessException)
        {
            throw new ToolException(ExitCodes.OutputRefused, $"cannot write {target}: {failed.Message}");
        }
    }
}
