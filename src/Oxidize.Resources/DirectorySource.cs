namespace Oxidize.Resources;

/// <summary>Files under the app directory: a build output or a normal publish folder.</summary>
internal sealed class DirectorySource(string directory) : IResourceSource
{
    // What an oxidized app packs as assemblies or native libraries rather than content, so List()
    // gives the same answer in both modes.
    private static readonly string[] CodeExtensions = [".dll", ".so", ".pdb", ".exe"];

    public IReadOnlyList<string> List() =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(path => !CodeExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase)
                && !path.Contains(".so.", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(directory, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public bool Exists(string name) => File.Exists(Path.Combine(directory, name));

    public Stream Open(string name) => new FileStream(Path.Combine(directory, name), FileMode.Open, FileAccess.Read, FileShare.Read);
}
