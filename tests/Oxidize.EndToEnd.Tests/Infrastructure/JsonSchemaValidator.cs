using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A JSON Schema draft-07 validator for the keywords the CycloneDX 1.5 schema and the schemas it
/// references (spdx-subset.schema.json) use: no validator package is restorable from
/// this machine's NuGet copy without a missing dependency (JsonSchema.Net, NJsonSchema) or an AGPL
/// license (Newtonsoft.Json.Schema). A keyword outside that set makes validation throw rather than be
/// silently ignored. Shared by the audit's unit tests (linked) and the end-to-end tests.
/// </summary>
public sealed class JsonSchemaValidator
{
    // Annotations: no effect on validity.
    private static readonly HashSet<string> Annotations =
        ["$schema", "$id", "$comment", "title", "description", "examples", "default", "definitions", "meta:enum", "deprecated", "readOnly", "writeOnly"];

    private static readonly HashSet<string> Supported =
    [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
        "items", "additionalItems", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "oneOf", "anyOf", "allOf", "not",
        "if", "then", "else", "format", "minProperties", "maxProperties",
    ];

    private readonly Dictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <summary>Loads every *.json file of <paramref name="schemaDirectory"/>, addressable by file name (as $ref uses them).</summary>
    public JsonSchemaValidator(string schemaDirectory)
    {
        foreach (string file in Directory.GetFiles(schemaDirectory, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            _documents[Path.GetFileName(file)] = document.RootElement.Clone();
        }
    }

    /// <summary>Every violation, as "path: what"; empty when <paramref name="instance"/> is valid against <paramref name="schemaFile"/>.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance, string schemaFile)
    {
        var errors = new List<string>();
        Validate(instance, Document(schemaFile), schemaFile, "$", errors);
        return errors;
    }

    private JsonElement Document(string file) =>
        _documents.TryGetValue(file, out var document) ? document : throw new InvalidOperationException($"Schema '{file}' is not loaded.");

    private void Validate(JsonElement instance, JsonElement schema, string schemaFile, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
            return;
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Annotations.Contains(keyword.Name) && !Supported.Contains(keyword.Name))
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' (at {path}) is not supported by this validator.");
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            // Draft-07: $ref replaces its sibling keywords.
            var (target, targetFile) = Resolve(reference.GetString()!, schemaFile);
            Validate(instance, target, targetFile, path, errors);
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(instance, type))
        {
            errors.Add($"{path}: is {instance.ValueKind}, expected {type}");
            return;
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(value => DeepEquals(value, instance)))
            errors.Add($"{path}: {Abbreviate(instance)} is not one of the allowed values");
        if (schema.TryGetProperty("const", out var constant) && !DeepEquals(constant, instance))
            errors.Add($"{path}: {Abbreviate(instance)} is not {constant}");

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(instance, schema, schemaFile, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(instance, schema, schemaFile, path, errors);
                break;
            case JsonValueKind.String:
                ValidateString(instance.GetString()!, schema, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(instance.GetDecimal(), schema, path, errors);
                break;
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var branch in allOf.EnumerateArray())
                Validate(instance, branch, schemaFile, path, errors);
        }
        if (schema.TryGetProperty("anyOf", out var anyOf) && !anyOf.EnumerateArray().Any(branch => IsValid(instance, branch, schemaFile, path)))
            errors.Add($"{path}: matches none of anyOf's {anyOf.GetArrayLength()} schemas");
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            int matches = oneOf.EnumerateArray().Count(branch => IsValid(instance, branch, schemaFile, path));
            if (matches != 1)
                errors.Add($"{path}: matches {matches} of oneOf's {oneOf.GetArrayLength()} schemas, not exactly one");
        }
        if (schema.TryGetProperty("not", out var not) && IsValid(instance, not, schemaFile, path))
            errors.Add($"{path}: matches a schema it must not match");
        if (schema.TryGetProperty("if", out var condition))
        {
            string branch = IsValid(instance, condition, schemaFile, path) ? "then" : "else";
            if (schema.TryGetProperty(branch, out var consequence))
                Validate(instance, consequence, schemaFile, path, errors);
        }
    }

    private bool IsValid(JsonElement instance, JsonElement schema, string schemaFile, string path)
    {
        var errors = new List<string>();
        Validate(instance, schema, schemaFile, path, errors);
        return errors.Count == 0;
    }

    private void ValidateObject(JsonElement instance, JsonElement schema, string schemaFile, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                if (!instance.TryGetProperty(name.GetString()!, out _))
                    errors.Add($"{path}: lacks the required property '{name.GetString()}'");
            }
        }
        int count = instance.EnumerateObject().Count();
        if (schema.TryGetProperty("minProperties", out var minProperties) && count < minProperties.GetInt32())
            errors.Add($"{path}: has {count} properties, fewer than {minProperties}");
        if (schema.TryGetProperty("maxProperties", out var maxProperties) && count > maxProperties.GetInt32())
            errors.Add($"{path}: has {count} properties, more than {maxProperties}");

        schema.TryGetProperty("properties", out var properties);
        schema.TryGetProperty("patternProperties", out var patternProperties);
        bool hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in instance.EnumerateObject())
        {
            string propertyPath = $"{path}.{property.Name}";
            bool matched = false;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                matched = true;
                Validate(property.Value, propertySchema, schemaFile, propertyPath, errors);
            }
            if (patternProperties.ValueKind == JsonValueKind.Object)
            {
                foreach (var pattern in patternProperties.EnumerateObject().Where(pattern => Pattern(pattern.Name).IsMatch(property.Name)))
                {
                    matched = true;
                    Validate(property.Value, pattern.Value, schemaFile, propertyPath, errors);
                }
            }
            if (!matched && hasAdditional)
            {
                if (additional.ValueKind == JsonValueKind.False)
                    errors.Add($"{path}: has the property '{property.Name}', which the schema does not allow");
                else
                    Validate(property.Value, additional, schemaFile, propertyPath, errors);
            }
        }
    }

    private void ValidateArray(JsonElement instance, JsonElement schema, string schemaFile, string path, List<string> errors)
    {
        var items = instance.EnumerateArray().ToList();
        if (schema.TryGetProperty("minItems", out var minItems) && items.Count < minItems.GetInt32())
            errors.Add($"{path}: has {items.Count} items, fewer than {minItems}");
        if (schema.TryGetProperty("maxItems", out var maxItems) && items.Count > maxItems.GetInt32())
            errors.Add($"{path}: has {items.Count} items, more than {maxItems}");
        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (!seen.Add(Canonical(item)))
                    errors.Add($"{path}: {Abbreviate(item)} appears twice, but items must be unique");
            }
        }
        if (!schema.TryGetProperty("items", out var itemSchema))
            return;
        if (itemSchema.ValueKind == JsonValueKind.Array)
        {
            var tuple = itemSchema.EnumerateArray().ToList();
            for (int index = 0; index < items.Count; index++)
            {
                if (index < tuple.Count)
                    Validate(items[index], tuple[index], schemaFile, $"{path}[{index}]", errors);
                else if (schema.TryGetProperty("additionalItems", out var additionalItems))
                    Validate(items[index], additionalItems, schemaFile, $"{path}[{index}]", errors);
            }
            return;
        }
        for (int index = 0; index < items.Count; index++)
            Validate(items[index], itemSchema, schemaFile, $"{path}[{index}]", errors);
    }

    private void ValidateString(string value, JsonElement schema, string path, List<string> errors)
    {
        int length = value.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out var minLength) && length < minLength.GetInt32())
            errors.Add($"{path}: is shorter than {minLength} characters");
        if (schema.TryGetProperty("maxLength", out var maxLength) && length > maxLength.GetInt32())
            errors.Add($"{path}: is longer than {maxLength} characters");
        if (schema.TryGetProperty("pattern", out var pattern) && !Pattern(pattern.GetString()!).IsMatch(value))
            errors.Add($"{path}: '{value}' does not match the pattern {pattern.GetString()}");
        if (schema.TryGetProperty("format", out var format) && !MatchesFormat(value, format.GetString()!))
            errors.Add($"{path}: '{value}' is not a valid {format.GetString()}");
    }

    private static void ValidateNumber(decimal value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && value < minimum.GetDecimal())
            errors.Add($"{path}: {value} is below the minimum {minimum}");
        if (schema.TryGetProperty("maximum", out var maximum) && value > maximum.GetDecimal())
            errors.Add($"{path}: {value} is above the maximum {maximum}");
        if (schema.TryGetProperty("exclusiveMinimum", out var exclusiveMinimum) && value <= exclusiveMinimum.GetDecimal())
            errors.Add($"{path}: {value} is not above {exclusiveMinimum}");
        if (schema.TryGetProperty("exclusiveMaximum", out var exclusiveMaximum) && value >= exclusiveMaximum.GetDecimal())
            errors.Add($"{path}: {value} is not below {exclusiveMaximum}");
    }

    /// <summary>The formats the CycloneDX schemas use, checked as strictly as their RFCs allow without a full grammar.</summary>
    private static bool MatchesFormat(string value, string format) => format switch
    {
        "date-time" => Regex.IsMatch(value, @"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "iri-reference" or "uri-reference" => !value.Any(char.IsWhiteSpace) && Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
        "iri" or "uri" => !value.Any(char.IsWhiteSpace) && Uri.TryCreate(value, UriKind.Absolute, out _),
        "email" or "idn-email" => Regex.IsMatch(value, @"^[^@\s]+@[^@\s]+$"),
        _ => throw new NotSupportedException($"Format '{format}' is not supported by this validator."),
    };

    private static bool MatchesType(JsonElement instance, JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(single => MatchesType(instance, single.GetString()!))
        : MatchesType(instance, type.GetString()!);

    private static bool MatchesType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.GetDecimal() % 1 == 0,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"Type '{type}' is not a JSON Schema type."),
    };

    /// <summary>"#/definitions/x" in the current file, "other.json" or "other.json#/definitions/x" in another.</summary>
    private (JsonElement Schema, string File) Resolve(string reference, string currentFile)
    {
        int hash = reference.IndexOf('#');
        string file = hash < 0 ? reference : reference[..hash];
        string pointer = hash < 0 ? "" : reference[(hash + 1)..];
        file = file.Length == 0 ? currentFile : Path.GetFileName(file);
        var node = Document(file);
        foreach (string token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = Uri.UnescapeDataString(token).Replace("~1", "/").Replace("~0", "~");
            node = node.ValueKind == JsonValueKind.Array ? node[int.Parse(name, CultureInfo.InvariantCulture)] : node.GetProperty(name);
        }
        return (node, file);
    }

    private Regex Pattern(string pattern)
    {
        if (!_patterns.TryGetValue(pattern, out var regex))
            _patterns[pattern] = regex = new Regex(pattern, RegexOptions.ECMAScript);
        return regex;
    }

    private static bool DeepEquals(JsonElement left, JsonElement right) => Canonical(left) == Canonical(right);

    private static string Canonical(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().OrderBy(property => property.Name, StringComparer.Ordinal)
            .Select(property => JsonSerializer.Serialize(property.Name) + ":" + Canonical(property.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Canonical)) + "]",
        JsonValueKind.Number => element.GetDecimal().ToString(CultureInfo.InvariantCulture),
        _ => element.GetRawText(),
    };

    private static string Abbreviate(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
