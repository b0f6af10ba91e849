namespace Oxidize.Packing;

/// <summary>One file going into the executable.</summary>
/// <param name="Name">Path relative to the app directory, '/'-separated (e.g. "fr/App.resources.dll").</param>
/// <param name="Kind">How the host serves it.</param>
/// <param name="Source">Where its bytes are; a file is read only when its entry is written or parsed.</param>
/// <param name="Dependencies">Names of other packed native libraries to load before this one.</param>
public sealed record PackedResource(string Name, ResourceKind Kind, ResourceContent Source, IReadOnlyList<string>? Dependencies = null)
{
    /// <summary>A resource whose bytes are already in memory.</summary>
    public PackedResource(string name, ResourceKind kind, byte[] content, IReadOnlyList<string>? dependencies = null)
        : this(name, kind, ResourceContent.FromBytes(content), dependencies)
    {
    }

    /// <summary>A native library the host maps from the executable with its own ELF loader instead of copying it
    /// (<see cref="Elf.MappedLibraryCheck"/> decides): written stored, page-aligned, with the entry flag.</summary>
    public bool MappedLibrary { get; init; }

    /// <summary>All of the resource's bytes (the array itself for an in-memory resource; a file is read whole).
    /// Only for code files a parser needs whole and for tests: the writer streams everything else.</summary>
    public byte[] Content => Source.ReadAllBytes();
}
