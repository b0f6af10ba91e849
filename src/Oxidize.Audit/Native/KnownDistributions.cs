namespace Oxidize.Audit.Native;

/// <summary>
/// The glibc-based releases people commonly deploy to, oldest glibc first, used to say where a
/// library would fail to load. Numbers are each release's own glibc and default libstdc++6:
/// GLIBCXX_/CXXABI_ follow the GCC release the libstdc++ comes from (GCC 4.8 3.4.19/1.3.7,
/// 7.3 3.4.24/1.3.11, 8 3.4.25/1.3.11, 10 3.4.28/1.3.12, 11 3.4.29/1.3.13, 12 3.4.30/1.3.13,
/// 14 3.4.33/1.3.15; see libstdc++'s "ABI Policy and Guidelines"). Ubuntu 18.04's libstdc++6
/// is built from GCC 8, Ubuntu 20.04's from GCC 10.
/// </summary>
public static class KnownDistributions
{
    public static IReadOnlyList<Distribution> All { get; } =
    [
        new("CentOS 7", new(2, 17), new(3, 4, 19), new(1, 3, 7)),
        new("Amazon Linux 2", new(2, 26), new(3, 4, 24), new(1, 3, 11)),
        new("Ubuntu 18.04", new(2, 27), new(3, 4, 25), new(1, 3, 11)),
        new("Debian 10", new(2, 28), new(3, 4, 25), new(1, 3, 11)),
        new("RHEL 8", new(2, 28), new(3, 4, 25), new(1, 3, 11)),
        new("Debian 11", new(2, 31), new(3, 4, 28), new(1, 3, 12)),
        new("Ubuntu 20.04", new(2, 31), new(3, 4, 28), new(1, 3, 12)),
        new("RHEL 9", new(2, 34), new(3, 4, 29), new(1, 3, 13)),
        new("Amazon Linux 2023", new(2, 34), new(3, 4, 29), new(1, 3, 13)),
        new("Ubuntu 22.04", new(2, 35), new(3, 4, 30), new(1, 3, 13)),
        new("Debian 12", new(2, 36), new(3, 4, 30), new(1, 3, 13)),
        new("Ubuntu 24.04", new(2, 39), new(3, 4, 33), new(1, 3, 15)),
        new("Alpine", null, null, null),
    ];

    /// <summary>
    /// The releases that run an executable whose glibc floor is <paramref name="maxGlibc"/>: every
    /// glibc release at or above it. These are the ones a libstdc++ requirement is checked against.
    /// </summary>
    public static IReadOnlyList<Distribution> SupportedAt(Version maxGlibc) =>
        [.. All.Where(distribution => distribution.Glibc is { } glibc && glibc >= maxGlibc)];

    /// <summary>
    /// Among <paramref name="candidates"/>, the glibc releases that lack <paramref name="family"/> version
    /// <paramref name="required"/>, newest first (the closest misses are the most telling), musl left out
    /// (it fails whatever the version).
    /// </summary>
    public static IReadOnlyList<Distribution> Lacking(string family, Version required, IEnumerable<Distribution>? candidates = null) =>
        [.. (candidates ?? All)
            .Where(distribution => !distribution.IsMusl && distribution.Provides(family) is { } provided && provided < required)
            .Reverse()];
}
