namespace Oxidize.Tool;

/// <summary>What `dotnet oxidize` exits with (docs/errors.md, "dotnet oxidize exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>verify: an entry does not match its SHA-256; diff: the two executables differ.</summary>
    public const int Mismatch = 1;

    /// <summary>The command line is wrong (unknown command or option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>The file exists but is not a valid Oxidize executable (no trailer, damaged index, ...).</summary>
    public const int InvalidExecutable = 3;

    /// <summary>An input file cannot be read (missing, a folder, no permission).</summary>
    public const int UnreadableInput = 4;

    /// <summary>An output cannot be written, or extract refused (folder not empty, an entry name leaving the folder).</summary>
    public const int OutputRefused = 5;

    /// <summary>The executable carries no record of what was asked (bom of an executable published with OxidizeAudit=false).</summary>
    public const int NotRecorded = 6;
}
