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

    [TestMethod]
    public void ShippedInspectorVerifiesAndExtractsThePublishedExecutable()
    {
        string executable = PublishedHello.ExecutablePath;
        string inspector = Path.Combine(RepoPaths.NuGetPackagesFolder, "oxidize.sdk", RepoPaths.OxidizeVersion, "tools", "linux-x64", "oxidize-inspect");
        Assert.IsTrue(File.Exists(inspector), $"The package does not ship {inspector}");

        ProcessResult verify = ProcessRunner.Run(inspector, ["--verify", executable]);
        Assert.AreEqual(0, verify.ExitCode, verify.ToString());
        var entries = verify.StandardOutput.Split('\n').Where(line => line.StartsWith("entry\t", StringComparison.Ordinal)).Select(line => line.Split('\t')).ToList();
        Assert.IsTrue(entries.All(fields => fields[^1] == "ok"), verify.StandardOutput);

        string extracted = Path.Combine(PublishedHello.Sample.ScratchDirectory, "extracted-" + Guid.NewGuid().ToString("N"));
        ProcessResult extract = ProcessRunner.Run(inspector, ["--extract", extracted, executable]);
        Assert.AreEqual(0, extract.ExitCode, extract.ToString());
        Assert.HasCount(entries.Count, Directory.GetFiles(extracted, "*", SearchOption.AllDirectories));
        var hello = entries.Single(fields => fields[1] == "Hello.dll");
        Assert.AreEqual(hello[7], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(extracted, "Hello.dll")))));
    }
}
