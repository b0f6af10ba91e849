namespace Oxidize.Audit.Native;

/// <summary>A native file the executable is made of (ELF for linux-*, PE for win-*): a packed native library, or the host itself (<paramref name="IsPacked"/> false).</summary>
public sealed record NativeBinary(string Name, PackageOrigin? Package, byte[] Content, bool IsPacked = true);
