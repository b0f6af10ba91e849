namespace Oxidize.Audit.Tests;

/// <summary>Writes extracted packages the way NuGet lays out its global folder: &lt;root&gt;/&lt;id lower&gt;/&lt;version&gt;/&lt;id lower&gt;.nuspec.</summary>
internal static class PackageFolder
{
    public static string Write(string root, string id, string version, string metadataXml, IReadOnlyDictionary<string, string>? files = null, string? sha512Base64 = null)
    {
        string directory = Path.Combine(root, id.ToLowerInvariant(), version.ToLowerInvariant());
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, id.ToLowerInvariant() + ".nuspec"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{id}</id>
                <version>{version}</version>
                {metadataXml}
              </metadata>
            </package>
            """);
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            string path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        if (sha512Base64 is not null)
            File.WriteAllText(Path.Combine(directory, $"{id.ToLowerInvariant()}.{version.ToLowerInvariant()}.nupkg.sha512"), sha512Base64);
        return directory;
    }
}
