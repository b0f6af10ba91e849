using Oxidize.Packing;
using Oxidize.Packing.Elf;

namespace Oxidize.Userland;

/// <summary>
/// -p:OxidizeUserland=bundled (docs/userland.md): finds on the build machine the userland the executable carries,
/// named as the bootstrap (src/Oxidize.Host/userland_bootstrap.c) expects:
/// <list type="bullet">
/// <item>.oxidize/userland/host: the real host; .oxidize/userland/ld.so: the host's PT_INTERP (the glibc loader);</item>
/// <item>.oxidize/userland/preload/&lt;soname&gt;: the DT_NEEDED closure of the host and of every packed native library
/// (glibc, libgcc_s, libstdc++), preloaded by the loader at startup;</item>
/// <item>.oxidize/userland/native/&lt;soname&gt;: what only the optional extras need (ICU, OpenSSL), packed as native
/// libraries that the host loads from memory when the runtime first asks for them (dlopen by name);</item>
/// <item>.oxidize/userland/ca-certificates.crt and .oxidize/userland/zoneinfo/**: the optional data.</item>
/// </list>
/// Everything but the on-demand libraries is content, so the host never loads those files itself (a second libc
/// would be fatal) and NativeDependencies never points at them. What every start reads (the host, the loader, the
/// preloaded libraries, ICU) is kept stored, so compression never makes a start decode it. Failures are
/// PackingException with the codes of <see cref="UserlandErrorCodes"/>.
/// </summary>
public static class UserlandResolver
{
    public const string Prefix = ".oxidize/userland/";

    /// <summary>Glibc's own libraries: always preloaded, so the process never holds two copies of one.</summary>
    private static readonly HashSet<string> GlibcLibraries = new(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1", "libresolv.so.2", "libanl.so.1",
    };

    /// <summary>Resolves with the loader's cache, or only <see cref="UserlandRequest.LibraryDirectories"/> when given.</summary>
    public static UserlandPlan Resolve(UserlandRequest request)
    {
        if (request.LibraryDirectories.Count > 0)
            return Resolve(request, new LibraryLocator(new Dictionary<string, string>(), request.LibraryDirectories), null);
        (Dictionary<string, string> cache, string? failure) = LoaderCache.Read();
        return Resolve(request, new LibraryLocator(cache, []), failure);
    }

    public static UserlandPlan Resolve(UserlandRequest request, LibraryLocator locator, string? loaderCacheFailure)
    {
        ElfInfo host = ElfFiles.Read(request.HostPath, "the host");
        if (host.Interpreter is null || !File.Exists(host.Interpreter))
            throw new PackingException(UserlandErrorCodes.NotOnThisMachine,
                $"The host {request.HostPath} names the dynamic loader '{host.Interpreter}', which is not on this machine: OxidizeUserland=bundled carries the build machine's own loader.");
        string loaderPath = ElfFiles.RealPath(host.Interpreter);
        ElfInfo loader = ElfFiles.Read(loaderPath, "the dynamic loader");

        // Names the app already packs (file names and SONAMEs), and the loader, which satisfies its own SONAME.
        var packed = new HashSet<string>(StringComparer.Ordinal);
        var seeds = new List<(string Name, string NeededBy)>(host.Needed.Select(name => (name, "the host")));
        foreach (PackedFile file in request.PackedFiles)
        {
            if (ElfFiles.TryRead(file.SourcePath) is not { } elf)
                continue;
            packed.Add(Path.GetFileName(file.EntryName));
            if (elf.Soname is { } soname)
                packed.Add(soname);
            seeds.AddRange(elf.Needed.Select(name => (name, Path.GetFileName(file.SourcePath))));
        }
        if (loader.Soname is { } loaderSoname)
            packed.Add(loaderSoname);

        var preload = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var onDemand = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(locator, seeds, preload, packed, preload);
        Walk(locator, Extras(request, locator), onDemand, packed, preload);
        // A glibc library only an extra needs still goes to the preloads: loaded twice, it would break the process.
        foreach (string name in onDemand.Keys.Where(GlibcLibraries.Contains).ToList())
        {
            preload[name] = onDemand[name];
            onDemand.Remove(name);
        }

        if (!preload.TryGetValue("libc.so.6", out string? libc))
            throw new PackingException(UserlandErrorCodes.NotOnThisMachine,
                "The host does not lead to libc.so.6 on this machine; OxidizeUserland=bundled needs a glibc build machine.");
        string glibcVersion = GlibcVersion(ElfFiles.Read(libc, "libc.so.6"));

        // What every start reads stays stored under compression (copied, not decoded): the host, the loader, the
        // preloaded libraries, and ICU, which .NET loads at startup unless the app is invariant.
        var files = new List<UserlandFile>
        {
            new(request.HostPath, Prefix + "host", IsContent: true, KeepStored: true),
            new(loaderPath, Prefix + "ld.so", IsContent: true, KeepStored: true),
        };
        files.AddRange(preload.Select(library => new UserlandFile(library.Value, Prefix + "preload/" + library.Key, IsContent: true, KeepStored: true)));
        files.AddRange(onDemand.Select(library => new UserlandFile(library.Value, Prefix + "native/" + library.Key, IsContent: false,
            KeepStored: library.Key.StartsWith("libicu", StringComparison.Ordinal))));
        if (request.CertificatesFile.Length > 0)
        {
            if (!File.Exists(request.CertificatesFile))
                throw new PackingException(UserlandErrorCodes.DataMissing,
                    $"OxidizeUserlandCertificatesFile '{request.CertificatesFile}' does not exist (Debian: apt-get install ca-certificates), or set OxidizeUserlandCertificates=false.");
            files.Add(new UserlandFile(ElfFiles.RealPath(request.CertificatesFile), Prefix + "ca-certificates.crt", IsContent: true, KeepStored: false));
        }
        if (request.ZoneInfoDirectory.Length > 0)
        {
            if (!Directory.Exists(request.ZoneInfoDirectory))
                throw new PackingException(UserlandErrorCodes.DataMissing,
                    $"OxidizeUserlandZoneInfoDirectory '{request.ZoneInfoDirectory}' does not exist (Debian: apt-get install tzdata), or set OxidizeUserlandTimeZones=false.");
            files.AddRange(ZoneInfoFiles(request.ZoneInfoDirectory));
        }
        return new UserlandPlan
        {
            Files = files,
            GlibcVersion = glibcVersion,
            LoaderPath = loaderPath,
            Preloaded = [.. preload.Keys],
            OnDemand = [.. onDemand.Keys],
            LoaderCacheFailure = loaderCacheFailure,
        };
    }

    /// <summary>The optional extras' libraries (ICU, OpenSSL), with the property that asked for them.</summary>
    private static List<(string Name, string NeededBy)> Extras(UserlandRequest request, LibraryLocator locator)
    {
        var extras = new List<(string Name, string NeededBy)>();
        if (request.IncludeIcu)
        {
            string major = locator.IcuMajorVersion() ?? throw new PackingException(UserlandErrorCodes.IcuMissing,
                "OxidizeUserlandIcu is true but no libicuuc.so.<major> is on this machine (Debian: apt-get install libicu72). Install ICU, or publish with InvariantGlobalization=true.");
            extras.Add(($"libicuuc.so.{major}", "OxidizeUserlandIcu"));
            extras.Add(($"libicui18n.so.{major}", "OxidizeUserlandIcu"));
        }
        if (request.IncludeOpenSsl)
        {
            extras.Add(("libssl.so.3", "OxidizeUserlandOpenSsl"));
            extras.Add(("libcrypto.so.3", "OxidizeUserlandOpenSsl"));
        }
        return extras;
    }

    /// <summary>Adds the DT_NEEDED closure of <paramref name="names"/> to <paramref name="into"/>, skipping packed names and those already in <paramref name="preloaded"/>.</summary>
    private static void Walk(LibraryLocator locator, List<(string Name, string NeededBy)> names, SortedDictionary<string, string> into,
        HashSet<string> packed, SortedDictionary<string, string> preloaded)
    {
        var queue = new Queue<(string Name, string NeededBy)>(names);
        while (queue.TryDequeue(out var next))
        {
            (string name, string neededBy) = next;
            if (packed.Contains(name) || preloaded.ContainsKey(name) || into.ContainsKey(name))
                continue;
            string path = locator.Find(name) ?? throw new PackingException(UserlandErrorCodes.NotOnThisMachine,
                $"'{name}' (needed by {neededBy}) is not on this machine, so OxidizeUserland=bundled cannot carry it. Install the package that provides it.");
            ElfInfo library = ElfFiles.Read(path, name);
            into[name] = path;
            foreach (string needed in library.Needed)
                queue.Enqueue((needed, name));
        }
    }

    /// <summary>The highest GLIBC_x.y version libc.so.6 defines, e.g. "2.36".</summary>
    private static string GlibcVersion(ElfInfo libc) =>
        libc.DefinedVersions
            .Where(version => version.StartsWith("GLIBC_", StringComparison.Ordinal) && Version.TryParse(version[6..], out _))
            .Select(version => Version.Parse(version[6..]))
            .DefaultIfEmpty(new Version(0, 0)).Max()!.ToString();

    private static IEnumerable<UserlandFile> ZoneInfoFiles(string directory)
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
            yield return new UserlandFile(ElfFiles.RealPath(path), Prefix + "zoneinfo/" + relative, IsContent: true, KeepStored: false);
        }
    }
}
