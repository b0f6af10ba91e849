using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Oxidize.Packing;
using Oxidize.Packing.Elf;

namespace Oxidize.Sdk.Tasks;

/// <summary>
/// -p:OxidizeUserland=bundled (docs/userland.md): finds on the build machine the userland the executable carries
/// and returns it as extra files to pack, named as the bootstrap (src/Oxidize.Host/userland_bootstrap.c) expects:
/// <list type="bullet">
/// <item>.oxidize/userland/host: the real host; .oxidize/userland/ld.so: the host's PT_INTERP (the glibc loader);</item>
/// <item>.oxidize/userland/preload/&lt;soname&gt;: the DT_NEEDED closure of the host and of every packed native library
/// (glibc, libgcc_s, libstdc++), preloaded by the loader at startup;</item>
/// <item>.oxidize/userland/native/&lt;soname&gt;: what only the optional extras need (ICU, OpenSSL), packed as native
/// libraries that the host loads from memory when the runtime first asks for them (dlopen by name);</item>
/// <item>.oxidize/userland/ca-certificates.crt and .oxidize/userland/zoneinfo/**: the optional data.</item>
/// </list>
/// Everything but the on-demand libraries carries OxidizeKind=Content, so the host never loads those files itself
/// (a second libc would be fatal) and NativeDependencies never points at them. What every start reads (the host, the
/// loader, the preloaded libraries, ICU) carries OxidizeKeepStored=true, so compression never makes a start decode it.
/// </summary>
public sealed class ResolveOxidizeUserland : Microsoft.Build.Utilities.Task
{
    private const string Prefix = ".oxidize/userland/";

    /// <summary>Glibc's own libraries: always preloaded, so the process never holds two copies of one.</summary>
    private static readonly HashSet<string> GlibcLibraries = new(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1", "libresolv.so.2", "libanl.so.1",
    };

    /// <summary>Where a library is looked for when the loader's cache does not name it (Debian, then RPM layouts).</summary>
    private static readonly string[] DefaultLibraryDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64"];

    private static readonly Regex LoaderCacheLine = new(@"^\s*(?<name>\S+)\s+\((?<flags>[^)]*)\)\s+=>\s+(?<path>\S+)\s*$", RegexOptions.CultureInvariant);

    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    private static readonly Regex IcuCommon = new(@"^libicuuc\.so\.(?<major>[0-9]+)$", RegexOptions.CultureInvariant);

    /// <summary>The real (dynamic) host, which the bootstrap starts through the carried loader.</summary>
    [Required]
    public string HostPath { get; set; } = "";

    /// <summary>@(_OxidizeFile): the DT_NEEDED names of its native libraries are part of the closure.</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Carry ICU (libicuuc, libicui18n, libicudata of the build machine's highest major version).</summary>
    public bool IncludeIcu { get; set; }

    /// <summary>Carry OpenSSL 3 (libssl.so.3, libcrypto.so.3).</summary>
    public bool IncludeOpenSsl { get; set; }

    /// <summary>A PEM bundle of CA certificates to carry; empty for none.</summary>
    public string CertificatesFile { get; set; } = "";

    /// <summary>A zoneinfo folder to carry (its posix/ and right/ copies are left out); empty for none.</summary>
    public string ZoneInfoDirectory { get; set; } = "";

    /// <summary>Folders to find libraries in instead of the loader's cache (`ldconfig -p`); for tests and cross setups.</summary>
    public string[] LibraryDirectories { get; set; } = [];

    /// <summary>The files to pack, with RelativePath and, for all but the on-demand libraries, OxidizeKind=Content.</summary>
    [Output]
    public ITaskItem[] UserlandFiles { get; private set; } = [];

    /// <summary>The carried glibc's version (highest GLIBC_x.y libc.so.6 defines), e.g. "2.36".</summary>
    [Output]
    public string GlibcVersion { get; private set; } = "";

    private Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public override bool Execute()
    {
        _cache = LibraryDirectories.Length > 0 ? [] : ReadLoaderCache();
        ElfInfo? host = ReadElf(HostPath, "the host");
        if (host is null)
            return false;
        if (host.Interpreter is null || !File.Exists(host.Interpreter))
        {
            Error("OXSDK4002", $"The host {HostPath} names the dynamic loader '{host.Interpreter}', which is not on this machine: OxidizeUserland=bundled carries the build machine's own loader.");
            return false;
        }
        string loaderPath = RealPath(host.Interpreter);
        ElfInfo? loader = ReadElf(loaderPath, "the dynamic loader");
        if (loader is null)
            return false;

        // Names the app already packs (file names and SONAMEs), and the loader, which satisfies its own SONAME.
        var packed = new HashSet<string>(StringComparer.Ordinal);
        var seeds = new List<(string Name, string NeededBy)>(host.Needed.Select(name => (name, "the host")));
        foreach (ITaskItem file in Files)
        {
            ElfInfo? elf = TryReadElf(file.ItemSpec);
            if (elf is null)
                continue;
            packed.Add(Path.GetFileName(TaskItems.EntryName(file)));
            if (elf.Soname is { } soname)
                packed.Add(soname);
            seeds.AddRange(elf.Needed.Select(name => (name, Path.GetFileName(file.ItemSpec))));
        }
        if (loader.Soname is { } loaderSoname)
            packed.Add(loaderSoname);

        var preload = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var onDemand = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Walk(seeds, preload, packed, preload))
            return false;

        var extras = new List<(string Name, string NeededBy)>();
        if (IncludeIcu)
        {
            string? major = IcuMajorVersion();
            if (major is null)
            {
                Error("OXSDK4003", "OxidizeUserlandIcu is true but no libicuuc.so.<major> is on this machine (Debian: apt-get install libicu72). Install ICU, or publish with InvariantGlobalization=true.");
                return false;
            }
            extras.Add(($"libicuuc.so.{major}", "OxidizeUserlandIcu"));
            extras.Add(($"libicui18n.so.{major}", "OxidizeUserlandIcu"));
        }
        if (IncludeOpenSsl)
        {
            extras.Add(("libssl.so.3", "OxidizeUserlandOpenSsl"));
            extras.Add(("libcrypto.so.3", "OxidizeUserlandOpenSsl"));
        }
        if (!Walk(extras, onDemand, packed, preload))
            return false;
        // A glibc library only an extra needs still goes to the preloads: loaded twice, it would break the process.
        foreach (string name in onDemand.Keys.Where(GlibcLibraries.Contains).ToList())
        {
            preload[name] = onDemand[name];
            onDemand.Remove(name);
        }

        if (!preload.TryGetValue("libc.so.6", out string? libc) || ReadElf(libc, "libc.so.6") is not { } libcInfo)
        {
            Error("OXSDK4002", "The host does not lead to libc.so.6 on this machine; OxidizeUserland=bundled needs a glibc build machine.");
            return false;
        }
        GlibcVersion = libcInfo.DefinedVersions
            .Where(version => version.StartsWith("GLIBC_", StringComparison.Ordinal) && Version.TryParse(version[6..], out _))
            .Select(version => Version.Parse(version[6..]))
            .DefaultIfEmpty(new Version(0, 0)).Max()!.ToString();

        // What every start reads stays stored under compression (copied, not decoded): the host, the loader, the
        // preloaded libraries, and ICU, which .NET loads at startup unless the app is invariant.
        var items = new List<ITaskItem>
        {
            KeepStored(Content(HostPath, Prefix + "host")),
            KeepStored(Content(loaderPath, Prefix + "ld.so")),
        };
        items.AddRange(preload.Select(library => KeepStored(Content(library.Value, Prefix + "preload/" + library.Key))));
        items.AddRange(onDemand.Select(library => library.Key.StartsWith("libicu", StringComparison.Ordinal)
            ? KeepStored(Item(library.Value, Prefix + "native/" + library.Key))
            : Item(library.Value, Prefix + "native/" + library.Key)));
        if (CertificatesFile.Length > 0)
        {
            if (!File.Exists(CertificatesFile))
            {
                Error("OXSDK4004", $"OxidizeUserlandCertificatesFile '{CertificatesFile}' does not exist (Debian: apt-get install ca-certificates), or set OxidizeUserlandCertificates=false.");
                return false;
            }
            items.Add(Content(RealPath(CertificatesFile), Prefix + "ca-certificates.crt"));
        }
        if (ZoneInfoDirectory.Length > 0)
        {
            if (!Directory.Exists(ZoneInfoDirectory))
            {
                Error("OXSDK4004", $"OxidizeUserlandZoneInfoDirectory '{ZoneInfoDirectory}' does not exist (Debian: apt-get install tzdata), or set OxidizeUserlandTimeZones=false.");
                return false;
            }
            items.AddRange(ZoneInfoFiles(ZoneInfoDirectory));
        }
        UserlandFiles = [.. items];
        Log.LogMessage(MessageImportance.Normal, $"Oxidize userland: loader {loaderPath}, glibc {GlibcVersion}, preloaded {string.Join(" ", preload.Keys)}; on demand {string.Join(" ", onDemand.Keys)}.");
        return !Log.HasLoggedErrors;
    }

    /// <summary>Adds the DT_NEEDED closure of <paramref name="names"/> to <paramref name="into"/>, skipping packed names and those already in <paramref name="preloaded"/>.</summary>
    private bool Walk(List<(string Name, string NeededBy)> names, SortedDictionary<string, string> into, HashSet<string> packed, SortedDictionary<string, string> preloaded)
    {
        var queue = new Queue<(string Name, string NeededBy)>(names);
        while (queue.TryDequeue(out var next))
        {
            (string name, string neededBy) = next;
            if (packed.Contains(name) || preloaded.ContainsKey(name) || into.ContainsKey(name))
                continue;
            string? path = Resolve(name);
            if (path is null)
            {
                Error("OXSDK4002", $"'{name}' (needed by {neededBy}) is not on this machine, so OxidizeUserland=bundled cannot carry it. Install the package that provides it.");
                return false;
            }
            ElfInfo? library = ReadElf(path, name);
            if (library is null)
                return false;
            into[name] = path;
            foreach (string needed in library.Needed)
                queue.Enqueue((needed, name));
        }
        return true;
    }

    private string? Resolve(string soname)
    {
        if (_cache.TryGetValue(soname, out string? cached) && File.Exists(cached))
            return RealPath(cached);
        foreach (string directory in LibraryDirectories.Length > 0 ? LibraryDirectories : DefaultLibraryDirectories)
        {
            string candidate = Path.Combine(directory, soname);
            if (File.Exists(candidate) && TryReadElf(candidate) is { Machine: ElfMachine.X86_64 })
                return RealPath(candidate);
        }
        return null;
    }

    private string? IcuMajorVersion()
    {
        IEnumerable<string> names = _cache.Keys.Concat(
            (LibraryDirectories.Length > 0 ? LibraryDirectories : DefaultLibraryDirectories)
                .Where(Directory.Exists)
                .SelectMany(directory => Directory.EnumerateFiles(directory, "libicuuc.so.*"))
                .Select(path => Path.GetFileName(path)));
        return names.Select(name => IcuCommon.Match(name))
            .Where(match => match.Success && Resolve($"libicui18n.so.{match.Groups["major"].Value}") is not null)
            .Select(match => int.Parse(match.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .OrderDescending()
            .Select(major => major.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
    }

    /// <summary>soname → path for x86-64 libraries, in the loader's search order, from `ldconfig -p`; empty if it cannot run.</summary>
    private Dictionary<string, string> ReadLoaderCache()
    {
        var cache = new Dictionary<string, string>(StringComparer.Ordinal);
        string? ldconfig = new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" }.FirstOrDefault(File.Exists);
        if (ldconfig is null)
            return cache;
        try
        {
            var startInfo = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using Process process = Process.Start(startInfo)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            foreach (string line in output.Split('\n'))
            {
                Match match = LoaderCacheLine.Match(line);
                if (match.Success && match.Groups["flags"].Value.Contains("x86-64", StringComparison.Ordinal))
                    cache.TryAdd(match.Groups["name"].Value, match.Groups["path"].Value);
            }
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException)
        {
            Log.LogMessage(MessageImportance.Low, $"Oxidize userland: {ldconfig} -p failed ({exception.Message}); searching {string.Join(", ", DefaultLibraryDirectories)}.");
        }
        return cache;
    }

    private static IEnumerable<ITaskItem> ZoneInfoFiles(string directory)
    {
        string root = Path.GetFullPath(directory).TrimEnd('/');
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (string path in Directory.EnumerateFiles(root, "*", options).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            // posix/ and right/ repeat the whole database (right/ with leap seconds, which .NET does not use).
            if (relative.StartsWith("posix/", StringComparison.Ordinal) || relative.StartsWith("right/", StringComparison.Ordinal)
                || !File.Exists(path) || !ResourceName.IsValid(Prefix + "zoneinfo/" + relative, out _))
                continue;
            yield return Content(RealPath(path), Prefix + "zoneinfo/" + relative);
        }
    }

    private static ITaskItem Item(string path, string relativePath)
    {
        var item = new TaskItem(path);
        item.SetMetadata("RelativePath", relativePath);
        return item;
    }

    private static ITaskItem KeepStored(ITaskItem item)
    {
        item.SetMetadata("OxidizeKeepStored", "true");
        return item;
    }

    private static ITaskItem Content(string path, string relativePath)
    {
        ITaskItem item = Item(path, relativePath);
        item.SetMetadata("OxidizeKind", "Content");
        return item;
    }

    private static string RealPath(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    private ElfInfo? ReadElf(string path, string what)
    {
        try
        {
            ElfInfo elf = ElfFile.Read(File.ReadAllBytes(path));
            if (elf.Machine == ElfMachine.X86_64)
                return elf;
            Error("OXSDK4002", $"{what} ({path}) is not an x86-64 ELF file.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Error("OXSDK4002", $"{what} ({path}) cannot be read as an ELF file: {exception.Message}");
        }
        return null;
    }

    private static ElfInfo? TryReadElf(string path)
    {
        try
        {
            using (FileStream stream = File.OpenRead(path))
            {
                Span<byte> magic = stackalloc byte[4];
                if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual(ElfMagic))
                    return null;
            }
            return ElfFile.Read(File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private void Error(string code, string message) =>
        Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, file: null, lineNumber: 0, columnNumber: 0,
            endLineNumber: 0, endColumnNumber: 0, message: message);
}
