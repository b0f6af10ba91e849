namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// tests/Samples/RealApp (Sqlite, System.CommandLine, its own C libraries, satellites, a content file read through
/// Oxidize.Resources) with its native code compiled and published once per test run (artifacts/e2e/PublishedRealApp),
/// shared by the tests that look at or run the result.
/// </summary>
public static class PublishedRealApp
{
    /// <summary>The app's own native libraries, NuGet's and the project's: none may be read from disk when oxidized.</summary>
    public static readonly string[] NativeLibraries = ["libgreet.so", "libgreetdep.so", "libe_sqlite3.so"];

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Published = new(() =>
    {
        SampleProject sample = Create(nameof(PublishedRealApp));
        return (sample, sample.Publish());
    });

    public static SampleProject Sample => Published.Value.Sample;

    public static ProcessResult PublishResult => Published.Value.Publish;

    /// <summary>The executable, after asserting that the publish succeeded (with its output otherwise).</summary>
    public static string ExecutablePath
    {
        get
        {
            Assert.AreEqual(0, PublishResult.ExitCode, $"Publishing the RealApp sample failed:{PublishResult}");
            Assert.IsTrue(File.Exists(Sample.ExecutablePath), $"The publish did not produce {Sample.ExecutablePath}:{PublishResult}");
            return Sample.ExecutablePath;
        }
    }

    /// <summary>A fresh copy of the sample with native/libgreetdep.so and native/libgreet.so (DT_NEEDED libgreetdep.so,
    /// RUNPATH $ORIGIN so that a normal `dotnet build` output finds its dependency next to it) compiled.</summary>
    public static SampleProject Create(string scratchName)
    {
        SampleProject sample = SampleProject.Create("RealApp", scratchName);
        string native = Path.Combine(sample.ProjectDirectory, "native");
        NativeCompiler.SharedLibrary(native, "greetdep.c", "libgreetdep.so");
        NativeCompiler.SharedLibrary(native, "greet.c", "libgreet.so", "-L.", "-lgreetdep", "-Wl,-rpath,$ORIGIN");
        return sample;
    }
}
