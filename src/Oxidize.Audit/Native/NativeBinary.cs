namespace Oxidize.Audit.Native;

/// <summary>An ELF file the executable is made of: a packed native library, or the host itself (<paramref name="IsPacked"/> false).</summary>
public sealed record NativeBinary(string Name, PackageOrigin? Package, byte[] Content, bool IsPacked = true);
