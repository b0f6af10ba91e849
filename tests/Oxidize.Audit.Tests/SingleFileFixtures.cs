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
    /// <summary>Loads an assembly the app ships next to itself: the host serves the packed file at that path, so it works.</summary>
    public static Assembly LoadNextToApp(string name) => Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, name));

    public static Assembly LoadThroughContext(string name) => AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, name));

    /// <summary>Asks .NET's hostpolicy library, whose two calls for this the host answers itself, so it works.</summary>
    public static string? ResolveDependencies(string path) => new AssemblyDependencyResolver(path).ResolveAssemblyToPath(new AssemblyName("Dependency"));
}

/// <summary>A wrapper that hands Location and GetFiles on to the assembly it wraps, as System.Reflection.Context's
/// delegating types do: the finding belongs to whoever asks the wrapper.</summary>
public sealed class PassThroughAssembly(Assembly inner) : Assembly
{
    public override string Location => inner.Location;

    public override FileStream[] GetFiles(bool getResourceModules) => inner.GetFiles(getResourceModules);

    public string LocationOfInner() => inner.Location;
}
