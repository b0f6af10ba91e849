using Oxidize.Packing;

namespace Oxidize.Resources;

/// <summary>
/// The app's own files (content, data, configuration), by their publish-relative path with '/'
/// separators ("data/greeting.txt"). In an oxidized executable they are read from the executable's
/// payload; anywhere else (dotnet run, a build output, a normal publish) from AppContext.BaseDirectory.
/// App code is therefore the same during development and in the single file.
/// </summary>
public static class AppResources
{
    private static readonly Lazy<IResourceSource> Source = new(CreateSource);

    /// <summary>True when the app runs from an oxidized executable.</summary>
    public static bool IsOxidized => Source.Value is PayloadSource;

    /// <summary>
    /// Names of the app's content files: in an oxidized app, the packed entries that are neither
    /// assemblies nor native libraries; otherwise the files under the app directory, likewise.
    /// </summary>
    public static IReadOnlyList<string> List() => Source.Value.List();

    /// <summary>Whether the app has a content file of that name.</summary>
    public static bool Exists(string name) => Source.Value.Exists(Normalize(name));

    /// <summary>A read-only stream over the file's bytes.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static Stream Open(string name) => Source.Value.Open(Normalize(name));

    /// <summary>All of the file's bytes.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static byte[] GetBytes(string name)
    {
        using var stream = Open(name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The file's text, decoded as UTF-8 (a byte-order mark is honoured).</summary>
    public static string GetText(string name)
    {
        using var reader = new StreamReader(Open(name));
        return reader.ReadToEnd();
    }

    private static string Normalize(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name.Replace('\\', '/').TrimStart('/');
    }

    private static IResourceSource CreateSource() =>
        AppContext.GetData("OXIDIZE_EXECUTABLE_PATH") is string executable && executable.Length > 0
            ? new PayloadSource(executable)
            : new DirectorySource(AppContext.BaseDirectory);
}
