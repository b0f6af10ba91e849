using Oxidize.Audit.Managed;
using Oxidize.Audit.Native;
using Oxidize.Audit.Packages;

namespace Oxidize.Audit;

/// <summary><paramref name="Package"/> is under licenses the policy denies: <paramref name="Denied"/> are the identifiers it cannot do without.</summary>
public sealed record LicenseFinding(PackageMetadata Package, IReadOnlyList<string> Denied);

/// <summary>A package whose .nuspec could not be found or read: the bill of materials lists it with id and version only.</summary>
public sealed record MissingPackageMetadata(PackageOrigin Package, string Reason);

/// <summary>
/// Everything one audit found, and the bill of materials. <paramref name="NuGetUnavailable"/> is set
/// (with the reason) when the .NET SDK's NuGet.Packaging could not be loaded: then no package metadata
/// was read and no license was checked. <paramref name="Userland"/> is what a bundled executable carries of the
/// build machine, by Debian package; its denied licenses are in <paramref name="DeniedLicenses"/> too.
/// </summary>
public sealed record AuditResult(
    NativeAuditResult Native,
    IReadOnlyList<SingleFileFinding> SingleFile,
    IReadOnlyList<UnreadableAssembly> UnreadableAssemblies,
    IReadOnlyList<LicenseFinding> DeniedLicenses,
    IReadOnlyList<MissingPackageMetadata> MissingMetadata,
    string? NuGetUnavailable,
    IReadOnlyList<Bom.BomPackage> Packages,
    CarriedUserland Userland,
    byte[] Bom);
