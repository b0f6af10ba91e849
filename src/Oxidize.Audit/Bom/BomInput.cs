using Oxidize.Audit.Packages;

namespace Oxidize.Audit.Bom;

/// <summary>A file listed with its own hash: the host, or a native library (inside its package's component when it has one).</summary>
public sealed record BomFile(string Name, PackageOrigin? Package, string Sha256);

/// <summary>A package of the executable; <paramref name="IsFramework"/> for a runtime pack (the .NET runtime, ASP.NET Core).</summary>
public sealed record BomPackage(PackageMetadata Metadata, bool IsFramework);

/// <summary>
/// Everything the bill of materials says. <paramref name="Properties"/> are name/value pairs about the
/// executable as a whole (e.g. the glibc it needs), written under metadata.component. <paramref name="Userland"/>
/// is what an OxidizeUserland=bundled executable carries of the build machine (<see cref="CarriedUserland.None"/> otherwise).
/// </summary>
public sealed record BomInput(
    string AppName,
    string AppVersion,
    string OxidizeVersion,
    BomFile Host,
    IReadOnlyList<BomPackage> Packages,
    IReadOnlyList<BomFile> NativeLibraries,
    IReadOnlyList<KeyValuePair<string, string>> Properties,
    CarriedUserland Userland,
    BundledBootstrap? Bootstrap = null);

/// <summary>The static front of a bundled executable, and the C library linked into it (null when it does not say).</summary>
public sealed record BundledBootstrap(BomFile File, Native.StaticLibc? Libc);
