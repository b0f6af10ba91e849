using Microsoft.Build.Framework;
using Oxidize.Audit;
using Oxidize.Audit.Bom;
using Oxidize.Audit.Managed;
using Oxidize.Audit.Native;
using Oxidize.Audit.Packages;
using Oxidize.Packing;
using Oxidize.Packing.Elf;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// Audits the files about to be packed (Oxidize.Audit's PublishAudit) and turns what it finds into
/// errors and warnings OXSDK3001-3035, then writes the bill of materials. A thin adapter: it parses
/// the policy properties, maps items to AuditedFile objects, and logs.
/// </summary>
public sealed class AuditOxidizedExecutable : Microsoft.Build.Utilities.Task
{
    private const int SymbolsNamed = 3;
    private const int UsesNamed = 8;

    public AuditOxidizedExecutable()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>@(_OxidizeFile): RelativePath, NuGetPackageId, NuGetPackageVersion and PathInPackage metadata.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    [Required]
    public string HostPath { get; set; } = "";

    /// <summary>@(_OxidizeUserlandFile): what OxidizeUserland=bundled carries of this machine (RelativePath metadata); recorded, not audited.</summary>
    public ITaskItem[] UserlandFiles { get; set; } = [];

    /// <summary>The bundled-userland bootstrap the executable starts with (OxidizeUserland=bundled); empty otherwise.</summary>
    public string BootstrapPath { get; set; } = "";

    /// <summary>@(ResolvedRuntimePack): which package ids are runtime packs, and where they are (PackageDirectory).</summary>
    public ITaskItem[] RuntimePacks { get; set; } = [];

    /// <summary>PublishAot=true: the packs whose code is compiled into the executable's front rather than packed (the ILCompiler
    /// packs, the Native AOT runtime pack), with NuGetPackageId, NuGetPackageVersion and PackageDirectory; recorded in the bill of
    /// materials as framework packages.</summary>
    public ITaskItem[] CompiledInPacks { get; set; } = [];

    /// <summary>$(NuGetPackageFolders): where the other packages' .nuspec files are.</summary>
    public string[] PackageFolders { get; set; } = [];

    [Required]
    public string AppName { get; set; } = "";

    public string AppVersion { get; set; } = "";

    public string RuntimeIdentifier { get; set; } = "";

    /// <summary>$(OxidizeMaxGlibcVersion): the declared glibc floor; empty when none is declared (see <see cref="FloorDeclared"/>).</summary>
    public string MaxGlibcVersion { get; set; } = "";

    public string[] AllowedSystemLibraries { get; set; } = [];

    /// <summary>
    /// $(OxidizeNativeAuditSeverity): "error" or "warning", how OXSDK3001-3003 are reported against a declared
    /// floor; empty when not set. Setting it declares the floor (the runtime's 2.27 when MaxGlibcVersion is empty).
    /// </summary>
    public string NativeSeverity { get; set; } = "";

    /// <summary>@(PackageReference): the packages the project references itself; single-file findings of the others are summarized.</summary>
    public ITaskItem[] DirectPackages { get; set; } = [];

    public string[] SuppressSingleFileWarnings { get; set; } = [];

    public bool AuditFramework { get; set; }

    public string[] DeniedLicenses { get; set; } = [];

    /// <summary>Where the CycloneDX bill of materials is written (only when its content changed, so incremental publishes stay no-ops).</summary>
    [Required]
    public string BomPath { get; set; } = "";

    public override bool Execute()
    {
        if (!File.Exists(HostPath))
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.HostMissing), HostPath);
            return false;
        }
        if (!TryParsePolicy(out var options))
            return false;
        var runtimePacks = TaskItems.RuntimePackIds(RuntimePacks);
        List<AuditedFile> files;
        AuditResult result;
        try
        {
            files = [.. TaskItems.WithoutExactDuplicates(Files).Select(file => ToAuditedFile(file, runtimePacks))];
            result = PublishAudit.Run(files, HostPath, options!,
                [.. UserlandFiles.Select(file => new CarriedFile(TaskItems.EntryName(file), file.GetMetadata("FullPath")))],
                bootstrapPath: BootstrapPath.Length > 0 ? BootstrapPath : null,
                compiledIn: [.. CompiledInPacks.Select(pack => new PackageOrigin(pack.GetMetadata("NuGetPackageId"), pack.GetMetadata("NuGetPackageVersion")))
                    .Where(origin => origin.Id.Length > 0 && origin.Version.Length > 0)]);
        }
        catch (PackingException exception)
        {
            Log.LogError(null, exception.Code, null, null, 0, 0, 0, 0, exception.Message[(exception.Code.Length + 2)..]);
            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.AuditFileUnreadable), exception.Message);
            return false;
        }

        LogNative(result.Native, options!);
        LogSingleFile(result);
        LogPackages(result, options!);
        LogUserland(result.Userland);
        if (!Log.HasLoggedErrors && WriteBom(result.Bom))
            LogSummary(result, options!);
        return !Log.HasLoggedErrors;
    }

    private bool TryParsePolicy(out AuditOptions? options)
    {
        options = null;
        // A Windows target's files are PE images (WindowsNativeAudit); the ELF machine below is then never consulted.
        bool windows = WindowsTargetMachine.ForRuntimeIdentifier(RuntimeIdentifier) is not null;
        if (TargetMachine.ForRuntimeIdentifier(RuntimeIdentifier) is not { } machine)
        {
            if (!windows)
            {
                Log.LogErrorWithCodeFromResources(nameof(Strings.AuditInvalidProperty), "RuntimeIdentifier", RuntimeIdentifier,
                    string.Join(" or ", TargetMachine.RuntimeIdentifiers.Concat(WindowsTargetMachine.RuntimeIdentifiers)));
                return false;
            }
            machine = ElfMachine.X86_64;
        }
        Version? maxGlibc = NativePolicy.RuntimeGlibcFloor;
        if (MaxGlibcVersion.Trim().Length > 0 && !Version.TryParse(MaxGlibcVersion.Trim(), out maxGlibc))
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.AuditInvalidProperty), "OxidizeMaxGlibcVersion", MaxGlibcVersion, "a glibc version such as 2.27");
            return false;
        }
        if (NativeSeverity.Trim().Length > 0 && !IsSeverity("error") && !IsSeverity("warning"))
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.AuditInvalidProperty), "OxidizeNativeAuditSeverity", NativeSeverity, "error or warning");
            return false;
        }

        var packageDirectories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pack in RuntimePacks.Concat(CompiledInPacks))
        {
            string directory = pack.GetMetadata("PackageDirectory");
            if (directory.Length > 0)
                packageDirectories[AuditOptions.PackageKey(pack.GetMetadata("NuGetPackageId"), pack.GetMetadata("NuGetPackageVersion"))] = directory;
        }
        foreach (var file in Files)
        {
            // A file's path in its package tells the package folder exactly, wherever NuGet put it.
            string inPackage = file.GetMetadata("PathInPackage").Replace('\\', '/');
            string fullPath = file.GetMetadata("FullPath");
            if (TaskItems.PackageOf(file) is { } origin && inPackage.Length > 0 && fullPath.EndsWith("/" + inPackage, StringComparison.Ordinal))
                packageDirectories.TryAdd(AuditOptions.PackageKey(origin.Id, origin.Version), fullPath[..^(inPackage.Length + 1)]);
        }

        options = new AuditOptions(
            new NativePolicy(maxGlibc!, Set(AllowedSystemLibraries, StringComparer.Ordinal), FloorDeclared, machine),
            Set(SuppressSingleFileWarnings, StringComparer.OrdinalIgnoreCase),
            AuditFramework,
            new LicensePolicy(DeniedLicenses),
            [.. PackageFolders.Where(folder => folder.Trim().Length > 0).Select(folder => folder.Trim())],
            packageDirectories,
            AppName,
            AppVersion,
            TaskItems.OxidizeVersion(),
            RuntimeIdentifier);
        return true;
    }

    private static AuditedFile ToAuditedFile(ITaskItem file, HashSet<string> runtimePacks)
    {
        var package = TaskItems.PackageOf(file);
        bool isFramework = package is not null && runtimePacks.Contains(package.Id);
        return new AuditedFile(TaskItems.EntryName(file), file.ItemSpec, package, isFramework);
    }

    /// <summary>Whether the user named a glibc floor (OxidizeMaxGlibcVersion or OxidizeNativeAuditSeverity; bundled mode names the carried glibc).</summary>
    private bool FloorDeclared => MaxGlibcVersion.Trim().Length > 0 || NativeSeverity.Trim().Length > 0;

    private bool IsSeverity(string severity) => NativeSeverity.Trim().Equals(severity, StringComparison.OrdinalIgnoreCase);

    private void LogNative(NativeAuditResult native, AuditOptions options)
    {
        bool windows = NativeFormats.ForRuntimeIdentifier(RuntimeIdentifier) == NativeFormat.Pe;
        // Against a declared floor, errors unless the user chose warnings; without one, the floor is only reported.
        bool versionsAsErrors = FloorDeclared && !IsSeverity("warning");
        // A library no target system can be assumed to have fails wherever it is used: an error unless demoted. One most
        // installations have (CommonSystemLibraries) is a warning naming its package, unless the user asked for errors.
        bool missingAsErrors = !IsSeverity("warning");
        void Report(bool asError, string resource, params object[] arguments)
        {
            if (asError)
                Log.LogErrorWithCodeFromResources(resource, arguments);
            else
                Log.LogWarningWithCodeFromResources(resource, arguments);
        }

        string floor = FloorDeclared
            ? string.Format(Strings.AuditFloorDeclared, native.GlibcFloor)
            : string.Format(Strings.AuditFloorUndeclared, native.GlibcFloor);
        foreach (var finding in native.GlibcTooNew)
        {
            string failsOn = Distributions(finding.FailsOn, "GLIBC");
            if (FloorDeclared)
                Report(versionsAsErrors, nameof(Strings.AuditGlibcTooNew), finding.File, Origin(finding.Package), Symbols(finding), finding.Library,
                    options.Native.MaxGlibc, failsOn, Consequence(finding.File, finding.LoadsAtStartup), finding.Version.Version);
            else
                Report(false, nameof(Strings.AuditGlibcAboveRuntimeFloor), finding.File, Origin(finding.Package), Symbols(finding), finding.Library,
                    finding.Version.Version, options.Native.MaxGlibc, failsOn, Consequence(finding.File, finding.LoadsAtStartup));
        }
        foreach (var finding in native.CxxRuntimeTooNew)
            Report(versionsAsErrors, nameof(Strings.AuditCxxRuntimeTooNew), finding.File, Origin(finding.Package), Symbols(finding), finding.Library,
                Distributions(finding.FailsOn, finding.Version.Family), floor, Consequence(finding.File, finding.LoadsAtStartup));
        foreach (var finding in native.MissingLibraries)
        {
            if (finding.Common is { } common)
                Report(IsSeverity("error"), nameof(Strings.AuditCommonLibraryNeeded), finding.File, Origin(finding.Package), finding.Library,
                    common.DebianPackage, common.RpmPackage, Consequence(finding.File, finding.LoadsAtStartup));
            else
                Report(missingAsErrors, windows ? nameof(Strings.AuditMissingWindowsLibrary) : nameof(Strings.AuditMissingLibrary), finding.File,
                    Origin(finding.Package), finding.Library, Consequence(finding.File, finding.LoadsAtStartup));
        }
        foreach (var file in native.Unreadable)
            Log.LogWarningWithCodeFromResources(nameof(Strings.AuditNativeUnreadable), file.File, Origin(file.Package), file.Reason);
    }

    private static string Consequence(string file, bool loadsAtStartup) =>
        loadsAtStartup ? Strings.AuditFailsAtStartup : string.Format(Strings.AuditFailsOnFirstUse, file);

    private void LogSingleFile(AuditResult result)
    {
        var (direct, transitive) = TransitiveFindings.Split(result.SingleFile, DirectPackages.Select(package => package.ItemSpec));
        foreach (var finding in direct)
            Log.LogWarningWithCodeFromResources(nameof(Strings.AuditSingleFileApis), Owner(finding), Uses(finding), finding.Package?.Id ?? Path.GetFileNameWithoutExtension(finding.Owner));
        if (transitive.Count > 0)
        {
            // One warning for what the project cannot change; each package's details stay in the log at normal verbosity.
            foreach (var finding in transitive)
                Log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.AuditSingleFileApisDetail), Owner(finding), Uses(finding), finding.Package!.Id);
            Log.LogWarningWithCodeFromResources(nameof(Strings.AuditSingleFileApisTransitive), transitive.Count,
                string.Join(", ", transitive.Select(finding => $"{finding.Package!.Id} {finding.Package.Version} ({string.Join(", ", finding.Uses.Select(use => use.Api.DisplayName).Distinct())})")),
                string.Join(";", transitive.Select(finding => finding.Package!.Id)));
        }
        foreach (var assembly in result.UnreadableAssemblies)
            Log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.AuditAssemblyUnreadable), assembly.Name, assembly.Reason);
    }

    private static string Owner(SingleFileFinding finding) => finding.Package is { } package
        ? string.Format(Strings.AuditOwnerPackage, package.Id, package.Version)
        : string.Format(Strings.AuditOwnerAssembly, finding.Owner);

    private static string Uses(SingleFileFinding finding)
    {
        var described = finding.Uses.Select(use => $"{use.Api.DisplayName} ({use.Api.Behavior}) in {use.Caller}").ToList();
        return string.Join("; ", described.Take(UsesNamed))
            + (described.Count > UsesNamed ? string.Format(Strings.AuditAndMore, described.Count - UsesNamed) : "");
    }

    private void LogPackages(AuditResult result, AuditOptions options)
    {
        if (result.NuGetUnavailable is { } reason)
            Log.LogWarningWithCodeFromResources(nameof(Strings.AuditNuGetUnavailable), reason);
        foreach (var missing in result.MissingMetadata)
        {
            // Without a license policy a package without metadata only makes the bill of materials thinner.
            if (options.Licenses.IsEmpty)
                Log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.AuditPackageMetadataMissing), missing.Package.Id, missing.Package.Version, missing.Reason);
            else
                Log.LogWarningWithCodeFromResources(nameof(Strings.AuditPackageMetadataMissing), missing.Package.Id, missing.Package.Version, missing.Reason);
        }
        foreach (var finding in result.DeniedLicenses)
            Log.LogErrorWithCodeFromResources(nameof(Strings.AuditLicenseDenied), finding.Package.Id, finding.Package.Version,
                finding.Package.LicenseExpression!, string.Join(", ", finding.Denied));
    }

    private void LogUserland(CarriedUserland userland)
    {
        if (userland.PackageDatabaseMissing)
        {
            Log.LogWarningWithCodeFromResources(nameof(Strings.AuditUserlandNoPackageDatabase), userland.UnownedFiles.Count);
            return;
        }
        foreach (var package in userland.Packages.Where(package => package.Licenses.Names.Count == 0))
            Log.LogWarningWithCodeFromResources(nameof(Strings.AuditUserlandLicenseUnknown), package.Package.Name, package.Package.Version,
                package.Package.SourceName, package.Package.CopyrightLocation);
        foreach (var file in userland.UnownedFiles)
            Log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.AuditUserlandUnowned), file.Name,
                UserlandFiles.FirstOrDefault(item => TaskItems.EntryName(item) == file.Name)?.ItemSpec ?? "");
        if (userland.Packages.Count > 0)
            Log.LogMessageFromResources(MessageImportance.High, nameof(Strings.AuditUserlandSummary), userland.Packages.Count,
                string.Join(", ", userland.Packages.Select(package => $"{package.Package} ({package.Licenses.Expression ?? (package.Licenses.Names.Count > 0 ? string.Join(" / ", package.Licenses.Names) : "license unknown")})")));
    }

    private bool WriteBom(byte[] bom)
    {
        try
        {
            // Rewriting identical bytes would touch the file and make the executable look out of date.
            if (File.Exists(BomPath) && File.ReadAllBytes(BomPath).AsSpan().SequenceEqual(bom))
                return true;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(BomPath))!);
            File.WriteAllBytes(BomPath, bom);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.AuditOutputUnwritable), BomPath, exception.Message);
            return false;
        }
    }

    private void LogSummary(AuditResult result, AuditOptions options)
    {
        int nativeLibraries = result.Native.Files.Count(file => file.File != Path.GetFileName(HostPath));
        if (NativeFormats.ForRuntimeIdentifier(RuntimeIdentifier) == NativeFormat.Pe)
        {
            // No glibc on Windows: the summary says what was checked instead of a floor.
            Log.LogMessageFromResources(MessageImportance.High, nameof(Strings.AuditSummaryWindows), RuntimeIdentifier, result.Packages.Count, nativeLibraries, BomPath);
            return;
        }
        string needs = string.Join(", ", result.Native.Highest.Select(requirement => $"{requirement.Version.Name} ({requirement.File})"));
        var glibc = result.Native.Highest.FirstOrDefault(requirement => requirement.Version.Family == "GLIBC")?.Version.Version ?? options.Native.MaxGlibc;
        string excludes = string.Join(", ", KnownDistributions.Lacking("GLIBC", glibc).Select(distribution => distribution.Describe("GLIBC"))
            .Append(Strings.AuditMuslDistributions));
        Log.LogMessageFromResources(MessageImportance.High, nameof(Strings.AuditSummary), needs, excludes, result.Packages.Count, nativeLibraries, BomPath);
    }

    private static string Origin(PackageOrigin? package) =>
        package is null ? Strings.AuditOriginProject : string.Format(Strings.AuditOriginPackage, package.Id, package.Version);

    private static string Symbols(VersionFinding finding)
    {
        if (finding.Symbols.Count == 0)
            return finding.Version.Name;
        string named = string.Join(", ", finding.Symbols.Take(SymbolsNamed).Select(symbol => $"{symbol}@{finding.Version.Name}"));
        return finding.Symbols.Count > SymbolsNamed ? named + string.Format(Strings.AuditAndMore, finding.Symbols.Count - SymbolsNamed) : named;
    }

    private static string Distributions(IReadOnlyList<Distribution> distributions, string family) =>
        string.Join(", ", distributions.Select(distribution => distribution.Describe(family)));

    private static HashSet<string> Set(string[] values, StringComparer comparer) =>
        new(values.Select(value => value.Trim()).Where(value => value.Length > 0), comparer);
}
