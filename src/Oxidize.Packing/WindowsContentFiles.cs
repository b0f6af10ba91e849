namespace Oxidize.Packing;

/// <summary>
/// The packed content files a win-x64 app could only have read by path. The Windows host serves assemblies and DLLs
/// from the executable, but File.*, FileStream and the configuration providers go through CreateFileW, which it does
/// not answer (docs/how-it-works.md, "Windows (win-x64)"): such files are reachable through Oxidize.Resources only.
/// The publish warns about them (OXSDK1021) rather than let, say, an optional appsettings.json be skipped in silence.
/// </summary>
public static class WindowsContentFiles
{
    /// <summary>Files the runtime and the host read themselves, never the app by path.</summary>
    private static readonly string[] HostReadSuffixes = [".deps.json", ".runtimeconfig.json", ".pdb"];

    /// <summary>What Oxidize itself packs (the bill of materials), read by its tools from the executable.</summary>
    private const string OxidizeFolder = ".oxidize/";

    /// <summary>The names of the content entries among <paramref name="resources"/> that an app reads by path, in order.</summary>
    public static IReadOnlyList<string> ReadByPath(IEnumerable<PackedResource> resources) =>
        resources
            .Where(resource => resource.Kind == ResourceKind.Content)
            .Select(resource => resource.Name)
            .Where(name => !name.StartsWith(OxidizeFolder, StringComparison.Ordinal))
            .Where(name => !HostReadSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .ToList();
}
