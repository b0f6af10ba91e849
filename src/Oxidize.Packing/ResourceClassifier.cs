using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>
/// Decides an entry's kind from its bytes, not its name: a NuGet package's native asset may be
/// called anything, and a ".dll" may be a native Windows file or a plain data file.
/// </summary>
public static class ResourceClassifier
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public static ResourceKind Classify(byte[] content)
    {
        if (content.AsSpan().StartsWith(ElfMagic))
            return ResourceKind.NativeLibrary;
        return IsManagedAssembly(content) ? ResourceKind.ManagedAssembly : ResourceKind.Content;
    }

    private static bool IsManagedAssembly(byte[] content)
    {
        if (content.Length < 2 || content[0] != (byte)'M' || content[1] != (byte)'Z')
            return false;
        try
        {
            using var reader = new PEReader(new MemoryStream(content, writable: false));
            return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
