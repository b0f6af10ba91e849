using System.Text.Json;

namespace Oxidize.Tool.Contents;

/// <summary>
/// Which package brought which published file, from the app's packed &lt;app&gt;.deps.json: each library of the first
/// target lists its runtime, native and resource (satellite) assets, which a linux-x64 publish puts at the file's name
/// (satellites at &lt;culture&gt;/&lt;name&gt;).
/// </summary>
public static class DepsJsonOwners
{
    public static Dictionary<string, PackageOwner> Read(byte[] depsJson)
    {
        var owners = new Dictionary<string, PackageOwner>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(depsJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object || !root.TryGetProperty("libraries", out var libraries))
                return owners;
            // The runtime's target (".NETCoreApp,Version=v10.0/linux-x64") lists the assets; the RID-less one is empty.
            string? runtimeTarget = root.TryGetProperty("runtimeTarget", out var runtime) && runtime.ValueKind == JsonValueKind.Object
                && runtime.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            var target = runtimeTarget is not null && targets.TryGetProperty(runtimeTarget, out var named)
                ? named
                : targets.EnumerateObject().Select(property => property.Value).FirstOrDefault(value => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any());
            if (target.ValueKind != JsonValueKind.Object)
                return owners;
            foreach (var library in target.EnumerateObject())
            {
                int separator = library.Name.IndexOf('/');
                if (separator <= 0 || library.Value.ValueKind != JsonValueKind.Object)
                    continue;
                string type = libraries.TryGetProperty(library.Name, out var description) && description.ValueKind == JsonValueKind.Object
                    && description.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString()! : "";
                var owner = Owner(library.Name[..separator], library.Name[(separator + 1)..], type);
                foreach (string group in (string[])["runtime", "native"])
                {
                    if (library.Value.TryGetProperty(group, out var assets) && assets.ValueKind == JsonValueKind.Object)
                        foreach (var asset in assets.EnumerateObject())
                            owners.TryAdd(Path.GetFileName(asset.Name), owner);
                }
                if (library.Value.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object)
                {
                    foreach (var resource in resources.EnumerateObject())
                    {
                        if (resource.Value.ValueKind == JsonValueKind.Object && resource.Value.TryGetProperty("locale", out var locale) && locale.ValueKind == JsonValueKind.String)
                            owners.TryAdd($"{locale.GetString()}/{Path.GetFileName(resource.Name)}", owner);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // The runtime would refuse such a file; the entries simply stay unattributed.
        }
        return owners;
    }

    private static PackageOwner Owner(string id, string version, string type) => type switch
    {
        "package" => new PackageOwner(id, version, "nuget"),
        "project" => new PackageOwner(id, version, "app"),
        // "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64": the shared framework, self-contained.
        _ when id.StartsWith("runtimepack.", StringComparison.Ordinal) => new PackageOwner(id["runtimepack.".Length..], version, "runtime"),
        _ => new PackageOwner(id, version, type),
    };
}
