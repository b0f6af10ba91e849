namespace Oxidize.Packing;

/// <summary>
/// Input the format cannot represent. Code is a stable OXSDKnnnn code listed in docs/errors.md;
/// Arguments fill that code's message, which the caller (an MSBuild task) owns.
/// </summary>
public sealed class PackingException : Exception
{
    public PackingException(string code, string message, params object[] arguments)
        : base($"{code}: {message}")
    {
        Code = code;
        Arguments = arguments;
    }

    public string Code { get; }

    public IReadOnlyList<object> Arguments { get; }
}

/// <summary>The stable codes the format library raises.</summary>
public static class PackingErrorCodes
{
    public const string InvalidName = "OXSDK2001";
    public const string DuplicateName = "OXSDK2002";
    public const string EntryAssemblyMissing = "OXSDK2003";
    /// <summary>The host is not an executable of the target's format: ELF for linux-*, PE for win-*.</summary>
    public const string HostNotExecutable = "OXSDK2004";
    public const string UnknownDependency = "OXSDK2005";
    public const string InvalidProperty = "OXSDK2006";
    public const string TooManyEntries = "OXSDK2007";
    public const string EntryTooLarge = "OXSDK2008";
    public const string ManagedAssemblyInNativeAot = "OXSDK2009";
}
