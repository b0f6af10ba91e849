namespace Oxidize.Packing.Elf;

/// <summary>
/// The runtime identifiers Oxidize publishes for and the ELF machine of each: what the audit holds every native file
/// to, and how messages name it. The host's own counterpart is src/Oxidize.Host/platform.h.
/// </summary>
public static class TargetMachine
{
    /// <summary>The supported runtime identifiers, in the order messages list them.</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers { get; } = ["linux-x64", "linux-arm64"];

    /// <summary>The e_machine of <paramref name="runtimeIdentifier"/>'s ELF files, or null for an unsupported one.</summary>
    public static ElfMachine? ForRuntimeIdentifier(string runtimeIdentifier) => runtimeIdentifier switch
    {
        "linux-x64" => ElfMachine.X86_64,
        "linux-arm64" => ElfMachine.AArch64,
        _ => null,
    };

    /// <summary>"x86-64", "arm64", or the machine's number for others.</summary>
    public static string Name(ElfMachine machine) => machine switch
    {
        ElfMachine.X86_64 => "x86-64",
        ElfMachine.AArch64 => "arm64",
        _ => $"e_machine {(ushort)machine}",
    };
}
