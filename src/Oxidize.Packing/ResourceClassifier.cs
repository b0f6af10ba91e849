using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>
/// Decides an entry's kind from its bytes, not its name: a NuGet package's native asset may be
/// called anything, and a ".dll" may be a native Windows file or a plain data file. Only the first
/// bytes of a file are read, and of a PE file its headers and metadata: a large content file is never
/// read whole to be classified. What a native library is depends on the target (<see cref="NativeFormat"/>): an ELF
/// shared object for Linux, a PE image without .NET metadata for Windows; the other format's binaries are content
/// (a Windows DLL shipped by a Linux app is data to it, and the reverse).
/// </summary>
public static class ResourceClassifier
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public static ResourceKind Classify(byte[] content, NativeFormat format = NativeFormat.Elf) =>
        Classify(ResourceContent.FromBytes(content), format);

    public static ResourceKind Classify(ResourceContent content, NativeFormat format = NativeFormat.Elf)
    {
        byte[] prefix = content.ReadPrefix(ElfMagic.Length);
        if (prefix.AsSpan().StartsWith(ElfMagic))
            return format == NativeFormat.Elf ? ResourceKind.NativeLibrary : ResourceKind.Content;
        return ClassifyPortableExecutable(content, prefix) switch
        {
            PortableExecutable.Assembly => ResourceKind.ManagedAssembly,
            PortableExecutable.Native when format == NativeFormat.Pe => ResourceKind.NativeLibrary,
            _ => ResourceKind.Content,
        };
    }

    private enum PortableExecutable
    {
        None,
        Assembly,
        Native,
    }

    private static PortableExecutable ClassifyPortableExecutable(ResourceContent content, byte[] prefix)
    {
        // PEReader reads images up to int.MaxValue bytes, and no runtime loads a larger assembly or DLL.
        if (prefix.Length < 2 || prefix[0] != (byte)'M' || prefix[1] != (byte)'Z' || content.Length > int.MaxValue)
            return PortableExecutable.None;
        try
        {
            using var reader = new PEReader(content.OpenRead());
            // No CLI header: native code (coreclr.dll, e_sqlite3.dll). Metadata that is not an assembly (a netmodule)
            // is neither: no loader takes it alone.
            if (!reader.HasMetadata)
                return reader.PEHeaders.PEHeader is null ? PortableExecutable.None : PortableExecutable.Native;
            return reader.GetMetadataReader().IsAssembly ? PortableExecutable.Assembly : PortableExecutable.None;
        }
        catch (BadImageFormatException)
        {
            return PortableExecutable.None;
        }
    }
}
