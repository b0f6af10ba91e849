using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Oxidize.Packing;

/// <summary>Where an assembly of the publish comes from, for <see cref="ReadyToRunCompositeInputs"/>.</summary>
/// <param name="Path">The file crossgen2 reads.</param>
/// <param name="Framework">The shared framework whose runtime pack carries it (Microsoft.NETCore.App,
/// Microsoft.AspNetCore.App, ...), or null for the app's own assemblies and its NuGet libraries.</param>
public sealed record PublishedAssembly(string Path, string? Framework);

/// <summary>
/// Which assemblies of a self-contained publish go into one ReadyToRun composite image, so that the framework's
/// generic code instantiated over ASP.NET Core's types (async state machines, Dictionary, ConcurrentDictionary,
/// List, LINQ) is precompiled instead of JIT-compiled at every start. ReadyToRun code for an instantiation can only
/// live in an image whose version bubble holds the generic definition and its type arguments, and the runtime pack
/// ships one bubble per assembly. docs/performance.md ("The web app's first response") has the measurements
/// behind the rule; every other assembly keeps the runtime pack's own per-assembly ReadyToRun code.
/// </summary>
public static class ReadyToRunCompositeInputs
{
    public const string AspNetCoreFramework = "Microsoft.AspNetCore.App";

    /// <summary>Microsoft.NETCore.App assemblies holding the generic definitions ASP.NET Core instantiates most at
    /// startup (by simple name): CoreLib (async method builders, Dictionary, List), and the three whose
    /// instantiations came next in the JIT's log of a minimal API's first response.</summary>
    public static readonly IReadOnlyList<string> CoreGenericAssemblies =
        ["System.Private.CoreLib", "System.Collections", "System.Collections.Concurrent", "System.Linq"];

    /// <summary>
    /// The paths of <paramref name="assemblies"/> to compile into the composite: the app's own assemblies and its
    /// NuGet libraries (no framework) that are IL only, the ASP.NET Core assemblies in the static reference closure of
    /// <paramref name="appAssemblyPath"/>, and <see cref="CoreGenericAssemblies"/>. A library that already carries
    /// ReadyToRun code (or is no IL assembly at all) stays out: the SDK would neither compile it nor pass it to
    /// crossgen2 as a reference, and the assemblies that use it would fail to compile. Sorted, so the composite's
    /// command line, and so its image, does not depend on item order.
    /// </summary>
    public static IReadOnlyList<string> Choose(string appAssemblyPath, IReadOnlyList<PublishedAssembly> assemblies)
    {
        IReadOnlySet<string> closure = StaticReferenceClosure.ComputeForFiles(
            assemblies.Select(assembly => assembly.Path).Append(appAssemblyPath), [appAssemblyPath]);
        var coreGeneric = new HashSet<string>(CoreGenericAssemblies, StringComparer.OrdinalIgnoreCase);
        return [.. assemblies
            .Where(assembly => (assembly.Framework is null && IsILOnly(assembly.Path))
                || (assembly.Framework == AspNetCoreFramework && closure.Contains(assembly.Path))
                || (assembly.Framework is not null && coreGeneric.Contains(System.IO.Path.GetFileNameWithoutExtension(assembly.Path))))
            .Select(assembly => assembly.Path)
            .Append(appAssemblyPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Whether OxidizeReadyToRunComposite=auto composes an app that is not an ASP.NET Core app: when it ships at least one
    /// IL-only library of its own or from NuGet (besides <paramref name="appAssemblyPath"/>). Its generic code over the
    /// framework's generics then gets precompiled in one version bubble: the sqlite sample (Microsoft.Data.Sqlite,
    /// System.CommandLine) starts in 0.89x the time of its per-assembly images; hello world, with no library, in 0.98x,
    /// which does not pay for the 15 s the composite adds to its publish (docs/performance.md, "Composite for console
    /// apps").
    /// </summary>
    public static bool HasOwnLibraries(string appAssemblyPath, IReadOnlyList<PublishedAssembly> assemblies) =>
        assemblies.Any(assembly => assembly.Framework is null
            && !string.Equals(assembly.Path, appAssemblyPath, StringComparison.Ordinal) && IsILOnly(assembly.Path));

    /// <summary>A managed assembly with IL only: no ReadyToRun (or other native) code crossgen2 would refuse.</summary>
    private static bool IsILOnly(string path)
    {
        try
        {
            using var peReader = new PEReader(File.OpenRead(path));
            CorHeader? cor = peReader.PEHeaders.CorHeader;
            return cor is not null && peReader.HasMetadata && peReader.GetMetadataReader().IsAssembly
                && (cor.Flags & CorFlags.ILOnly) != 0 && cor.ManagedNativeHeaderDirectory.Size == 0;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
