using Oxidize.EndToEnd.Tests.Infrastructure;

namespace Oxidize.EndToEnd.Tests;

/// <summary>What `dotnet publish -p:Oxidize=true` leaves in the publish folder.</summary>
[TestClass]
public sealed class PublishOutputTests
{
    private static readonly byte[] ElfMagic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    [TestMethod]
    public void PublishHelloProducesOneExecutable()
    {
        ProcessResult publish = PublishedHello.PublishResult;
        string executable = PublishedHello.ExecutablePath;

        string[] published = Directory.GetFileSystemEntries(PublishedHello.Sample.PublishDirectory);
        CollectionAssert.AreEqual(new[] { executable }, published,
            $"The publish folder must hold only the executable, but holds: {string.Join(", ", published.Select(Path.GetFileName))}");

        UnixFileMode mode = File.GetUnixFileMode(executable);
        Assert.IsTrue(mode.HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable (mode {mode}).");

        byte[] header = new byte[ElfMagic.Length];
        using (FileStream stream = File.OpenRead(executable))
        {
            stream.ReadExactly(header);
        }
        CollectionAssert.AreEqual(ElfMagic, header, $"{executable} does not start with the ELF magic.");

        // The summary is logged at high importance, so it shows at the default verbosity.
        bool hasSummary = publish.Output.Split('\n').Any(line => line.TrimStart().StartsWith("Oxidize: packed", StringComparison.Ordinal));
        Assert.IsTrue(hasSummary, $"No 'Oxidize: packed' summary line in the publish output:{publish}");
    }
}
