using System.Text.Json;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.Audit.Tests;

/// <summary>The test-side schema validator must reject what the schema rejects, or the schema tests prove nothing.</summary>
[TestClass]
public sealed class JsonSchemaValidatorTests
{
    private static readonly JsonSchemaValidator Validator = new(Fixtures.SchemaDirectory);

    private static IReadOnlyList<string> Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Validator.Validate(document.RootElement, "cyclonedx-1.5-subset.schema.json");
    }

    [TestMethod]
    public void MinimalBomIsValid() =>
        Assert.IsEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [ { "type": "library", "name": "x" } ] }"""));

    [TestMethod]
    public void EachKindOfViolationIsCaught()
    {
        Assert.IsNotEmpty(Validate("""{ "specVersion": "1.5" }"""), "required");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "SPDX", "specVersion": "1.5" }"""), "enum");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "extra": 1 }"""), "additionalProperties");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": "1" }"""), "type");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "components": [ { "type": "gadget", "name": "x" } ] }"""), "$ref + enum");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "components": [ { "type": "library", "name": "x", "hashes": [ { "alg": "SHA-256", "content": "xyz" } ] } ] }"""), "pattern");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "components": [ { "type": "library", "name": "x", "licenses": [ { "license": { "id": "Not-A-License" } } ] } ] }"""), "spdx-subset.schema.json enum via oneOf");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "components": [ { "type": "library", "name": "x", "licenses": [ { "expression": "MIT" }, { "expression": "MIT" } ] } ] }"""), "oneOf: an expression must be alone");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": { "timestamp": "yesterday" } }"""), "format date-time");
        Assert.IsNotEmpty(Validate("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 0 }"""), "minimum");
    }
}
