using System.Security.Cryptography;
using System.Text;
using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// Issue 13, point 3: content items written the way projects write them. The SDK lists some of them twice in
/// ResolvedFileToPublish, with the same source and the same target (CopyToPublishDirectory without
/// CopyToOutputDirectory, or with Always); a normal publish copies such a file once, and Oxidize packs it once.
/// Names that differ only in case are two files and stay an error (OXSDK2002).
/// </summary>
[TestClass]
public sealed class ContentItemPatternTests
{
    /// <summary>One file per pattern, each item as a user writes it; the file's text is its own name.</summary>
    private static readonly (string File, string Item)[] Patterns =
    [
        ("data/publish-only.txt", """<Content Include="data/publish-only.txt" CopyToPublishDirectory="PreserveNewest" />"""),
        ("data/publish-always.txt", """<Content Include="data/publish-always.txt" CopyToPublishDirectory="Always" />"""),
        ("data/both.txt", """<Content Include="data/both.txt" CopyToOutputDirectory="PreserveNewest" CopyToPublishDirectory="PreserveNewest" />"""),
        ("data/both-always.txt", """<Content Include="data/both-always.txt" CopyToOutputDirectory="Always" CopyToPublishDirectory="Always" />"""),
        ("data/none-item.txt", """<None Include="data/none-item.txt" CopyToPublishDirectory="Always" />"""),
    ];

    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Published = new(() =>
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(ContentItemPatternTests));
        foreach ((string file, _) in Patterns)
        {
            WriteFile(sample, file, file);
        }
        sample.EditProjectFile("</Project>", $"  <ItemGroup>\n    {string.Join("\n    ", Patterns.Select(p => p.Item))}\n  </ItemGroup>\n</Project>");
        return (sample, sample.Publish());
    });

    [TestMethod]
    [DataRow("data/publish-only.txt")]
    [DataRow("data/publish-always.txt")]
    [DataRow("data/both.txt")]
    [DataRow("data/both-always.txt")]
    [DataRow("data/none-item.txt")]
    public void EachPatternPublishesItsFileOnce(string file)
    {
        (SampleProject sample, ProcessResult publish) = Published.Value;
        Assert.AreEqual(0, publish.ExitCode, $"The publish failed:{publish}");
        Assert.DoesNotContain("OXSDK2002", publish.Output, publish.ToString());
        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(sample.ExecutablePath);
        Assert.IsTrue(entries.TryGetValue(file, out PackedEntry? entry), $"{file} is not packed:{publish}");
        Assert.AreEqual(3, entry.Kind, $"{file} is not packed as content");
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file))), entry.Sha256, $"{file} holds other bytes");
        CollectionAssert.AreEqual(new[] { "Hello" }, Directory.GetFileSystemEntries(sample.PublishDirectory).Select(Path.GetFileName).ToArray(),
            "the publish folder holds more than the executable");
        ProcessResult run = ProcessRunner.Run(sample.ExecutablePath, [], timeout: TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, run.ExitCode, run.ToString());
    }

    [TestMethod]
    public void NamesThatDifferOnlyInCaseFailWithOXSDK2002()
    {
        SampleProject sample = SampleProject.Create("Hello", nameof(NamesThatDifferOnlyInCaseFailWithOXSDK2002));
        WriteFile(sample, "data/a.txt", "lower");
        WriteFile(sample, "data/A.txt", "upper");
        // The SDK gives both the same RelativePath (its metadata is case-insensitive): two sources for one name.
        sample.EditProjectFile("</Project>", """
              <ItemGroup>
                <Content Include="data/a.txt" CopyToPublishDirectory="PreserveNewest" />
                <Content Include="data/A.txt" CopyToPublishDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);

        ProcessResult publish = sample.Publish();

        Assert.AreNotEqual(0, publish.ExitCode, $"Two files whose names differ only in case were packed:{publish}");
        Assert.Contains("error OXSDK2002:", publish.Output, publish.ToString());
        Assert.IsFalse(File.Exists(sample.ExecutablePath), $"A failed publish left {sample.ExecutablePath} behind:{publish}");
    }

    private static void WriteFile(SampleProject sample, string relativePath, string text)
    {
        string path = Path.Combine(sample.ProjectDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
