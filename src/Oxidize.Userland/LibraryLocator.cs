using System.Globalization;
using System.Text.RegularExpressions;
using Oxidize.Packing.Elf;

namespace Oxidize.Userland;

/// <summary>
/// Finds an x86-64 library by soname on the build machine: in the loader's cache, else in the given folders (or, with
/// none given, the Debian then RPM library folders). Paths are returned with links resolved.
/// </summary>
public sealed class LibraryLocator
{
    /// <summary>Where a library is looked for when the loader's cache does not name it (Debian, then RPM layouts).</summary>
    public static readonly IReadOnlyList<string> DefaultLibraryDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64"];

    private static readonly Regex IcuCommon = new(@"^libicuuc\.so\.(?<major>[0-9]+)$", RegexOptions.CultureInvariant);

    private readonly IReadOnlyDictionary<string, string> _cache;
    private readonly IReadOnlyList<string> _directories;

    /// <param name="cache">soname → path, from <see cref="LoaderCache"/>; may be empty.</param>
    /// <param name="directories">folders searched after the cache; empty for <see cref="DefaultLibraryDirectories"/>.</param>
    public LibraryLocator(IReadOnlyDictionary<string, string> cache, IReadOnlyList<string> directories)
    {
        _cache = cache;
        _directories = directories.Count > 0 ? directories : DefaultLibraryDirectories;
    }

    /// <summary>The library's path, or null when neither the cache nor the folders have an x86-64 file of that name.</summary>
    public string? Find(string soname)
    {
        if (_cache.TryGetValue(soname, out string? cached) && File.Exists(cached))
            return ElfFiles.RealPath(cached);
        foreach (string directory in _directories)
        {
            string candidate = Path.Combine(directory, soname);
            if (File.Exists(candidate) && ElfFiles.TryRead(candidate) is { Machine: ElfMachine.X86_64 })
                return ElfFiles.RealPath(candidate);
        }
        return null;
    }

    /// <summary>The highest ICU major version with both libicuuc.so.N and libicui18n.so.N, or null.</summary>
    public string? IcuMajorVersion()
    {
        IEnumerable<string> names = _cache.Keys.Concat(
            _directories.Where(Directory.Exists)
                .SelectMany(directory => Directory.EnumerateFiles(directory, "libicuuc.so.*"))
                .Select(path => Path.GetFileName(path)));
        return names.Select(name => IcuCommon.Match(name))
            .Where(match => match.Success && Find($"libicui18n.so.{match.Groups["major"].Value}") is not null)
            .Select(match => int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture))
            .OrderDescending()
            .Select(major => major.ToString(CultureInfo.InvariantCulture))
            .FirstOrDefault();
    }
}
