namespace Oxidize.Audit.Packages;

/// <summary>
/// An installed Debian package as dpkg's status file describes it. <paramref name="SourceName"/> and
/// <paramref name="SourceVersion"/> are the source package it was built from (libc6 comes from glibc);
/// <paramref name="CopyrightPath"/> is its /usr/share/doc/&lt;package&gt;/copyright file, where the licenses are.
/// </summary>
public sealed record DebianPackage(
    string Name,
    string Version,
    string Architecture,
    string SourceName,
    string SourceVersion,
    string? Homepage,
    string CopyrightPath)
{
    /// <summary>
    /// The package URL (purl spec, "deb" type): pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&amp;distro=debian-12.
    /// <paramref name="distribution"/> is os-release's ID and VERSION_ID ("debian-12"); empty when unknown.
    /// </summary>
    public string PackageUrl(string vendor, string distribution)
    {
        string url = $"pkg:deb/{Uri.EscapeDataString(vendor)}/{Uri.EscapeDataString(Name)}@{Uri.EscapeDataString(Version)}?arch={Uri.EscapeDataString(Architecture)}";
        return distribution.Length > 0 ? url + "&distro=" + Uri.EscapeDataString(distribution) : url;
    }

    /// <summary>Where the copyright file is on any Debian system (<see cref="CopyrightPath"/> is where it was read).</summary>
    public string CopyrightLocation => $"/usr/share/doc/{Name}/copyright";

    public override string ToString() => $"{Name} {Version}";
}
