#pragma warning disable SYSLIB0012, SYSLIB0044 // CodeBase and AssemblyName.CodeBase are obsolete: that is what the audit looks for.
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

// Code the single-file analysis is run on: this test assembly is its input. Nothing here is executed.
namespace Oxidize.Audit.Tests.SingleFileFixtures;

public static class DataFiles
{
    public static string Folder() => Path.GetDirectoryName(typeof(DataFiles).Assembly.Location)!;

    public static string? CodeBase() => typeof(DataFiles).Assembly.CodeBase + typeof(DataFiles).Assembly.GetName().CodeBase;

    public static string ModuleName() => typeof(DataFiles).Module.Name + typeof(DataFiles).Module.FullyQualifiedName;

    public static IntPtr Instance() => Marshal.GetHINSTANCE(typeof(DataFiles).Module);

    public static FileStream[] Files() => typeof(DataFiles).Assembly.GetFiles();
}

public sealed class Lambdas
{
    public Func<string> Locate() => () => typeof(Lambdas).Assembly.Location;

    public async Task<string> LocateAsync()
    {
        await Task.Yield();
        return typeof(Lambdas).Assembly.Location;
    }
}

public static class Plugins
{
    /// <summary>Loads an assembly the app ships next to itself: the file is not there in an Oxidize executable.</summary>
    public static Assembly LoadNextToApp(string name) => Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, name));

    public static Assembly LoadThroughContext(string name) => AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, name));

    /// <summary>A path the user gives: not the app's own folder, so not flagged.</summary>
    public static Assembly LoadUserPlugin(string path) => Assembly.LoadFrom(path);
}
