using Oxidize.Packing;
using Oxidize.Tool.Contents;

namespace Oxidize.Tool.Commands;

/// <summary>`dotnet oxidize info FILE`: what the executable is, in a dozen lines.</summary>
public static class InfoCommand
{
    public static int Run(string path, TextWriter output)
    {
        using var contents = ExecutableContents.Open(path);
        var reader = contents.Reader;
        var entries = contents.Entries;
        long original = entries.Sum(entry => entry.Entry.OriginalSize);
        long stored = entries.Sum(entry => entry.Entry.StoredSize);
        int compressed = entries.Count(entry => entry.Compressed);
        output.WriteLine($"File:             {path} ({Sizes.Human(reader.Length)}, {reader.Length} bytes)");
        output.WriteLine($"Format version:   {FormatConstants.FormatVersion}");
        output.WriteLine($"Runtime:          .NET {reader.RuntimeVersion} {reader.RuntimeIdentifier}");
        output.WriteLine($"Entry assembly:   {(reader.NativeAot ? "none (a Native AOT app: the code is in the executable)" : reader.EntryAssemblyName)}");
        output.WriteLine($"Userland:         {contents.Userland}");
        output.WriteLine(compressed == 0
            ? "Compression:      none"
            : $"Compression:      lz4 ({compressed} of {entries.Count} entries, {Sizes.Human(original - stored)} saved)");
        output.WriteLine($"Entries:          {entries.Count} ({Count(entries, ResourceKind.ManagedAssembly)} managed, {Count(entries, ResourceKind.NativeLibrary)} native, {Count(entries, ResourceKind.Content)} content)");
        output.WriteLine($"Entry bytes:      {Sizes.Human(stored)} stored, {Sizes.Human(original)} original");
        output.WriteLine($"Host:             {Sizes.Human(contents.PayloadOffset)} before the payload");
        output.WriteLine($"Packages:         {entries.Select(entry => entry.Owner).Distinct().Count()}");
        if (contents.Bom is not { } bom)
        {
            output.WriteLine("Audit:            none recorded (published with OxidizeAudit=false)");
            return ExitCodes.Success;
        }
        var requirements = bom.Requirements.ToList();
        string glibc = requirements.Where(requirement => requirement.Key == "GLIBC").Select(requirement => requirement.Value).FirstOrDefault()
            ?? "not recorded";
        output.WriteLine($"glibc floor:      {glibc} (the newest glibc the host or a packed library needs, recorded at publish time)");
        var others = requirements.Where(requirement => requirement.Key != "GLIBC").Select(requirement => $"{requirement.Key} {requirement.Value}").ToList();
        if (others.Count > 0)
            output.WriteLine($"Also needs:       {string.Join(", ", others)}");
        output.WriteLine($"SBOM:             {BillOfMaterials.EntryName}, {bom.Components.Count} components, {bom.Components.Count(component => component.Licenses.Count == 0 && component.Purl is not null)} packages without a license");
        return ExitCodes.Success;
    }

    private static int Count(IEnumerable<OwnedEntry> entries, ResourceKind kind) => entries.Count(entry => entry.Entry.Kind == kind);
}
