using System.Text;

namespace Oxidize.Packing.Tests;

/// <summary>Small manifests with known content, for tests that need a payload but no real runtime.</summary>
internal static class SampleManifests
{
    /// <summary>A minimal ELF-looking host: the writer only checks the magic; the inspector never runs it.</summary>
    public static byte[] FakeHost { get; } = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0xBB];

    public static PayloadManifest Small(IEnumerable<PackedResource>? extra = null) => new()
    {
        RuntimeVersion = "10.0.12",
        RuntimeIdentifier = "linux-x64",
        EntryAssemblyName = "App.dll",
        Properties = [new("System.GC.Server", "false"), new("System.Globalization.Invariant", "true")],
        Resources =
        [
            new PackedResource("App.dll", ResourceKind.ManagedAssembly, Encoding.ASCII.GetBytes("MZ pretend assembly")),
            new PackedResource("libnative.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3]),
            new PackedResource("wwwroot/index.html", ResourceKind.Content, Encoding.UTF8.GetBytes("<p>hé</p>")),
            .. extra ?? [],
        ],
    };

    public static byte[] Executable(PayloadManifest manifest, byte[]? host = null)
    {
        using var stream = new MemoryStream();
        PackedResourcesWriter.WriteExecutable(stream, host ?? FakeHost, manifest);
        return stream.ToArray();
    }
}
