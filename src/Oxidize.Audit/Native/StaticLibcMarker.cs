using System.Text;

namespace Oxidize.Audit.Native;

/// <summary>A C library linked statically into one of Oxidize's own binaries: its name, version and SPDX license.</summary>
public sealed record StaticLibc(string Name, string Version, string License);

/// <summary>
/// Reads the record the bundled-userland bootstrap carries of the C library linked into it
/// ("oxidize-static-libc=musl;1.2.3-1;MIT", src/Oxidize.Host/userland_bootstrap.c), for the bill of materials:
/// a static library leaves no DT_NEEDED entry or file behind to find it by.
/// </summary>
public static class StaticLibcMarker
{
    private static ReadOnlySpan<byte> Prefix => "oxidize-static-libc="u8;

    /// <summary>The record in <paramref name="binary"/>, or null when there is none or it is malformed.</summary>
    public static StaticLibc? Find(ReadOnlySpan<byte> binary)
    {
        int start = binary.IndexOf(Prefix);
        if (start < 0)
            return null;
        var rest = binary[(start + Prefix.Length)..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            return null;
        string[] fields = Encoding.UTF8.GetString(rest[..end]).Split(';');
        return fields.Length == 3 && fields.All(field => field.Length > 0) ? new StaticLibc(fields[0], fields[1], fields[2]) : null;
    }
}
