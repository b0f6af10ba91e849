using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>
/// The Windows runtime identifiers Oxidize publishes for and the PE machine of each: the counterpart of
/// <see cref="Elf.TargetMachine"/> for PE files (what the audit holds every packed DLL to).
/// </summary>
public static class WindowsTargetMachine
{
    /// <summary>The supported Windows runtime identifiers, in the order messages list them (after the Linux ones).</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers { get; } = ["win-x64"];

    /// <summary>The PE machine of <paramref name="runtimeIdentifier"/>'s files, or null for one that is not a supported Windows RID.</summary>
    public static Machine? ForRuntimeIdentifier(string runtimeIdentifier) => runtimeIdentifier switch
    {
        "win-x64" => Machine.Amd64,
        _ => null,
    };
}
