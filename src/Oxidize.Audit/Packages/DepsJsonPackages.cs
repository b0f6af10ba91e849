using System.Text.Json;

namespace Oxidize.Audit.Packages;

/// <summary>
/// The packages an app's .deps.json lists ("libraries" of type "package"): the runtime dependency graph
/// the .NET SDK resolved, including packages that contribute no file of their own (a metapackage such
/// as Microsoft.Data.Sqlite), which the bill of materials must list too.
/// </summary>
public static class DepsJsonPackages
{
    /// <summary>The packages, in the file's order; throws JsonException for a file that is not a deps.json.</summary>
    public static IReadOnlyList<PackageOrigin> Read(ReadOnlySpan<byte> depsJson)
    {
        var reader = new Utf8JsonReader(depsJson, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        using var document = JsonDocument.ParseValue(ref reader);
        var packages = new List<PackageOrigin>();
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
            return packages;
        foreach (var library in libraries.EnumerateObject())
        {
            // Keys are "Id/Version"; a NuGet id never contains '/'.
            int separator = library.Name.IndexOf('/');
            if (separator > 0 && separator < library.Name.Length - 1
                && library.Value.ValueKind == JsonValueKind.Object
                && library.Value.TryGetProperty("type", out var type) && type.ValueEquals("package"))
                packages.Add(new PackageOrigin(library.Name[..separator], library.Name[(separator + 1)..]));
        }
        return packages;
    }
}
