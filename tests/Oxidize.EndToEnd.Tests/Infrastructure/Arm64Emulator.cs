using Oxidize.Tests.Shared;

namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Runs linux-arm64 executables on this x86-64 machine under user-mode emulation: qemu-aarch64 (Debian's qemu-user)
/// with Debian's arm64 multiarch libraries installed in the real root (libc6:arm64 puts the loader at
/// /lib/ld-linux-aarch64.so.1). Not `qemu-aarch64 -L /usr/aarch64-linux-gnu`: the cross toolchain's sysroot made the
/// runtime hang at startup. ./build.sh installs all of it (eng/build.sh, eng/prerequisites.sh).
/// </summary>
public static class Arm64Emulator
{
    public const string Qemu = "/usr/bin/qemu-aarch64";

    /// <summary>What the arm64 runtime loads from the system: the loader, glibc, libstdc++/libgcc_s, ICU, OpenSSL, zlib.</summary>
    private static readonly string[] Arm64Libraries =
    [
        "/lib/ld-linux-aarch64.so.1",
        "/usr/lib/aarch64-linux-gnu/libc.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libgcc_s.so.1",
        "/usr/lib/aarch64-linux-gnu/libicuuc.so.72",
        "/usr/lib/aarch64-linux-gnu/libssl.so.3",
        "/usr/lib/aarch64-linux-gnu/libz.so.1",
    ];

    /// <summary>Runs <paramref name="executable"/> under qemu-aarch64 with exactly <paramref name="environment"/>.</summary>
    public static ProcessResult Run(
        string executable, IEnumerable<string> arguments, string workingDirectory, string? standardInput,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        RequireEmulation();
        return ProcessRunner.Run(Qemu, [executable, .. arguments], workingDirectory, standardInput, environment, timeout);
    }

    public static void RequireEmulation()
    {
        if (!File.Exists(Qemu))
            Prerequisite.Missing($"{Qemu} (Debian package qemu-user)");
        foreach (string library in Arm64Libraries)
        {
            if (!File.Exists(library))
                Prerequisite.Missing($"{library} (Debian's arm64 multiarch packages: dpkg --add-architecture arm64, then libc6:arm64 and the rest)");
        }
    }

    /// <summary>The ELF e_machine of a file: 183 for AArch64, 62 for x86-64.</summary>
    public static int ElfMachine(string path)
    {
        using FileStream file = File.OpenRead(path);
        var header = new byte[20];
        file.ReadExactly(header);
        return header[18] | (header[19] << 8);
    }
}
