using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Oxidize.Resources returns the same bytes during development (a plain `dotnet build`, run with `dotnet App.dll`,
/// reading from the output folder) and in the oxidized executable (reading from itself).
/// </summary>
[TestClass]
public sealed class ResourceParityTests
{
    [TestMethod]
    public void SameBytesInDotnetBuildOutputAndInOxidizedExecutable()
    {
        string executable = PublishedRealApp.ExecutablePath;
        SampleProject sample = PublishedRealApp.Sample;
        string expectedSha256 = RealAppTests.GreetingSha256();

        ProcessResult build = sample.Build();
        Assert.AreEqual(0, build.ExitCode, $"dotnet build of RealApp failed:{build}");
        string builtAssembly = Path.Combine(sample.ProjectDirectory, "bin", "Debug", "net10.0", "RealApp.dll");
        Assert.IsTrue(File.Exists(builtAssembly), $"The build did not produce {builtAssembly}:{build}");

        ProcessResult fromBuild = ProcessRunner.Run(
            "dotnet", [builtAssembly, "dump-resource", "data/greeting.txt"], workingDirectory: "/", timeout: TimeSpan.FromMinutes(2));
        ProcessResult fromExecutable = ProcessRunner.Run(
            executable, ["dump-resource", "data/greeting.txt"], workingDirectory: "/",
            environment: new Dictionary<string, string> { ["PATH"] = ReadOnlyDirectory.MinimalPath }, timeout: TimeSpan.FromMinutes(2));

        Assert.AreEqual(0, fromBuild.ExitCode, $"The built app failed:{fromBuild}");
        Assert.AreEqual(0, fromExecutable.ExitCode, $"The oxidized app failed:{fromExecutable}");
        Assert.Contains("oxidized: False", fromBuild.StandardOutput, $"The built app thinks it is oxidized:{fromBuild}");
        Assert.Contains("oxidized: True", fromExecutable.StandardOutput, $"The oxidized app does not know it is:{fromExecutable}");
        foreach (ProcessResult run in new[] { fromBuild, fromExecutable })
        {
            Assert.Contains($"sha256: {expectedSha256}", run.StandardOutput, $"Not the bytes of data/greeting.txt:{run}");
            Assert.Contains($"stream sha256: {expectedSha256}", run.StandardOutput, $"Open() does not return the bytes of data/greeting.txt:{run}");
        }
        // Same length and hashes, line for line, whatever the mode.
        Assert.AreEqual(
            string.Join('\n', fromBuild.StandardOutput.Split('\n').Where(line => !line.StartsWith("oxidized:", StringComparison.Ordinal))),
            string.Join('\n', fromExecutable.StandardOutput.Split('\n').Where(line => !line.StartsWith("oxidized:", StringComparison.Ordinal))),
            $"The two modes disagree:{fromBuild}{fromExecutable}");
    }
}
