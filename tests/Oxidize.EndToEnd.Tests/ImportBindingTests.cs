using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// What the host's ELF loader binds a mapped library's imports to (src/Oxidize.Host/elf_loader.c, resolve;
/// elf_loader_imports.c): tests/Samples/ImportBinding's libbinding.so names getenv@GLIBC_2.2.5 and the host's
/// interposers open/read both as calls and as data pointers, a weak symbol defined nowhere, and a function of another
/// packed library. A wrong binding changes what it prints: open bound to libc's instead of the host's cannot find the
/// packed file, a pointer and a call bound differently give different answers, a weak import bound anywhere but 0
/// says "no". The memfd fallback, which glibc loads, is the reference.
/// </summary>
[TestClass]
public sealed class ImportBindingTests
{
    private const string Expected =
        "getenv: probe-value; getenv through a pointer: probe-value; weak undefined is null: yes; "
        + "open and read (packed file): packed content; through pointers: packed content; from libbindingdep: 42";

    private static readonly Lazy<SampleProject> Mapped = new(() => Publish("Mapped"));

    private static readonly Lazy<SampleProject> Copied = new(() => Publish("Copied", "-p:OxidizeZeroCopyLibraries=false"));

    private static SampleProject Publish(string way, params string[] arguments)
    {
        SampleProject sample = SampleProject.Create("ImportBinding", nameof(ImportBindingTests) + way);
        string native = Path.Combine(sample.ProjectDirectory, "native");
        NativeCompiler.SharedLibrary(native, "bindingdep.c", "libbindingdep.so");
        NativeCompiler.SharedLibrary(native, "binding.c", "libbinding.so", "-L.", "-lbindingdep", "-Wl,-rpath,$ORIGIN");
        ProcessResult publish = sample.Publish(arguments);
        Assert.AreEqual(0, publish.ExitCode, $"Publishing ImportBinding ({way}) failed:{publish}");
        return sample;
    }

    private static ProcessResult Run(SampleProject sample) =>
        ProcessRunner.Run(sample.ExecutablePath, [], workingDirectory: "/",
            environment: new Dictionary<string, string> { ["OXIDIZE_BINDING_PROBE"] = "probe-value" }, timeout: TimeSpan.FromMinutes(2));

    [TestMethod]
    public void AMappedLibrarysImportsBindAsGlibcBindsThem()
    {
        ProcessResult mapped = Run(Mapped.Value);
        Assert.AreEqual(0, mapped.ExitCode, $"The mapped ImportBinding failed:{mapped}");
        StringAssert.Contains(mapped.StandardOutput, Expected);
        StringAssert.Contains(mapped.StandardOutput, "libbinding.so copied into a memfd: False", "libbinding.so was not mapped, so this tested glibc");
    }

    [TestMethod]
    public void TheMemfdFallbackWhichGlibcLoadsPrintsTheSame()
    {
        ProcessResult copied = Run(Copied.Value);
        Assert.AreEqual(0, copied.ExitCode, $"The copied ImportBinding failed:{copied}");
        StringAssert.Contains(copied.StandardOutput, Expected);
        StringAssert.Contains(copied.StandardOutput, "libbinding.so copied into a memfd: True");
    }
}
