using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>
/// Decides an entry's kind from its bytes, not its name: a NuGet package's native asset may be
/// called anything, and a ".dll" may be a native Windows file or a plain data file. Only the first
/// bytes of a file are read, and of a PE file its headers and metadata: a large content file is never
/// read whole to be classified.
/// </summary>
public static class ResourceClassifier
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public static ResourceKind Classify(byte[] content) => Classify(ResourceContent.FromBytes(content));

    public static ResourceKind Classify(ResourceContent content)
    {
        byte[] prefix = content.ReadPrefix(ElfMagic.Length);
        if (prefix.AsSpan().StartsWith(ElfMagic))
            return ResourceKind.NativeLibrary;
        return IsManagedAssembly(content, prefix) ? ResourceKind.ManagedAssembly : ResourceKind.Content;
    }

    private static bool IsManagedAssembly(ResourceContent content, byte[] prefix)
    {
        // PEReader reads images up to int.MaxValue bytes, and no runtime loads a larger assembly.
        if (prefix.Length < 2 || prefix[0] != (byte)'M' || prefix[1] != (byte)'Z' || content.Length > int.MaxValue)
            return false;
        try
        {
            using var reader = new PEReader(content.OpenRead());
            return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
