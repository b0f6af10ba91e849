using System.Globalization;
using System.Text.Json;

namespace Oxidize.Packing;

/// <summary>
/// The parts of an app's runtimeconfig.json the host needs: configProperties become runtime
/// properties (as the official host does), and a self-contained app's includedFrameworks name the
/// runtime version packed.
/// </summary>
public sealed class RuntimeConfig
{
    public required IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; }

    /// <summary>The Microsoft.NETCore.App version a self-contained app carries; null for a framework-dependent app.</summary>
    public string? RuntimeVersion { get; init; }

    public static RuntimeConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var properties = new List<KeyValuePair<string, string>>();
        string? runtimeVersion = null;
        if (document.RootElement.TryGetProperty("runtimeOptions", out var options))
        {
            if (options.TryGetProperty("configProperties", out var configProperties) && configProperties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in configProperties.EnumerateObject())
                    properties.Add(new(property.Name, ToPropertyText(property.Value)));
            }
            // Only a self-contained app's config lists the runtime it carries; a framework reference is
            // a minimum version to roll forward from, not what is packed.
            runtimeVersion = FindNetCoreAppVersion(options, "includedFrameworks");
        }
        return new RuntimeConfig { Properties = properties, RuntimeVersion = runtimeVersion };
    }

    private static string? FindNetCoreAppVersion(JsonElement options, string listName)
    {
        if (!options.TryGetProperty(listName, out var frameworks) || frameworks.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var framework in frameworks.EnumerateArray())
        {
            if (framework.TryGetProperty("name", out var name) && name.GetString() == "Microsoft.NETCore.App"
                && framework.TryGetProperty("version", out var version))
                return version.GetString();
        }
        return null;
    }

    // The official host passes booleans as "true"/"false" and numbers as written.
    private static string ToPropertyText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    /// <summary>The runtime major version, which selects the host contract layout.</summary>
    public static int MajorVersion(string runtimeVersion) =>
        int.Parse(runtimeVersion.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture);
}
