using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// Everything one run of the packaging needs. <paramref name="Rpmbuild"/> is the program that builds .rpm files
/// (a name looked up on PATH, or a path); <paramref name="WorkDirectory"/> is scratch space (obj/).
/// </summary>
public sealed record ShippingRequest(
    IReadOnlyList<OsPackageFormat> Formats,
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
        string? rpmbuild = CheckInputs(request.Formats, request.Rpmbuild, request.Documents);

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
                case OsPackageFormat.Deb:
                    DebWriter.Write(temporary, metadata,
                        ShippingLayout.SystemPackage(metadata, request.ExecutablePath, copyright, request.Documents, unit, debianPolicy: true, request.BundledUserland, request.Timestamp),
                        dependencies, request.Timestamp);
                    break;
                case OsPackageFormat.Rpm:
                    RpmBuilder.Build(rpmbuild!, Path.Combine(request.WorkDirectory, "rpm"), temporary, metadata,
                        ShippingLayout.SystemPackage(metadata, request.ExecutablePath, copyright, request.Documents, unit, debianPolicy: false, request.BundledUserland, request.Timestamp),
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

    /// <summary>
    /// Throws OXSDK5004 when an .rpm is asked for and rpmbuild is not found, OXSDK5008 for a listed document that does
    /// not exist; returns rpmbuild's full path (null without rpm). Also run before the publish builds anything.
    /// </summary>
    public static string? CheckInputs(IReadOnlyList<OsPackageFormat> formats, string rpmbuild, IReadOnlyList<ShippedDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(formats);
        ArgumentNullException.ThrowIfNull(documents);
        string? found = null;
        if (formats.Contains(OsPackageFormat.Rpm) && (found = ExternalTool.Find(rpmbuild)) is null)
            throw new PackingException(ShippingErrorCodes.ToolMissing,
                $"Writing an .rpm needs rpmbuild ('{rpmbuild}' is not on PATH): install it (Debian and Ubuntu: apt-get install rpm; Fedora: dnf install rpm-build), set OxidizeRpmbuild to its path, or leave rpm out of OxidizePackages.");
        foreach (var document in documents)
        {
            if (!File.Exists(document.SourcePath))
                throw new PackingException(ShippingErrorCodes.DocumentMissing, $"The file '{document.SourcePath}' listed in OxidizePackageDocument does not exist.");
        }
        return found;
    }

    /// <summary>Each format's conventional name: app_1.0_amd64.deb, app-1.0-1.x86_64.rpm, app-1.0-linux-x64.tar.gz.</summary>
    public static string FileName(OsPackageFormat format, ShippingMetadata metadata, string runtimeIdentifier) => format switch
    {
        OsPackageFormat.Deb => $"{metadata.PackageName}_{metadata.Version}_{metadata.DebianArchitecture}.deb",
        OsPackageFormat.Rpm => $"{metadata.PackageName}-{metadata.Version}-{metadata.RpmRelease}.{metadata.RpmArchitecture}.rpm",
        _ => $"{metadata.PackageName}-{metadata.Version}-{runtimeIdentifier}.tar.gz",
    };
}
