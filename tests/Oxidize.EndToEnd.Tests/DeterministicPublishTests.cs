using System.Security.Cryptography;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The same project published twice from clean gives the same executable. (From two different
/// checkout paths the compiler itself embeds different source paths in the PDB unless the build maps
/// them, e.g. ContinuousIntegrationBuild=true; the writer's own determinism is unit-tested.)
/// </summary>
[TestClass]
public sealed class DeterministicPublishTests
{
    [TestMethod]
    public void TwoCleanPublishesGiveIdenticalExecutables()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(TwoCleanPublishesGiveIdenticalExecutables));

        ProcessResult firstPublish = sample.Publish();
        Assert.AreEqual(0, firstPublish.ExitCode, $"The first publish failed:{firstPublish}");
        string firstHash = Sha256(sample.ExecutablePath);
        string firstAssembly = Sha256(CompiledAssembly(sample));

        foreach (string output in new[] { "bin", "obj" })
            Directory.Delete(Path.Combine(sample.ProjectDirectory, output), recursive: true);
        Directory.Delete(sample.PublishDirectory, recursive: true);
        ProcessResult secondPublish = sample.Publish();
        Assert.AreEqual(0, secondPublish.ExitCode, $"The second publish failed:{secondPublish}");

        // Tells a compiler-level difference from a packing one.
        string compiledAssemblies = firstAssembly == Sha256(CompiledAssembly(sample))
            ? "the compiled Hello.dll files are identical, so the difference comes from packing"
            : "the compiled Hello.dll files already differ";
        Assert.AreEqual(firstHash, Sha256(sample.ExecutablePath), $"the two executables differ; {compiledAssemblies}.");
    }

    private static string CompiledAssembly(SampleProject sample) =>
        Path.Combine(sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", sample.Name + ".dll");

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
