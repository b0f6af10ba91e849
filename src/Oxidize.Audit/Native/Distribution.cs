namespace Oxidize.Audit.Native;

/// <summary>
/// A Linux distribution release and the newest symbol versions its base libraries define: glibc
/// (GLIBC_), and libstdc++ (GLIBCXX_, CXXABI_) from its default libstdc++6 package. A null glibc
/// means a musl distribution, where no glibc-linked executable runs at all.
/// </summary>
public sealed record Distribution(string Name, Version? Glibc, Version? Glibcxx, Version? CxxAbi)
{
    public bool IsMusl => Glibc is null;

    /// <summary>The newest version of a symbol-version family this release provides, or null when it does not track that family.</summary>
    public Version? Provides(string family) => family switch
    {
        "GLIBC" => Glibc,
        "GLIBCXX" => Glibcxx,
        "CXXABI" => CxxAbi,
        _ => null,
    };

    /// <summary>"Debian 11 (glibc 2.31)" or "Debian 11 (GLIBCXX 3.4.28)": the name with the number that matters for <paramref name="family"/>.</summary>
    public string Describe(string family) => family == "GLIBC"
        ? $"{Name} (glibc {Glibc})"
        : $"{Name} ({family} {Provides(family)})";
}
