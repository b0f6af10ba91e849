using System.Text.Json;

namespace Oxidize.Tool.Contents;

/// <summary>One component of the packed CycloneDX bill of materials, flattened (nested components are listed too).</summary>
public sealed record BomComponent(string Type, string Name, string Version, string? Purl, IReadOnlyList<string> Licenses, string? Entry, BomComponent? Parent);

/// <summary>
/// The parts of the packed bill of materials (.oxidize/bom.cdx.json, written by Oxidize.Audit's CycloneDxWriter) the tool
/// shows: the properties recorded at publish time (runtime identifier, the glibc and other floors the audit found), every
/// component with its licenses, and which component brought which packed entry ("oxidize:entry").
/// </summary>
public sealed class BillOfMaterials
{
    public const string EntryName = ".oxidize/bom.cdx.json";

    private BillOfMaterials(IReadOnlyList<KeyValuePair<string, string>> properties, IReadOnlyList<BomComponent> components)
    {
        Properties = properties;
        Components = components;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; }

    public IReadOnlyList<BomComponent> Components { get; }

    /// <summary>The newest symbol versions the audit found needed, by family ("oxidize:requires:GLIBC" = "GLIBC_2.27" gives
    /// GLIBC, 2.27; also GLIBCXX, CXXABI, GCC): the glibc floor and its relatives, as recorded at publish time.</summary>
    public IEnumerable<KeyValuePair<string, string>> Requirements =>
        Properties.Where(property => property.Key.StartsWith("oxidize:requires:", StringComparison.Ordinal))
            .Select(property =>
            {
                string family = property.Key["oxidize:requires:".Length..];
                string version = property.Value.StartsWith(family + "_", StringComparison.Ordinal) ? property.Value[(family.Length + 1)..] : property.Value;
                return new KeyValuePair<string, string>(family, version);
            });

    /// <summary>Parses the bill of materials; a file that is not one gives a ToolException naming the problem.</summary>
    public static BillOfMaterials Parse(byte[] json, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var properties = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("component", out var app))
                properties.AddRange(ReadProperties(app));
            var components = new List<BomComponent>();
            if (root.TryGetProperty("components", out var list))
                AddComponents(list, null, components);
            return new BillOfMaterials(properties, components);
        }
        catch (Exception invalid) when (invalid is JsonException or InvalidOperationException)
        {
            throw new ToolException(ExitCodes.InvalidExecutable, $"{path}: the packed bill of materials ({EntryName}) is not valid CycloneDX JSON: {invalid.Message}");
        }
    }

    private static void AddComponents(JsonElement list, BomComponent? parent, List<BomComponent> into)
    {
        foreach (var element in list.EnumerateArray())
        {
            string? entry = ReadProperties(element).Where(property => property.Key == "oxidize:entry").Select(property => property.Value).FirstOrDefault();
            var component = new BomComponent(Text(element, "type") ?? "", Text(element, "name") ?? "", Text(element, "version") ?? "",
                Text(element, "purl"), ReadLicenses(element), entry, parent);
            into.Add(component);
            if (element.TryGetProperty("components", out var nested))
                AddComponents(nested, component, into);
        }
    }

    private static List<string> ReadLicenses(JsonElement component)
    {
        var licenses = new List<string>();
        if (!component.TryGetProperty("licenses", out var list))
            return licenses;
        foreach (var choice in list.EnumerateArray())
        {
            if (Text(choice, "expression") is { } expression)
                licenses.Add(expression);
            else if (choice.TryGetProperty("license", out var license) && (Text(license, "id") ?? Text(license, "name") ?? Text(license, "url")) is { } named)
                licenses.Add(named);
        }
        return licenses;
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadProperties(JsonElement element)
    {
        if (!element.TryGetProperty("properties", out var properties))
            yield break;
        foreach (var property in properties.EnumerateArray())
        {
            if (Text(property, "name") is { } name)
                yield return new(name, Text(property, "value") ?? "");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
