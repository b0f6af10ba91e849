namespace Oxidize.Packing;

/// <summary>The file format of a target's native code: what the host is, and what a packed native library is.</summary>
public enum NativeFormat
{
    /// <summary>linux-*: ELF shared objects, loaded by glibc's dlopen or the host's own ELF loader.</summary>
    Elf,

    /// <summary>win-*: PE images ("MZ"), loaded by the Windows host's own DLL loader.</summary>
    Pe,
}

/// <summary>Which <see cref="NativeFormat"/> a runtime identifier's native files have.</summary>
public static class NativeFormats
{
    /// <summary>PE for the Windows runtime identifiers (win-x64, ...), ELF for every other one.</summary>
    public static NativeFormat ForRuntimeIdentifier(string runtimeIdentifier) =>
        runtimeIdentifier.StartsWith("win-", StringComparison.Ordinal) ? NativeFormat.Pe : NativeFormat.Elf;
}
