using Oxidize.Packing.Elf;

namespace Oxidize.Audit.Native;

/// <summary>
/// What the target systems are assumed to have: glibc up to <see cref="MaxGlibc"/> (and the libstdc++
/// that every known release with at least that glibc ships), the libraries of
/// SystemLibraryPolicy, and <see cref="AllowedLibraries"/> (sonames the user vouches for).
/// <see cref="FloorDeclared"/> false means the user named no floor: <see cref="MaxGlibc"/> is then the
/// runtime's own, the glibc findings say what raises the executable's floor above it, and libstdc++ is
/// checked against the distributions that the executable's real floor (the highest glibc any file needs) still includes.
/// <see cref="Machine"/> is the target's architecture: every native file must be built for it. The distribution table
/// (<see cref="KnownDistributions"/>) serves x86-64 and arm64 alike: each release listed ships both with the same glibc
/// and libstdc++.
/// </summary>
public sealed record NativePolicy(Version MaxGlibc, IReadOnlySet<string> AllowedLibraries, bool FloorDeclared = true, ElfMachine Machine = ElfMachine.X86_64)
{
    /// <summary>The .NET 10 runtime's own floor: libcoreclr.so, libclrjit.so and libclrgcexp.so need GLIBC_2.27, on linux-x64
    /// and on linux-arm64 alike (objdump -T of the 10.0.12 runtime packs; arm64's are expf, logf, powf and memfd_create).</summary>
    public static Version RuntimeGlibcFloor { get; } = new(2, 27);
}
