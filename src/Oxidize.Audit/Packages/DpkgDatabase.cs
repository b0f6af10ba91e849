namespace Oxidize.Audit.Packages;

/// <summary>
/// Which installed Debian package owns a file, read straight from dpkg's database under a root folder
/// ("/" on the build machine; a fake tree in tests): var/lib/dpkg/info/&lt;package&gt;[:&lt;arch&gt;].list
/// lists each package's files, var/lib/dpkg/status describes the packages, usr/lib/os-release names the
/// distribution. Reading the files instead of running dpkg-query keeps the audit free of processes.
/// Paths are compared after resolving symbolic links in their folders, so a library found as
/// /lib/x86_64-linux-gnu/libc.so.6 matches dpkg's /usr/lib/... on a merged-/usr system and the other
/// way round; a file that is itself a link is also looked up by its final target.
/// </summary>
public sealed class DpkgDatabase
{
    private const int MaxLinkDepth = 40;

    private readonly string _root;
    private readonly string _info;
    private readonly string _status;

    private DpkgDatabase(string root)
    {
        _root = root;
        _info = Path.Combine(root, "var/lib/dpkg/info");
        _status = Path.Combine(root, "var/lib/dpkg/status");
    }

    /// <summary>The database under <paramref name="root"/>, or null when there is none (not a Debian-based system).</summary>
    public static DpkgDatabase? Open(string root = "/")
    {
        var database = new DpkgDatabase(Path.GetFullPath(root));
        return File.Exists(database._status) && Directory.Exists(database._info) ? database : null;
    }

    /// <summary>"debian-12" from os-release's ID and VERSION_ID; the vendor alone when there is no version; "" when unknown.</summary>
    public (string Vendor, string Distribution) ReadDistribution()
    {
        foreach (string candidate in new[] { "etc/os-release", "usr/lib/os-release" })
        {
            string path = Path.Combine(_root, candidate);
            if (!File.Exists(path))
                continue;
            var fields = File.ReadAllLines(path)
                .Select(line => line.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0].Trim(), StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.First()[1].Trim().Trim('"', '\''), StringComparer.Ordinal);
            string vendor = fields.GetValueOrDefault("ID", "debian");
            string version = fields.GetValueOrDefault("VERSION_ID", "");
            return (vendor, version.Length > 0 ? $"{vendor}-{version}" : vendor);
        }
        return ("debian", "");
    }

    /// <summary>
    /// The owning package of each path (absolute, as seen from the root) that some package lists; paths
    /// no package owns (files generated on the machine, such as the CA bundle) are absent from the result.
    /// </summary>
    public IReadOnlyDictionary<string, DebianPackage> FindOwners(IReadOnlyCollection<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // Each wanted file under every name it may be listed by: its own path and its final target, folders resolved.
        var wanted = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            foreach (string name in new[] { Canonical(path), FinalTarget(path) }.Distinct())
            {
                if (!wanted.TryGetValue(name, out var owners))
                    wanted[name] = owners = [];
                owners.Add(path);
            }
        }
        var fileNames = wanted.Keys.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        var ownerKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        var directoryCache = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string list in Directory.EnumerateFiles(_info, "*.list").Order(StringComparer.Ordinal))
        {
            string packageKey = Path.GetFileNameWithoutExtension(list);
            foreach (string line in File.ReadLines(list))
            {
                // Most of a database's lines name other files: the file name decides before any link is resolved.
                if (line.Length == 0 || !fileNames.Contains(Path.GetFileName(line)))
                    continue;
                string directory = Path.GetDirectoryName(line) ?? "/";
                if (!directoryCache.TryGetValue(directory, out string? resolved))
                    directoryCache[directory] = resolved = ResolveFolder(directory);
                if (!wanted.TryGetValue(Path.Combine(resolved, Path.GetFileName(line)), out var owned))
                    continue;
                foreach (string path in owned)
                    ownerKeys.TryAdd(path, packageKey);
            }
        }

        var packages = ReadStatus(ownerKeys.Values.ToHashSet(StringComparer.Ordinal));
        return ownerKeys.Where(owner => packages.ContainsKey(owner.Value))
            .ToDictionary(owner => owner.Key, owner => packages[owner.Value], StringComparer.Ordinal);
    }

    /// <summary>The installed packages among <paramref name="keys"/> ("libc6:amd64" or "tzdata", as the .list files are named).</summary>
    private Dictionary<string, DebianPackage> ReadStatus(HashSet<string> keys)
    {
        var packages = new Dictionary<string, DebianPackage>(StringComparer.Ordinal);
        foreach (var fields in ControlParagraphs.Read(File.ReadLines(_status)))
        {
            string name = fields.GetValueOrDefault("Package", "");
            string architecture = fields.GetValueOrDefault("Architecture", "");
            if (!fields.GetValueOrDefault("Status", "").EndsWith(" installed", StringComparison.Ordinal))
                continue;
            string key = keys.Contains($"{name}:{architecture}") ? $"{name}:{architecture}" : name;
            if (!keys.Contains(key))
                continue;
            string version = fields.GetValueOrDefault("Version", "");
            // "Source: gcc-12 (12.2.0-14)" when the source version differs, "Source: glibc" when it does not, absent when the names match.
            string[] source = fields.GetValueOrDefault("Source", name).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string sourceVersion = source.Length == 2 ? source[1].Trim('(', ')') : version;
            packages[key] = new DebianPackage(name, version, architecture, source[0], sourceVersion,
                fields.GetValueOrDefault("Homepage"), Path.Combine(_root, "usr/share/doc", name, "copyright"));
        }
        return packages;
    }

    /// <summary>The path with the links in its folders resolved (the file itself may stay a link).</summary>
    private string Canonical(string path) =>
        Path.Combine(ResolveFolder(Path.GetDirectoryName(path) ?? "/"), Path.GetFileName(path));

    /// <summary>The path every link leads to, folders included.</summary>
    private string FinalTarget(string path)
    {
        string current = Canonical(path);
        for (int depth = 0; depth < MaxLinkDepth && LinkTarget(current) is { } target; depth++)
            current = Canonical(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(current) ?? "/", target));
        return current;
    }

    /// <summary>A folder (absolute, as seen from the root) with every link along it resolved, as seen from the root.</summary>
    private string ResolveFolder(string folder)
    {
        string current = "/";
        var pending = new Stack<string>(Split(folder).Reverse());
        for (int links = 0; pending.Count > 0;)
        {
            string part = pending.Pop();
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            string next = Path.Combine(current, part);
            if (LinkTarget(next) is { } target && links++ < MaxLinkDepth)
            {
                // The link's parts replace it; an absolute target restarts from the root.
                foreach (string targetPart in Split(target).Reverse())
                    pending.Push(targetPart);
                if (Path.IsPathRooted(target))
                    current = "/";
                continue;
            }
            current = next;
        }
        return current;
    }

    private string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(Path.Combine(_root, path.TrimStart('/'))).LinkTarget;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
