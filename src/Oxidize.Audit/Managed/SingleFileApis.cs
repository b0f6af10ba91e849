namespace Oxidize.Audit.Managed;

/// <summary>An API whose result changes when the assembly is not a file on disk, and what it does in a single-file app.</summary>
public sealed record SingleFileApi(string DeclaringType, string Member, string DisplayName, string Behavior);

/// <summary>
/// The APIs .NET documents as incompatible with single-file deployment ("Single-file deployment:
/// API incompatibility"; the IL3000/IL3001/IL3002 analyzer warnings), which behave the same in an
/// Oxidize executable since the runtime maps assemblies out of it the same way. Not among them: loading an
/// assembly by a path in the app's folder (the host serves packed files at their usual paths, so Assembly.LoadFrom,
/// LoadFile and AssemblyLoadContext.LoadFromAssemblyPath find packed assemblies: LoadByPathTests) and
/// AssemblyDependencyResolver (the host answers the runtime's hostpolicy calls itself: PluginHostTests).
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

    public static IEnumerable<SingleFileApi> All => PathDependent;
}
