using System.Collections.Frozen;

namespace Oxidize.Audit.Native;

/// <summary>A system library most installations have, and the packages that provide it.</summary>
/// <param name="Soname">The DT_NEEDED name.</param>
/// <param name="DebianPackage">The Debian and Ubuntu package that ships it.</param>
/// <param name="RpmPackage">The RHEL, Fedora and Amazon Linux package that ships it.</param>
public sealed record CommonSystemLibrary(string Soname, string DebianPackage, string RpmPackage);

/// <summary>
/// The middle tier between the base system (glibc, libgcc_s, libstdc++, zlib: on every glibc system, Oxidize.Packing's
/// SystemLibraryPolicy) and libraries no target can be assumed to have. These are packaged under the same soname by
/// every distribution in <see cref="KnownDistributions"/> and installed with nearly every desktop and server image
/// (fonts, images, X11 client libraries, compression), but a minimal container image may lack them. A packed library
/// that needs one is a warning by default that names the package to install, since the most used .NET graphics library
/// (SkiaSharp: libfontconfig.so.1) needs one; OxidizeNativeAuditSeverity=error makes it an error.
/// </summary>
public static class CommonSystemLibraries
{
    private static readonly FrozenDictionary<string, CommonSystemLibrary> BySoname = new CommonSystemLibrary[]
    {
        new("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
        new("libfreetype.so.6", "libfreetype6", "freetype"),
        new("libpng16.so.16", "libpng16-16", "libpng"),
        new("libexpat.so.1", "libexpat1", "expat"),
        new("libuuid.so.1", "libuuid1", "libuuid"),
        new("libbz2.so.1.0", "libbz2-1.0", "bzip2-libs"),
        new("liblzma.so.5", "liblzma5", "xz-libs"),
        new("libzstd.so.1", "libzstd1", "libzstd"),
        new("libgomp.so.1", "libgomp1", "libgomp"),
        new("libatomic.so.1", "libatomic1", "libatomic"),
        new("libX11.so.6", "libx11-6", "libX11"),
        new("libXext.so.6", "libxext6", "libXext"),
        new("libXrender.so.1", "libxrender1", "libXrender"),
        new("libxcb.so.1", "libxcb1", "libxcb"),
        new("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
        new("libgobject-2.0.so.0", "libglib2.0-0", "glib2"),
    }.ToFrozenDictionary(library => library.Soname, StringComparer.Ordinal);

    /// <summary>The entry for <paramref name="soname"/>, or null when it is not in this tier.</summary>
    public static CommonSystemLibrary? Find(string soname) => BySoname.GetValueOrDefault(soname);
}
