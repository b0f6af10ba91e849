namespace Oxidize.Audit.Shipping;

/// <summary>One thing the executable needs from the system, spelled for each package format, and why.</summary>
public sealed record SystemDependency(string Debian, string Rpm, string Reason);

/// <summary>
/// The Depends:/Requires: of the packages, from the audit's facts: glibc at the executable's floor (the highest
/// GLIBC_ version it or a packed library needs), libstdc++ and libgcc_s when something needs them, ICU unless
/// globalization is invariant, OpenSSL when the runtime's OpenSSL shim is packed. A bundled userland carries all
/// of these, so it needs nothing. RPM requirements use the soname form rpmbuild itself generates
/// (libc.so.6(GLIBC_2.34)(64bit)), which every RPM distribution provides whatever it names its packages;
/// ICU is loaded by version-suffixed names (libicuuc.so.72), so it is required by package name.
/// </summary>
public static class SystemDependencies
{
    /// <summary>ICU packages of Debian and Ubuntu releases .NET 10 supports, newest first: any one will do.</summary>
    public static IReadOnlyList<string> DebianIcuPackages { get; } =
        ["libicu76", "libicu74", "libicu72", "libicu71", "libicu70", "libicu67", "libicu66", "libicu63"];

    /// <summary>The runtime's OpenSSL shim; when packed, the app may load libssl (TLS, hashing, certificates).</summary>
    public const string OpenSslShim = "libSystem.Security.Cryptography.Native.OpenSsl.so";

    public static IReadOnlyList<SystemDependency> Compute(BomFacts facts, bool invariantGlobalization, bool bundledUserland)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (bundledUserland)
            return [];
        var dependencies = new List<SystemDependency>();
        if (facts.Requires.TryGetValue("GLIBC", out string? glibc))
            dependencies.Add(new($"libc6 (>= {glibc})", $"libc.so.6(GLIBC_{glibc})(64bit)", $"the executable needs GLIBC_{glibc}"));
        if (facts.Requires.TryGetValue("GLIBCXX", out string? glibcxx))
            dependencies.Add(new("libstdc++6", $"libstdc++.so.6(GLIBCXX_{glibcxx})(64bit)", $"a packed library needs GLIBCXX_{glibcxx}"));
        if (facts.Requires.TryGetValue("GCC", out string? gcc))
            dependencies.Add(new("libgcc-s1 | libgcc1", $"libgcc_s.so.1(GCC_{gcc})(64bit)", $"a packed library needs GCC_{gcc}"));
        if (!invariantGlobalization)
            dependencies.Add(new(string.Join(" | ", DebianIcuPackages), "libicu", "globalization is not invariant (InvariantGlobalization=false)"));
        if (facts.NativeLibraries.Contains(OpenSslShim))
            dependencies.Add(new("libssl3 | libssl3t64 | libssl1.1", "(libssl.so.3()(64bit) or libssl.so.1.1()(64bit))", $"{OpenSslShim} is packed"));
        return dependencies;
    }
}
