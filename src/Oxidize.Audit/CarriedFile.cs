namespace Oxidize.Audit;

/// <summary>
/// A file of the build machine's own userland that an OxidizeUserland=bundled executable carries (the loader,
/// glibc, libstdc++, ICU, OpenSSL, the CA bundle, zoneinfo): its entry name and where its bytes are.
/// It is not audited like the app's files (it is the userland the audit measures against); the bill of
/// materials records it under the Debian package that installed it.
/// </summary>
public sealed record CarriedFile(string Name, string Path);
