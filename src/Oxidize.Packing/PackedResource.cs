namespace Oxidize.Packing;

/// <summary>One file going into the executable.</summary>
/// <param name="Name">Path relative to the app directory, '/'-separated (e.g. "fr/App.resources.dll").</param>
/// <param name="Kind">How the host serves it.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="Dependencies">Names of other packed native libraries to load before this one.</param>
public sealed record PackedResource(string Name, ResourceKind Kind, byte[] Content, IReadOnlyList<string>? Dependencies = null);
