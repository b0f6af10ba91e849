namespace Oxidize.Packing;

/// <summary>Everything the writer needs besides the host: what to pack and how the host should start it.</summary>
public sealed class PayloadManifest
{
    /// <summary>The .NET runtime version packed, e.g. "10.0.12"; its major version picks the host contract.</summary>
    public required string RuntimeVersion { get; init; }

    /// <summary>The runtime identifier, e.g. "linux-x64", reported to the app as RuntimeInformation.RuntimeIdentifier.</summary>
    public required string RuntimeIdentifier { get; init; }

    /// <summary>Name of the resource holding the app's entry assembly; "" for a Native AOT app.</summary>
    public required string EntryAssemblyName { get; init; }

    /// <summary>The payload is appended to a Native AOT app (PublishAot=true) instead of the host: it packs no runtime and
    /// no managed assembly, names no entry assembly (<see cref="EntryAssemblyName"/> is ""), and may pack nothing at all.</summary>
    public bool NativeAot { get; init; }

    /// <summary>Names of the app's own managed assemblies besides the entry assembly: project references, NuGet
    /// packages' assemblies, satellites; everything that does not come from a runtime pack. With compression,
    /// these, the entry assembly and every assembly they reference stay stored (<see cref="StoredEntries"/>).</summary>
    public IReadOnlyList<string> AppAssemblyNames { get; init; } = [];

    /// <summary>Runtime properties (from the app's runtimeconfig.json) handed to CoreCLR at startup, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];

    /// <summary>Leave the runtime's diagnostics (debugger pipes, EventPipe socket in /tmp) on.</summary>
    public bool DiagnosticsEnabled { get; init; }

    /// <summary>Honour DOTNET_STARTUP_HOOKS at run time. Off by default: an environment variable must not
    /// be able to inject code into an oxidized app unless the app was built to allow it.</summary>
    public bool StartupHooksEnabled { get; init; }

    /// <summary>Keep packed files strictly read-only and authoritative (OxidizePackedFilesReadOnly): a file beside the
    /// executable never overrides a packed content file, and opening one for writing fails with EROFS. Off by default:
    /// packed content is a read-only layer under the app directory that a real file overrides and a write copies up.</summary>
    public bool PackedFilesReadOnly { get; init; }

    public required IReadOnlyList<PackedResource> Resources { get; init; }

    /// <summary>How entries are compressed; each entry still stays stored when LZ4 does not pay.</summary>
    public Compression Compression { get; init; } = Compression.None;

    /// <summary>Entries read at every start (item metadata OxidizeKeepStored=true; the bundled userland's loader, libc
    /// and ICU): kept stored under compression, like <see cref="EntryCompressor.AlwaysStored"/>, so that starting
    /// copies them instead of decoding them.</summary>
    public IReadOnlyList<string> KeptStoredNames { get; init; } = [];

    /// <summary>With compression, also compress the assemblies the app references statically (OxidizeCompressReferencedAssemblies):
    /// the smallest executable, but each one the app loads is then decoded whole at startup.</summary>
    public bool CompressReferencedAssemblies { get; init; }

    /// <summary>With compression, the entries a recorded run loaded (OxidizeLoadList, <see cref="LoadList"/>): these stay
    /// stored instead of the static reference closure, and CompressReferencedAssemblies has nothing left to change. Null
    /// when no list was given.</summary>
    public IReadOnlyList<string>? LoadListNames { get; init; }
}
