namespace Oxidize.EndToEnd.Tests.Infrastructure;

/// <summary>
/// tests/Samples/Robust (the hostile-environment sample) published once per test run (artifacts/e2e/PublishedRobust),
/// and built once as a normal framework-dependent app (artifacts/e2e/PublishedRobustFrameworkDependent) so the tests
/// can compare the oxidized executable with `dotnet Robust.dll`, the behaviour it must match.
/// </summary>
public static class PublishedRobust
{
    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Published = new(() =>
    {
        SampleProject sample = SampleProject.Create("Robust", nameof(PublishedRobust));
        return (sample, sample.Publish());
    });

    private static readonly Lazy<(string Assembly, ProcessResult Build)> FrameworkDependentBuild = new(() =>
    {
        SampleProject sample = SampleProject.Create("Robust", nameof(PublishedRobust) + "FrameworkDependent");
        string output = Path.Combine(sample.ScratchDirectory, "framework-dependent");
        return (Path.Combine(output, "Robust.dll"), sample.Build("-c", "Release", "-o", output));
    });

    private static readonly Lazy<string> DotnetPath = new(() =>
    {
        ProcessResult which = ProcessRunner.Run("sh", ["-c", "command -v dotnet"], timeout: TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, which.ExitCode, $"dotnet is not on PATH:{which}");
        return Path.GetFullPath(which.StandardOutput.Trim());
    });

    /// <summary>The oxidized executable, after asserting that the publish succeeded (with its output otherwise).</summary>
    public static string ExecutablePath
    {
        get
        {
            (SampleProject sample, ProcessResult publish) = Published.Value;
            Assert.AreEqual(0, publish.ExitCode, $"Publishing the Robust sample failed:{publish}");
            Assert.IsTrue(File.Exists(sample.ExecutablePath), $"The publish did not produce {sample.ExecutablePath}:{publish}");
            return sample.ExecutablePath;
        }
    }

    /// <summary>The folder holding <see cref="ExecutablePath"/> (and nothing else).</summary>
    public static string PublishDirectory => Path.GetDirectoryName(ExecutablePath)!;

    /// <summary>Robust.dll of a plain `dotnet build` (no Oxidize): run it with <see cref="Dotnet"/>.</summary>
    public static string FrameworkDependentAssembly
    {
        get
        {
            (string assembly, ProcessResult build) = FrameworkDependentBuild.Value;
            Assert.AreEqual(0, build.ExitCode, $"Building the Robust sample framework-dependent failed:{build}");
            Assert.IsTrue(File.Exists(assembly), $"The build did not produce {assembly}:{build}");
            return assembly;
        }
    }

    /// <summary>The full path of the dotnet muxer, for running <see cref="FrameworkDependentAssembly"/> with an empty PATH.</summary>
    public static string Dotnet => DotnetPath.Value;

    /// <summary>The program and leading arguments that start the framework-dependent build: dotnet Robust.dll.</summary>
    public static (string FileName, string[] Arguments) FrameworkDependentCommand => (Dotnet, [FrameworkDependentAssembly]);
}
