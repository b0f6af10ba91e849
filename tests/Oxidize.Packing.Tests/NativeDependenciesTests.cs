using Oxidize.Tests.Shared;
namespace Oxidize.Packing.Tests;

/// <summary>Dependencies come from the real DT_NEEDED entries of libraries compiled here.</summary>
[TestClass]
public sealed class NativeDependenciesTests
{
    private static byte[] CompileLibrary(string directory, string name, string source, params string[] extraArguments)
    {
        File.WriteAllText(Path.Combine(directory, name + ".c"), source);
        var result = NativeTool.Run("gcc", ["-shared", "-fPIC", "-o", Path.Combine(directory, name), Path.Combine(directory, name + ".c"), .. extraArguments]);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        return File.ReadAllBytes(Path.Combine(directory, name));
    }

    [TestMethod]
    public void PackedNeededLibraryBecomesADependencyBySonameOrFileName()
    {
        string directory = TestScratch.NewDirectory("native-dependencies");
        byte[] leaf = CompileLibrary(directory, "libleaf.so", "int leaf(void) { return 1; }", "-Wl,-soname,libleaf.so.1");
        File.Copy(Path.Combine(directory, "libleaf.so"), Path.Combine(directory, "libleaf.so.1"));
        byte[] middle = CompileLibrary(directory, "libmiddle.so", "int leaf(void); int middle(void) { return leaf() + 1; }", "-L" + directory, "-lleaf");
        byte[] top = CompileLibrary(directory, "libtop.so", "int middle(void); int top(void) { return middle() + 1; }", "-L" + directory, "-lmiddle", "-lz");

        var resolved = NativeDependencies.Resolve(
        [
            new PackedResource("runtimes/libleaf-renamed.so", ResourceKind.NativeLibrary, leaf),
            new PackedResource("libmiddle.so", ResourceKind.NativeLibrary, middle),
            new PackedResource("libtop.so", ResourceKind.NativeLibrary, top),
            new PackedResource("App.dll", ResourceKind.ManagedAssembly, [1]),
        ]).ToDictionary(resource => resource.Name);

        CollectionAssert.AreEqual(new[] { "runtimes/libleaf-renamed.so" }, resolved["libmiddle.so"].Dependencies!.ToArray(), "matched by SONAME libleaf.so.1");
        CollectionAssert.AreEqual(new[] { "libmiddle.so" }, resolved["libtop.so"].Dependencies!.ToArray(), "libz.so.1 is not packed, so not a dependency");
        Assert.IsNull(resolved["runtimes/libleaf-renamed.so"].Dependencies);
        Assert.IsNull(resolved["App.dll"].Dependencies);
    }

    [TestMethod]
    public void DependencyWithoutSonameIsReportedAsUnloadable()
    {
        string directory = TestScratch.NewDirectory("native-dependencies");
        byte[] plain = CompileLibrary(directory, "libplain.so", "int plain(void) { return 1; }");
        byte[] user = CompileLibrary(directory, "libuser.so", "int plain(void); int user(void) { return plain(); }", "-L" + directory, "-lplain");
        byte[] named = CompileLibrary(directory, "libnamed.so", "int named(void) { return 1; }", "-Wl,-soname,libnamed.so");
        byte[] fine = CompileLibrary(directory, "libfine.so", "int named(void); int fine(void) { return named(); }", "-L" + directory, "-lnamed");

        NativeDependencies.Resolve(
        [
            new PackedResource("libplain.so", ResourceKind.NativeLibrary, plain),
            new PackedResource("libuser.so", ResourceKind.NativeLibrary, user),
            new PackedResource("libnamed.so", ResourceKind.NativeLibrary, named),
            new PackedResource("libfine.so", ResourceKind.NativeLibrary, fine),
        ], out var unloadable);

        CollectionAssert.AreEqual(new[] { ("libuser.so", "libplain.so") }, unloadable.ToArray());
    }

    [TestMethod]
    public void NonElf64ContentGetsNoDependencies()
    {
        var resolved = NativeDependencies.Resolve([new PackedResource("libodd.so", ResourceKind.NativeLibrary, [0x7F, (byte)'E', (byte)'L', (byte)'F', 1])]);
        Assert.IsNull(resolved[0].Dependencies);
    }
}
