using System.Buffers.Binary;
using Oxidize.Packing;

namespace Oxidize.Tool.Contents;

/// <summary>One packed entry with the package that brought it.</summary>
public sealed record OwnedEntry(PackedEntry Entry, PackageOwner Owner)
{
    public string Name => Entry.Name;

    public bool Compressed => Entry.Codec != FormatConstants.CodecStored;
}

/// <summary>
/// What an oxidized executable holds, as the commands show it: the entries (each with its owner, from the packed bill
/// of materials and deps.json), the runtime, the bill of materials if the publish wrote one, and the file's layout.
/// </summary>
public sealed class ExecutableContents : IDisposable
{
    private const string UserlandPrefix = ".oxidize/userland/";

    private ExecutableContents(string path, PackedResourcesReader reader)
    {
        Path = path;
        Reader = reader;
        Bom = reader.TryFind(BillOfMaterials.EntryName, out var bomEntry)
            ? BillOfMaterials.Parse(ExecutableFile.Read(reader, bomEntry, path), path)
            : null;
        // A Native AOT app has no entry assembly: its name is the executable's (AssemblyName, as the publish names it).
        string appName = reader.NativeAot ? System.IO.Path.GetFileName(path) : System.IO.Path.GetFileNameWithoutExtension(reader.EntryAssemblyName);
        var depsOwners = reader.TryFind(appName + ".deps.json", out var deps)
            ? DepsJsonOwners.Read(ExecutableFile.Read(reader, deps, path))
            : [];
        var bomOwners = BomOwners(Bom);
        // The app's own files (its content, deps.json, runtimeconfig.json) belong to the project deps.json names.
        var app = depsOwners.TryGetValue(reader.EntryAssemblyName, out var project) ? project : new PackageOwner(appName, "", "app");
        Entries = reader.Entries.Select(entry => new OwnedEntry(entry, OwnerOf(entry.Name, bomOwners, depsOwners, app))).ToList();
        PayloadOffset = ReadPayloadOffset(path, reader.Length);
    }

    public string Path { get; }

    public PackedResourcesReader Reader { get; }

    public IReadOnlyList<OwnedEntry> Entries { get; }

    public BillOfMaterials? Bom { get; }

    /// <summary>Where the payload starts: everything before it is the native host (and padding).</summary>
    public long PayloadOffset { get; }

    /// <summary>bundled when the executable carries its own loader and libc (OxidizeUserland=bundled), else system.</summary>
    public string Userland => Entries.Any(entry => entry.Name.StartsWith(UserlandPrefix, StringComparison.Ordinal)) ? "bundled" : "system";

    public static ExecutableContents Open(string path)
    {
        var reader = ExecutableFile.Open(path);
        try
        {
            return new ExecutableContents(path, reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public void Dispose() => Reader.Dispose();

    public static string KindName(ResourceKind kind) => kind switch
    {
        ResourceKind.ManagedAssembly => "managed",
        ResourceKind.NativeLibrary => "native",
        _ => "content",
    };

    private static Dictionary<string, PackageOwner> BomOwners(BillOfMaterials? bom)
    {
        var owners = new Dictionary<string, PackageOwner>(StringComparer.Ordinal);
        if (bom is null)
            return owners;
        foreach (var component in bom.Components.Where(component => component.Entry is not null))
        {
            // A file nested in a package belongs to that package; a file listed on its own (a project's native library,
            // a carried file no Debian package owns) to the component itself.
            var package = component.Parent ?? component;
            string source = package.Purl switch
            {
                { } purl when purl.StartsWith("pkg:deb/", StringComparison.Ordinal) => "deb",
                { } purl when purl.StartsWith("pkg:nuget/", StringComparison.Ordinal) => "nuget",
                _ => "app",
            };
            owners.TryAdd(component.Entry!, new PackageOwner(package.Name, package.Version, source));
        }
        return owners;
    }

    private static PackageOwner OwnerOf(string name, Dictionary<string, PackageOwner> bomOwners, Dictionary<string, PackageOwner> depsOwners, PackageOwner app)
    {
        if (bomOwners.TryGetValue(name, out var owner) || depsOwners.TryGetValue(name, out owner))
            return owner;
        if (name.StartsWith(UserlandPrefix, StringComparison.Ordinal))
            return new PackageOwner("bundled userland", "", "deb");
        if (name.StartsWith(".oxidize/", StringComparison.Ordinal))
            return new PackageOwner("Oxidize.Sdk", "", "oxidize");
        return app;
    }

    private static long ReadPayloadOffset(string path, long length)
    {
        // The reader has checked the trailer; its payload_offset field is all the tool needs beyond what the reader exposes.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> trailer = stackalloc byte[FormatConstants.TrailerSize];
        stream.Position = length - FormatConstants.TrailerSize;
        stream.ReadExactly(trailer);
        return (long)BinaryPrimitives.ReadUInt64LittleEndian(trailer[FormatConstants.TrailerOffsetPayloadOffset..]);
    }
}
