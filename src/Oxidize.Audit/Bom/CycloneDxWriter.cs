using System.Text.Encodings.Web;
using System.Text.Json;
using Oxidize.Audit.Packages;

namespace Oxidize.Audit.Bom;

/// <summary>
/// Writes a CycloneDX 1.5 JSON bill of materials: the app as metadata.component, Oxidize.Sdk as the
/// tool, and as components the host, every package (runtime packs as "framework") with its license,
/// authors and URLs, and every native library with its SHA-256, nested in the package that brought it;
/// for a bundled executable, also every Debian package of the build machine it carries files of (purl
/// pkg:deb/..., licenses from the package's copyright file), with those files nested.
/// The output is a pure function of the input (no timestamp, no random serial number, '\n' line ends,
/// ordinal order), because it is packed into the executable, which must be byte-identical for
/// identical inputs.
/// </summary>
public static class CycloneDxWriter
{
    public const string SpecVersion = "1.5";
    public const string SchemaUri = "http://cyclonedx.org/schema/bom-1.5.schema.json";

    /// <summary>The entry name the bill of materials has inside the executable.</summary>
    public const string EntryName = ".oxidize/bom.cdx.json";

    public static byte[] Write(BomInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            // License texts and descriptions are arbitrary text; keep them readable (the output is UTF-8 JSON, not HTML).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("bomFormat", "CycloneDX");
            json.WriteString("specVersion", SpecVersion);
            json.WriteNumber("version", 1);
            WriteMetadata(json, input);

            var librariesByPackage = input.NativeLibraries
                .Where(library => library.Package is not null)
                .ToLookup(library => (library.Package!.Id.ToLowerInvariant(), library.Package.Version.ToLowerInvariant()));
            json.WriteStartArray("components");
            WriteFile(json, input.Host, "application", "Oxidize.Sdk native host: the start of the executable, which loads the runtime from the payload.", input.OxidizeVersion);
            if (input.Bootstrap is { } bootstrap)
                WriteBootstrap(json, bootstrap, input.OxidizeVersion);
            foreach (var package in input.Packages.OrderBy(package => package.Metadata.Id, StringComparer.OrdinalIgnoreCase))
                WritePackage(json, package, librariesByPackage[(package.Metadata.Id.ToLowerInvariant(), package.Metadata.Version.ToLowerInvariant())]);
            // Native libraries of the project itself (not from a package), and of packages the input does not list.
            var listed = input.Packages.Select(package => (package.Metadata.Id.ToLowerInvariant(), package.Metadata.Version.ToLowerInvariant())).ToHashSet();
            foreach (var library in input.NativeLibraries.Where(library => library.Package is null || !listed.Contains((library.Package.Id.ToLowerInvariant(), library.Package.Version.ToLowerInvariant())))
                .OrderBy(library => library.Name, StringComparer.Ordinal))
                WriteFile(json, library, "library", null, null);
            foreach (var package in input.Userland.Packages)
                WriteCarriedPackage(json, package, input.Userland);
            foreach (var file in input.Userland.UnownedFiles)
                WriteFile(json, file, "file", UnownedDescription(input.Userland), null);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteMetadata(Utf8JsonWriter json, BomInput input)
    {
        json.WriteStartObject("metadata");
        json.WriteStartObject("tools");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("name", "Oxidize.Sdk");
        json.WriteString("version", input.OxidizeVersion);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("component");
        json.WriteString("type", "application");
        json.WriteString("bom-ref", "app:" + input.AppName);
        json.WriteString("name", input.AppName);
        if (input.AppVersion.Length > 0)
            json.WriteString("version", input.AppVersion);
        WriteProperties(json, input.Properties);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePackage(Utf8JsonWriter json, BomPackage package, IEnumerable<BomFile> libraries)
    {
        var metadata = package.Metadata;
        string purl = $"pkg:nuget/{Uri.EscapeDataString(metadata.Id)}@{Uri.EscapeDataString(metadata.Version)}";
        json.WriteStartObject();
        json.WriteString("type", package.IsFramework ? "framework" : "library");
        json.WriteString("bom-ref", purl);
        if (metadata.Authors is { } authors)
            json.WriteString("author", authors);
        json.WriteString("name", metadata.Id);
        json.WriteString("version", metadata.Version);
        if (metadata.Sha512 is { } sha512)
            WriteHash(json, "SHA-512", sha512);
        WriteLicenses(json, metadata);
        json.WriteString("purl", purl);
        WriteExternalReferences(json, metadata);
        var nested = libraries.OrderBy(library => library.Name, StringComparer.Ordinal).ToList();
        if (nested.Count > 0)
        {
            json.WriteStartArray("components");
            foreach (var library in nested)
                WriteFile(json, library, "library", null, null);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteBootstrap(Utf8JsonWriter json, BundledBootstrap bootstrap, string oxidizeVersion)
    {
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("bom-ref", "file:" + bootstrap.File.Name);
        json.WriteString("name", bootstrap.File.Name);
        json.WriteString("version", oxidizeVersion);
        json.WriteString("description", "Oxidize.Sdk bundled-userland bootstrap: the static start of the executable, which starts the host through the carried loader.");
        WriteHash(json, "SHA-256", bootstrap.File.Sha256);
        if (bootstrap.Libc is { } libc)
        {
            json.WriteStartArray("components");
            json.WriteStartObject();
            json.WriteString("type", "library");
            json.WriteString("bom-ref", $"static:{libc.Name}@{libc.Version}");
            json.WriteString("name", libc.Name);
            json.WriteString("version", libc.Version);
            WriteLicenseExpression(json, libc.License);
            WriteProperties(json, [new("oxidize:linked", "statically, when Oxidize.Sdk was built")]);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteCarriedPackage(Utf8JsonWriter json, CarriedPackage carried, CarriedUserland userland)
    {
        var package = carried.Package;
        string purl = package.PackageUrl(userland.Vendor, userland.Distribution);
        json.WriteStartObject();
        json.WriteString("type", "library");
        json.WriteString("bom-ref", purl);
        json.WriteString("name", package.Name);
        json.WriteString("version", package.Version);
        WriteDebianLicenses(json, carried.Licenses);
        json.WriteString("purl", purl);
        if (package.Homepage is { Length: > 0 } homepage)
            WriteExternalReferences(json, [("website", homepage)]);
        var properties = new List<KeyValuePair<string, string>>
        {
            new("oxidize:userland", "carried"),
            new("oxidize:sourcePackage", $"{package.SourceName} {package.SourceVersion}"),
            new("oxidize:licenseSource", carried.Licenses.Source switch
            {
                DebianLicenseSource.CopyrightFile => package.CopyrightLocation,
                DebianLicenseSource.KnownSourcePackage => $"Oxidize.Sdk's table of source packages ({package.CopyrightLocation} is not machine-readable)",
                _ => $"unknown: see {package.CopyrightLocation}",
            }),
        };
        if (carried.Licenses.OtherNames.Count > 0)
            properties.Add(new("oxidize:otherLicenses", string.Join("; ", carried.Licenses.OtherNames)));
        WriteProperties(json, properties);
        json.WriteStartArray("components");
        foreach (var file in carried.Files)
            WriteFile(json, file, "file", null, null);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One SPDX expression when Debian's names all have identifiers, else the names as Debian writes them.</summary>
    private static void WriteDebianLicenses(Utf8JsonWriter json, DebianLicenses licenses)
    {
        if (licenses.Expression is { } expression)
        {
            WriteLicenseExpression(json, expression);
            return;
        }
        if (licenses.Names.Count == 0)
            return;
        json.WriteStartArray("licenses");
        foreach (string name in licenses.Names)
        {
            json.WriteStartObject();
            json.WriteStartObject("license");
            json.WriteString("name", name);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string UnownedDescription(CarriedUserland userland) => userland.PackageDatabaseMissing
        ? "Carried from the build machine, which has no dpkg database to tell its package."
        : "Carried from the build machine; no installed package owns it (e.g. generated there, as the CA bundle is).";

    private static void WriteLicenses(Utf8JsonWriter json, PackageMetadata metadata)
    {
        if (metadata.LicenseExpression is { } expression)
        {
            WriteLicenseExpression(json, expression);
            return;
        }
        if (metadata.LicenseFile is null && metadata.LicenseUrl is null)
            return;
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteStartObject("license");
        json.WriteString("name", metadata.LicenseFile is { } file ? $"{metadata.Id} license ({file})" : metadata.LicenseUrl);
        if (metadata.LicenseText is { } text)
        {
            json.WriteStartObject("text");
            json.WriteString("contentType", "text/plain");
            json.WriteString("content", text);
            json.WriteEndObject();
        }
        if (metadata.LicenseUrl is { } url)
            json.WriteString("url", url);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    /// <summary>"licenses": one SPDX expression (CycloneDX allows an expression only alone).</summary>
    private static void WriteLicenseExpression(Utf8JsonWriter json, string expression)
    {
        json.WriteStartArray("licenses");
        json.WriteStartObject();
        json.WriteString("expression", expression);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteExternalReferences(Utf8JsonWriter json, PackageMetadata metadata)
    {
        var references = new List<(string Type, string Url)>();
        if (metadata.ProjectUrl is { } project)
            references.Add(("website", project));
        if (metadata.RepositoryUrl is { } repository)
            references.Add(("vcs", repository));
        WriteExternalReferences(json, references);
    }

    private static void WriteExternalReferences(Utf8JsonWriter json, IReadOnlyList<(string Type, string Url)> references)
    {
        if (references.Count == 0)
            return;
        json.WriteStartArray("externalReferences");
        foreach (var (type, url) in references)
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("url", url);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteFile(Utf8JsonWriter json, BomFile file, string type, string? description, string? version)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteString("bom-ref", "file:" + file.Name);
        json.WriteString("name", Path.GetFileName(file.Name));
        if (version is not null)
            json.WriteString("version", version);
        if (description is not null)
            json.WriteString("description", description);
        WriteHash(json, "SHA-256", file.Sha256);
        if (file.Name != Path.GetFileName(file.Name))
            WriteProperties(json, [new("oxidize:entry", file.Name)]);
        json.WriteEndObject();
    }

    private static void WriteHash(Utf8JsonWriter json, string algorithm, string hex)
    {
        json.WriteStartArray("hashes");
        json.WriteStartObject();
        json.WriteString("alg", algorithm);
        json.WriteString("content", hex);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, string>> properties)
    {
        if (properties.Count == 0)
            return;
        json.WriteStartArray("properties");
        foreach (var (name, value) in properties)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
