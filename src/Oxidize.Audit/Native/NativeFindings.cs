using Oxidize.Packing.Elf;

namespace Oxidize.Audit.Native;

/// <summary>
/// <paramref name="File"/> needs <paramref name="Version"/> from the system library <paramref name="Library"/>
/// (e.g. GLIBC_2.34 from libc.so.6) for <paramref name="Symbols"/> (possibly empty when the file has no
/// section headers), and so cannot load on <paramref name="FailsOn"/>: the executable fails to start there when
/// <paramref name="LoadsAtStartup"/>, else the app fails when it first uses the file (StartupLibraries).
/// </summary>
public sealed record VersionFinding(
    string File, PackageOrigin? Package, string Library, SymbolVersion Version, IReadOnlyList<string> Symbols, IReadOnlyList<Distribution> FailsOn,
    bool LoadsAtStartup);

/// <summary><paramref name="File"/> lists <paramref name="Library"/> in DT_NEEDED, and it is neither packed nor known to be on every system.</summary>
/// <param name="Common">Set when the library is one most installations have (<see cref="CommonSystemLibraries"/>): a warning by
/// default naming its package; null for a library no target can be assumed to have.</param>
public sealed record MissingLibraryFinding(string File, PackageOrigin? Package, string Library, bool LoadsAtStartup, CommonSystemLibrary? Common = null);

/// <summary>A native file the audit could not check: not a 64-bit little-endian ELF file for the target's architecture, or damaged.</summary>
public sealed record UnreadableNativeFile(string File, PackageOrigin? Package, string Reason);

/// <summary>The highest version of one family (GLIBC, GLIBCXX, CXXABI, GCC) any file needs, and the first file (in entry order) that needs it.</summary>
public sealed record HighestRequirement(SymbolVersion Version, string File);

/// <summary>What one ELF file needs from the system, for the report.</summary>
public sealed record NativeFileSummary(string File, PackageOrigin? Package, string? Soname, IReadOnlyList<string> Needed, IReadOnlyList<SymbolVersion> Highest);

/// <summary>
/// <paramref name="GlibcFloor"/> is the glibc the findings were judged at: the declared floor, or without one
/// the executable's real floor (the runtime's own, or the highest GLIBC_ version a file needs above it).
/// </summary>
public sealed record NativeAuditResult(
    IReadOnlyList<VersionFinding> GlibcTooNew,
    IReadOnlyList<VersionFinding> CxxRuntimeTooNew,
    IReadOnlyList<MissingLibraryFinding> MissingLibraries,
    IReadOnlyList<UnreadableNativeFile> Unreadable,
    IReadOnlyList<HighestRequirement> Highest,
    IReadOnlyList<NativeFileSummary> Files,
    Version GlibcFloor);
