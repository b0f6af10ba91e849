using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// Everything one run of the packaging needs. <paramref name="Rpmbuild"/> is the program that builds .rpm files
/// (a name looked up on PATH, or a path); <paramref name="WorkDirectory"/> is scratch space (obj/).
/// </summary>
public sealed record ShippingRequest(
    IReadOnlyList<PackageFormat> Formats,
    ShippingMetadata Metadata,
    string RuntimeIdentifier,
    string ExecutablePath,
    BomFacts Facts,
    bool InvariantGlobalization,
    bool BundledUserland,
    IReadOnlyList<ShippedDocument> Documents,
    bool SystemdService,
    DateTimeOffset Timestamp,
    string OutputDirectory,
    string WorkDirectory,
    string Rpmbuild);

/// <summary>Writes the requested .deb, .rpm and .tar.gz of one executable, each to a temporary name first and then renamed.</summary>
public static class OsPackages
{
    public static IReadOnlyList<string> Write(ShippingRequest request, out IReadOnlyList<SystemDependency> dependencies)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metadata = request.Metadata;
        // Everything that can be refused is checked before any file is written.
        string? rpmbuild = null;
        if (request.Formats.Contains(PackageFormat.Rpm) && (rpmbuild = ExternalTool.Find(request.Rpmbuild)) is null)
            throw new PackingException(ShippingErrorCodes.ToolMissing,
                $"Writing an .rpm needs rpmbuild ('{request.Rpmbuild}' is not on PATH): install it (Debian and Ubuntu: apt-get install rpm; Fedora: dnf install rpm-build), set OxidizeRpmbuild to its path, or leave rpm out of OxidizePackages.");
        foreach (var document in request.Documents)
        {
            if (!File.Exists(document.SourcePath))
                throw new PackingException(ShippingErrorCodes.DocumentMissing, $"The file '{document.SourcePath}' listed in OxidizePackageDocument does not exist.");
        }

        dependencies = SystemDependencies.Compute(request.Facts, request.InvariantGlobalization, request.BundledUserland);
        string copyright = DebianCopyrightWriter.Write(metadata, request.Facts.Components);
        string? unit = request.SystemdService ? SystemdUnit.Write(metadata) : null;
        Directory.CreateDirectory(request.OutputDirectory);
        var written = new List<string>();
        foreach (var format in request.Formats)
        {
            string path = Path.Combine(request.OutputDirectory, FileName(format, metadata, request.RuntimeIdentifier));
            string temporary = path + ".tmp";
            switch (format)
            {
                case PackageFormat.Deb:
                    DebWriter.Write(temporary, metadata,
                        ShippingLayout.SystemPackage(metadata, request.ExecutablePath, copyright, request.Documents, unit, debianPolicy: true, request.Timestamp),
                        dependencies, request.Timestamp);
                    break;
                case PackageFormat.Rpm:
                    RpmBuilder.Build(rpmbuild!, Path.Combine(request.WorkDirectory, "rpm"), temporary, metadata,
                        ShippingLayout.SystemPackage(metadata, request.ExecutablePath, copyright, request.Documents, unit, debianPolicy: false, request.Timestamp),
                        dependencies, metadata.Description, request.Timestamp);
                    break;
                default:
                    using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write))
                        ReproducibleTar.Write(output, ShippingLayout.Tarball(metadata, request.ExecutablePath, request.Documents), request.Timestamp,
                            ShippingLayout.TarballRoot(metadata), includeRoot: true);
                    break;
            }
            File.Move(temporary, path, overwrite: true);
            written.Add(path);
        }
        return written;
    }

    /// <summary>Each format's conventional name: app_1.0_amd64.deb, app-1.0-1.x86_64.rpm, app-1.0-linux-x64.tar.gz.</summary>
    public static string FileName(PackageFormat format, ShippingMetadata metadata, string runtimeIdentifier) => format switch
    {
        PackageFormat.Deb => $"{metadata.PackageName}_{metadata.Version}_{metadata.DebianArchitecture}.deb",
        PackageFormat.Rpm => $"{metadata.PackageName}-{metadata.Version}-{metadata.RpmRelease}.{metadata.RpmArchitecture}.rpm",
        _ => $"{metadata.PackageName}-{metadata.Version}-{runtimeIdentifier}.tar.gz",
    };
}
