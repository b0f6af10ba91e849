using System.Text.Json;
using Oxidize.Packing;

namespace Oxidize.Audit.Shipping;

/// <summary>One component the executable carries, as the bill of materials lists it (top level: packages, the host, Debian packages of a bundled userland).</summary>
public sealed record CarriedComponent(string Name, string Version, string? LicenseExpression, IReadOnlyList<string> LicenseNames);

/// <summary>
/// What the audit recorded in the bill of materials that packaging needs: the highest symbol version the
/// executable needs per family ("GLIBC" -> 2.34), the native libraries it carries (by file name), and the
/// components with their licenses. The bill of materials is the audit's output, so the packages' dependencies
/// and copyright come from the same facts as the warnings of the publish.
/// </summary>
public sealed record BomFacts(IReadOnlyDictionary<string, string> Requires, IReadOnlySet<string> NativeLibraries, IReadOnlyList<CarriedComponent> Components)
{
    private const string RequiresPrefix = "oxidize:requires:";

    public static BomFacts Read(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PackingException(ShippingErrorCodes.BillOfMaterialsMissing,
                $"The packages' dependencies and copyright come from the audit's bill of materials, which cannot be read ({exception.Message}). Publish with OxidizeAudit=true (the default) to write packages.");
        }
        try
        {
            return Parse(content);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new PackingException(ShippingErrorCodes.BillOfMaterialsMissing, $"The bill of materials '{path}' is not the audit's CycloneDX JSON: {exception.Message}");
        }
    }

    public static BomFacts Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var requires = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (root.GetProperty("metadata").GetProperty("component").TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateArray())
            {
                string name = property.GetProperty("name").GetString()!;
                string value = property.GetProperty("value").GetString()!;
                // "oxidize:requires:GLIBC" = "GLIBC_2.34"
                if (name.StartsWith(RequiresPrefix, StringComparison.Ordinal))
                    requires[name[RequiresPrefix.Length..]] = value[(value.IndexOf('_', StringComparison.Ordinal) + 1)..];
            }
        }

        var natives = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<CarriedComponent>();
        if (root.TryGetProperty("components", out var list))
        {
            foreach (var component in list.EnumerateArray())
            {
                components.Add(Component(component));
                if (component.TryGetProperty("components", out var files))
                {
                    foreach (var file in files.EnumerateArray())
                        natives.Add(file.GetProperty("name").GetString()!);
                }
            }
        }
        return new BomFacts(requires, natives, components);
    }

    private static CarriedComponent Component(JsonElement component)
    {
        string? expression = null;
        var names = new List<string>();
        if (component.TryGetProperty("licenses", out var licenses))
        {
            foreach (var license in licenses.EnumerateArray())
            {
                if (license.TryGetProperty("expression", out var value))
                    expression = value.GetString();
                else if (license.TryGetProperty("license", out var named))
                    names.Add((named.TryGetProperty("id", out var id) ? id : named.GetProperty("name")).GetString()!);
            }
        }
        string version = component.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        return new CarriedComponent(component.GetProperty("name").GetString()!, version, expression, names);
    }
}
