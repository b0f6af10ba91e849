using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>Referencing Oxidize.Sdk must leave an ordinary `dotnet build` alone.</summary>
[TestClass]
public sealed class BuildWithoutOxidizeTests
{
    [TestMethod]
    public void ReferencingSdkDoesNotChangeBuild()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ReferencingSdkDoesNotChangeBuild));

        ProcessResult build = sample.Build();

        Assert.AreEqual(0, build.ExitCode, $"dotnet build failed:{build}");
        // The SDK's default, RID-less output folder: no runtime identifier was inferred.
        string assembly = Path.Combine(sample.ProjectDirectory, "bin", "Debug", "net10.0", "Hello.dll");
        Assert.IsTrue(File.Exists(assembly), $"{assembly} was not built:{build}");
        Assert.DoesNotContain("Oxidize:", build.Output, $"A build without Oxidize=true ran Oxidize:{build}");
    }
}
