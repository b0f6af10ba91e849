namespace Oxidize.Audit.Managed;

/// <summary>An API whose result changes when the assembly is not a file on disk, and what it does in a single-file app.</summary>
public sealed record SingleFileApi(string DeclaringType, string Member, string DisplayName, string Behavior);

/// <summary>
/// The APIs .NET documents as incompatible with single-file deployment ("Single-file deployment:
/// API incompatibility"; the IL3000/IL3001/IL3002 analyzer warnings), which behave the same in an
/// Oxidize executable since the runtime maps assemblies out of it the same way, plus the loads by
/// path that can only find the app's own assemblies when they are files next to it.
/// </summary>
public static class SingleFileApis
{
    public static IReadOnlyList<SingleFileApi> PathDependent { get; } =
    [
        new("System.Reflection.Assembly", "get_Location", "Assembly.Location", "returns \"\""),
        new("System.Reflection.Assembly", "get_CodeBase", "Assembly.CodeBase", "throws PlatformNotSupportedException"),
        new("System.Reflection.Assembly", "get_EscapedCodeBase", "Assembly.EscapedCodeBase", "throws PlatformNotSupportedException"),
        new("System.Reflection.Assembly", "GetFile", "Assembly.GetFile", "throws IOException"),
        new("System.Reflection.Assembly", "GetFiles", "Assembly.GetFiles", "throws IOException"),
        new("System.Reflection.AssemblyName", "get_CodeBase", "AssemblyName.CodeBase", "returns null"),
        new("System.Reflection.AssemblyName", "get_EscapedCodeBase", "AssemblyName.EscapedCodeBase", "returns null"),
        new("System.Reflection.Module", "get_FullyQualifiedName", "Module.FullyQualifiedName", "returns \"<Unknown>\" or throws"),
        new("System.Reflection.Module", "get_Name", "Module.Name", "returns \"<Unknown>\""),
        new("System.Runtime.InteropServices.Marshal", "GetHINSTANCE", "Marshal.GetHINSTANCE", "returns -1"),
    ];

    /// <summary>Loads by path: flagged only in a method that also builds the path from the app's folder (<see cref="BaseDirectory"/>).</summary>
    public static IReadOnlyList<SingleFileApi> LoadByPath { get; } =
    [
        new("System.Reflection.Assembly", "LoadFrom", "Assembly.LoadFrom", "finds no file: the app's assemblies are inside the executable"),
        new("System.Reflection.Assembly", "LoadFile", "Assembly.LoadFile", "finds no file: the app's assemblies are inside the executable"),
        new("System.Reflection.Assembly", "UnsafeLoadFrom", "Assembly.UnsafeLoadFrom", "finds no file: the app's assemblies are inside the executable"),
        new("System.Runtime.Loader.AssemblyLoadContext", "LoadFromAssemblyPath", "AssemblyLoadContext.LoadFromAssemblyPath", "finds no file: the app's assemblies are inside the executable"),
    ];

    /// <summary>Where the app's folder comes from in code that then loads assemblies from it.</summary>
    public static IReadOnlyList<SingleFileApi> BaseDirectory { get; } =
    [
        new("System.AppContext", "get_BaseDirectory", "AppContext.BaseDirectory", ""),
        new("System.AppDomain", "get_BaseDirectory", "AppDomain.BaseDirectory", ""),
        new("System.Reflection.Assembly", "get_Location", "Assembly.Location", ""),
    ];
}
