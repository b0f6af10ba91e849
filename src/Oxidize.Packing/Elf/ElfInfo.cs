namespace Oxidize.Packing.Elf;

/// <summary>e_type: what kind of object the file is. A PIE executable is a <see cref="SharedObject"/> (see <see cref="ElfInfo.IsPositionIndependentExecutable"/>).</summary>
public enum ElfType : ushort
{
    None = 0,
    Relocatable = 1,
    Executable = 2,
    SharedObject = 3,
    Core = 4,
}

/// <summary>e_machine values Oxidize targets; any other value is kept as its number.</summary>
public enum ElfMachine : ushort
{
    X86_64 = 62,
    AArch64 = 183,
}

/// <summary>
/// One entry of .gnu.version_r (a Vernaux under its Verneed): <paramref name="File"/> is the
/// library named by vn_file (e.g. "libc.so.6"), <paramref name="Version"/> the version name
/// (e.g. "GLIBC_2.14"); <paramref name="IsWeak"/> is VER_FLG_WEAK, under which the loader
/// tolerates the version being absent.
/// </summary>
public sealed record VersionRequirement(string File, string Version, bool IsWeak = false);

/// <summary>
/// What the dynamic loader sees of an ELF file, read from its program headers and dynamic
/// segment (never its section headers). Lists keep the file's order.
/// </summary>
public sealed record ElfInfo
{
    public required bool Is64Bit { get; init; }

    public required ElfMachine Machine { get; init; }

    public required ElfType Type { get; init; }

    /// <summary>DT_SONAME, or null when the file has none (executables usually).</summary>
    public string? Soname { get; init; }

    /// <summary>DT_NEEDED entries, in the order the loader searches them.</summary>
    public required IReadOnlyList<string> Needed { get; init; }

    /// <summary>The PT_INTERP path (e.g. "/lib64/ld-linux-x86-64.so.2"), or null for a library.</summary>
    public string? Interpreter { get; init; }

    /// <summary>DT_RUNPATH, or null.</summary>
    public string? Runpath { get; init; }

    /// <summary>DT_RPATH (the deprecated form the loader honours only when there is no DT_RUNPATH), or null.</summary>
    public string? Rpath { get; init; }

    public bool HasRunpath => Runpath is not null;

    public bool HasRpath => Rpath is not null;

    /// <summary>DF_1_PIE in DT_FLAGS_1: an executable linked as ET_DYN.</summary>
    public bool IsPositionIndependentExecutable { get; init; }

    /// <summary>Every (file, version) pair of .gnu.version_r, located through DT_VERNEED/DT_VERNEEDNUM.</summary>
    public required IReadOnlyList<VersionRequirement> VersionRequirements { get; init; }

    /// <summary>
    /// Version names the file defines (.gnu.version_d via DT_VERDEF/DT_VERDEFNUM), without the
    /// VER_FLG_BASE entry, which only repeats the file's own name. Empty when it defines none.
    /// </summary>
    public required IReadOnlyList<string> DefinedVersions { get; init; }
}
