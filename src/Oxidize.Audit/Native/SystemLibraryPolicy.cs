using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Oxidize.Packing.Elf;

namespace Oxidize.Audit.Native;

/// <summary>How <see cref="SystemLibraryPolicy"/> regards a DT_NEEDED name that is not packed.</summary>
public enum SystemLibraryKind
{
    /// <summary>Not known to be on the target: it must be packed, or the app may fail to start there.</summary>
    NotAllowed,

    /// <summary>Part of glibc or the GCC runtime (or zlib): on every glibc distribution's base install.</summary>
    BaseSystem,

    /// <summary>A library the .NET runtime itself loads when present (ICU, OpenSSL, GSSAPI, LTTng): a dependency the app already has for that feature.</summary>
    OptionalRuntime,
}

/// <summary>
/// Which libraries an Oxidize executable may take from the target system rather than carry.
/// Names are sonames, compared exactly (ordinal): a DT_NEEDED entry names a soname.
/// </summary>
public static class SystemLibraryPolicy
{
    // The manylinux2014 policy, PEP 599 ("The manylinux2014 policy", item 2;
    // https://peps.python.org/pep-0599/), restricted to glibc and the GCC runtime:
    //   kept:    libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libutil.so.1 libresolv.so.2
    //            libgcc_s.so.1 libstdc++.so.6
    //   dropped: libnsl.so.1 (glibc 2.28 deprecated it; Fedora/RHEL 8+ ship it in a separate package),
    //            libX11/libXext/libXrender/libICE/libSM/libGL/libglib/libgobject/libgthread (absent from
    //            server and container images, which is where a single-file .NET app mostly runs).
    //   libcrypt.so.1 is not allowed: PEP 599 itself removed it (Fedora 30 replaced it with libxcrypt).
    // Added: the glibc dynamic linkers (every glibc system has its own; libcoreclr.so names it in
    // DT_NEEDED), libanl.so.1 (glibc; allowed by auditwheel's manylinux policies), and libz.so.1,
    // which PEP 599 does not list but auditwheel allows in every manylinux policy since auditwheel 5.0
    // (pypa/auditwheel#334, 2021: zlib ships with every major distribution at the glibc floor;
    // src/auditwheel/policy/manylinux-policy.json "lib_whitelist"). The .NET 10 runtime itself does
    // not need it (System.IO.Compression.Native links zlib-ng statically).
    private static readonly FrozenSet<string> BaseSystem = FrozenSet.Create(StringComparer.Ordinal,
        "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1", "libresolv.so.2", "libanl.so.1",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
        "libgcc_s.so.1", "libstdc++.so.6",
        "libz.so.1");

    // What the .NET runtime loads with dlopen when the feature is used, if installed (strings in the
    // 10.0 runtime pack's native libraries): OpenSSL 3 and 1.1 (System.Security.Cryptography.Native.OpenSsl;
    // it also probes the end-of-life 1.0.x names, deliberately not allowed here), MIT Kerberos GSSAPI
    // (System.Net.Security.Native), LTTng-UST 2.12 (.0) and 2.13+ (.1) (libcoreclrtraceptprovider.so).
    private static readonly FrozenSet<string> OptionalRuntime = FrozenSet.Create(StringComparer.Ordinal,
        "libssl.so.3", "libcrypto.so.3", "libssl.so.1.1", "libcrypto.so.1.1",
        "libgssapi_krb5.so.2",
        "liblttng-ust.so.0", "liblttng-ust.so.1", "liblttng-ust-tracepoint.so.0", "liblttng-ust-tracepoint.so.1");

    // ICU (System.Globalization.Native, libcoreclr.so) is probed by major version, any version.
    private static readonly Regex Icu = new(@"^libicu(uc|i18n|data)\.so(\.[0-9]+)*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public static IReadOnlySet<string> BaseSystemLibraries => BaseSystem;

    /// <summary>The optional runtime libraries with fixed names; ICU (libicuuc, libicui18n, libicudata of any version) is matched by pattern.</summary>
    public static IReadOnlySet<string> OptionalRuntimeLibraries => OptionalRuntime;

    public static SystemLibraryKind Classify(string soname)
    {
        ArgumentNullException.ThrowIfNull(soname);
        if (BaseSystem.Contains(soname))
            return SystemLibraryKind.BaseSystem;
        if (OptionalRuntime.Contains(soname) || Icu.IsMatch(soname))
            return SystemLibraryKind.OptionalRuntime;
        return SystemLibraryKind.NotAllowed;
    }

    /// <summary>True for base-system and optional-runtime libraries.</summary>
    public static bool IsAllowed(string soname) => Classify(soname) != SystemLibraryKind.NotAllowed;

    /// <summary>
    /// For each packed library (keyed by its packed file name), the DT_NEEDED names that are neither
    /// packed (matched against the packed file names and the packed libraries' DT_SONAMEs) nor
    /// allowed by <see cref="IsAllowed"/>, in DT_NEEDED order. Libraries with nothing unsatisfied
    /// are left out; keys are in ordinal order.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FindUnsatisfiedDependencies(IReadOnlyDictionary<string, ElfInfo> packedLibraries)
    {
        ArgumentNullException.ThrowIfNull(packedLibraries);
        var packedNames = new HashSet<string>(packedLibraries.Keys, StringComparer.Ordinal);
        foreach (var library in packedLibraries.Values)
        {
            if (library.Soname is { } soname)
                packedNames.Add(soname);
        }

        var unsatisfied = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, library) in packedLibraries)
        {
            var missing = library.Needed.Where(needed => !packedNames.Contains(needed) && !IsAllowed(needed)).Distinct(StringComparer.Ordinal).ToArray();
            if (missing.Length > 0)
                unsatisfied[name] = missing;
        }
        return unsatisfied;
    }
}
