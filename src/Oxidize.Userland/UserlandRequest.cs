namespace Oxidize.Userland;

/// <summary>A native library the app packs: its file on disk and its entry name. Its DT_NEEDED names join the closure.</summary>
public sealed record PackedFile(string SourcePath, string EntryName);

/// <summary>What to carry for OxidizeUserland=bundled (docs/userland.md).</summary>
public sealed class UserlandRequest
{
    /// <summary>The real (dynamic) host, which the bootstrap starts through the carried loader.</summary>
    public required string HostPath { get; init; }

    /// <summary>The files the app packs; those that are ELF files add their DT_NEEDED names, and their names are not carried twice.</summary>
    public IReadOnlyList<PackedFile> PackedFiles { get; init; } = [];

    /// <summary>Carry ICU (libicuuc, libicui18n, libicudata of the build machine's highest major version).</summary>
    public bool IncludeIcu { get; init; }

    /// <summary>Carry OpenSSL 3 (libssl.so.3, libcrypto.so.3).</summary>
    public bool IncludeOpenSsl { get; init; }

    /// <summary>A PEM bundle of CA certificates to carry; empty for none.</summary>
    public string CertificatesFile { get; init; } = "";

    /// <summary>A zoneinfo folder to carry (its posix/ and right/ copies are left out); empty for none.</summary>
    public string ZoneInfoDirectory { get; init; } = "";

    /// <summary>Folders to find libraries in instead of the loader's cache (`ldconfig -p`); for tests and cross setups.</summary>
    public IReadOnlyList<string> LibraryDirectories { get; init; } = [];
}
