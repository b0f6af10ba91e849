using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>
/// The escape hatch: tests/Samples/FilesystemEscape marks data/keep-on-disk.txt with an &lt;OxidizeFilesystem&gt; item
/// and data/keep-by-metadata.txt with OxidizeFilesystem="true" metadata; both stay next to the executable as normal
/// files (and are read from there), while data/packed.txt goes inside.
/// </summary>
[TestClass]
public sealed class FilesystemEscapeHatchTests
{
    private static readonly Lazy<(SampleProject Sample, ProcessResult Publish)> Published = new(() =>
    {
        SampleProject sample = SampleProject.Create("FilesystemEscape", "PublishedFilesystemEscape");
        return (sample, sample.Publish());
    });

    private static SampleProject Sample => Published.Value.Sample;

    private static string ExecutablePath
    {
        get
        {
            ProcessResult publish = Published.Value.Publish;
            Assert.AreEqual(0, publish.ExitCode, $"Publishing the FilesystemEscape sample failed:{publish}");
            return Sample.ExecutablePath;
        }
    }

    [TestMethod]
    public void PublishFolderHoldsTheExecutableAndTheMarkedFilesOnly()
    {
        string executable = ExecutablePath;
        string[] files = [.. Directory.EnumerateFiles(Sample.PublishDirectory, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Sample.PublishDirectory, file)).Order(StringComparer.Ordinal)];
        CollectionAssert.AreEqual(
            new[] { Path.GetFileName(executable), "data/keep-by-metadata.txt", "data/keep-on-disk.txt" }, files,
            $"Unexpected publish folder: {string.Join(", ", files)}{Published.Value.Publish}");

        IReadOnlyDictionary<string, PackedEntry> entries = PackedExecutable.Entries(executable);
        Assert.IsTrue(entries.ContainsKey("data/packed.txt"), "data/packed.txt is not packed.");
        Assert.IsFalse(entries.ContainsKey("data/keep-on-disk.txt"), "data/keep-on-disk.txt is packed as well as kept on disk.");
        Assert.IsFalse(entries.ContainsKey("data/keep-by-metadata.txt"), "data/keep-by-metadata.txt is packed as well as kept on disk.");
    }

    [TestMethod]
    public void AppReadsKeptFilesFromDiskAndPackedFileFromItself()
    {
        string executable = ExecutablePath;
        // Rewrite the kept files after the publish: the app must show the new text, proving it reads them from disk
        // and not from a copy packed into the executable.
        File.WriteAllText(Path.Combine(Sample.PublishDirectory, "data", "keep-on-disk.txt"), "changed on disk (item)\n");
        File.WriteAllText(Path.Combine(Sample.PublishDirectory, "data", "keep-by-metadata.txt"), "changed on disk (metadata)\n");

        ProcessResult run = ReadOnlyDirectory.Run(
            Path.Combine(RepoPaths.EndToEndFolder, nameof(FilesystemEscapeHatchTests), "cwd"), executable, [], null, TimeSpan.FromMinutes(2));

        Assert.AreEqual(0, run.ExitCode, $"The app failed:{run}");
        foreach (string expected in new[]
                 {
                     "keep-on-disk.txt: changed on disk (item)",
                     "keep-by-metadata.txt: changed on disk (metadata)",
                     "packed.txt: packed into the executable",
                 })
        {
            Assert.Contains(expected, run.StandardOutput, $"Missing '{expected}':{run}");
        }
    }
}
