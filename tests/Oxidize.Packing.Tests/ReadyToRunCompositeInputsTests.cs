namespace Oxidize.Packing.Tests;

/// <summary>Which apps get a ReadyToRun composite image and which assemblies go into it, read from real assembly files.</summary>
[TestClass]
public sealed class ReadyToRunCompositeInputsTests
{
    private const string NetCore = "Microsoft.NETCore.App";
    private const string AspNetCore = ReadyToRunCompositeInputs.AspNetCoreFramework;

    private static string folder = "";

    [ClassInitialize]
    public static void WriteAssemblies(TestContext context)
    {
        folder = Path.Combine(Path.GetTempPath(), "oxidize-composite-inputs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // App -> Lib (NuGet) -> Microsoft.AspNetCore.Http -> Microsoft.Extensions.Primitives -> System.Runtime;
        // App -> Microsoft.AspNetCore.Routing. Microsoft.AspNetCore.Mvc and Unused (NuGet) are referenced by nothing.
        Write("App", "Lib", "Microsoft.AspNetCore.Routing", "System.Runtime");
        Write("Lib", "Microsoft.AspNetCore.Http");
        Write("Unused");
        Write("Microsoft.AspNetCore.Http", "Microsoft.Extensions.Primitives", "System.Runtime");
        Write("Microsoft.AspNetCore.Routing", "System.Collections");
        Write("Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Routing");
        Write("Microsoft.Extensions.Primitives", "System.Runtime");
        Write("System.Runtime", "System.Private.CoreLib");
        Write("System.Private.CoreLib");
        Write("System.Collections", "System.Private.CoreLib");
        Write("System.Linq", "System.Private.CoreLib");
        Write("System.Xml", "System.Private.CoreLib");
    }

    [ClassCleanup]
    public static void DeleteAssemblies() => Directory.Delete(folder, recursive: true);

    private static void Write(string simpleName, params string[] references) =>
        File.WriteAllBytes(PathOf(simpleName), TinyAssembly.Build(simpleName, references));

    private static string PathOf(string simpleName) => Path.Combine(folder, simpleName + ".dll");

    private static PublishedAssembly Published(string simpleName, string? framework) => new(PathOf(simpleName), framework);

    private static readonly Func<PublishedAssembly[]> Publish = () =>
    [
        Published("App", null),
        Published("Lib", null),
        Published("Unused", null),
        Published("Microsoft.AspNetCore.Http", AspNetCore),
        Published("Microsoft.AspNetCore.Routing", AspNetCore),
        Published("Microsoft.AspNetCore.Mvc", AspNetCore),
        Published("Microsoft.Extensions.Primitives", AspNetCore),
        Published("System.Runtime", NetCore),
        Published("System.Private.CoreLib", NetCore),
        Published("System.Collections", NetCore),
        Published("System.Linq", NetCore),
        Published("System.Xml", NetCore),
    ];

    private static string[] Names(IEnumerable<string> paths) => [.. paths.Select(Path.GetFileNameWithoutExtension)!];

    [TestMethod]
    public void TakesTheAppItsLibrariesTheReferencedAspNetCoreAssembliesAndTheCoreGenericOnes()
    {
        IReadOnlyList<string> inputs = ReadyToRunCompositeInputs.Choose(PathOf("App"), Publish());
        CollectionAssert.AreEquivalent(
            new[]
            {
                "App", "Lib", "Unused", // the app's own and its NuGet libraries, referenced or not
                "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Primitives", // in the closure, through Lib too
                "System.Private.CoreLib", "System.Collections", "System.Linq", // core generic assemblies, referenced or not
            },
            Names(inputs));
    }

    [TestMethod]
    public void LeavesOutUnreferencedAspNetCoreAndOtherFrameworkAssemblies()
    {
        string[] inputs = Names(ReadyToRunCompositeInputs.Choose(PathOf("App"), Publish()));
        CollectionAssert.DoesNotContain(inputs, "Microsoft.AspNetCore.Mvc");
        CollectionAssert.DoesNotContain(inputs, "System.Runtime"); // referenced, but Microsoft.NETCore.App and not a core generic one
        CollectionAssert.DoesNotContain(inputs, "System.Xml");
    }

    [TestMethod]
    public void TheInputsAreSortedAndDoNotDependOnItemOrder()
    {
        IReadOnlyList<string> forward = ReadyToRunCompositeInputs.Choose(PathOf("App"), Publish());
        IReadOnlyList<string> backward = ReadyToRunCompositeInputs.Choose(PathOf("App"), [.. Publish().Reverse()]);
        CollectionAssert.AreEqual(forward.ToArray(), backward.ToArray());
        CollectionAssert.AreEqual(forward.Order(StringComparer.Ordinal).ToArray(), forward.ToArray());
    }

    [TestMethod]
    public void ALibraryWithReadyToRunCodeOrNoMetadataStaysOut()
    {
        // System.Linq.dll of the shared runtime the tests run on carries ReadyToRun code, as some NuGet packages' do.
        string readyToRun = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Linq.dll");
        string notAnAssembly = Path.Combine(folder, "NotAnAssembly.dll");
        File.WriteAllBytes(notAnAssembly, "MZ not really"u8.ToArray());
        string[] inputs = [.. ReadyToRunCompositeInputs.Choose(PathOf("App"),
            [.. Publish(), new PublishedAssembly(readyToRun, null), new PublishedAssembly(notAnAssembly, null)])];
        CollectionAssert.DoesNotContain(inputs, readyToRun);
        CollectionAssert.DoesNotContain(inputs, notAnAssembly);
        CollectionAssert.Contains(inputs, PathOf("Lib"));
    }

    [TestMethod]
    public void TheAppIsAnInputEvenWhenTheItemsDoNotListIt()
    {
        PublishedAssembly[] withoutApp = [.. Publish().Where(assembly => assembly.Path != PathOf("App"))];
        string[] inputs = Names(ReadyToRunCompositeInputs.Choose(PathOf("App"), withoutApp));
        CollectionAssert.Contains(inputs, "App");
        CollectionAssert.Contains(inputs, "Microsoft.AspNetCore.Routing");
    }

    [TestMethod]
    public void AnAppHasOwnLibrariesOnlyWhenAnIlOnlyAssemblyBesideItIsNoFrameworkOne()
    {
        string readyToRun = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Linq.dll");
        PublishedAssembly[] framework = [.. Publish().Where(assembly => assembly.Framework is not null)];

        Assert.IsTrue(ReadyToRunCompositeInputs.HasOwnLibraries(PathOf("App"), [Published("App", null), Published("Lib", null), .. framework]));
        Assert.IsFalse(ReadyToRunCompositeInputs.HasOwnLibraries(PathOf("App"), [Published("App", null), .. framework]),
            "the app alone, with the framework, has no library of its own");
        Assert.IsFalse(ReadyToRunCompositeInputs.HasOwnLibraries(PathOf("App"), [Published("App", null), new PublishedAssembly(readyToRun, null), .. framework]),
            "a library that already carries ReadyToRun code would stay out of the composite, so it does not count");
    }
}
