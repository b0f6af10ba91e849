using System.IO.Compression;
using System.Text;

namespace Oxidize.Audit.Shipping;

/// <summary>A file the user lists to ship with the executable (README, LICENSE): its path on disk and the name it gets.</summary>
public sealed record ShippedDocument(string SourcePath, string Name);

/// <summary>
/// Where each file goes. In a .deb and an .rpm: the executable at /usr/bin/&lt;command&gt;, the generated copyright
/// and the listed documents in /usr/share/doc/&lt;package&gt;/, a systemd unit when asked for; the .deb also gets the
/// changelog Debian policy requires. In a tarball: the executable and the documents, under &lt;package&gt;-&lt;version&gt;/.
/// </summary>
public static class ShippingLayout
{
    public static List<OsPackageEntry> SystemPackage(
        ShippingMetadata metadata, string executablePath, string copyright, IReadOnlyList<ShippedDocument> documents, string? systemdUnit, bool debianPolicy,
        bool bundledUserland, DateTimeOffset timestamp)
    {
        var entries = new List<OsPackageEntry>
        {
            OsPackageEntry.FromFile($"usr/bin/{metadata.CommandName}", executablePath, OsPackageEntry.Executable),
            OsPackageEntry.FromBytes($"{metadata.DocumentDirectory}/copyright", Encoding.UTF8.GetBytes(copyright)),
        };
        if (debianPolicy)
        {
            entries.Add(OsPackageEntry.FromBytes($"{metadata.DocumentDirectory}/changelog.gz", Gzip(DebianChangelog(metadata, timestamp))));
            entries.Add(OsPackageEntry.FromBytes($"usr/share/lintian/overrides/{metadata.PackageName}", Encoding.UTF8.GetBytes(LintianOverrides(metadata, bundledUserland))));
        }
        entries.AddRange(documents.Select(document => OsPackageEntry.FromFile($"{metadata.DocumentDirectory}/{document.Name}", document.SourcePath, OsPackageEntry.Regular)));
        if (systemdUnit is not null)
            entries.Add(OsPackageEntry.FromBytes($"lib/systemd/system/{metadata.PackageName}.service", Encoding.UTF8.GetBytes(systemdUnit)));
        return entries;
    }

    public static List<OsPackageEntry> Tarball(ShippingMetadata metadata, string executablePath, IReadOnlyList<ShippedDocument> documents) =>
    [
        OsPackageEntry.FromFile(metadata.CommandName, executablePath, OsPackageEntry.Executable),
        .. documents.Select(document => OsPackageEntry.FromFile(document.Name, document.SourcePath, OsPackageEntry.Regular)),
    ];

    /// <summary>The directory every tarball entry is under.</summary>
    public static string TarballRoot(ShippingMetadata metadata) => $"{metadata.PackageName}-{metadata.Version}/";

    /// <summary>
    /// What lintian reports of every oxidized executable and why it is so: stripping it would cut off the payload (the
    /// runtime and the app appended to the host), and the runtime carries its own zlib (System.IO.Compression.Native);
    /// a bundled userland is a static executable on purpose.
    /// </summary>
    public static string LintianOverrides(ShippingMetadata metadata, bool bundledUserland) =>
        (bundledUserland
            ? "# OxidizeUserland=bundled: the executable is static on purpose, it carries its own loader and C library.\n"
              + $"{metadata.PackageName}: statically-linked-binary [usr/bin/{metadata.CommandName}]\n"
            : "")
        + "# The executable is the Oxidize host with the .NET runtime and the app appended: strip would cut that payload off.\n"
        + $"{metadata.PackageName}: unstripped-binary-or-object [usr/bin/{metadata.CommandName}]\n"
        + "# The .NET runtime's System.IO.Compression.Native links zlib(-ng) statically; it is inside the payload.\n"
        + $"{metadata.PackageName}: embedded-library zlib [usr/bin/{metadata.CommandName}]\n";

    /// <summary>A one-entry changelog (a native package's, so changelog.gz): Debian policy 12.7 wants one in every package.</summary>
    public static string DebianChangelog(ShippingMetadata metadata, DateTimeOffset timestamp) =>
        $"{metadata.PackageName} ({metadata.Version}) unstable; urgency=medium\n\n"
        + $"  * {metadata.CommandName} {metadata.Version}, packaged by Oxidize.Sdk.\n\n"
        + $" -- {metadata.Maintainer}  {timestamp.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} +0000\n";

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }
}
