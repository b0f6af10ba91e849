using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Oxidize.Audit.Report;
using Oxidize.Packing;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// Packs the publish files into the native host and writes the one executable. A thin adapter: it
/// turns items into PackedResource objects, calls PackedResourcesWriter, and logs.
/// </summary>
public sealed class CreateOxidizedExecutable : Microsoft.Build.Utilities.Task
{
    public CreateOxidizedExecutable()
        : base(Strings.ResourceManager)
    {
    }

    /// <summary>The prebuilt native host the payload is appended to.</summary>
    [Required]
    public string HostPath { get; set; } = "";

    /// <summary>Files to pack; metadata RelativePath is the entry name (default: the file name).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Entry name of the app's main assembly, e.g. "App.dll".</summary>
    [Required]
    public string EntryAssemblyName { get; set; } = "";

    /// <summary>The app's runtimeconfig.json: configProperties and the runtime version.</summary>
    [Required]
    public string RuntimeConfigPath { get; set; } = "";

    [Required]
    public string RuntimeIdentifier { get; set; } = "";

    [Required]
    public string OutputPath { get; set; } = "";

    /// <summary>Keep the runtime's diagnostic pipes and socket (they are files in /tmp).</summary>
    public bool EnableDiagnostics { get; set; }

    /// <summary>OxidizeCompression: none, lz4 or lz4hc.</summary>
    public string Compression { get; set; } = "";

    /// <summary>OxidizeCompressReferencedAssemblies: also compress the assemblies the app references statically.</summary>
    public bool CompressReferencedAssemblies { get; set; }

    /// <summary>OxidizeLoadList, as a full path: the load list a run recorded (OXIDIZE_LOAD_LIST); with compression, its
    /// entries stay stored instead of the static reference closure. Empty: no list.</summary>
    public string LoadListPath { get; set; } = "";

    /// <summary>@(ResolvedRuntimePack): files whose NuGetPackageId names one of these come from the runtime, not the app.</summary>
    public ITaskItem[] RuntimePacks { get; set; } = [];

    /// <summary>PublishAot=true: HostPath is the app's Native AOT binary (with liboxidize-aot.a linked in), the payload
    /// packs its native libraries and content only, and runtime properties stay in the binary, where ILC put them.</summary>
    public bool NativeAot { get; set; }

    /// <summary>OutputType=WinExe for a Windows target: the host is written with the Windows GUI subsystem (no console window).</summary>
    public bool WindowsGraphicalSubsystem { get; set; }

    /// <summary>Honour DOTNET_STARTUP_HOOKS when the app runs.</summary>
    public bool EnableStartupHooks { get; set; }

    /// <summary>OxidizePackedFilesReadOnly: packed files stay read-only and no file beside the executable overrides them.</summary>
    public bool PackedFilesReadOnly { get; set; }

    /// <summary>OxidizeZeroCopyLibraries: map the native libraries the host's ELF loader can load straight from the
    /// executable (false: copy every one into a memfd, as before). Not used for win-x64, whose DLL loader always copies.</summary>
    public bool ZeroCopyLibraries { get; set; } = true;

    public override bool Execute()
    {
        if (EntryCompressor.Parse(Compression) is not { } compression)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.CompressionUnknown), Compression);
            return false;
        }
        if (!File.Exists(HostPath))
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.HostMissing), HostPath);
            return false;
        }
        RuntimeConfig? runtimeConfig = ReadRuntimeConfig();
        if (runtimeConfig is null)
            return false;
        List<PackedResource>? resources = ReadResources(out List<string> appAssemblyNames, out List<string> keptStoredNames);
        if (resources is null)
            return false;
        if (!NativeAot && !resources.Any(resource => resource.Name == EntryAssemblyName && resource.Kind == ResourceKind.ManagedAssembly))
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.EntryAssemblyNotPacked), EntryAssemblyName);
            return false;
        }

        IReadOnlyList<string>? loadListNames = null;
        if (LoadListPath.Length > 0 && !TryReadLoadList(compression, resources, out loadListNames))
            return false;

        List<PackedResource> withDependencies;
        IReadOnlyList<(string Library, string Dependency)> unloadable;
        try
        {
            withDependencies = NativeDependencies.Resolve(resources, out unloadable);
        }
        catch (PackingException exception)
        {
            LogPackingError(exception);
            return false;
        }
        foreach (var (library, dependency) in unloadable)
            Log.LogWarningWithCodeFromResources(nameof(Strings.DependencyWithoutSoname), library, dependency);

        PayloadManifest Manifest(List<PackedResource> packed) => new()
        {
            RuntimeVersion = runtimeConfig.RuntimeVersion!,
            RuntimeIdentifier = RuntimeIdentifier,
            EntryAssemblyName = NativeAot ? "" : EntryAssemblyName,
            NativeAot = NativeAot,
            AppAssemblyNames = appAssemblyNames,
            KeptStoredNames = keptStoredNames,
            Properties = NativeAot ? [] : runtimeConfig.Properties,
            DiagnosticsEnabled = EnableDiagnostics,
            StartupHooksEnabled = EnableStartupHooks,
            PackedFilesReadOnly = PackedFilesReadOnly,
            Compression = compression,
            CompressReferencedAssemblies = CompressReferencedAssemblies,
            LoadListNames = loadListNames,
            Resources = packed,
        };
        var manifest = Manifest(withDependencies);
        if (NativeFormats.ForRuntimeIdentifier(RuntimeIdentifier) == NativeFormat.Pe)
        {
            // Mapping a library straight from the executable is the ELF loader's: the Windows host's DLL loader copies each
            // section to its own address anyway, so OxidizeZeroCopyLibraries has nothing to change there.
            Log.LogMessage(MessageImportance.Normal, "Oxidize: {0}: the host's DLL loader copies each packed DLL's sections into memory at startup (OxidizeZeroCopyLibraries applies to ELF libraries only).", RuntimeIdentifier);
            IReadOnlyList<string> readByPath = WindowsContentFiles.ReadByPath(withDependencies);
            if (readByPath.Count > 0)
                Log.LogWarningWithCodeFromResources(nameof(Strings.WindowsContentNotFiles), readByPath.Count, RuntimeIdentifier,
                    string.Join(", ", readByPath.Take(5).Select(name => $"'{name}'")) + (readByPath.Count > 5 ? $" and {readByPath.Count - 5} more" : ""));
        }
        else if (ZeroCopyLibraries)
        {
            var keptStored = compression == Packing.Compression.None ? null : StoredEntries.For(manifest);
            manifest = Manifest(MappedLibraries.Choose(withDependencies, keptStored, out var notMapped));
            foreach (var (library, reason) in notMapped)
                Log.LogMessage(MessageImportance.Normal, "Oxidize: {0} is copied into memory at startup instead of mapped from the executable: {1}.", library, reason);
        }
        else
        {
            Log.LogMessage(MessageImportance.Normal, "Oxidize: OxidizeZeroCopyLibraries is false: every native library is copied into memory at startup.");
        }
        return WriteExecutable(manifest) && LogSummary(resources);
    }

    private bool TryReadLoadList(Compression compression, List<PackedResource> resources, out IReadOnlyList<string>? names)
    {
        names = null;
        string text;
        try
        {
            text = File.ReadAllText(LoadListPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.LoadListUnreadable), LoadListPath, exception.Message);
            return false;
        }
        if (compression == Packing.Compression.None)
        {
            Log.LogWarningWithCodeFromResources(nameof(Strings.LoadListWithoutCompression), LoadListPath);
            return true;
        }
        names = LoadList.Parse(text);
        IReadOnlyList<string> notPacked = LoadList.NotPacked(names, resources);
        if (notPacked.Count > 0)
            Log.LogWarningWithCodeFromResources(nameof(Strings.LoadListNamesNotPacked), LoadListPath, notPacked.Count,
                string.Join(", ", notPacked.Take(5).Select(name => $"'{name}'")) + (notPacked.Count > 5 ? $" and {notPacked.Count - 5} more" : ""));
        Log.LogMessage(MessageImportance.Normal, "Oxidize: the load list {0} keeps {1} entries stored; the other entries are compressed where LZ4 saves 10%.", LoadListPath, names.Count - notPacked.Count);
        return true;
    }

    private RuntimeConfig? ReadRuntimeConfig()
    {
        RuntimeConfig runtimeConfig;
        try
        {
            runtimeConfig = RuntimeConfig.Parse(File.ReadAllText(RuntimeConfigPath));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.RuntimeConfigUnreadable), RuntimeConfigPath, exception.Message);
            return null;
        }
        if (runtimeConfig.RuntimeVersion is null)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.RuntimeVersionUnknown), RuntimeConfigPath);
            return null;
        }
        if (!int.TryParse(runtimeConfig.RuntimeVersion.Split('.')[0], out int major) || major != FormatConstants.RuntimeContractNet10)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.RuntimeVersionUnsupported), runtimeConfig.RuntimeVersion);
            return null;
        }
        return runtimeConfig;
    }

    private List<PackedResource>? ReadResources(out List<string> appAssemblyNames, out List<string> keptStoredNames)
    {
        ITaskItem[] files = TaskItems.WithoutExactDuplicates(Files);
        var resources = new List<PackedResource>(files.Length);
        appAssemblyNames = [];
        keptStoredNames = [];
        HashSet<string> runtimePackIds = TaskItems.RuntimePackIds(RuntimePacks);
        // What a native library is depends on the target: an ELF shared object for linux-*, a PE DLL for win-*.
        NativeFormat format = NativeFormats.ForRuntimeIdentifier(RuntimeIdentifier);
        try
        {
            foreach (ITaskItem file in files)
            {
                string relativePath = file.GetMetadata("RelativePath");
                string name = ResourceName.Normalize(relativePath.Length > 0 ? relativePath : Path.GetFileName(file.ItemSpec));
                ResourceContent content;
                ResourceKind kind;
                try
                {
                    // The bytes are read when the writer streams the entry; only its size and first bytes are read here.
                    content = ResourceContent.FromFile(file.ItemSpec);
                    // OxidizeKind=Content: files only the bootstrap reads (the carried loader and libc), which the host
                    // must never serve to dlopen as native libraries.
                    kind = string.Equals(file.GetMetadata("OxidizeKind"), "Content", StringComparison.OrdinalIgnoreCase)
                        ? ResourceKind.Content : ResourceClassifier.Classify(content, format);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    Log.LogErrorWithCodeFromResources(nameof(Strings.InputUnreadable), file.ItemSpec, exception.Message);
                    return null;
                }
                resources.Add(new PackedResource(name, kind, content));
                if (string.Equals(file.GetMetadata("OxidizeKeepStored"), "true", StringComparison.OrdinalIgnoreCase))
                    keptStoredNames.Add(name);
                // The app's own assemblies (and its NuGet packages') are roots of the static reference closure
                // that stays stored under compression; the runtime packs' are stored only if referenced.
                if (kind == ResourceKind.ManagedAssembly && !runtimePackIds.Contains(file.GetMetadata("NuGetPackageId")))
                    appAssemblyNames.Add(name);
            }
        }
        catch (PackingException exception)
        {
            LogPackingError(exception);
            return null;
        }
        return resources;
    }

    private bool WriteExecutable(PayloadManifest manifest)
    {
        // Written beside the target and renamed over it, so a failure never leaves a half-written executable.
        string temporaryPath = OutputPath + ".oxidize-tmp";
        try
        {
            byte[] host = File.ReadAllBytes(HostPath);
            if (WindowsGraphicalSubsystem)
                host = WindowsSubsystem.WithGraphicalSubsystem(host);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputPath))!);
            using (var output = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
                PackedResourcesWriter.WriteExecutable(output, host, manifest);
            // Publishing from Windows has no execute bit to set; the file is marked executable where it lands.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporaryPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(temporaryPath, OutputPath, overwrite: true);
            return true;
        }
        catch (PackingException exception)
        {
            LogPackingError(exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources(nameof(Strings.OutputUnwritable), OutputPath, exception.Message);
        }
        TryDelete(temporaryPath);
        return false;
    }

    private bool LogSummary(List<PackedResource> resources)
    {
        long inputBytes = resources.Sum(resource => (long)resource.Source.Length);
        // Sizes go in as finished strings: MSBuild may format a message on another node (or in a logger) after
        // turning its arguments into strings, and a {0:N1} then prints every digit of the double.
        Log.LogMessageFromResources(MessageImportance.High, nameof(Strings.Summary), resources.Count,
            resources.Count(resource => resource.Kind == ResourceKind.ManagedAssembly),
            resources.Count(resource => resource.Kind == ResourceKind.NativeLibrary),
            resources.Count(resource => resource.Kind == ResourceKind.Content),
            ContentsReport.Megabytes(inputBytes), ContentsReport.Megabytes(new FileInfo(OutputPath).Length), OutputPath);
        return true;
    }

    private void LogPackingError(PackingException exception) =>
        Log.LogError(subcategory: null, errorCode: exception.Code, helpKeyword: null, file: null, lineNumber: 0, columnNumber: 0,
            endLineNumber: 0, endColumnNumber: 0, message: exception.Message[(exception.Code.Length + 2)..]);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The failure already reported is the one that matters; a stray temporary file is harmless.
        }
    }
}
