using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

// Loads plugins/Greeter/GreeterPlugin.dll the documented way (a collectible AssemblyLoadContext whose Load and
// LoadUnmanagedDll ask an AssemblyDependencyResolver), runs it, unloads it, and prints one "key: value" line per
// fact, with paths relative to the app folder, so the tests can compare an oxidized run with `dotnet build`'s.
string pluginPath = Path.Combine(AppContext.BaseDirectory, "plugins", "Greeter", "GreeterPlugin.dll");

var resolver = new AssemblyDependencyResolver(pluginPath);
Console.WriteLine($"resolve System.CommandLine: {Relative(resolver.ResolveAssemblyToPath(new AssemblyName("System.CommandLine")))}");
Console.WriteLine($"resolve Microsoft.Data.Sqlite: {Relative(resolver.ResolveAssemblyToPath(new AssemblyName("Microsoft.Data.Sqlite")))}");
Console.WriteLine($"resolve System.CommandLine.resources fr: {Relative(resolver.ResolveAssemblyToPath(new AssemblyName("System.CommandLine.resources, Culture=fr")))}");
Console.WriteLine($"resolve absent assembly: {Relative(resolver.ResolveAssemblyToPath(new AssemblyName("Not.There")))}");
string? sqlite = resolver.ResolveUnmanagedDllToPath("e_sqlite3");
Console.WriteLine($"resolve native e_sqlite3: {Relative(sqlite)}");
if (sqlite != null)
{
    IntPtr handle = NativeLibrary.Load(sqlite);
    Console.WriteLine($"native e_sqlite3 loaded by path, exports sqlite3_libversion: {NativeLibrary.TryGetExport(handle, "sqlite3_libversion", out _)}");
}

// A component without a .deps.json: every assembly of its folder, and the folder itself for native libraries.
var withoutDeps = new AssemblyDependencyResolver(Path.Combine(AppContext.BaseDirectory, "plugins", "Greeter", "System.CommandLine.dll"));
Console.WriteLine($"without deps.json, resolve Microsoft.Data.Sqlite: {Relative(withoutDeps.ResolveAssemblyToPath(new AssemblyName("Microsoft.Data.Sqlite")))}");
Console.WriteLine($"without deps.json, resolve native e_sqlite3: {Relative(withoutDeps.ResolveUnmanagedDllToPath("e_sqlite3"))}");

try
{
    _ = new AssemblyDependencyResolver(Path.Combine(AppContext.BaseDirectory, "plugins", "Missing", "Missing.dll"));
    Console.WriteLine("missing component: resolved");
}
catch (InvalidOperationException exception)
{
    Console.WriteLine($"missing component: {exception.GetType().Name}, code 0x80008092: {exception.Message.Contains("-2147450734")}");
}

// Each run in a collectible context of its own, unloaded afterwards.
Console.WriteLine($"greeting plugin unloaded: {Unloaded(RunPlugin(pluginPath, "Greet"))}");
Console.WriteLine($"sqlite plugin unloaded: {Unloaded(RunPlugin(pluginPath, "Query"))}");
return 0;

static bool Unloaded(WeakReference context)
{
    for (int i = 0; i < 20 && context.IsAlive; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
    return !context.IsAlive;
}

static string Relative(string? path) => path == null ? "<none>" : Path.GetRelativePath(AppContext.BaseDirectory, path);

[MethodImpl(MethodImplOptions.NoInlining)]
static WeakReference RunPlugin(string pluginPath, string method)
{
    var context = new PluginLoadContext(pluginPath);
    Assembly plugin = context.LoadFromAssemblyPath(pluginPath);
    var lines = (string[])plugin.GetType("GreeterPlugin.Greeter", throwOnError: true)!.GetMethod(method)!.Invoke(null, null)!;
    foreach (string line in lines)
    {
        Console.WriteLine(line);
    }
    context.Unload();
    return new WeakReference(context);
}

/// <summary>Microsoft's plugin load context (docs: "Create a .NET application with plugins").</summary>
sealed class PluginLoadContext(string pluginPath) : AssemblyLoadContext("Greeter", isCollectible: true)
{
    private readonly AssemblyDependencyResolver resolver = new(pluginPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? path = resolver.ResolveAssemblyToPath(assemblyName);
        return path == null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path == null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
