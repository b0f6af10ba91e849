namespace Oxidize.Audit.Native;

/// <summary>
/// What the target systems are assumed to have: glibc up to <see cref="MaxGlibc"/> (and the libstdc++
/// that every known release with at least that glibc ships), the libraries of
/// Oxidize.Packing's SystemLibraryPolicy, and <see cref="AllowedLibraries"/> (sonames the user vouches for).
/// </summary>
public sealed record NativePolicy(Version MaxGlibc, IReadOnlySet<string> AllowedLibraries)
{
    /// <summary>The .NET 10 runtime's own floor: libcoreclr.so, libclrjit.so and libclrgcexp.so need GLIBC_2.27.</summary>
    public static Version RuntimeGlibcFloor { get; } = new(2, 27);
}
