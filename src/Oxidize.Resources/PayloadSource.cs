using Oxidize.Packing;

namespace Oxidize.Resources;

/// <summary>Content packed in the running oxidized executable, read through a read-only mapping of it.</summary>
internal sealed class PayloadSource(string executablePath) : IResourceSource
{
    // Opened once for the life of the process: the mapping costs address space, not memory.
    private readonly PackedResourcesReader _reader = PackedResourcesReader.Open(executablePath);

    public IReadOnlyList<string> List() =>
        _reader.Entries.Where(entry => entry.Kind == ResourceKind.Content).Select(entry => entry.Name).ToList();

    public bool Exists(string name) => _reader.TryFind(name, out _);

    public Stream Open(string name) =>
        _reader.TryFind(name, out var entry)
            ? _reader.OpenEntry(entry)
            : throw new FileNotFoundException($"'{name}' is not packed in {executablePath}.", name);
}
