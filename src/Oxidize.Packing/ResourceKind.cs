namespace Oxidize.Packing;

/// <summary>What a packed entry is, which decides how the host serves it.</summary>
#if OXIDIZE_FORMAT_INTERNAL
internal
#else
public
#endif
enum ResourceKind : ushort
{
    /// <summary>A .NET assembly (PE with CLI metadata): mapped by the runtime straight from the executable.</summary>
    ManagedAssembly = FormatConstants.KindManagedAssembly,

    /// <summary>An ELF shared object: loaded from memory on first dlopen or P/Invoke.</summary>
    NativeLibrary = FormatConstants.KindNativeLibrary,

    /// <summary>Anything else: read by the app through Oxidize.Resources.</summary>
    Content = FormatConstants.KindContent,
}
