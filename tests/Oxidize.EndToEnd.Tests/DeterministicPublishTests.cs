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

    /// <summary>
    /// An ASP.NET Core app's default publish carries a ReadyToRun composite image of its startup assemblies (crossgen2 over
    /// 75 inputs): every packed entry is the same in two clean publishes, the composite included, except the Static Web
    /// Assets SDK's endpoints manifest, whose Last-Modified headers are the times the SDK wrote the compressed wwwroot files
    /// (the same in a publish without Oxidize).
    /// </summary>
    [TestMethod]
    public void TwoCleanPublishesOfAWebAppPackTheSameComposite()
    {
        SampleProject sample = SampleProject.Create("WebApi", nameof(TwoCleanPublishesOfAWebAppPackTheSameComposite));
        ProcessResult firstPublish = sample.Publish();
        Assert.AreEqual(0, firstPublish.ExitCode, $"The first publish failed:{firstPublish}");
        Dictionary<string, string> first = EntryHashes(sample.ExecutablePath);

        foreach (string output in new[] { "bin", "obj" })
            Directory.Delete(Path.Combine(sample.ProjectDirectory, output), recursive: true);
        Directory.Delete(sample.PublishDirectory, recursive: true);
        ProcessResult secondPublish = sample.Publish();
        Assert.AreEqual(0, secondPublish.ExitCode, $"The second publish failed:{secondPublish}");
        Dictionary<string, string> second = EntryHashes(sample.ExecutablePath);

        Assert.IsTrue(first.ContainsKey("WebApi.r2r.dll"), "The web app's publish packed no composite image.");
        string[] differing = [.. first.Keys.Union(second.Keys).Where(name => first.GetValueOrDefault(name) != second.GetValueOrDefault(name)).Order()];
        CollectionAssert.AreEqual(Array.Empty<string>(), differing, $"Entries that differ: {string.Join(", ", differing)}");
    }

    private static Dictionary<string, string> EntryHashes(string executable) =>
        PackedExecutable.Entries(executable).Values
            .Where(entry => !entry.Name.EndsWith(".staticwebassets.endpoints.json", StringComparison.Ordinal))
            .ToDictionary(entry => entry.Name, entry => entry.Sha256, StringComparer.Ordinal);

    private static string CompiledAssembly(SampleProject sample) =>
        Path.Combine(sample.ProjectDirectory, "obj", "Release", "net10.0", "linux-x64", sample.Name + ".dll");

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
