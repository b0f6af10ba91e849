using Oxidize.Packing;

namespace Oxidize.Audit.Report;

/// <summary>One entry of a finished executable, with the package its file came from (null for the project's own files).</summary>
public sealed record ContentsEntry(string Name, ResourceKind Kind, int Codec, long StoredSize, long OriginalSize, PackageOrigin? Package, bool IsFramework)
{
    /// <summary>"stored" for codec 0; later codecs are shown by number until this report learns their names.</summary>
    public string CodecName => Codec == FormatConstants.CodecStored ? "stored" : $"codec {Codec}";

    public string KindName => Kind switch
    {
        ResourceKind.ManagedAssembly => "managed",
        ResourceKind.NativeLibrary => "native",
        ResourceKind.Content => "content",
        _ => $"kind {(int)Kind}",
    };
}
