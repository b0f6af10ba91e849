using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Oxidize.Audit.Bom;
using Oxidize.Audit.Managed;
using Oxidize.Audit.Native;
using Oxidize.Audit.Native.Windows;
using Oxidize.Audit.Packages;
using Oxidize.Packing;

namespace Oxidize.Audit;

/// <summary>
/// The whole audit of one executable's files: reads each file once, classifies it by content as the
/// packer does, and runs the native, managed and license checks, then writes the bill of materials.
/// <paramref name="carried"/> (Run) is the build machine's userland a bundled executable carries: it is only
/// recorded, by Debian package (the dpkg database under <paramref name="systemRoot"/>), and license-checked;
/// <paramref name="bootstrapPath"/> is the static front such an executable starts with. <paramref name="compiledIn"/>
/// (PublishAot=true) are the packs compiled into the front itself (the Native AOT compiler and runtime packs), recorded
/// as framework packages; the front, <paramref name="hostPath"/>, is then the AOT binary, audited like the host.
/// Throws IOException/UnauthorizedAccessException when a file cannot be read, PackingException (OXSDK2008) when a
/// native library or assembly is too large to parse. For a Windows runtime identifier (win-x64) the native files are PE
/// images, checked by <see cref="WindowsNativeAudit"/> (machine and imports) instead of the ELF rules.
/// </summary>
public static class PublishAudit
{
    public static AuditResult Run(IReadOnlyList<AuditedFile> files, string hostPath, AuditOptions options,
        IReadOnlyList<CarriedFile>? carried = null, string systemRoot = "/", string? bootstrapPath = null,
        IReadOnlyList<PackageOrigin>? compiledIn = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);

        var format = NativeFormats.ForRuntimeIdentifier(options.RuntimeIdentifier);
        byte[] host = File.ReadAllBytes(hostPath);
        var natives = new List<NativeBinary> { new(Path.GetFileName(hostPath), null, host, IsPacked: false) };
        var nativeHashes = new List<BomFile>();
        var assemblies = new List<ManagedAssembly>();
        var dependencies = new List<PackageOrigin>();
        foreach (var file in files)
        {
            // Most of an app's bytes are the runtime pack's assemblies, which are only scanned on request:
            // four bytes tell they are not ELF, and the rest is never read. A Windows runtime pack's DLLs and assemblies
            // both start with "MZ": the classifier tells them apart from their PE headers alone.
            if (file.IsFramework && !options.AuditFramework && format == NativeFormat.Elf && !IsElf(file.Path))
                continue;
            // Only code files (parsed whole) and the deps.json are read whole: a content file is classified from its
            // first bytes and otherwise never read, however large it is.
            var content = ResourceContent.FromFile(file.Path);
            if (file.Name.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) && !file.Name.Contains('/'))
                dependencies.AddRange(ReadDependencies(content.ReadAllBytes()));
            switch (ResourceClassifier.Classify(content, format))
            {
                case ResourceKind.NativeLibrary:
                    byte[] library = content.ReadAllBytes();
                    natives.Add(new NativeBinary(file.Name, file.Package, library));
                    nativeHashes.Add(new BomFile(file.Name, file.Package, Sha256(library)));
                    break;
                case ResourceKind.ManagedAssembly when !file.IsFramework || options.AuditFramework:
                    assemblies.Add(new ManagedAssembly(file.Name, file.Package, content.ReadAllBytes()));
                    break;
            }
        }

        var native = format == NativeFormat.Pe
            ? WindowsNativeAudit.Analyze(natives, options.Native, WindowsTargetMachine.ForRuntimeIdentifier(options.RuntimeIdentifier)
                ?? throw new ArgumentException($"Runtime identifier '{options.RuntimeIdentifier}' has no known PE machine.", nameof(options)))
            : NativeAudit.Analyze(natives, options.Native);
        var (singleFile, unreadableAssemblies) = SingleFileAudit.Analyze(assemblies, options.SuppressedSingleFileOwners);

        // The packages files came from, plus those the deps.json lists without a file of their own.
        var origins = files.Where(file => file.Package is not null).Select(file => (Origin: file.Package!, file.IsFramework))
            .Concat(dependencies.Select(package => (Origin: package, IsFramework: false)))
            .Concat((compiledIn ?? []).Select(package => (Origin: package, IsFramework: true)))
            .GroupBy(package => AuditOptions.PackageKey(package.Origin.Id, package.Origin.Version))
            .Select(group => (group.First().Origin, IsFramework: group.Any(package => package.IsFramework)))
            .OrderBy(package => package.Origin.Id, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var missing = new List<MissingPackageMetadata>();
        var denied = new List<LicenseFinding>();
        string? nuGetUnavailable = null;
        List<BomPackage> packages;
        try
        {
            packages = ReadPackages(origins, options, missing, denied);
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            // NuGet.Packaging comes from the .NET SDK running the build; without it the packages are listed by id and version only.
            nuGetUnavailable = exception.Message;
            missing.Clear();
            denied.Clear();
            packages = [.. origins.Select(package => new BomPackage(new PackageMetadata(package.Origin.Id, package.Origin.Version), package.IsFramework))];
        }

        // The real host is carried too in bundled mode (behind the bootstrap); it is listed once, as the host.
        string fullHostPath = Path.GetFullPath(hostPath);
        var userland = CarriedUserland.Resolve([.. (carried ?? []).Where(file => Path.GetFullPath(file.Path) != fullHostPath)], systemRoot);
        foreach (var package in userland.Packages)
        {
            // The policy parses expressions with NuGet.Packaging, which may be what failed to load.
            if (nuGetUnavailable is null && package.Licenses.Expression is { } expression && options.Licenses.Violations(expression) is { Count: > 0 } violations)
                denied.Add(new LicenseFinding(new PackageMetadata(package.Package.Name, package.Package.Version, LicenseExpression: expression), violations));
        }

        var bom = CycloneDxWriter.Write(new BomInput(
            options.AppName,
            options.AppVersion,
            options.OxidizeVersion,
            new BomFile(Path.GetFileName(hostPath), null, Sha256(host)),
            packages,
            nativeHashes,
            BomProperties(native, options),
            userland,
            bootstrapPath is null ? null : ReadBootstrap(bootstrapPath)));
        return new AuditResult(native, singleFile, unreadableAssemblies, denied, missing, nuGetUnavailable, packages, userland, bom);
    }

    // Not inlined, so that a missing NuGet.Packaging fails when this method is compiled, inside Run's try.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<BomPackage> ReadPackages(
        List<(PackageOrigin Origin, bool IsFramework)> origins, AuditOptions options, List<MissingPackageMetadata> missing, List<LicenseFinding> denied)
    {
        var packages = new List<BomPackage>();
        foreach (var (origin, isFramework) in origins)
        {
            var metadata = new PackageMetadata(origin.Id, origin.Version);
            string? directory = options.PackageDirectories.TryGetValue(AuditOptions.PackageKey(origin.Id, origin.Version), out string? known) && Directory.Exists(known)
                ? known
                : NuspecMetadataReader.FindPackageDirectory(options.PackageFolders, origin.Id, origin.Version);
            if (directory is null)
            {
                missing.Add(new MissingPackageMetadata(origin, "its .nuspec is in none of the NuGet package folders"));
            }
            else
            {
                try
                {
                    // The id and version NuGet resolved are the truth; the .nuspec's may differ in case or normalization.
                    metadata = NuspecMetadataReader.Read(directory) with { Id = origin.Id, Version = origin.Version };
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    missing.Add(new MissingPackageMetadata(origin, exception.Message));
                }
            }
            if (metadata.LicenseExpression is { } expression && options.Licenses.Violations(expression) is { Count: > 0 } violations)
                denied.Add(new LicenseFinding(metadata, violations));
            packages.Add(new BomPackage(metadata, isFramework));
        }
        return packages;
    }

    private static BundledBootstrap ReadBootstrap(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        return new BundledBootstrap(new BomFile(Path.GetFileName(path), null, Sha256(content)), StaticLibcMarker.Find(content));
    }

    private static IReadOnlyList<PackageOrigin> ReadDependencies(byte[] depsJson)
    {
        try
        {
            return DepsJsonPackages.Read(depsJson);
        }
        catch (System.Text.Json.JsonException)
        {
            // The runtime would refuse such a file anyway; the packages of the files are still listed.
            return [];
        }
    }

    private static List<KeyValuePair<string, string>> BomProperties(NativeAuditResult native, AuditOptions options)
    {
        var properties = new List<KeyValuePair<string, string>> { new("oxidize:runtimeIdentifier", options.RuntimeIdentifier) };
        foreach (var requirement in native.Highest)
            properties.Add(new($"oxidize:requires:{requirement.Version.Family}", requirement.Version.Name));
        return properties;
    }

    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic.SequenceEqual(ElfMagic);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
