using System.Security.Cryptography;
using System.Text;

namespace Oxidize.Audit.Shipping;

/// <summary>
/// Writes a .deb without dpkg-deb, so its bytes depend only on the inputs: debian-binary, control.tar.gz (control,
/// md5sums) and data.tar.gz, each tar sorted with owner root and one timestamp (<see cref="ReproducibleTar"/>).
/// </summary>
public static class DebWriter
{
    public static void Write(string outputPath, ShippingMetadata metadata, IReadOnlyList<OsPackageEntry> entries, IReadOnlyList<SystemDependency> dependencies,
        DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(entries);
        var control = new List<OsPackageEntry>
        {
            OsPackageEntry.FromBytes("control", Encoding.UTF8.GetBytes(Control(metadata, entries, dependencies))),
            OsPackageEntry.FromBytes("md5sums", Encoding.UTF8.GetBytes(Md5Sums(entries))),
        };
        byte[] controlTar = Tar(control, timestamp);
        byte[] dataTar = Tar(entries, timestamp);
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write);
        ArArchive.Write(output, [("debian-binary", "2.0\n"u8.ToArray()), ("control.tar.gz", controlTar), ("data.tar.gz", dataTar)], timestamp);
    }

    /// <summary>The control file (deb-control(5)); the description's blank lines become " .".</summary>
    public static string Control(ShippingMetadata metadata, IReadOnlyList<OsPackageEntry> entries, IReadOnlyList<SystemDependency> dependencies)
    {
        long installedKib = entries.Sum(entry => (entry.Length + 1023) / 1024) + OsPackageEntry.Directories(entries).Count;
        var text = new StringBuilder();
        text.Append("Package: ").Append(metadata.PackageName).Append('\n');
        text.Append("Version: ").Append(metadata.Version).Append('\n');
        text.Append("Architecture: ").Append(metadata.DebianArchitecture).Append('\n');
        text.Append("Maintainer: ").Append(metadata.Maintainer).Append('\n');
        text.Append("Installed-Size: ").Append(installedKib).Append('\n');
        if (dependencies.Count > 0)
            text.Append("Depends: ").Append(string.Join(", ", dependencies.Select(dependency => dependency.Debian))).Append('\n');
        text.Append("Section: misc\n");
        text.Append("Priority: optional\n");
        if (metadata.Homepage is { } homepage)
            text.Append("Homepage: ").Append(homepage).Append('\n');
        text.Append("Description: ").Append(metadata.Summary).Append('\n');
        foreach (string line in metadata.ExtendedDescription.Split('\n').SelectMany(Wrap))
            text.Append(' ').Append(line.Trim().Length == 0 ? "." : line.TrimEnd()).Append('\n');
        return text.ToString();
    }

    /// <summary>A description line at most 79 characters wide, broken at blanks (Debian policy 3.4.1: 80-column displays).</summary>
    private static IEnumerable<string> Wrap(string line)
    {
        const int Width = 79;
        string rest = line.TrimEnd();
        while (rest.Length > Width && rest.LastIndexOf(' ', Width) is > 0 and int blank)
        {
            yield return rest[..blank];
            rest = rest[(blank + 1)..].TrimStart();
        }
        yield return rest;
    }

    private static string Md5Sums(IReadOnlyList<OsPackageEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries.OrderBy(entry => entry.Path, StringComparer.Ordinal))
        {
            using var content = entry.Open();
            text.Append(Convert.ToHexStringLower(MD5.HashData(content))).Append("  ").Append(entry.Path).Append('\n');
        }
        return text.ToString();
    }

    private static byte[] Tar(IReadOnlyList<OsPackageEntry> entries, DateTimeOffset timestamp)
    {
        using var buffer = new MemoryStream();
        ReproducibleTar.Write(buffer, entries, timestamp, "./", includeRoot: true);
        return buffer.ToArray();
    }
}
